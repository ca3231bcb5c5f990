// The model picker used by every operation that asks a model: a list loaded from GET /models
// (ready models first) or an id typed by hand / set by an expression.

import type { IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';
import { OvershootClient } from '../../api/client';
import { InputError } from '../../api/errors';
import { modelId } from '../../api/validate';
import { createN8nTransport } from './transport';

export const MODEL_FIELD = 'Model';

export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The vision-language model that answers. Pick a ready model from the list, or enter its exact ID.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a model...',
			typeOptions: { searchListMethod: 'searchModels', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. google/gemma-4-26B-A4B-it',
		},
	],
};

export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { transport } = await createN8nTransport(this);
	// One quick attempt: a dropdown should fail fast rather than sit through backoff.
	const models = await new OvershootClient(transport, { retry: { retries: 1 } }).listModels({ timeoutMs: 15_000 });
	const needle = (filter ?? '').trim().toLowerCase();
	const results = models
		.filter((m) => !needle || m.id.toLowerCase().includes(needle))
		.sort((a, b) => Number(b.status === 'ready') - Number(a.status === 'ready') || a.id.localeCompare(b.id))
		.map((m) => ({
			name: m.status === 'ready' ? m.id : `${m.id} (${m.status}: may fail)`,
			value: m.id,
		}));
	return { results };
}

export function readModel(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true });
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id) throw new InputError(MODEL_FIELD, 'Model is empty. Pick a model from the list or enter a model ID (see Model → List).');
	return modelId(id, MODEL_FIELD);
}
