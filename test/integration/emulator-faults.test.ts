// Fault injection, latency and the /_emulator control routes (what client tests build on).
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../emulator/server';
import { rawClient } from '../../emulator/http-test-client';

let emu: Emulator;
let call: ReturnType<typeof rawClient>;

beforeAll(async () => {
	emu = await startEmulator();
	call = rawClient(emu.url);
});
afterAll(() => emu.close());
afterEach(() => emu.control.reset());

describe('fault injection', () => {
	it('the next N matching requests get the injected status, body and Retry-After', async () => {
		emu.control.inject({ status: 503, retryAfter: 2, times: 2, method: 'POST', path: '/streams' });
		expect((await call('GET', '/v1/models')).status).toBe(200); // not matched
		const first = await call('POST', '/v1/streams');
		expect(first).toMatchObject({
			status: 503,
			body: { detail: expect.stringContaining('Injected') },
		});
		expect(first.headers.get('retry-after')).toBe('2');
		expect((await call('POST', '/v1beta/streams')).status).toBe(503); // unversioned prefix matches both versions
		expect((await call('POST', '/v1/streams')).status).toBe(201);
		expect((await emu.control.state()).creates).toBe(1);
	});

	it('chat faults default to the nested envelope; custom bodies and headers pass through', async () => {
		emu.control.inject({ status: 429, path: '/chat/completions', retryAfter: 1 });
		const r = await call('POST', '/v1beta/chat/completions', { body: {} });
		expect(r).toMatchObject({
			status: 429,
			body: { detail: { error: { type: 'rate_limit_error', code: 'rate_limited' } } },
		});
		emu.control.inject({ status: 418, body: 'teapot', headers: { 'x-test': 'yes' } });
		const t = await call('GET', '/v1/models');
		expect(t).toMatchObject({ status: 418, text: 'teapot' });
		expect(t.headers.get('x-test')).toBe('yes');
		expect(emu.control.chatCalls()).toHaveLength(0); // faults never reach the model: nothing billed
	});

	it('drop before: no response and no side effect; drop after: the stream exists but the response is lost', async () => {
		emu.control.inject({ path: '/v1/streams', method: 'POST', drop: 'before' });
		await expect(call('POST', '/v1/streams')).rejects.toThrow();
		expect((await emu.control.state()).creates).toBe(0);
		emu.control.inject({ path: '/v1/streams', method: 'POST', drop: 'after' });
		await expect(call('POST', '/v1/streams')).rejects.toThrow();
		const state = await emu.control.state();
		expect(state.creates).toBe(1);
		expect(state.streams).toHaveLength(1);
	});

	it('latency applies to matching routes and can be removed', async () => {
		// 1 s of latency against a 500 ms bound: a busy CI machine can stall a plain call for a few
		// hundred ms, never for the whole injected second.
		emu.control.setLatency(1000, { path: '/models' });
		let t = Date.now();
		await call('GET', '/v1/models');
		expect(Date.now() - t).toBeGreaterThanOrEqual(990);
		t = Date.now();
		await call('GET', '/healthz');
		expect(Date.now() - t).toBeLessThan(500);
		emu.control.setLatency(0);
		t = Date.now();
		await call('GET', '/v1/models');
		expect(Date.now() - t).toBeLessThan(500);
	});
});

describe('/_emulator HTTP routes', () => {
	const ctl = (method: string, path: string, body?: unknown, raw?: Buffer, type?: string) =>
		call(method, `/_emulator${path}`, {
			key: null,
			body,
			rawBody: raw,
			headers: type ? { 'content-type': type } : undefined,
		});

	it('faults, latency, frames (JSON and PNG), expire, state, chat-calls, reset', async () => {
		expect(
			await ctl('POST', '/faults', { status: 500, path: '/v1/streams', times: 3 }),
		).toMatchObject({ status: 200, body: { pending: 3 } });
		expect((await call('POST', '/v1/streams')).status).toBe(500);
		expect((await ctl('DELETE', '/faults')).body).toEqual({ pending: 0 });
		expect((await ctl('POST', '/faults', { times: 0 })).status).toBe(422);
		expect((await ctl('POST', '/latency', { ms: 0 })).status).toBe(200);

		const { id } = (await call('POST', '/v1/streams')).body;
		expect(
			(await ctl('POST', `/streams/${id}/frames`, { rgb: [255, 140, 0], count: 3 })).body,
		).toEqual({ pushed: 3, last_frame_index: 2 });
		const png = await sharp({
			create: {
				width: 320,
				height: 240,
				channels: 4,
				background: { r: 0, g: 255, b: 255, alpha: 1 },
			},
		})
			.png()
			.toBuffer();
		expect(
			(await ctl('POST', `/streams/${id}/frames?count=2`, undefined, png, 'image/png')).body,
		).toEqual({ pushed: 2, last_frame_index: 4 });
		expect((await ctl('POST', `/streams/${id}/frames`, { rgb: [300, 0, 0] })).status).toBe(422);
		expect((await ctl('POST', '/streams/nope/frames', { rgb: [1, 2, 3] })).status).toBe(404);

		const ask = (q: string) =>
			call('POST', '/v1/chat/completions', {
				body: {
					model: 'gpt-5.4-mini',
					messages: [
						{
							role: 'user',
							content: [
								{ type: 'text', text: q },
								{ type: 'image_url', image_url: { url: `ovs://streams/${id}?frame_index=0` } },
							],
						},
					],
				},
			});
		expect((await ask('Is it orange?')).body.choices[0].message.content).toMatch(
			/^Yes\. The scene is mostly orange/,
		);
		const calls = (await ctl('GET', '/chat-calls')).body;
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ model: 'gpt-5.4-mini', status: 200, streamIds: [id] });

		const state = (await ctl('GET', '/state')).body;
		expect(state).toMatchObject({
			creates: 1,
			deletes: 0,
			keepalives: 0,
			openRooms: [],
			faultsPending: 0,
			chatCalls: { total: 1, failed: 0, byModel: { 'gpt-5.4-mini': 1 }, byStream: { [id]: 1 } },
		});
		expect(state.streams[0]).toMatchObject({
			id,
			state: 'active',
			framesReceived: 5,
			lastFrameIndex: 4,
			retainedFrames: 5,
			publisherConnected: false,
			ingestConnected: false,
		});

		expect((await ctl('POST', `/streams/${id}/expire`)).status).toBe(200);
		expect((await call('GET', `/v1/streams/${id}`)).body).toMatchObject({
			state: 'ended',
			end_reason: 'expired',
			last_frame_index: 4,
		});
		expect(
			(await ctl('POST', '/model-status', { id: 'gpt-5.4-mini', status: 'loading' })).status,
		).toBe(200);
		expect((await ctl('POST', '/reset')).status).toBe(200);
		expect((await call('GET', `/v1/streams/${id}`)).status).toBe(404);
		expect((await ctl('GET', '/state')).body).toMatchObject({
			streams: [],
			creates: 0,
			chatCalls: { total: 0 },
		});
		expect(
			(await call('GET', '/v1/models')).body.data.find(
				(m: { id: string }) => m.id === 'gpt-5.4-mini',
			).status,
		).toBe('ready');
	});
});
