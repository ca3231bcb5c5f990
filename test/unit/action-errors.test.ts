// Every non-2xx answer becomes an n8n error with the API's words and a hint; continue-on-fail
// turns it into an output item; secrets never appear.
import { NodeApiError } from 'n8n-workflow';
import { redact as redactText } from '../../nodes/Overshoot/api/redact';
import { fakeExecute, STREAM_ID } from './helpers/fake-execute';

const get = { resource: 'stream', operation: 'get', streamId: STREAM_ID };

describe('API errors', () => {
	it.each([
		[401, { detail: 'Invalid API key' }, /Invalid API key/, /valid key/],
		[
			402,
			{
				detail: {
					error: {
						message: 'billing denied inference',
						type: 'billing_error',
						code: 'billing_denied',
					},
				},
			},
			/billing denied/,
			/credits/,
		],
		[
			403,
			{ detail: 'API key is not assigned to a user' },
			/not assigned/,
			/may not use this resource/,
		],
		[404, { detail: 'Stream not found' }, /Stream not found/, /Create a new stream/],
		[
			422,
			{
				error: 'validation_error',
				message: 'Request validation failed',
				details: [{ loc: ['body', 'model'], msg: 'field required' }],
			},
			/body\.model: field required/,
			/Fields: body\.model/,
		],
		[500, { detail: 'boom' }, /boom/, /internal error/],
	])('%i → NodeApiError with message and hint', async (status, body, message, hint) => {
		const f = fakeExecute({ params: get, respond: [{ statusCode: status, body }] });
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe(String(status));
		expect(error.message).toMatch(new RegExp(`^Overshoot API error ${status}: `));
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(hint);
		expect(error.context.itemIndex).toBe(0);
	});

	it('429 and 503 are retried (Retry-After honoured) before succeeding', async () => {
		const f = fakeExecute({
			params: get,
			respond: [
				{ statusCode: 429, headers: { 'retry-after': '0' }, body: { detail: 'slow down' } },
				{ statusCode: 503, headers: { 'Retry-After': '0' }, body: { detail: 'draining' } },
				{ statusCode: 200, body: { id: STREAM_ID, state: 'active' } },
			],
		});
		const [item] = await f.run();
		expect(f.requests).toHaveLength(3);
		expect(item.json.state).toBe('active');
	});

	it('continue on fail: an error item per failed input, paired, the rest still run', async () => {
		const f = fakeExecute({
			params: [get, { ...get, streamId: 'bad' }, get],
			continueOnFail: true,
			respond: [
				{ statusCode: 401, body: { detail: 'Invalid API key' } },
				{ statusCode: 200, body: { id: STREAM_ID, state: 'active' } },
			],
		});
		const out = await f.run();
		expect(out).toHaveLength(3);
		expect(out[0].json).toMatchObject({
			error: 'Overshoot API error 401: Invalid API key',
			status: 401,
		});
		expect(out[1].json.error).toMatch(/not a stream id/);
		expect(out[2].json.state).toBe('active');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(f.requests).toHaveLength(2);
	});

	it('the API key is scrubbed if a server echoes it', async () => {
		const f = fakeExecute({
			params: get,
			respond: [{ statusCode: 401, body: { detail: 'Unknown key ovs-test-key-123456' } }],
		});
		const error = await f.run().catch((e) => e);
		expect(
			JSON.stringify({
				m: error.message,
				d: error.description,
				c: error.context,
				r: error.errorResponse,
			}),
		).not.toContain('ovs-test-key-123456');
	});

	it('no response → "Cannot reach the Overshoot API" naming the origin only', async () => {
		const f = fakeExecute({
			params: get,
			respond: () =>
				Object.assign(new Error('connect ECONNREFUSED'), {
					cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
				}),
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Cannot reach the Overshoot API');
		expect(error.description).toMatch(/https:\/\/api\.example\.test \(ECONNREFUSED\)/);
		expect(error.description).not.toMatch(/streams/);
		expect(f.requests.length).toBeGreaterThan(1); // refused = never sent = safe to retry a GET
	});
});

describe('redaction', () => {
	it('hides URL passwords and known secrets', () => {
		expect(redactText('rtsp://admin:pa55word@10.0.0.2:554/h264 and rtsps://u:p@x/y')).toBe(
			'rtsp://***@10.0.0.2:554/h264 and rtsps://***@x/y',
		);
		expect(redactText('key ovs-abcdef123 leaked', ['ovs-abcdef123'])).toBe('key *** leaked');
		expect(redactText('https://host/path?a=b')).toBe('https://host/path?a=b');
	});
});
