// A chat completion → the output item people use: the answer text, the parsed JSON when a
// JSON format was asked for, and what it cost. The full response only on request.

import type { IDataObject } from 'n8n-workflow';
import type { ChatResponse } from '../../api/types';
import { parseModelJson } from '../../api/json';

export class AnswerFormatError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'AnswerFormatError';
	}
}

/** A model's JSON answer, by the one rule of api/json.ts (`parseModelJson`); none in it is an error. */
export function parseJsonAnswer(answer: string, finishReason: string | null): unknown {
	const result = parseModelJson(answer);
	if (result.ok) return result.value;
	const cut =
		finishReason === 'length'
			? ' The answer was cut off at the token limit: raise "Max Tokens".'
			: '';
	throw new AnswerFormatError(
		`The model's answer is not valid JSON (${result.error})`,
		`Answer starts with: ${JSON.stringify(answer.slice(0, 200))}.${cut} Ask for JSON explicitly in the prompt, use "JSON Schema", or pick another model.`,
	);
}

export function answerItem(
	res: ChatResponse,
	opts: { json: boolean; streamIds: string[]; includeFullResponse: boolean },
): IDataObject {
	const choice = res.choices?.[0];
	if (!choice)
		throw new AnswerFormatError(
			'Overshoot returned no answer (empty "choices")',
			'Try again, or pick another model.',
		);
	const answer = choice.message?.content ?? '';
	const out: IDataObject = { answer };
	if (opts.json) out.json = parseJsonAnswer(answer, choice.finish_reason) as IDataObject;
	out.finish_reason = choice.finish_reason ?? null;
	out.model = res.model;
	out.usage = (res.usage ?? null) as IDataObject | null;
	out.id = res.id;
	out.stream_ids = opts.streamIds;
	if (choice.message?.tool_calls) out.tool_calls = choice.message.tool_calls as IDataObject[];
	if (opts.includeFullResponse) out.response = res as unknown as IDataObject;
	return out;
}
