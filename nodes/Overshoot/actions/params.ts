// Small helpers every operation uses to read its parameters the same way.

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CallOptions } from '../api/client';
import { streamId } from '../api/validate';

/** Display name shared with api/validate.ts, so errors name the field the user sees. */
export const STREAM_ID_FIELD = 'Stream ID';

export const streamIdProperty: INodeProperties = {
	displayName: STREAM_ID_FIELD,
	name: 'streamId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
	description:
		'The ID returned by Stream → Create (a UUID). After a Create node, drag its ID field here.',
};

export function readStreamId(ctx: IExecuteFunctions, itemIndex: number, name = 'streamId'): string {
	return streamId(ctx.getNodeParameter(name, itemIndex, ''), STREAM_ID_FIELD);
}

/** Each attempt of a stream call (create, get, renew, delete) waits this long for an answer. */
export const ATTEMPT_TIMEOUT_MS = 20_000;
/** And the whole call, retries included, this long; longer operation timeouts take precedence. */
export const CALL_DEADLINE_MS = 60_000;

/**
 * Lets a stopped execution also stop waiting between retries, and bounds the whole call: a server
 * that accepts connections but never answers fails the item after CALL_DEADLINE_MS, not after
 * four full attempts.
 */
export function callOptions(ctx: IExecuteFunctions, timeoutMs?: number): CallOptions {
	return {
		signal: ctx.getExecutionCancelSignal?.(),
		timeoutMs: timeoutMs ?? ATTEMPT_TIMEOUT_MS,
		totalTimeoutMs: Math.max(timeoutMs ?? 0, CALL_DEADLINE_MS),
	};
}

/** Epoch milliseconds → ISO date, for people reading the output. */
export function isoTime(ms: number | null | undefined): string | null {
	return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
