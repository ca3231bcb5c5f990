// The emulator's stream lifecycle, auth, ownership, leases, tombstones, billing — over real HTTP.
import { startEmulator, type Emulator } from '../../emulator/server';
import { rawClient } from '../../emulator/http-test-client';
import { waitFor } from '../../harness/wait';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emu: Emulator;
let call: ReturnType<typeof rawClient>;

beforeAll(async () => {
	emu = await startEmulator({
		ttlSeconds: 2,
		tombstoneSeconds: 1,
		maxStreamsPerKey: 2,
		unassignedKeys: ['ovs-unassigned'],
		noCreditKeys: ['ovs-broke'],
	});
	call = rawClient(emu.url);
});
afterAll(() => emu.close());
afterEach(() => emu.control.reset());

describe('models, health, auth', () => {
	it('lists models unauthenticated at /models, /v1/models, /v1beta/models', async () => {
		for (const path of ['/models', '/v1/models', '/v1beta/models']) {
			const r = await call('GET', path, { key: null });
			expect(r.status).toBe(200);
			expect(r.body.object).toBe('list');
			expect(r.body.data[0]).toEqual({
				id: 'Qwen/Qwen3.6-27B-FP8',
				object: 'model',
				created: 1714492800,
				owned_by: 'overshoot',
				status: 'ready',
			});
		}
		expect((await call('GET', '/v1/models', { key: 'ovs-invalid' })).status).toBe(200); // a bad bearer is ignored
	});

	it('model status per version: v1 omits unavailable, v1beta shows loading as unavailable', async () => {
		emu.control.setModelStatus('gpt-5.4-mini', 'unavailable');
		emu.control.setModelStatus('google/gemma-4-31B-it', 'loading');
		const v1 = (await call('GET', '/v1/models')).body.data;
		const beta = (await call('GET', '/v1beta/models')).body.data;
		expect(v1.find((m: { id: string }) => m.id === 'gpt-5.4-mini')).toBeUndefined();
		expect(v1.find((m: { id: string }) => m.id === 'google/gemma-4-31B-it').status).toBe('loading');
		expect(beta.find((m: { id: string }) => m.id === 'gpt-5.4-mini').status).toBe('unavailable');
		expect(beta.find((m: { id: string }) => m.id === 'google/gemma-4-31B-it').status).toBe(
			'unavailable',
		);
	});

	it('healthz and unknown routes', async () => {
		expect(await call('GET', '/healthz', { key: null })).toMatchObject({ status: 200, body: {} });
		expect(await call('GET', '/v1/nope')).toMatchObject({
			status: 404,
			body: { detail: 'Not Found' },
		});
		expect((await call('PUT', '/v1/streams')).status).toBe(405);
	});

	it.each(['/v1', '/v1beta'])(
		'%s: 401 without or with an invalid key, 403 unassigned, 402 no credits',
		async (v) => {
			expect(await call('POST', `${v}/streams`, { key: null })).toMatchObject({
				status: 401,
				body: { detail: expect.any(String) },
			});
			expect((await call('POST', `${v}/streams`, { key: 'ovs-invalid-1' })).status).toBe(401);
			expect((await call('POST', `${v}/chat/completions`, { key: null, body: {} })).body).toEqual({
				detail: expect.any(String),
			});
			expect(await call('POST', `${v}/streams`, { key: 'ovs-unassigned' })).toMatchObject({
				status: 403,
				body: { detail: expect.any(String) },
			});
			expect(await call('POST', `${v}/streams`, { key: 'ovs-broke' })).toMatchObject({
				status: 402,
				body: { detail: expect.any(String) },
			});
		},
	);

	it('an allow-list replaces the default key rule', async () => {
		const strict = await startEmulator({ apiKeys: ['ovs-only'] });
		try {
			const c = rawClient(strict.url);
			expect((await c('POST', '/v1/streams', { key: 'ovs-only' })).status).toBe(201);
			expect((await c('POST', '/v1/streams', { key: 'ovs-other' })).status).toBe(401);
		} finally {
			await strict.close();
		}
	});
});

describe('stream lifecycle', () => {
	it.each(['/v1', '/v1beta'])(
		'%s: create (empty body or {}), get before the first frame, keepalive, delete',
		async (v) => {
			const before = Date.now();
			const created = await call('POST', `${v}/streams`);
			expect(created.status).toBe(201);
			const s = created.body;
			expect(s.id).toMatch(UUID_RE);
			expect(s.state).toBe('active');
			expect(s.publish).toEqual({
				type: 'livekit',
				url: 'wss://livekit.overshoot.ai',
				token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
			});
			expect(s.ttl_seconds).toBe(2);
			expect(s.expires_at_ms).toBeGreaterThanOrEqual(before + 2000);
			expect('source' in s).toBe(v === '/v1beta');
			expect((await call('POST', `${v}/streams`, { body: {} })).status).toBe(201);

			const got = await call('GET', `${v}/streams/${s.id}`);
			expect(got.status).toBe(200);
			expect(got.body).toMatchObject({
				id: s.id,
				state: 'active',
				stream_time_ms: v === '/v1' ? null : 0,
				first_frame_at_ms: null,
				last_frame_at_ms: null,
				last_frame_index: null,
				first_available_frame_at_ms: null,
				first_available_frame_index: null,
				recent_fps: null,
				retained_frame_count: null,
				evicted_frame_count: null,
				expires_at_ms: s.expires_at_ms,
				ttl_seconds: 2,
				ended_at_ms: null,
				end_reason: null,
				audio: false,
			});
			expect(got.body.created_at_ms).toBeGreaterThanOrEqual(before);
			if (v === '/v1beta')
				expect(got.body).toMatchObject({ source: { type: 'livekit' }, last_pull: null });

			const k1 = await call('POST', `${v}/streams/${s.id}/keepalive`);
			const k2 = await call('POST', `${v}/streams/${s.id}/keepalive`, { body: {} });
			expect(k1.status).toBe(200);
			expect(k1.body).toMatchObject({
				id: s.id,
				ttl_seconds: 2,
				stream_time_ms: 0,
				publish: { type: 'livekit' },
			});
			expect(k1.body.publish.token).not.toBe(s.publish.token);
			expect(k2.body.publish.token).not.toBe(k1.body.publish.token);
			expect(k2.body.expires_at_ms).toBeGreaterThanOrEqual(k1.body.expires_at_ms);

			expect(await call('DELETE', `${v}/streams/${s.id}`)).toMatchObject({
				status: 200,
				body: { id: s.id, deleted: true },
			});
			const ended = await call('GET', `${v}/streams/${s.id}`);
			expect(ended.body).toMatchObject({
				state: 'ended',
				end_reason: 'deleted',
				ended_at_ms: expect.any(Number),
			});
			expect(ended.body.expires_at_ms).toEqual(v === '/v1' ? expect.any(Number) : null);
			expect((await call('POST', `${v}/streams/${s.id}/keepalive`)).status).toBe(404);
			// Repeat DELETE during the tombstone → 200; after it → 404 everywhere.
			expect(await call('DELETE', `${v}/streams/${s.id}`)).toMatchObject({
				status: 200,
				body: { id: s.id, deleted: true },
			});
			await waitFor(
				'tombstone to pass',
				async () => (await call('GET', `${v}/streams/${s.id}`)).status === 404,
				5000,
			);
			expect(await call('DELETE', `${v}/streams/${s.id}`)).toMatchObject({
				status: 404,
				body: { detail: 'Stream not found' },
			});
		},
	);

	it('frame counters after pushes (lifetime indices, fps, stream clock)', async () => {
		const { id } = (await call('POST', '/v1/streams')).body;
		await emu.control.pushFrames(id, { rgb: [255, 0, 0], count: 10, intervalMs: 100 });
		const s = (await call('GET', `/v1/streams/${id}`)).body;
		expect(s).toMatchObject({
			last_frame_index: 9,
			first_available_frame_index: 0,
			retained_frame_count: 10,
			evicted_frame_count: 0,
			stream_time_ms: 900,
		});
		expect(s.last_frame_at_ms - s.first_frame_at_ms).toBe(900);
		expect(s.recent_fps).toBeCloseTo(10, 0);
		expect((await call('POST', `/v1/streams/${id}/keepalive`)).body.stream_time_ms).toBe(900);
	});

	it('retention caps evict the oldest frames (count cap)', async () => {
		const small = await startEmulator({ maxFramesPerStream: 5 });
		try {
			const c = rawClient(small.url);
			const { id } = (await c('POST', '/v1/streams')).body;
			await small.control.pushFrames(id, { rgb: [0, 0, 255], count: 12 });
			expect((await c('GET', `/v1/streams/${id}`)).body).toMatchObject({
				last_frame_index: 11,
				first_available_frame_index: 7,
				retained_frame_count: 5,
				evicted_frame_count: 7,
			});
		} finally {
			await small.close();
		}
	});

	it('leases really expire without keepalive (ended/expired), and keepalive pushes the deadline', async () => {
		const a = (await call('POST', '/v1/streams')).body.id;
		const b = (await call('POST', '/v1/streams')).body.id;
		await new Promise((r) => setTimeout(r, 1200));
		expect((await call('POST', `/v1/streams/${b}/keepalive`)).status).toBe(200);
		const ended = await waitFor(
			'lease expiry',
			async () => {
				const r = await call('GET', `/v1/streams/${a}`);
				return r.body?.state === 'ended' ? r.body : undefined;
			},
			4000,
			50,
		);
		expect(ended.end_reason).toBe('expired');
		expect((await call('GET', `/v1/streams/${b}`)).body.state).toBe('active');
		expect((await call('POST', `/v1/streams/${a}/keepalive`)).status).toBe(404);
	});

	it('concurrency cap per key → 429, other keys unaffected, deleting frees a slot', async () => {
		const ids = [];
		for (let i = 0; i < 2; i++) ids.push((await call('POST', '/v1/streams')).body.id);
		expect(await call('POST', '/v1/streams')).toMatchObject({
			status: 429,
			body: { detail: expect.stringContaining('limit') },
		});
		expect((await call('POST', '/v1/streams', { key: 'ovs-other' })).status).toBe(201);
		await call('DELETE', `/v1/streams/${ids[0]}`);
		expect((await call('POST', '/v1/streams')).status).toBe(201);
	});

	it('ownership: other keys get 404 on every stream endpoint', async () => {
		const { id } = (await call('POST', '/v1beta/streams')).body;
		for (const [m, p] of [
			['GET', ''],
			['POST', '/keepalive'],
			['DELETE', ''],
			['POST', '/viewer-token'],
		]) {
			expect(await call(m, `/v1beta/streams/${id}${p}`, { key: 'ovs-someone-else' })).toMatchObject(
				{ status: 404, body: { detail: 'Stream not found' } },
			);
		}
		expect((await call('GET', `/v1beta/streams/${id}`)).status).toBe(200);
	});

	it('viewer token (v1beta)', async () => {
		const { id } = (await call('POST', '/v1beta/streams')).body;
		const r = await call('POST', `/v1beta/streams/${id}/viewer-token`);
		expect(r).toMatchObject({
			status: 200,
			body: {
				id,
				view: {
					type: 'livekit',
					url: expect.any(String),
					token: expect.any(String),
					expires_in_seconds: 300,
				},
			},
		});
		await call('DELETE', `/v1beta/streams/${id}`);
		expect((await call('POST', `/v1beta/streams/${id}/viewer-token`)).status).toBe(404);
	});

	it('v1beta region header: echoed, and a foreign region → 409 region_error', async () => {
		const r = await call('POST', '/v1beta/streams');
		expect(r.headers.get('x-overshoot-region')).toBe('us-west1');
		const bad = await call('GET', `/v1beta/streams/${r.body.id}`, {
			headers: { 'x-overshoot-region': 'us-central1' },
		});
		expect(bad).toMatchObject({
			status: 409,
			body: {
				detail: {
					error: 'region_error',
					expected_region: 'us-west1',
					requested_region: 'us-central1',
				},
			},
		});
	});

	it('create body validation and v1beta camera sources', async () => {
		expect(
			(
				await call('POST', '/v1/streams', {
					rawBody: '{nope',
					headers: { 'content-type': 'application/json' },
				})
			).status,
		).toBe(422);
		expect((await call('POST', '/v1/streams', { body: [1] })).status).toBe(422);
		expect(
			(
				await call('POST', '/v1/streams', {
					body: { source: { type: 'rtsp', url: 'rtsp://cam.example.net/x' } },
				})
			).status,
		).toBe(422);
		const bad = [
			{ type: 'webrtc', url: 'rtsp://cam.example.net/x' },
			{ type: 'rtsp', url: 'http://cam.example.net/x.m3u8' },
			{ type: 'hls', url: 'rtsp://cam.example.net/x' },
			{ type: 'rtsp' },
			{ type: 'rtsp', url: 'rtsp://user:hunter2@127.0.0.1:554/live' },
			{ type: 'rtsp', url: 'rtsp://user:hunter2@192.168.1.20/live' },
			{ type: 'hls', url: 'http://localhost/x.m3u8' },
			{ type: 'hls', url: 'http://[::1]/x.m3u8' },
			{ type: 'rtsp', url: 'rtsp://169.254.1.1/x' },
		];
		for (const source of bad) {
			const r = await call('POST', '/v1beta/streams', { body: { source } });
			expect(r.status).toBe(422);
			expect(typeof r.body.detail).toBe('string');
			expect(r.text).not.toContain('hunter2');
		}
	});
});

describe('billing', () => {
	it('pricing is public; balance and checkout need a key', async () => {
		const list = await call('GET', '/billing/pricing', { key: null });
		expect(list.status).toBe(200);
		expect(list.body[0]).toEqual({
			id: expect.stringMatching(UUID_RE),
			model: 'Qwen/Qwen3.6-27B-FP8',
			provider: 'qwen',
			version: '2026-06-01',
			input_microcents_per_token: 10,
			output_microcents_per_token: 40,
			cached_input_microcents_per_token: 2,
			public: true,
		});
		expect(
			(await call('GET', '/billing/pricing/google/gemma-4-26B-A4B-it', { key: null })).body,
		).toMatchObject({ model: 'google/gemma-4-26B-A4B-it', provider: 'google' });
		expect(await call('GET', '/billing/pricing/nope/model', { key: null })).toMatchObject({
			status: 404,
			body: { detail: expect.any(String) },
		});
		expect((await call('GET', '/billing/accounts/me/balance', { key: null })).status).toBe(401);
		const bal = await call('GET', '/billing/accounts/me/balance');
		expect(bal.body).toEqual({
			user_id: expect.stringMatching(UUID_RE),
			balance_microcents: 10_000_000_000,
			balance_cents: 10_000,
		});
		expect(
			(await call('GET', '/billing/accounts/me/balance', { key: 'ovs-broke' })).body.balance_cents,
		).toBe(0);
		expect(
			(await call('POST', '/billing/checkout', { body: { amount_cents: 500 } })).body.url,
		).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
		const bad = await call('POST', '/billing/checkout', { body: { amount_cents: 99 } });
		expect(bad).toMatchObject({
			status: 422,
			body: {
				error: 'validation_error',
				message: 'Request validation failed',
				details: [{ loc: ['body', 'amount_cents'] }],
			},
		});
		expect(
			(await call('POST', '/billing/checkout', { key: null, body: { amount_cents: 500 } })).status,
		).toBe(401);
	});
});
