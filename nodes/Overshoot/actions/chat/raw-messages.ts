// Advanced mode of Chat → Complete: the OpenAI-style messages array as JSON, for multi-turn
// conversations, few-shot examples or content the menus do not cover.

import { InputError } from '../../api/errors';
import type { ChatMessage } from '../../api/types';
import { tryParseJson } from '../../api/json';

export const MESSAGES_FIELD = 'Messages (JSON)';
const ROLES = ['system', 'user', 'assistant', 'tool'];

export function parseRawMessages(value: unknown): ChatMessage[] {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) throw new InputError(MESSAGES_FIELD, `${MESSAGES_FIELD} is empty.`);
		const result = tryParseJson(value);
		if (!result.ok)
			throw new InputError(MESSAGES_FIELD, `${MESSAGES_FIELD} is not valid JSON: ${result.error}`);
		parsed = result.value;
	}
	if (
		parsed &&
		typeof parsed === 'object' &&
		!Array.isArray(parsed) &&
		Array.isArray((parsed as { messages?: unknown }).messages)
	) {
		parsed = (parsed as { messages: unknown[] }).messages; // accept {"messages": [...]} too
	}
	if (!Array.isArray(parsed) || parsed.length === 0) {
		throw new InputError(
			MESSAGES_FIELD,
			`${MESSAGES_FIELD} must be a non-empty array like [{"role": "user", "content": "..."}].`,
		);
	}
	parsed.forEach((m, i) => {
		const msg = m as Partial<ChatMessage> | null;
		if (!msg || typeof msg !== 'object' || !ROLES.includes(String(msg.role))) {
			throw new InputError(
				MESSAGES_FIELD,
				`${MESSAGES_FIELD}: message ${i + 1} needs a "role" of ${ROLES.join(', ')}.`,
			);
		}
		if (
			!('content' in msg) ||
			(typeof msg.content !== 'string' && !Array.isArray(msg.content) && msg.content !== null)
		) {
			throw new InputError(
				MESSAGES_FIELD,
				`${MESSAGES_FIELD}: message ${i + 1} needs a "content" string or array of parts.`,
			);
		}
	});
	return parsed as ChatMessage[];
}

/** Stream ids referenced by ovs:// URLs anywhere in the messages, in first-mention order. */
export function streamIdsIn(messages: ChatMessage[]): string[] {
	const ids: string[] = [];
	for (const match of JSON.stringify(messages).matchAll(/ovs:\/\/streams\/([0-9a-fA-F-]{36})/g)) {
		const id = match[1].toLowerCase();
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}
