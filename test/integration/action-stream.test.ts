// Stream operations against the emulator over real HTTP: the full lifecycle, every error status
// the stream routes produce, and the retry rules (create is never repeated after a lost answer).
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { startEmulator, type Emulator } from '../../emulator/server';
import { runNode, type Credentials } from './action-harness';

let emulator: Emulator;
let creds: Credentials;
const KEY = 'ovs-integration-key';

beforeAll(async () => {
	emulator = await startEmulator({
		ttlSeconds: 30,
		unassignedKeys: ['ovs-unassigned'],
		noCreditKeys: ['ovs-broke'],
	});
	creds = { apiKey: KEY, baseUrl: emulator.baseUrl };
});
afterAll(async () => emulator?.close());
afterEach(() => emulator.control.clearFaults());

const stream = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'stream',
	operation,
	...extra,
});

describe('lifecycle', () => {
	it('create → get → renew lease → delete → delete again (already ended)', async () => {
		const [created] = await runNode({ credentials: creds, params: stream('create') });
		const id = created.json.id as string;
		expect(created.json).toMatchObject({
			state: 'active',
			source_type: 'livekit',
			ttl_seconds: 30,
		});
		expect(created.json.publish_url).toMatch(/^wss:\/\//);
		expect(typeof created.json.publish_token).toBe('string');

		await emulator.control.pushFrames(id, { rgb: [255, 0, 0], count: 3 });
		const [info] = await runNode({ credentials: creds, params: stream('get', { streamId: id }) });
		expect(info.json).toMatchObject({ id, state: 'active', has_frames: true, last_frame_index: 2 });

		const [renewed] = await runNode({
			credentials: creds,
			params: stream('renewLease', { streamId: id }),
		});
		expect(renewed.json).toMatchObject({ id, ttl_seconds: 30 });
		expect(renewed.json.expires_at_ms as number).toBeGreaterThanOrEqual(
			created.json.expires_at_ms as number,
		);

		const [deleted] = await runNode({
			credentials: creds,
			params: stream('delete', { streamId: id }),
		});
		expect(deleted.json).toEqual({ id, deleted: true, already_ended: false });
		const [again] = await runNode({
			credentials: creds,
			params: stream('delete', { streamId: id }),
		});
		expect(again.json).toMatchObject({ id, deleted: true });
		const state = await emulator.control.state();
		expect(state.streams.find((s) => s.id === id)?.state ?? 'ended').toBe('ended');
	});

	it('delete of a stream that never existed is a success with already_ended', async () => {
		const id = '00000000-0000-4000-8000-000000000000';
		const [out] = await runNode({ credentials: creds, params: stream('delete', { streamId: id }) });
		expect(out.json).toEqual({ id, deleted: true, already_ended: true });
	});

	it('a camera source with a private address → 422, and the password never shows', async () => {
		const url = 'rtsp://admin:topsecret99@127.0.0.1:8554/cam';
		const error = await runNode({
			credentials: creds,
			params: stream('create', { source: 'rtsp', sourceUrl: url }),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('422');
		expect(
			JSON.stringify({ m: error.message, d: error.description, c: error.context }),
		).not.toContain('topsecret99');
	});
});

describe('errors', () => {
	it.each([
		[
			'401 invalid key',
			{ apiKey: 'ovs-invalid-key' },
			stream('create'),
			401,
			/API key was rejected/,
		],
		['402 no credits', { apiKey: 'ovs-broke' }, stream('create'), 402, /out of credits/],
		[
			'403 unassigned key',
			{ apiKey: 'ovs-unassigned' },
			stream('create'),
			403,
			/may not use this resource/,
		],
		[
			'404 unknown stream',
			{},
			stream('get', { streamId: '11111111-2222-4333-8444-555555555555' }),
			404,
			/Create a new stream/,
		],
		[
			'404 keepalive of an unknown stream',
			{},
			stream('renewLease', { streamId: '11111111-2222-4333-8444-555555555555' }),
			404,
			/ended/,
		],
	])('%s', async (_name, credOverride, params, status, hint) => {
		const error = await runNode({ credentials: { ...creds, ...credOverride }, params }).catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe(String(status));
		expect(error.message).toMatch(new RegExp(`^Overshoot API error ${status}: .+`));
		expect(error.description).toMatch(hint);
		expect(error.context.itemIndex).toBe(0);
	});

	it('invalid stream ids are rejected before any request', async () => {
		const before = await emulator.control.state();
		const error = await runNode({
			credentials: creds,
			params: stream('get', { streamId: 'camera-1' }),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Stream ID "camera-1" is not a stream id/);
		expect((await emulator.control.state()).streams.length).toBe(before.streams.length);
	});

	it('an unreachable server → "Cannot reach the Overshoot API"', async () => {
		const dead = await startEmulator();
		const baseUrl = dead.baseUrl;
		await dead.close();
		const error = await runNode({
			credentials: { apiKey: KEY, baseUrl },
			params: stream('create'),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Cannot reach the Overshoot API');
		expect(error.description).toContain('ECONNREFUSED');
	});
});

describe('retry rules', () => {
	it('503 on create is retried (the server said no) and exactly one stream results', async () => {
		const before = (await emulator.control.state()).creates;
		emulator.control.inject({
			status: 503,
			retryAfter: 0,
			method: 'POST',
			path: '/streams',
			times: 2,
		});
		const [created] = await runNode({ credentials: creds, params: stream('create') });
		expect((await emulator.control.state()).creates).toBe(before + 1);
		await runNode({ credentials: creds, params: stream('delete', { streamId: created.json.id }) });
	});

	it('a create whose answer is lost is not repeated (no second, leaked stream)', async () => {
		const before = (await emulator.control.state()).creates;
		emulator.control.inject({ drop: 'after', method: 'POST', path: '/streams' });
		const error = await runNode({ credentials: creds, params: stream('create') }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Cannot reach the Overshoot API');
		expect((await emulator.control.state()).creates).toBe(before + 1);
		// Clean up the stream the lost answer would have told us about.
		for (const s of (await emulator.control.state()).streams.filter((x) => x.state === 'active')) {
			await runNode({ credentials: creds, params: stream('delete', { streamId: s.id }) });
		}
	});

	it('429 on get is retried after Retry-After', async () => {
		const [created] = await runNode({ credentials: creds, params: stream('create') });
		emulator.control.inject({ status: 429, retryAfter: 1, method: 'GET', path: '/streams/' });
		const started = Date.now();
		const [info] = await runNode({
			credentials: creds,
			params: stream('get', { streamId: created.json.id }),
		});
		expect(info.json.state).toBe('active');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		await runNode({ credentials: creds, params: stream('delete', { streamId: created.json.id }) });
	});

	it('a lost answer on a keepalive (safe to repeat) is retried', async () => {
		const [created] = await runNode({ credentials: creds, params: stream('create') });
		emulator.control.inject({ drop: 'before', method: 'POST', path: '/streams/' });
		const [renewed] = await runNode({
			credentials: creds,
			params: stream('renewLease', { streamId: created.json.id }),
		});
		expect(renewed.json.id).toBe(created.json.id);
		await runNode({ credentials: creds, params: stream('delete', { streamId: created.json.id }) });
	});
});
