// The three error envelopes of the contract (§1.4), the FastAPI variant, Retry-After and hints.
import {
	DOCUMENTED_STREAMS_PER_KEY,
	hintFor,
	parseRetryAfter,
	readErrorBody,
	streamCapIn,
	toApiError,
} from '../../nodes/Overshoot/api/errors';

describe('readErrorBody', () => {
	it('shape 1: {detail: string}', () => {
		expect(readErrorBody({ detail: 'Stream not found' })).toEqual({ detail: 'Stream not found' });
	});

	it('shape 2: {detail: {error: {message, type, code}}}', () => {
		expect(
			readErrorBody({
				detail: {
					error: {
						message: 'No frames matched',
						type: 'stream_error',
						code: 'segment_empty',
						upstream: null,
					},
				},
			}),
		).toEqual({ detail: 'No frames matched', type: 'stream_error', code: 'segment_empty' });
	});

	it('shape 3: {error: "validation_error", message, details: [{loc, msg}]} names the fields', () => {
		const parsed = readErrorBody({
			error: 'validation_error',
			message: 'Request validation failed',
			details: [
				{ loc: ['body', 'messages', 0, 'content'], msg: 'field required', type: 'missing' },
				{ loc: ['body', 'model'], msg: 'str type expected', type: 'type_error' },
			],
		});
		expect(parsed.fields).toEqual(['body.messages.0.content', 'body.model']);
		expect(parsed.detail).toContain('body.messages.0.content: field required');
		expect(parsed.type).toBe('validation_error');
	});

	it("FastAPI's stock 422: {detail: [{loc, msg}]}", () => {
		const parsed = readErrorBody({
			detail: [{ loc: ['body', 'max_completion_tokens'], msg: 'must be > 0' }],
		});
		expect(parsed.fields).toEqual(['body.max_completion_tokens']);
		expect(parsed.detail).toBe('body.max_completion_tokens: must be > 0');
	});

	it('region error and plain text bodies', () => {
		expect(
			readErrorBody({ detail: { error: 'region_error', expected_region: 'us-west1' } }).code,
		).toBe('region_error');
		expect(readErrorBody('Bad Gateway')).toEqual({ detail: 'Bad Gateway' });
		expect(readErrorBody(undefined)).toEqual({ detail: 'no details' });
	});
});

describe('Retry-After and hints', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('0.5')).toBe(500);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	it('gives an actionable hint per status and per code', () => {
		expect(hintFor(401)).toMatch(/API key/);
		expect(hintFor(402)).toMatch(/credits/);
		expect(hintFor(404)).toMatch(/ended/);
		expect(hintFor(422)).toMatch(/fields/);
		expect(hintFor(599)).toMatch(/internal/);
		expect(hintFor(400, 'model_video_unsupported')).toMatch(/only accepts images/);
	});

	it('toApiError keeps status, detail, code, fields and Retry-After', () => {
		const error = toApiError({
			status: 429,
			headers: { 'retry-after': '3' },
			body: {
				detail: { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited' } },
			},
		});
		expect(error.status).toBe(429);
		expect(error.detail).toBe('slow down');
		expect(error.code).toBe('rate_limited');
		expect(error.retryAfterMs).toBe(3000);
		expect(error.message).toBe('Overshoot API error 429: slow down');
	});
});

describe('hints the contract review found wrong', () => {
	const CAP_BODY = { detail: 'Concurrent stream limit reached (5 active streams per API key)' };

	it('a 429 on Create Stream is the per-key stream cap: how many are open, delete unused ones, another credential', () => {
		const error = toApiError(
			{ status: 429, headers: {}, body: CAP_BODY },
			{ operation: 'createStream' },
		);
		expect(error.hint).toMatch(/This API key already has 5 streams open/);
		expect(error.hint).toMatch(/Delete streams you no longer use/);
		expect(error.hint).toMatch(/another Overshoot credential with another API key/);
		expect(error.hint).toMatch(/Asking less often does not help/);
	});

	it('the number comes from the server when it names one, else from the documentation', () => {
		expect(streamCapIn('Concurrent stream limit reached (12 active streams per API key)')).toBe(12);
		expect(streamCapIn('stream limit of 3 reached')).toBe(3);
		expect(streamCapIn('Too many streams')).toBeUndefined();
		const error = toApiError(
			{ status: 429, headers: {}, body: { detail: 'Too many streams' } },
			{ operation: 'createStream' },
		);
		expect(error.hint).toMatch(
			new RegExp(
				`as many streams open as Overshoot allows per key \\(${DOCUMENTED_STREAMS_PER_KEY} in Overshoot's documentation\\)`,
			),
		);
	});

	it('a 429 on a question is a request rate, not the stream cap', () => {
		const error = toApiError(
			{
				status: 429,
				headers: {},
				body: { detail: { error: { message: 'slow', type: 'rate_limit_error' } } },
			},
			{ operation: 'chat', model: 'a/b' },
		);
		expect(error.hint).toMatch(/Rate limited/);
		expect(error.hint).not.toMatch(/streams open/);
	});

	it('a 404 model_unavailable says the model is not served, not that the stream ended', () => {
		const body = {
			detail: {
				error: {
					message: 'Model not found: old/m',
					type: 'provider_error',
					code: 'model_unavailable',
				},
			},
		};
		const error = toApiError(
			{ status: 404, headers: {}, body },
			{ operation: 'chat', model: 'old/m' },
		);
		expect(error.extra.modelGone).toBe(true);
		expect(error.hint).toMatch(/"old\/m" is not served by Overshoot/);
		expect(error.hint).not.toMatch(/stream has ended/);
		expect(hintFor(404, 'model_unavailable')).not.toMatch(/stream has ended/);
	});

	it('a 422 naming the model (in the fields or the message) is a model refusal; another 422 is not', () => {
		const byField = {
			error: 'validation_error',
			message: 'Request validation failed',
			details: [{ loc: ['body', 'model'], msg: 'unknown model' }],
		};
		expect(
			toApiError({ status: 422, headers: {}, body: byField }, { operation: 'chat', model: 'x/y' })
				.extra.modelGone,
		).toBe(true);
		const byText = { detail: 'model x/y is not served' };
		expect(
			toApiError({ status: 422, headers: {}, body: byText }, { operation: 'chat', model: 'x/y' })
				.extra.modelGone,
		).toBe(true);
		const other = {
			error: 'validation_error',
			message: 'bad',
			details: [{ loc: ['body', 'messages', 0], msg: 'bad' }],
		};
		expect(
			toApiError({ status: 422, headers: {}, body: other }, { operation: 'chat', model: 'x/y' })
				.extra.modelGone,
		).toBeUndefined();
	});

	it('a 409 says that asking the same way again gives the same answer', () => {
		expect(hintFor(409)).toMatch(/same answer/);
	});
});
