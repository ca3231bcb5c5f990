// Model → List and the model dropdown.
import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { searchModels } from '../../nodes/Overshoot/shared/model';
import { fakeExecute } from './helpers/fake-execute';

const MODELS = {
	object: 'list',
	data: [
		{
			id: 'Qwen/Qwen3.6-27B-FP8',
			object: 'model',
			created: 1714492800,
			owned_by: 'overshoot',
			status: 'loading',
		},
		{
			id: 'google/gemma-4-26B-A4B-it',
			object: 'model',
			created: 1714492800,
			owned_by: 'overshoot',
			status: 'ready',
		},
		{
			id: 'gpt-5.4-mini',
			object: 'model',
			created: 1714492800,
			owned_by: 'overshoot',
			status: 'ready',
		},
	],
};

describe('Model → List', () => {
	it('returns one item per ready model by default', async () => {
		const f = fakeExecute({
			params: { resource: 'model', operation: 'list' },
			respond: [{ statusCode: 200, body: MODELS }],
		});
		const out = await f.run();
		expect(f.requests[0]).toMatchObject({
			method: 'GET',
			url: 'https://api.example.test/v1/models',
		});
		expect(out.map((o) => o.json.id)).toEqual(['google/gemma-4-26B-A4B-it', 'gpt-5.4-mini']);
		expect(out[0].json).toEqual({
			id: 'google/gemma-4-26B-A4B-it',
			status: 'ready',
			ready: true,
			owned_by: 'overshoot',
			created: 1714492800,
		});
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('lists every model when "Only Ready Models" is off', async () => {
		const f = fakeExecute({
			params: { resource: 'model', operation: 'list', readyOnly: false },
			respond: [{ statusCode: 200, body: MODELS }],
		});
		expect((await f.run()).map((o) => o.json.status)).toEqual(['loading', 'ready', 'ready']);
	});
});

describe('model dropdown', () => {
	it('puts ready models first, marks the others and filters by search text', async () => {
		const ctx = {
			getCredentials: async () => ({ apiKey: 'ovs-k', baseUrl: 'http://h/v1/' }),
			helpers: {
				httpRequestWithAuthentication: async () => ({ statusCode: 200, headers: {}, body: MODELS }),
			},
		} as unknown as ILoadOptionsFunctions;
		const all = await searchModels.call(ctx);
		expect(all.results.map((r) => r.value)).toEqual([
			'google/gemma-4-26B-A4B-it',
			'gpt-5.4-mini',
			'Qwen/Qwen3.6-27B-FP8',
		]);
		expect(all.results[2].name).toBe('Qwen/Qwen3.6-27B-FP8 (loading: may fail)');
		expect((await searchModels.call(ctx, 'QWEN')).results.map((r) => r.value)).toEqual([
			'Qwen/Qwen3.6-27B-FP8',
		]);
	});
});
