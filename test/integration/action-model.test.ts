// Model → List, the model dropdown and the credential test's endpoint, against the emulator.
import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { OvershootApi } from '../../credentials/OvershootApi.credentials';
import { searchModels } from '../../nodes/Overshoot/actions/shared/model';
import { startEmulator, type Emulator } from '../emulator/server';
import { n8nHttp, resolveCredentialExpression, runNode, type Credentials } from './action-harness';

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
		const ready = await runNode({ credentials: creds, params: { resource: 'model', operation: 'list' } });
		const all = await runNode({ credentials: creds, params: { resource: 'model', operation: 'list', readyOnly: false } });
		expect(all.length).toBe(ready.length + 1);
		expect(ready.every((o) => o.json.ready === true)).toBe(true);
		expect(all.find((o) => o.json.id === 'Qwen/Qwen3.6-27B-FP8')?.json.status).toBe('loading');
		expect(ready[0].pairedItem).toEqual({ item: 0 });
		emulator.control.setModelStatus('Qwen/Qwen3.6-27B-FP8', 'ready');
	});

	it('works with any key (the endpoint is public)', async () => {
		const out = await runNode({ credentials: { ...creds, apiKey: 'ovs-invalid' }, params: { resource: 'model', operation: 'list' } });
		expect(out.length).toBeGreaterThan(0);
	});

	it('503 is retried', async () => {
		emulator.control.inject({ status: 503, retryAfter: 0, method: 'GET', path: '/models', times: 2 });
		expect((await runNode({ credentials: creds, params: { resource: 'model', operation: 'list' } })).length).toBeGreaterThan(0);
	});

	it('feeds the model dropdown', async () => {
		const ctx = {
			getCredentials: async () => creds,
			helpers: { httpRequestWithAuthentication: async (_t: string, req: never) => n8nHttp(creds, req) },
		} as unknown as ILoadOptionsFunctions;
		const { results } = await searchModels.call(ctx, 'gemma');
		expect(results.length).toBeGreaterThan(0);
		expect(results.every((r) => String(r.value).toLowerCase().includes('gemma'))).toBe(true);
	});
});

describe('credential test endpoint', () => {
	const cred = new OvershootApi();
	const probe = async (apiKey: string) => {
		const baseURL = resolveCredentialExpression(cred.test.request.baseURL as string, { baseUrl: emulator.baseUrl });
		const res = (await n8nHttp({ apiKey, baseUrl: emulator.baseUrl }, {
			baseURL,
			url: cred.test.request.url as string,
			method: 'GET',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number };
		return res.statusCode;
	};

	it('answers 2xx for a valid key and 401 for an invalid one, creating nothing', async () => {
		const before = await emulator.control.state();
		expect(await probe('ovs-model-key')).toBe(200);
		expect(await probe('ovs-invalid')).toBe(401);
		const after = await emulator.control.state();
		expect(after.creates).toBe(before.creates);
		expect(after.chatCalls.total).toBe(before.chatCalls.total);
	});
});
