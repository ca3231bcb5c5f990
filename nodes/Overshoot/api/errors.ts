// Every non-2xx answer becomes one OvershootApiError with the server's own words and a hint the
// user can act on. The contract has three error envelopes (overshoot-api.md §1.4); all are read here.

import type { HttpResponse } from './transport';

/** Invalid input, caught before any request. `field` is the parameter the user must fix. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InputError';
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
	const text = details.map((d) => `${(d.loc ?? []).join('.') || 'request'}: ${d.msg ?? 'invalid'}`).join('; ');
	return { text, fields };
}

/** Reads the server's message from any of the three envelopes (or a bare string). */
export function readErrorBody(body: unknown): { detail: string; code?: string; type?: string; fields?: string[] } {
	if (typeof body === 'string') return { detail: body.slice(0, 500) || 'no details' };
	if (!body || typeof body !== 'object') return { detail: 'no details' };
	const b = body as Record<string, unknown>;
	// Shape 3: {error: "validation_error", message, details: [{loc, msg}]}
	if (Array.isArray(b.details)) {
		const { text, fields } = describeValidation(b.details as ValidationDetail[]);
		return { detail: text || String(b.message ?? 'validation failed'), type: 'validation_error', fields };
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
			return { detail: String(e.message ?? 'error'), code: e.code as string, type: e.type as string };
		}
		if (typeof inner === 'string') return { detail: JSON.stringify(detail), code: inner };
	}
	if (typeof b.message === 'string') return { detail: b.message, code: b.error as string | undefined };
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
	409: 'Conflict: the frame asked for has not been produced yet, or the stream lives in another region.',
	410: 'The requested frame has been evicted from the stream (frames are kept about 10 minutes). Ask for a newer frame.',
	422: 'The server rejected some fields; fix the fields named above.',
	429: 'Rate limited by Overshoot. The node already retried with backoff; ask less often or wait a moment.',
	500: 'Overshoot had an internal error. Try again later.',
	502: 'The model provider behind Overshoot failed. Try again, or pick another model.',
	503: 'Overshoot or the chosen model is temporarily unavailable. The node already retried; try again shortly or pick another ready model.',
	504: 'The model provider timed out. Try again, ask about fewer frames, or pick a faster model.',
};

export function hintFor(status: number, code?: string): string {
	if (code === 'model_video_unsupported') return 'This model only accepts images: ask about a single frame, or pick a model that accepts video.';
	if (code === 'segment_empty') return 'No frames matched the requested time range. Wait until the stream has received frames, or widen the range.';
	if (code === 'frame_not_yet_produced') return 'That frame index lies in the future. Use -1 for the latest frame.';
	return HINTS[status] ?? (status >= 500 ? HINTS[500] : 'Check the request parameters.');
}

export function toApiError(res: HttpResponse): OvershootApiError {
	const parsed = readErrorBody(res.body);
	const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
	return new OvershootApiError(res.status, parsed.detail, hintFor(res.status, parsed.code), {
		code: parsed.code,
		type: parsed.type,
		retryAfterMs,
		fields: parsed.fields,
		body: res.body,
	});
}
