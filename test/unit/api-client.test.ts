// The client's retry rules with a fake transport: what is repeated, when, and what never is.
import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { OvershootApiError } from '../../nodes/Overshoot/api/errors';
import type { HttpRequest, HttpResponse, Transport } from '../../nodes/Overshoot/api/http';
import { NetworkError } from '../../nodes/Overshoot/api/transport';

type Step = HttpResponse | NetworkError;

function scripted(steps: Step[]) {
	const calls: HttpRequest[] = [];
	const transport: Transport = async (req) => {
		calls.push(req);
		const step = steps.shift();
		if (!step) throw new Error('no scripted response left');
		if (step instanceof NetworkError) throw step;
		return step;
	};
	const sleeps: number[] = [];
	const client = new OvershootClient(transport, { sleep: async (ms) => void sleeps.push(ms) });
	return { client, calls, sleeps };
}

const ok = (body: unknown, status = 200): HttpResponse => ({ status, headers: {}, body });
const fail = (
	status: number,
	retryAfter?: string,
	body: unknown = { detail: `status ${status}` },
): HttpResponse => ({
	status,
	headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
	body,
});
const lost = () => new NetworkError('socket hang up', false);
const refused = () => new NetworkError('ECONNREFUSED', true);
const CREATED = {
	id: '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
	state: 'active',
	publish: null,
	expires_at_ms: 1,
	ttl_seconds: 300,
};
const CHAT = { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [] };

describe('retries', () => {
	it('retries 429 and honours Retry-After', async () => {
		const { client, calls, sleeps } = scripted([
			fail(429, '2'),
			fail(429, '1'),
			ok({ object: 'list', data: [] }),
		]);
		await client.listModels();
		expect(calls).toHaveLength(3);
		expect(sleeps).toEqual([2000, 1000]);
	});

	it('retries 503 with growing backoff when no Retry-After is given', async () => {
		const { client, calls, sleeps } = scripted([fail(503), fail(503), ok(CHAT)]);
		await client.chat({ model: 'm', messages: [] });
		expect(calls).toHaveLength(3);
		expect(sleeps[0]).toBeGreaterThanOrEqual(400);
		expect(sleeps[1]).toBeGreaterThan(sleeps[0]);
	});

	it('caps a huge Retry-After at the maximum delay', async () => {
		const { client, sleeps } = scripted([fail(429, '3600'), ok({ object: 'list', data: [] })]);
		await client.listModels();
		expect(sleeps).toEqual([30_000]);
	});

	it('gives up after the retry budget with the last error', async () => {
		const { client, calls } = scripted([
			fail(503),
			fail(503),
			fail(503),
			fail(503, undefined, { detail: 'still down' }),
		]);
		const error = await client.getStream(CREATED.id).catch((e) => e);
		expect(error).toBeInstanceOf(OvershootApiError);
		expect(error.detail).toBe('still down');
		expect(calls).toHaveLength(4);
	});

	it.each([400, 401, 402, 403, 404, 409, 410, 422])('never retries %i', async (status) => {
		const { client, calls } = scripted([fail(status)]);
		const error = await client.chat({ model: 'm', messages: [] }).catch((e) => e);
		expect(error.status).toBe(status);
		expect(calls).toHaveLength(1);
	});

	it('retries 502/504 on safe reads but not on a billed chat', async () => {
		const read = scripted([fail(502), fail(504), ok({ id: CREATED.id, state: 'active' })]);
		await read.client.getStream(CREATED.id);
		expect(read.calls).toHaveLength(3);
		const chat = scripted([fail(502)]);
		expect((await chat.client.chat({ model: 'm', messages: [] }).catch((e) => e)).status).toBe(502);
		expect(chat.calls).toHaveLength(1);
	});
});

describe('create stream is never repeated blindly', () => {
	it('retries a received 503 (the server said no: no stream exists)', async () => {
		const { client, calls } = scripted([fail(503, '0'), ok(CREATED, 201)]);
		expect((await client.createStream()).id).toBe(CREATED.id);
		expect(calls).toHaveLength(2);
	});

	it('does not retry after a lost response (a stream may exist)', async () => {
		const { client, calls } = scripted([lost(), ok(CREATED, 201)]);
		await expect(client.createStream()).rejects.toBeInstanceOf(NetworkError);
		expect(calls).toHaveLength(1);
	});

	it('retries when the request certainly never left (connection refused)', async () => {
		const { client, calls } = scripted([refused(), ok(CREATED, 201)]);
		await client.createStream();
		expect(calls).toHaveLength(2);
	});

	it('sends {} without a source and {source} with one', async () => {
		const { client, calls } = scripted([ok(CREATED, 201), ok(CREATED, 201)]);
		await client.createStream();
		await client.createStream({ type: 'rtsp', url: 'rtsp://cam.example.net/live' });
		expect(calls.map((c) => c.body)).toEqual([
			{},
			{ source: { type: 'rtsp', url: 'rtsp://cam.example.net/live' } },
		]);
	});

	it('a chat is not repeated after a lost response either, but a GET is', async () => {
		const chat = scripted([lost()]);
		await expect(chat.client.chat({ model: 'm', messages: [] })).rejects.toBeInstanceOf(
			NetworkError,
		);
		expect(chat.calls).toHaveLength(1);
		const get = scripted([lost(), ok({ id: CREATED.id, state: 'active' })]);
		await get.client.getStream(CREATED.id);
		expect(get.calls).toHaveLength(2);
	});
});

describe('endpoints', () => {
	it('delete: 200 → deleted; 404 → already ended, still a success', async () => {
		const { client } = scripted([
			ok({ id: CREATED.id, deleted: true }),
			fail(404, undefined, { detail: 'Stream not found' }),
		]);
		expect(await client.deleteStream(CREATED.id)).toEqual({
			id: CREATED.id,
			deleted: true,
			already_ended: false,
		});
		expect(await client.deleteStream(CREATED.id)).toEqual({
			id: CREATED.id,
			deleted: true,
			already_ended: true,
		});
	});

	it('delete: other errors still fail', async () => {
		const { client } = scripted([fail(401)]);
		await expect(client.deleteStream(CREATED.id)).rejects.toMatchObject({ status: 401 });
	});

	it('models: public call, filters ready ones on request', async () => {
		const list = {
			object: 'list',
			data: [
				{ id: 'a', status: 'ready' },
				{ id: 'b', status: 'loading' },
			],
		};
		const { client, calls } = scripted([ok(list), ok(list)]);
		expect((await client.listModels()).map((m) => m.id)).toEqual(['a', 'b']);
		expect((await client.listModels({ readyOnly: true })).map((m) => m.id)).toEqual(['a']);
		expect(calls[0]).toMatchObject({ method: 'GET', path: '/models', anonymous: true });
	});

	it('paths and methods of the stream calls', async () => {
		const { client, calls } = scripted([ok({}), ok({})]);
		await client.getStream(CREATED.id);
		await client.keepalive(CREATED.id);
		expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
			`GET /streams/${CREATED.id}`,
			`POST /streams/${CREATED.id}/keepalive`,
		]);
	});
});

describe('one deadline for the whole call', () => {
	it('a server that never answers costs the total deadline, not 4 × the per-attempt timeout', async () => {
		const calls: HttpRequest[] = [];
		// Like a real transport against a hanging server: waits out the attempt's timeout, then fails.
		const hanging: Transport = async (req) => {
			calls.push(req);
			await new Promise((r) => setTimeout(r, req.timeoutMs));
			throw new NetworkError('No response from http://127.0.0.1:9 in time', false);
		};
		const client = new OvershootClient(hanging, { retry: { baseDelayMs: 10 } });
		const started = Date.now();
		const error = await client
			.getStream(CREATED.id, { timeoutMs: 200, totalTimeoutMs: 500 })
			.catch((e) => e);
		const took = Date.now() - started;
		expect(error).toBeInstanceOf(NetworkError);
		expect(error.message).toMatch(
			/^No response from http:\/\/127\.0\.0\.1:9 in time \(gave up after [01] s in all, 3 attempts\)$/,
		);
		expect(took).toBeLessThan(900);
		// No attempt may run past the deadline: the last one gets only what is left.
		expect(calls.map((c) => c.timeoutMs)).toEqual([200, 200, expect.any(Number)]);
		expect(calls[2].timeoutMs).toBeLessThanOrEqual(100);
	});

	it('without a total deadline the per-attempt timeout is passed on unchanged', async () => {
		const { client, calls } = scripted([ok(CREATED)]);
		await client.getStream(CREATED.id, { timeoutMs: 1234 });
		expect(calls[0].timeoutMs).toBe(1234);
	});
});

describe('Create Stream answers', () => {
	it('a 2xx without a stream id is an error (it used to be reported as success)', async () => {
		const { client } = scripted([ok({ state: 'active' }, 201)]);
		await expect(client.createStream()).rejects.toThrow(
			/^The server answered Create Stream with success but without a stream id \(got \{"state":"active"\}\)/,
		);
	});

	it('a lost response says a stream may exist and for how long it is billed', async () => {
		const { client, calls } = scripted([lost()]);
		const error = await client.createStream().catch((e) => e);
		expect(calls).toHaveLength(1);
		expect(error).toBeInstanceOf(NetworkError);
		expect(error.message).toBe(
			'socket hang up. The stream may have been created anyway: if so it is billed until its lease runs out (about 5 minutes, as nothing renews it). It was not retried, so that no second stream is opened.',
		);
	});
});
