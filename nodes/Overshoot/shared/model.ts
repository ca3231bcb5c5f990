// The model picker used by every operation that asks a model (Chat → Complete, Check → Run Once)
// and by the trigger: Automatic (a ready model from GET /models that fits the media, chosen at run
// time: api/models.ts), or a model picked from the list loaded from GET /models, or an exact id.
//
// Saved workflows: n8n leaves default values out of the saved JSON, so the default of "Model
// Choice" is per node version. Version 1 saved only the locator and must keep using it ("Specific
// Model"); from AUTOMATIC_BY_DEFAULT_FROM on, a new node starts on Automatic.

import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';
import { OvershootClient } from '../api/client';
import { InputError } from '../api/errors';
import { AUTOMATIC, type ModelChoice } from '../api/models';
import { modelId } from '../api/validate';
import { createN8nTransport } from './transport';

export const MODEL_FIELD = 'Model';

// The action node's version rules, side by side. Every check is `>=` one of these, so a version
// keeps the changes of the versions before it (1.2 also defaults to Automatic).

/** The first node version (action node and trigger) whose Model Choice defaults to Automatic. */
export const AUTOMATIC_BY_DEFAULT_FROM = 1.1;

/**
 * The first action node version whose Stream → Create takes a pulled camera's login from the
 * Overshoot Camera credential and refuses one typed into the Source URL (actions/stream/create.ts);
 * workflows saved with an older version keep theirs working.
 */
export const CAMERA_LOGIN_FROM_CREDENTIAL_FROM = 1.2;

const choiceOptions = [
	{
		name: 'Automatic',
		value: 'automatic',
		description:
			'A ready model that can answer the media asked about, chosen at run time from the models Overshoot serves; the output says which',
	},
	{
		name: 'Specific Model',
		value: 'fixed',
		description: 'The model picked from the list, or an exact model ID',
	},
];

const choiceBase: INodeProperties = {
	displayName: 'Model Choice',
	name: 'modelChoice',
	type: 'options',
	noDataExpression: true,
	options: choiceOptions,
	default: 'automatic',
	description:
		'Automatic keeps the workflow working when the models Overshoot serves change: it takes the first ready model that fits (hosted models first, then by ID), the same one for a whole trigger activation, and picks again if that model stops being served',
};

export const modelProperty: INodeProperties = {
	displayName: MODEL_FIELD,
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The vision-language model that answers. Pick a ready model from the list, or enter its exact ID as GET /models lists it.',
	displayOptions: { show: { modelChoice: ['fixed'] } },
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
			placeholder: 'an ID from Model → List, e.g. owner/model-name',
		},
	],
};

/** Model Choice (its default per node version) and the model locator. */
export const modelProperties: INodeProperties[] = [
	{
		...choiceBase,
		default: 'fixed',
		displayOptions: { show: { '@version': [{ _cnd: { lt: AUTOMATIC_BY_DEFAULT_FROM } }] } },
	},
	{
		...choiceBase,
		default: 'automatic',
		displayOptions: { show: { '@version': [{ _cnd: { gte: AUTOMATIC_BY_DEFAULT_FROM } }] } },
	},
	modelProperty,
];

export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { transport } = await createN8nTransport(this);
	// One quick attempt: a dropdown should fail fast rather than sit through backoff.
	const models = await new OvershootClient(transport, { retry: { retries: 1 } }).listModels({
		timeoutMs: 15_000,
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = models
		.filter((m) => !needle || m.id.toLowerCase().includes(needle))
		.sort(
			(a, b) =>
				Number(b.status === 'ready') - Number(a.status === 'ready') || a.id.localeCompare(b.id),
		)
		.map((m) => ({
			name: m.status === 'ready' ? m.id : `${m.id} (${m.status}: may fail)`,
			value: m.id,
		}));
	return { results };
}

/** Model Choice + Model → what the engine needs. `read` is getNodeParameter for this item. */
export function readModelChoice(
	read: (name: string, fallback: unknown, options?: { extractValue: boolean }) => unknown,
): ModelChoice {
	const choice = read('modelChoice', 'fixed');
	if (choice === 'automatic') return AUTOMATIC;
	if (choice !== 'fixed')
		throw new InputError(
			'Model Choice',
			`Model Choice must be Automatic or Specific Model (got ${JSON.stringify(choice)}).`,
		);
	const value = read('model', '', { extractValue: true });
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id)
		throw new InputError(
			MODEL_FIELD,
			'Model is empty. Pick a model from the list, enter a model ID (see Model → List), or set Model Choice to Automatic.',
		);
	return { kind: 'fixed', id: modelId(id, MODEL_FIELD) };
}

export function readModel(ctx: IExecuteFunctions, itemIndex: number): ModelChoice {
	return readModelChoice((name, fallback, options) =>
		ctx.getNodeParameter(name, itemIndex, fallback, options),
	);
}
