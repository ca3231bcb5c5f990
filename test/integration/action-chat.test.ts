// Chat → Complete against the emulator over real HTTP: frames and clips from a stream, a binary
// image without any stream, JSON outputs, the chat error statuses and which ones are retried.
import { NodeApiError } from 'n8n-workflow';
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../emulator/server';
import { imageItem, MODEL, modelParam, runNode, type Credentials } from './action-harness';

let emulator: Emulator;
let creds: Credentials;
let streamId: string;

beforeAll(async () => {
	emulator = await startEmulator({ noCreditKeys: ['ovs-broke'] });
	creds = { apiKey: 'ovs-chat-key', baseUrl: emulator.baseUrl };
	const [created] = await runNode({
		credentials: creds,
		params: { resource: 'stream', operation: 'create' },
	});
	streamId = created.json.id as string;
	await emulator.control.pushFrames(streamId, { rgb: [220, 20, 20], count: 20, intervalMs: 500 });
});
afterAll(async () => {
	if (streamId)
		await runNode({
			credentials: creds,
			params: { resource: 'stream', operation: 'delete', streamId },
		}).catch(() => undefined);
	await emulator?.close();
});
afterEach(() => emulator.control.clearFaults());

const ask = (extra: Record<string, unknown> = {}) => ({
	resource: 'chat',
	operation: 'complete',
	model: modelParam(),
	prompt: 'What colour dominates?',
	...extra,
});

describe('asking about a stream', () => {
	it('latest frame + a clip of the last seconds, with usage and the stream id', async () => {
		const media = {
			items: [
				{ kind: 'latestFrame', streamId },
				{ kind: 'lastSeconds', streamId, seconds: 5, maxFps: 1 },
			],
		};
		const [out] = await runNode({ credentials: creds, params: ask({ media }) });
		expect(typeof out.json.answer).toBe('string');
		expect(String(out.json.answer).toLowerCase()).toContain('red');
		expect(out.json).toMatchObject({ model: MODEL, finish_reason: 'stop', stream_ids: [streamId] });
		expect((out.json.usage as { total_tokens: number }).total_tokens).toBeGreaterThan(0);
		const calls = emulator.control.chatCalls();
		expect(calls[calls.length - 1].urls).toEqual([
			`ovs://streams/${streamId}?frame_index=-1`,
			`ovs://streams/${streamId}?start_offset_ms=-5000&max_fps=1`,
		]);
	});

	it('frame by index, at a stream time, at an offset, and a clip between two times', async () => {
		const media = {
			items: [
				{ kind: 'frameIndex', streamId, frameIndex: -2 },
				{ kind: 'frameTime', streamId, timeMs: 1000, toleranceMs: 500 },
				{ kind: 'frameOffset', streamId, offsetMs: -2000, direction: 'backward' },
				{
					kind: 'clipRange',
					streamId,
					startBy: 'time',
					startTimeMs: 0,
					endBy: 'time',
					endTimeMs: 4000,
					maxFps: 2,
				},
			],
		};
		const [out] = await runNode({ credentials: creds, params: ask({ media }) });
		expect(out.json.answer).toBeTruthy();
	});

	it('JSON schema answers are parsed into "json"', async () => {
		const schema = {
			type: 'object',
			properties: { color: { type: 'string' }, red: { type: 'boolean' } },
			required: ['color', 'red'],
		};
		const [out] = await runNode({
			credentials: creds,
			params: ask({
				media: { items: [{ kind: 'latestFrame', streamId }] },
				responseFormat: 'jsonSchema',
				jsonSchema: JSON.stringify(schema),
			}),
		});
		expect(out.json.json).toMatchObject({ color: 'red', red: true });
	});

	it('JSON object answers are parsed and the full response is added on request', async () => {
		const [out] = await runNode({
			credentials: creds,
			params: ask({
				prompt: 'Describe the frame as JSON.',
				media: { items: [{ kind: 'latestFrame', streamId }] },
				responseFormat: 'jsonObject',
				options: { includeFullResponse: true },
			}),
		});
		expect(typeof out.json.json).toBe('object');
		expect((out.json.response as { object: string }).object).toBe('chat.completion');
	});

	it('raw messages mode', async () => {
		const messages = [
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Colour?' },
					{ type: 'image_url', image_url: { url: `ovs://streams/${streamId}?frame_index=-1` } },
				],
			},
		];
		const [out] = await runNode({
			credentials: creds,
			params: ask({ inputMode: 'raw', messagesJson: JSON.stringify(messages) }),
		});
		expect(out.json.stream_ids).toEqual([streamId]);
	});
});

describe('asking about an input image (no stream)', () => {
	it('sends the binary as a data: URL', async () => {
		const png = await sharp({
			create: { width: 32, height: 32, channels: 3, background: { r: 20, g: 40, b: 230 } },
		})
			.png()
			.toBuffer();
		const [out] = await runNode({
			credentials: creds,
			params: ask({ media: { items: [{ kind: 'binaryImage', binaryProperty: 'data' }] } }),
			items: [imageItem('data', 'image/png')],
			binaries: { data: png },
		});
		expect(String(out.json.answer).toLowerCase()).toContain('blue');
		expect(out.json.stream_ids).toEqual([]);
		const calls = emulator.control.chatCalls();
		expect(calls[calls.length - 1].urls[0]).toMatch(/^data:image\/png;base64,/);
	});
});

describe('errors and retries', () => {
	const latest = () => ({ media: { items: [{ kind: 'latestFrame', streamId }] } });

	it('401 invalid key', async () => {
		const error = await runNode({
			credentials: { ...creds, apiKey: 'ovs-invalid' },
			params: ask(latest()),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.description).toMatch(/API key was rejected/);
	});

	it('402 billing denied', async () => {
		const error = await runNode({
			credentials: { ...creds, apiKey: 'ovs-broke' },
			params: ask(latest()),
		}).catch((e) => e);
		expect(error.httpCode).toBe('402');
		expect(error.description).toMatch(/out of credits/);
	});

	it('404 on an ended stream', async () => {
		const error = await runNode({
			credentials: creds,
			params: ask({
				media: {
					items: [{ kind: 'latestFrame', streamId: '22222222-3333-4444-8555-666666666666' }],
				},
			}),
		}).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/stream has ended|Create a new stream/);
	});

	it('422 names the offending fields', async () => {
		const messages = [
			{
				role: 'user',
				content: [{ type: 'image_url', image_url: { url: 'ftp://example.com/x.png' } }],
			},
		];
		const error = await runNode({
			credentials: creds,
			params: ask({ inputMode: 'raw', messagesJson: JSON.stringify(messages) }),
		}).catch((e) => e);
		expect(error.httpCode).toBe('422');
		expect(error.description).toMatch(/^Fields: body\.messages\.0\.content/);
	});

	it('403 from an injected answer carries the API message', async () => {
		emulator.control.inject({
			status: 403,
			method: 'POST',
			path: '/chat/completions',
			body: {
				detail: {
					error: {
						message: 'Stream belongs to another user',
						type: 'stream_error',
						code: 'stream_unauthorized',
					},
				},
			},
		});
		const error = await runNode({ credentials: creds, params: ask(latest()) }).catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe('Overshoot API error 403: Stream belongs to another user');
	});

	it.each([429, 503])(
		'%i is retried and the completion runs (and is billed) once',
		async (status) => {
			const before = emulator.control.chatCalls().length;
			emulator.control.inject({
				status,
				retryAfter: 0,
				method: 'POST',
				path: '/chat/completions',
				times: 2,
			});
			const [out] = await runNode({ credentials: creds, params: ask(latest()) });
			expect(out.json.answer).toBeTruthy();
			expect(emulator.control.chatCalls().length).toBe(before + 1);
		},
	);

	it('a chat whose answer is lost is not repeated (each completion is billed)', async () => {
		const before = emulator.control.chatCalls().length;
		emulator.control.inject({ drop: 'after', method: 'POST', path: '/chat/completions' });
		const error = await runNode({ credentials: creds, params: ask(latest()) }).catch((e) => e);
		expect(error.message).toBe('Cannot reach the Overshoot API');
		expect(emulator.control.chatCalls().length).toBe(before + 1);
	});

	it('continue on fail keeps going, one paired output per input', async () => {
		const out = await runNode({
			credentials: creds,
			continueOnFail: true,
			params: [
				ask(latest()),
				ask({ media: { items: [{ kind: 'latestFrame', streamId: 'nope' }] } }),
				ask(latest()),
			],
		});
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[1].json.error).toMatch(/Stream ID "nope" is not a stream id/);
		expect(out[0].json.answer).toBeTruthy();
		expect(out[2].json.answer).toBeTruthy();
	});
});
