// JSON the user or the model wrote, parsed by one set of rules for every node: reports instead of
// throwing where the caller raises the error (naming the field the user has to fix).

import { InputError } from './errors';

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParseJson(text: string): JsonResult {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}

/**
 * The one rule for a model's JSON answer (Chat → Complete with a JSON format, the trigger, Check):
 * the first of these that parses is the answer — the text inside a ```json fence, the whole
 * answer, or the text from its first `{` or `[` to the last matching `}` or `]`. So
 * `Sure! {"red": true}` is `{"red": true}`: models wrap JSON in a sentence often, and the JSON they
 * meant is what every later node needs. An answer with no parseable JSON in it is an error
 * (`ok: false`, with the whole answer's parse error).
 */
export function parseModelJson(answer: string): JsonResult {
	const text = answer.trim();
	const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
	const candidates = [fenced?.[1], text];
	const firstBrace = text.search(/[{[]/);
	if (firstBrace >= 0) {
		const closing = text[firstBrace] === '{' ? '}' : ']';
		candidates.push(text.slice(firstBrace, text.lastIndexOf(closing) + 1));
	}
	for (const candidate of candidates) {
		if (!candidate) continue;
		const result = tryParseJson(candidate);
		if (result.ok) return result;
	}
	return tryParseJson(text);
}

/** A JSON Schema parameter: a JSON object, given as text (the editor) or as an object (an expression). */
export function jsonSchemaObject(value: unknown, field: string): Record<string, unknown> {
	let schema = value;
	if (typeof value === 'string') {
		const result = tryParseJson(value);
		if (!result.ok) throw new InputError(field, `${field} is not valid JSON: ${result.error}`);
		schema = result.value;
	}
	if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
		throw new InputError(
			field,
			`${field} must be a JSON object such as {"type": "object", "properties": {...}}.`,
		);
	}
	return schema as Record<string, unknown>;
}
