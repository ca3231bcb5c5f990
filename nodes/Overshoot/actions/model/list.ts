// Model → List: GET /models (public). One output item per model, so later nodes can filter,
// and a workflow can pick a ready model instead of hard-coding an id.

import type { IDataObject } from 'n8n-workflow';
import { callOptions } from '../params';
import type { OperationDefinition } from '../types';

export const list: OperationDefinition = {
	value: 'list',
	name: 'List',
	action: 'List models',
	description: 'List the models Overshoot serves, with their status',
	properties: [
		{
			displayName: 'Only Ready Models',
			name: 'readyOnly',
			type: 'boolean',
			default: true,
			description:
				'Whether to return only models that are serving now. Turn off to also see models that are loading or unavailable (asking them may fail).',
		},
	],
	async execute(ctx, itemIndex, client) {
		const readyOnly = ctx.getNodeParameter('readyOnly', itemIndex, true) as boolean;
		const models = await client.listModels({ ...callOptions(ctx), readyOnly });
		return models.map(
			(m): IDataObject => ({
				id: m.id,
				status: m.status,
				ready: m.status === 'ready',
				owned_by: m.owned_by,
				created: m.created,
			}),
		);
	},
};
