// Model → List, the model dropdown, the credential test and Model Choice, against the emulator.
import { NodeApiError, type ILoadOptionsFunctions } from 'n8n-workflow';
import { testApiKey } from '../../nodes/Overshoot/shared/api-credential-test';
import { searchModels } from '../../nodes/Overshoot/shared/model';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { startEmulator, type Emulator } from '../../emulator/server';
import { n8nHttp, runNode, type Credentials } from './action-harness';

let emulator: Emulator;
let creds: Credentials;

beforeAll(async () => {
	emulator = await startEmulator();
	creds = { apiKey: 'ovs-model-key', baseUrl: emulator.baseUrl };
});
afterAll(async () => emulator?.close());
afterEach(() => emulator.control.clearFaults());

describe('Model → List', () => {
	it('lists ready models, one item each; all of them when asked', async () => {
		emulator.control.setModelStatus('Qwen/Qwen3.6-27B-FP8', 'loading');
		const ready = await runNode({
			credentials: creds,
			params: { resource: 'model', operation: 'list' },
		});
		const all = await runNode({
			credentials: creds,
			params: { resource: 'model', operation: 'list', readyOnly: false },
		});
		expect(all.length).toBe(ready.length + 1);
		expect(ready.every((o) => o.json.ready === true)).toBe(true);
		expect(all.find((o) => o.json.id === 'Qwen/Qwen3.6-27B-FP8')?.json.status).toBe('loading');
		expect(ready[0].pairedItem).toEqual({ item: 0 });
		emulator.control.setModelStatus('Qwen/Qwen3.6-27B-FP8', 'ready');
	});

	it('works with any key (the endpoint is public)', async () => {
		const out = await runNode({
			credentials: { ...creds, apiKey: 'ovs-invalid' },
			params: { resource: 'model', operation: 'list' },
		});
		expect(out.length).toBeGreaterThan(0);
	});

	it('503 is retried', async () => {
		emulator.control.inject({
			status: 503,
			retryAfter: 0,
			method: 'GET',
			path: '/models',
			times: 2,
		});
		expect(
			(await runNode({ credentials: creds, params: { resource: 'model', operation: 'list' } }))
				.length,
		).toBeGreaterThan(0);
	});

	it('feeds the model dropdown', async () => {
		const ctx = {
			getCredentials: async () => creds,
			helpers: {
				httpRequestWithAuthentication: async (_t: string, req: never) => n8nHttp(creds, req),
			},
		} as unknown as ILoadOptionsFunctions;
		const { results } = await searchModels.call(ctx, 'gemma');
		expect(results.length).toBeGreaterThan(0);
		expect(results.every((r) => String(r.value).toLowerCase().includes('gemma'))).toBe(true);
	});
});

describe('credential test (overshootApiTest) on a server with only the v1 endpoints', () => {
	const probe = (apiKey: string) =>
		testApiKey(fetchTransport({ baseUrl: emulator.baseUrl, apiKey }), emulator.baseUrl);

	it('passes for a valid key and fails for a refused one; creates nothing and needs no billing route', async () => {
		// The billing routes are v1beta only: make them 404 here, and count any use of them.
		emulator.control.inject({
			status: 404,
			method: 'GET',
			path: '/billing',
			times: 50,
			body: { detail: 'Not Found' },
		});
		const before = await emulator.control.state();
		expect(await probe('ovs-model-key')).toMatchObject({
			status: 'OK',
			message: expect.stringMatching(/^Overshoot accepted the API key/),
		});
		expect(await probe('ovs-invalid')).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/rejected this API key \(401\)/),
		});
		const after = await emulator.control.state();
		expect({
			creates: after.creates,
			chats: after.chatCalls.total,
			billingCalls: before.faultsPending - after.faultsPending,
		}).toEqual({
			creates: before.creates,
			chats: before.chatCalls.total,
			billingCalls: 0,
		});
	});

	it('a Base URL without the version path is not taken for an accepted key', async () => {
		const root = emulator.url + '/nothing-here';
		expect(
			await testApiKey(fetchTransport({ baseUrl: root, apiKey: 'ovs-model-key' }), root),
		).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/No Overshoot API answered/),
		});
	});
});

describe('Model Choice on Chat → Complete (version 1.1: Automatic by default)', () => {
	// Image-only and video-capable passthrough models only: the choice must depend on the media.
	const IMAGE_ONLY = 'claude-test-0-00000000';
	const TAKES_VIDEO = 'gemini-0.1-test-flash';
	let catalogEmu: Emulator;
	let c: Credentials;
	let streamId: string;
	beforeAll(async () => {
		catalogEmu = await startEmulator({
			models: [
				{ id: IMAGE_ONLY, video: false },
				{ id: TAKES_VIDEO },
				{ id: 'zz/not-ready', status: 'loading' },
			],
		});
		c = { apiKey: 'ovs-choice-key', baseUrl: catalogEmu.baseUrl };
		const [created] = await runNode({
			credentials: c,
			params: { resource: 'stream', operation: 'create' },
		});
		streamId = created.json.id as string;
		await catalogEmu.control.pushFrames(streamId, {
			rgb: [220, 20, 20],
			count: 12,
			intervalMs: 500,
		});
	});
	afterAll(async () => catalogEmu?.close());
	afterEach(() => {
		catalogEmu.control.clearFaults();
		for (const id of [IMAGE_ONLY, TAKES_VIDEO]) catalogEmu.control.setModelStatus(id, 'ready');
	});

	const ask = (items: unknown[], extra: Record<string, unknown> = {}) => ({
		resource: 'chat',
		operation: 'complete',
		prompt: 'What colour dominates?',
		media: { items },
		...extra,
	});
	const latest = () => [{ kind: 'latestFrame', streamId }];
	const clip = () => [{ kind: 'lastSeconds', streamId, seconds: 5, maxFps: 1 }];

	it('a frame goes to the first ready model in the order; a clip to one that takes video; each item says which', async () => {
		const [frame] = await runNode({ credentials: c, typeVersion: 1.1, params: ask(latest()) });
		expect(frame.json).toMatchObject({ model: IMAGE_ONLY });
		expect(String(frame.json.answer).toLowerCase()).toContain('red');
		const [video] = await runNode({ credentials: c, typeVersion: 1.1, params: ask(clip()) });
		expect(video.json).toMatchObject({ model: TAKES_VIDEO });
	});

	it('one execution, one model list: every item gets the same model from a single GET /models', async () => {
		const before = (await catalogEmu.control.chatCalls()).length;
		const out = await runNode({
			credentials: c,
			typeVersion: 1.1,
			params: [ask(latest()), ask(latest()), ask(latest())],
		});
		expect(out.map((o) => o.json.model)).toEqual([IMAGE_ONLY, IMAGE_ONLY, IMAGE_ONLY]);
		expect((await catalogEmu.control.chatCalls()).slice(before).map((call) => call.model)).toEqual([
			IMAGE_ONLY,
			IMAGE_ONLY,
			IMAGE_ONLY,
		]);
	});

	it('Automatic: a model the server stops serving mid-run is replaced once, and the question is asked again', async () => {
		catalogEmu.control.inject({
			status: 404,
			method: 'POST',
			path: '/chat/completions',
			body: {
				detail: {
					error: {
						message: `Model not found: ${IMAGE_ONLY}`,
						type: 'provider_error',
						code: 'model_unavailable',
					},
				},
			},
		});
		const [out] = await runNode({ credentials: c, typeVersion: 1.1, params: ask(latest()) });
		expect(out.json).toMatchObject({ model: TAKES_VIDEO });
	});

	it('a Specific Model that is not served: an error that says so and lists the ready models (not "the stream ended")', async () => {
		catalogEmu.control.setModelStatus(IMAGE_ONLY, 'retired');
		const error = await runNode({
			credentials: c,
			params: ask(latest(), { model: { mode: 'id', value: IMAGE_ONLY } }),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/404/);
		expect(error.description).toMatch(new RegExp(`"${IMAGE_ONLY}" is not served by Overshoot`));
		expect(error.description).toMatch(new RegExp(`Ready models now: ${TAKES_VIDEO}\\.`));
		expect(error.description).not.toMatch(/stream has ended/);
	});

	it('Automatic with nothing that can answer a clip: a clear error before any question is paid', async () => {
		catalogEmu.control.setModelStatus(TAKES_VIDEO, 'retired');
		const before = (await catalogEmu.control.chatCalls()).length;
		const error = await runNode({ credentials: c, typeVersion: 1.1, params: ask(clip()) }).catch(
			(e) => e,
		);
		expect(error.message).toMatch(/no ready model that can answer a clip/);
		expect(error.description).toMatch(new RegExp(`Ready models: ${IMAGE_ONLY}\\.`));
		expect((await catalogEmu.control.chatCalls()).length).toBe(before);
	});
});
