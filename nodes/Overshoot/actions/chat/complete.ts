// Chat → Complete: POST /chat/completions. A prompt plus frames, clips or input images picked
// from menus (or a raw messages array), answered as text, a JSON object or schema-checked JSON.
// Retried only when the server said it did not run it (429/503): every completion is billed.

import type { ChatMessage, ChatQuestion, ContentPart, ResponseFormat } from '../../api/types';
import { nonEmpty, text } from '../../api/validate';
import { needsOf, selectionFor } from '../../api/models';
import { modelProperties, readModel } from '../../shared/model';
import { optionsCollection } from '../../shared/fields/options';
import { numberField, readNumber } from '../../shared/numbers';
import { optionsReader } from '../../shared/parameters';
import { jsonSchemaObject } from '../../api/json';
import { callOptions } from '../params';
import type { OperationDefinition } from '../types';
import { answerItem } from './answer';
import { mediaProperty, readMedia } from './media';
import { COMPLETE_NUMBERS } from './numbers';
import { MESSAGES_FIELD, parseRawMessages, streamIdsIn } from './raw-messages';

export const PROMPT_FIELD = 'Prompt';
export const SCHEMA_FIELD = 'JSON Schema';

const promptMode = { show: { inputMode: ['prompt'] } };

function readResponseFormat(format: string, schemaValue: unknown): ResponseFormat | undefined {
	if (format === 'jsonObject') return { type: 'json_object' };
	if (format === 'jsonSchema')
		return {
			type: 'json_schema',
			json_schema: {
				name: 'answer',
				schema: jsonSchemaObject(schemaValue, SCHEMA_FIELD),
				strict: true,
			},
		};
	return undefined;
}

export const complete: OperationDefinition = {
	value: 'complete',
	name: 'Complete',
	action: 'Ask a model about video or images',
	description: 'Ask a vision-language model a question about stream frames, clips or input images',
	properties: [
		...modelProperties,
		{
			displayName: 'Input Mode',
			name: 'inputMode',
			type: 'options',
			default: 'prompt',
			options: [
				{
					name: 'Prompt and Media',
					value: 'prompt',
					description: 'Write a question and pick frames, clips or images',
				},
				{
					name: 'Raw Messages (JSON)',
					value: 'raw',
					description: 'Send an OpenAI-style messages array as-is',
				},
			],
			description: 'How the question is given',
		},
		{
			displayName: PROMPT_FIELD,
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			placeholder: 'e.g. Is anyone at the front door? Answer yes or no.',
			description: 'The question to ask about the media below',
			displayOptions: promptMode,
		},
		{ ...mediaProperty, displayOptions: promptMode },
		{
			displayName: MESSAGES_FIELD,
			name: 'messagesJson',
			type: 'json',
			default:
				'[\n  {\n    "role": "user",\n    "content": [\n      { "type": "text", "text": "What is happening?" },\n      { "type": "image_url", "image_url": { "url": "ovs://streams/STREAM_ID?frame_index=-1" } }\n    ]\n  }\n]',
			required: true,
			description:
				'An OpenAI-style "messages" array. Stream media are image_url (one frame) or video_url (a clip) parts with ovs://streams/{ID}?... URLs.',
			displayOptions: { show: { inputMode: ['raw'] } },
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			default: 'text',
			options: [
				{
					name: 'JSON Object',
					value: 'jsonObject',
					description: 'The model answers with a JSON object, parsed for later nodes',
				},
				{
					name: 'JSON Schema',
					value: 'jsonSchema',
					description: 'The answer must match your JSON schema; parsed for later nodes',
				},
				{ name: 'Text', value: 'text', description: 'A plain-text answer' },
			],
			description: 'The shape of the answer',
		},
		{
			displayName: SCHEMA_FIELD,
			name: 'jsonSchema',
			type: 'json',
			default:
				'{\n  "type": "object",\n  "properties": {\n    "present": { "type": "boolean" },\n    "description": { "type": "string" }\n  },\n  "required": ["present", "description"],\n  "additionalProperties": false\n}',
			required: true,
			description: 'The JSON schema the answer must follow',
			displayOptions: { show: { responseFormat: ['jsonSchema'] } },
		},
		optionsCollection([
			{
				displayName: 'Include Full Response',
				name: 'includeFullResponse',
				type: 'boolean',
				default: false,
				description: 'Whether to add the complete API response under "response"',
			},
			numberField(COMPLETE_NUMBERS.maxTokens),
			{
				displayName: 'System Prompt',
				name: 'systemPrompt',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description:
					'Instructions for the model, sent before the question. Ignored in raw messages mode.',
			},
			numberField(COMPLETE_NUMBERS.temperature),
			numberField(COMPLETE_NUMBERS.timeoutSeconds),
		]),
	],
	async execute(ctx, itemIndex, client) {
		const choice = readModel(ctx, itemIndex);
		const mode = ctx.getNodeParameter('inputMode', itemIndex, 'prompt') as string;
		const format = ctx.getNodeParameter('responseFormat', itemIndex, 'text') as string;
		const responseFormat = readResponseFormat(
			format,
			format === 'jsonSchema' ? ctx.getNodeParameter('jsonSchema', itemIndex, '') : undefined,
		);
		const options = optionsReader((name, fallback) =>
			ctx.getNodeParameter(name, itemIndex, fallback),
		);

		let messages: ChatMessage[];
		let streamIds: string[];
		if (mode === 'raw') {
			messages = parseRawMessages(ctx.getNodeParameter('messagesJson', itemIndex, ''));
			streamIds = streamIdsIn(messages);
		} else {
			const prompt = nonEmpty(ctx.getNodeParameter('prompt', itemIndex, ''), PROMPT_FIELD);
			const media = await readMedia(ctx, itemIndex);
			const content: string | ContentPart[] = media.parts.length
				? [{ type: 'text', text: prompt }, ...media.parts]
				: prompt;
			const system = text(options('systemPrompt'), 'System Prompt').trim();
			messages = [
				...(system ? [{ role: 'system' as const, content: system }] : []),
				{ role: 'user', content },
			];
			streamIds = media.streamIds;
		}

		const request: ChatQuestion = { messages };
		// Max Tokens and Temperature are sent only when set (the model's own defaults apply otherwise).
		const { maxTokens, temperature, timeoutSeconds: timeout } = COMPLETE_NUMBERS;
		if (options(maxTokens.key) !== undefined)
			request.max_completion_tokens = readNumber(options, maxTokens);
		if (options(temperature.key) !== undefined)
			request.temperature = readNumber(options, temperature);
		if (responseFormat) request.response_format = responseFormat;
		const timeoutSeconds = readNumber(options, timeout);

		const call = callOptions(ctx, timeoutSeconds * 1000);
		// One choice per execution (every item of this run gets the same model): see selectionFor.
		const selection = selectionFor(client, choice, needsOf(messages));
		const { result: res } = await selection.run(
			(model) => client.chat({ model, ...request }, call),
			call,
		);
		return answerItem(res, {
			json: responseFormat !== undefined,
			streamIds,
			includeFullResponse: options('includeFullResponse') === true,
		});
	},
};
