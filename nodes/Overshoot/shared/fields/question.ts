// What to ask the model, and about which pictures. Shared by the trigger and the Check operation.
// Display names match the field names the engine's validation errors use (watch/options.ts), so
// an error names a field the user can find.

import type { INodeProperties } from 'n8n-workflow';

import { numberField, QUESTION_NUMBERS } from '../numbers';

/** The model picker: Automatic, or the action node's resource locator (list from GET /models, or an ID). */
export { modelProperties as modelFields } from '../model';

export const promptField: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 3 },
	required: true,
	default: '',
	placeholder: 'Is there a person at the front door? Answer yes or no.',
	description:
		'The question asked about the video each time. Ask for a short answer the condition below can check.',
};

/** How many frames per second of a clip the model sees (the main cost knob). */
export const clipMaxFpsField: INodeProperties = numberField(QUESTION_NUMBERS.clipMaxFps, {
	displayOptions: { show: { lookAt: ['lastSeconds'] } },
});

export const mediaFields: INodeProperties[] = [
	{
		displayName: 'Look At',
		name: 'lookAt',
		type: 'options',
		noDataExpression: true,
		default: 'latestFrame',
		options: [
			{
				name: 'Latest Frame',
				value: 'latestFrame',
				description:
					'One picture: the newest frame. Cheapest and fastest; answers "what is there now".',
			},
			{
				name: 'Last Seconds (Clip)',
				value: 'lastSeconds',
				description:
					'A short clip ending now. Needed for motion ("is someone walking in?"); costs more per question.',
			},
		],
	},
	numberField(QUESTION_NUMBERS.clipSeconds, {
		displayOptions: { show: { lookAt: ['lastSeconds'] } },
	}),
	clipMaxFpsField,
];

export const responseFormatFields: INodeProperties[] = [
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		noDataExpression: true,
		default: 'text',
		options: [
			{ name: 'Text', value: 'text', description: 'A plain answer, e.g. "Yes, one person"' },
			{
				name: 'JSON Object',
				value: 'jsonObject',
				description:
					'The model answers with a JSON object (describe its fields in the prompt); the parsed object is added to the output',
			},
			{
				name: 'JSON Schema',
				value: 'jsonSchema',
				description:
					'The model answers with JSON that follows the schema below (if the model supports it)',
			},
		],
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default:
			'{\n  "type": "object",\n  "properties": {\n    "person_present": { "type": "boolean" },\n    "description": { "type": "string" }\n  },\n  "required": ["person_present"]\n}',
		description: 'A JSON Schema for the answer',
		displayOptions: { show: { responseFormat: ['jsonSchema'] } },
	},
];
