// Every non-2xx answer becomes one OvershootApiError with the server's own words and a hint the
// user can act on. The contract has three error envelopes (docs/overshoot-api.md §1.4); all are read here.

import type { HttpResponse } from './http';
import type { Model } from './types';

/** Invalid input, caught before any request. `field` is the parameter the user must fix. */
export class InputError extends Error {
	/**
	 * `field`: the name the user sees. `key`: the option or parameter key the engine checked
	 * (watch/options.ts), for callers that map keys to their own names.
	 */
	constructor(
		readonly field: string,
		message: string,
		readonly key?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** The stream exists no more at the server (ended, expired): a new one is needed. */
export class StreamEndedError extends Error {
	constructor(
		readonly streamId: string,
		readonly endReason: string | null,
		what: string,
	) {
		super(`Stream ${streamId} ended (${endReason ?? 'unknown reason'}) ${what}`);
		this.name = 'StreamEndedError';
	}
}

export class OvershootApiError extends Error {
	constructor(
		readonly status: number,
		/** The server's own message (detail / error.message / validation messages). */
		readonly detail: string,
		/** What the user can do about it. */
		readonly hint: string,
		readonly extra: {
			code?: string;
			type?: string;
			retryAfterMs?: number;
			/** For 422: the offending fields, e.g. ["body.messages.0.content"]. */
			fields?: string[];
			body?: unknown;
			/** The server does not serve the model asked for (404 `model_unavailable`, or a 422 naming it). */
			modelGone?: boolean;
			/** The ready models, listed once when translating a model refusal. */
			readyModels?: Model[];
		} = {},
	) {
		super(`Overshoot API error ${status}: ${detail}`);
		this.name = 'OvershootApiError';
	}

	get code() {
		return this.extra.code;
	}
	get retryAfterMs() {
		return this.extra.retryAfterMs;
	}
}

interface ValidationDetail {
	loc?: Array<string | number>;
	msg?: string;
}

function describeValidation(details: ValidationDetail[]): { text: string; fields: string[] } {
	const fields = details.map((d) => (d.loc ?? []).join('.')).filter(Boolean);
	const text = details
		.map((d) => `${(d.loc ?? []).join('.') || 'request'}: ${d.msg ?? 'invalid'}`)
		.join('; ');
	return { text, fields };
}

/** Reads the server's message from any of the three envelopes (or a bare string). */
export function readErrorBody(body: unknown): {
	detail: string;
	code?: string;
	type?: string;
	fields?: string[];
} {
	if (typeof body === 'string') return { detail: body.slice(0, 500) || 'no details' };
	if (!body || typeof body !== 'object') return { detail: 'no details' };
	const b = body as Record<string, unknown>;
	// Shape 3: {error: "validation_error", message, details: [{loc, msg}]}
	if (Array.isArray(b.details)) {
		const { text, fields } = describeValidation(b.details as ValidationDetail[]);
		return {
			detail: text || String(b.message ?? 'validation failed'),
			type: 'validation_error',
			fields,
		};
	}
	const detail = b.detail;
	// FastAPI's stock 422: {detail: [{loc, msg}]}
	if (Array.isArray(detail)) {
		const { text, fields } = describeValidation(detail as ValidationDetail[]);
		return { detail: text, type: 'validation_error', fields };
	}
	// Shape 1: {detail: "..."}
	if (typeof detail === 'string') return { detail };
	// Shape 2: {detail: {error: {message, type, code}}}; region: {detail: {error: "region_error", ...}}
	if (detail && typeof detail === 'object') {
		const inner = (detail as Record<string, unknown>).error;
		if (inner && typeof inner === 'object') {
			const e = inner as Record<string, unknown>;
			return {
				detail: String(e.message ?? 'error'),
				code: e.code as string,
				type: e.type as string,
			};
		}
		if (typeof inner === 'string') return { detail: JSON.stringify(detail), code: inner };
	}
	if (typeof b.message === 'string')
		return { detail: b.message, code: b.error as string | undefined };
	if (b.error && typeof b.error === 'object') {
		const e = b.error as Record<string, unknown>;
		return { detail: String(e.message ?? 'error'), code: e.code as string, type: e.type as string };
	}
	return { detail: JSON.stringify(body).slice(0, 500) };
}

/** Retry-After as seconds or an HTTP date → milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const HINTS: Record<number, string> = {
	400: 'The request was refused as invalid: check the stream reference (ovs:// query) and the model/media combination.',
	401: 'The API key was rejected. Open the Overshoot credential and paste a valid key (it starts with "ovs-") from https://platform.overshoot.ai.',
	402: 'The Overshoot account is out of credits. Top up at https://platform.overshoot.ai, then run again.',
	403: 'The API key is valid but may not use this resource (it is not assigned to a user, or the stream belongs to another account).',
	404: 'Not found: the stream has ended (deleted, or its lease expired without a keepalive), belongs to another API key, or has no frames in the requested range. Create a new stream.',
	409: 'Conflict: the frame asked for has not been produced yet, or the stream lives in another region. Asking again the same way gives the same answer: ask about the latest frame (index -1), or use a stream of this region.',
	410: 'The requested frame has been evicted from the stream (frames are kept about 10 minutes). Ask for a newer frame.',
	422: 'The server rejected some fields; fix the fields named above.',
	429: 'Rate limited by Overshoot. The node already retried with backoff; wait a moment, or ask less often (a longer interval, fewer items per run).',
	500: 'Overshoot had an internal error. Try again later.',
	502: 'The model provider behind Overshoot failed. Try again, or pick another model.',
	503: 'Overshoot or the chosen model is temporarily unavailable. The node already retried; try again shortly or pick another ready model.',
	504: 'The model provider timed out. Try again, ask about fewer frames, or pick a faster model.',
};

/**
 * Concurrent streams per API key: the contract documents a cap of 5 (legacy v0.2, still in the v1
 * create-stream page's summary; docs/overshoot-api.md §9); the server's 429 may name its own number.
 */
export const DOCUMENTED_STREAMS_PER_KEY = 5;

/** What the failed request was, where the status alone does not say what went wrong. */
export interface RequestContext {
	/** `POST /streams`: a 429 there is the per-key stream cap, not a request rate. */
	operation?: 'createStream' | 'chat';
	/** The model a chat request asked for. */
	model?: string;
}

/** The number in "… (5 active streams per API key)" or "limit of 5 concurrent streams", if any. */
export function streamCapIn(detail: string): number | undefined {
	const m =
		/(\d+)\s+(?:active|concurrent|open)?\s*streams?\b/i.exec(detail) ??
		/streams?[^\d]{0,40}(\d+)/i.exec(detail);
	const n = m ? Number(m[1]) : NaN;
	return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function streamCapHint(detail: string): string {
	const cap = streamCapIn(detail);
	const open =
		cap !== undefined
			? `already has ${cap} streams open, the most Overshoot allows per key`
			: `already has as many streams open as Overshoot allows per key (${DOCUMENTED_STREAMS_PER_KEY} in Overshoot's documentation)`;
	return (
		`This API key ${open}. Asking less often does not help: each active trigger, running Check and unended Stream → Create holds one stream. ` +
		'Delete streams you no longer use (Stream → Delete, or deactivate workflows whose Overshoot Trigger you do not need; a stream left behind ends by itself within 5 minutes), ' +
		'or give the next cameras another Overshoot credential with another API key: each key has its own limit.'
	);
}

/** The 404 / 422 that says the model itself is not served (as opposed to a missing stream). */
export function isModelGone(
	status: number,
	parsed: { detail: string; code?: string; fields?: string[] },
	model?: string,
): boolean {
	if (parsed.code === 'model_unavailable' && status !== 503) return true;
	if (status !== 422 && status !== 404) return false;
	if (parsed.fields?.some((f) => /(^|\.)model$/.test(f))) return true;
	return status === 422 && !!model && parsed.detail.includes(model);
}

export function modelGoneHint(model: string | undefined, ready: Model[] | undefined): string {
	const name = model ? `The model "${model}"` : 'The model';
	const list =
		ready === undefined
			? 'See Model → List for the ready models'
			: ready.length
				? `Ready models now: ${ready.map((m) => m.id).join(', ')}`
				: 'Overshoot lists no ready model right now';
	return `${name} is not served by Overshoot (any more); the stream, if any, is fine. ${list}. Pick one of them, or set Model Choice to Automatic so a ready model is chosen at run time.`;
}

export function hintFor(
	status: number,
	code?: string,
	context: RequestContext = {},
	detail = '',
): string {
	if (code === 'model_video_unsupported')
		return 'This model only accepts images: ask about a single frame, or pick a model that accepts video (or set Model Choice to Automatic).';
	if (code === 'model_unavailable' && status !== 503)
		return modelGoneHint(context.model, undefined);
	if (code === 'segment_empty')
		return 'No frames matched the requested time range. Wait until the stream has received frames, or widen the range.';
	if (code === 'frame_not_yet_produced')
		return 'That frame index lies in the future. Use -1 for the latest frame.';
	if (status === 429 && context.operation === 'createStream') return streamCapHint(detail);
	return HINTS[status] ?? (status >= 500 ? HINTS[500] : 'Check the request parameters.');
}

export function toApiError(
	res: HttpResponse,
	context: RequestContext = {},
	readyModels?: Model[],
): OvershootApiError {
	const parsed = readErrorBody(res.body);
	const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
	const modelGone = context.operation === 'chat' && isModelGone(res.status, parsed, context.model);
	const hint = modelGone
		? modelGoneHint(context.model, readyModels)
		: hintFor(res.status, parsed.code, context, parsed.detail);
	return new OvershootApiError(res.status, parsed.detail, hint, {
		code: parsed.code,
		type: parsed.type,
		retryAfterMs,
		fields: parsed.fields,
		body: res.body,
		modelGone: modelGone || undefined,
		readyModels: modelGone ? readyModels : undefined,
	});
}
