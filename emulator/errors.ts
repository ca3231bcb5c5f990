// The contract's three error envelopes (docs/overshoot-api.md §1.4), built in one place so every route
// answers in exactly the shape the docs describe, and handlers can simply `throw`.

export type ApiVersion = 'v1' | 'v1beta';

export type ChatErrorType =
	| 'stream_error'
	| 'validation_error'
	| 'provider_error'
	| 'upstream_error'
	| 'billing_error'
	| 'rate_limit_error'
	| 'internal_error';

/** Thrown by handlers; the router turns it into the response. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(
			typeof body === 'object' && body && 'detail' in body
				? JSON.stringify((body as { detail: unknown }).detail)
				: `HTTP ${status}`,
		);
	}
}

/** Shape 1: stream lifecycle, billing, 401/503 on chat. */
export function detailError(
	status: number,
	detail: string,
	headers?: Record<string, string>,
): HttpError {
	return new HttpError(status, { detail }, headers);
}

/** Shape 2: chat completions (nested `detail.error`). */
export function chatError(
	status: number,
	type: ChatErrorType,
	code: string,
	message: string,
	headers?: Record<string, string>,
): HttpError {
	return new HttpError(
		status,
		{ detail: { error: { message, type, code, upstream: null } } },
		headers,
	);
}

export interface ValidationDetail {
	loc: Array<string | number>;
	msg: string;
	type: string;
}

/** Shape 3: request validation (422) on chat completions and billing. */
export function validationError(details: ValidationDetail[]): HttpError {
	return new HttpError(422, {
		error: 'validation_error',
		message: 'Request validation failed',
		details,
	});
}

/**
 * A problem with an `ovs://` reference. Its status and envelope depend on the API version:
 * v1 reports media problems as 422 validation errors (the code goes into `details[].type`),
 * v1beta uses the nested envelope with the §13 status.
 */
export class MediaError extends Error {
	constructor(
		readonly code: string,
		message: string,
		/** v1beta status; v1 maps validation-like codes to 422. */
		readonly status: number,
	) {
		super(message);
	}
}

/** Codes that v1 reports as 422 validation errors (v1 pages: "422 validation ... frame index in the future"). */
const V1_VALIDATION_CODES = new Set([
	'stream_url_invalid',
	'query_param_invalid',
	'frame_not_yet_produced',
	'segment_empty',
	'segment_invalid',
	'image_invalid',
]);

export function mediaErrorToHttp(
	err: MediaError,
	version: ApiVersion,
	loc: Array<string | number>,
): HttpError {
	if (version === 'v1' && V1_VALIDATION_CODES.has(err.code)) {
		return validationError([{ loc, msg: err.message, type: err.code }]);
	}
	const type: ChatErrorType =
		err.code === 'model_video_unsupported' || err.code === 'image_invalid'
			? 'validation_error'
			: 'stream_error';
	return chatError(err.status, type, err.code, err.message);
}
