// The three error envelopes of the contract (§1.4), the FastAPI variant, Retry-After and hints.
import { hintFor, parseRetryAfter, readErrorBody, toApiError } from '../../nodes/Overshoot/api/errors';

describe('readErrorBody', () => {
	it('shape 1: {detail: string}', () => {
		expect(readErrorBody({ detail: 'Stream not found' })).toEqual({ detail: 'Stream not found' });
	});

	it('shape 2: {detail: {error: {message, type, code}}}', () => {
		expect(
			readErrorBody({ detail: { error: { message: 'No frames matched', type: 'stream_error', code: 'segment_empty', upstream: null } } }),
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
		const parsed = readErrorBody({ detail: [{ loc: ['body', 'max_completion_tokens'], msg: 'must be > 0' }] });
		expect(parsed.fields).toEqual(['body.max_completion_tokens']);
		expect(parsed.detail).toBe('body.max_completion_tokens: must be > 0');
	});

	it('region error and plain text bodies', () => {
		expect(readErrorBody({ detail: { error: 'region_error', expected_region: 'us-west1' } }).code).toBe('region_error');
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
		const error = toApiError({ status: 429, headers: { 'retry-after': '3' }, body: { detail: { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited' } } } });
		expect(error.status).toBe(429);
		expect(error.detail).toBe('slow down');
		expect(error.code).toBe('rate_limited');
		expect(error.retryAfterMs).toBe(3000);
		expect(error.message).toBe('Overshoot API error 429: slow down');
	});
});
