// Chat → Complete: media menus → content parts, formats, outputs, and validation before sending.
import { NodeOperationError } from 'n8n-workflow';
import {
	binaryItem,
	chatResponse,
	fakeExecute,
	OTHER_STREAM_ID,
	STREAM_ID,
} from './helpers/fake-execute';

const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3b5e0e80000000049454e44ae426082',
	'hex',
);
const base = {
	resource: 'chat',
	operation: 'complete',
	model: { mode: 'list', value: 'google/gemma-4-26B-A4B-it' },
	prompt: 'What is happening?',
};

function body(f: ReturnType<typeof fakeExecute>) {
	return f.requests[0].body as {
		model: string;
		messages: Array<{ role: string; content: unknown }>;
		[k: string]: unknown;
	};
}

describe('Chat → Complete request', () => {
	it('sends a text-only question as a plain string', async () => {
		const f = fakeExecute({ params: base, respond: [chatResponse('Nothing.')] });
		const [item] = await f.run();
		expect(f.requests[0]).toMatchObject({
			method: 'POST',
			url: 'https://api.example.test/v1/chat/completions',
		});
		expect(body(f)).toEqual({
			model: 'google/gemma-4-26B-A4B-it',
			messages: [{ role: 'user', content: 'What is happening?' }],
		});
		expect(item.json).toEqual({
			answer: 'Nothing.',
			finish_reason: 'stop',
			model: 'google/gemma-4-26B-A4B-it',
			usage: { prompt_tokens: 300, completion_tokens: 5, total_tokens: 305 },
			id: 'cmpl-1',
			stream_ids: [],
		});
	});

	it('maps every media kind to its ovs:// URL, with labels, across two streams', async () => {
		const items = [
			{ kind: 'latestFrame', streamId: STREAM_ID, label: 'Front door:' },
			{ kind: 'frameIndex', streamId: STREAM_ID, frameIndex: -3 },
			{
				kind: 'frameTime',
				streamId: STREAM_ID,
				timeMs: 12000,
				toleranceMs: 250,
				direction: 'backward',
			},
			{
				kind: 'frameOffset',
				streamId: OTHER_STREAM_ID,
				offsetMs: -5000,
				toleranceMs: 0,
				direction: 'nearest',
				label: 'Garage:',
			},
			{ kind: 'lastSeconds', streamId: OTHER_STREAM_ID, seconds: 10, maxFps: 2 },
			{
				kind: 'clipRange',
				streamId: STREAM_ID,
				startBy: 'time',
				startTimeMs: 10000,
				endBy: 'time',
				endTimeMs: 15000,
				maxFps: 4,
			},
			{
				kind: 'clipRange',
				streamId: STREAM_ID,
				startBy: 'offset',
				startOffsetMs: -30000,
				endBy: 'now',
				maxFps: 1,
			},
			{
				kind: 'clipRange',
				streamId: STREAM_ID,
				startBy: 'index',
				startFrameIndex: -30,
				endBy: 'offset',
				endOffsetMs: -1000,
				maxFps: 1,
			},
		];
		const f = fakeExecute({ params: { ...base, media: { items } }, respond: [chatResponse('ok')] });
		const [item] = await f.run();
		const content = body(f).messages[0].content;
		const s = `ovs://streams/${STREAM_ID}?`;
		const o = `ovs://streams/${OTHER_STREAM_ID}?`;
		expect(content).toEqual([
			{ type: 'text', text: 'What is happening?' },
			{ type: 'text', text: 'Front door:' },
			{ type: 'image_url', image_url: { url: `${s}frame_index=-1` } },
			{ type: 'image_url', image_url: { url: `${s}frame_index=-3` } },
			{
				type: 'image_url',
				image_url: { url: `${s}timestamp_ms=12000&tolerance_ms=250&direction=backward` },
			},
			{ type: 'text', text: 'Garage:' },
			{ type: 'image_url', image_url: { url: `${o}offset_ms=-5000` } },
			{ type: 'video_url', video_url: { url: `${o}start_offset_ms=-10000&max_fps=2` } },
			{
				type: 'video_url',
				video_url: { url: `${s}start_timestamp_ms=10000&end_timestamp_ms=15000&max_fps=4` },
			},
			{ type: 'video_url', video_url: { url: `${s}start_offset_ms=-30000&max_fps=1` } },
			{
				type: 'video_url',
				video_url: { url: `${s}start_frame_index=-30&end_offset_ms=-1000&max_fps=1` },
			},
		]);
		expect(item.json.stream_ids).toEqual([STREAM_ID, OTHER_STREAM_ID]);
	});

	it('sends an input binary image as a data: URL (octet-stream labels are sniffed)', async () => {
		const f = fakeExecute({
			params: { ...base, media: { items: [{ kind: 'binaryImage', binaryProperty: 'snapshot' }] } },
			items: [binaryItem('snapshot', 'application/octet-stream', 'snap.bin')],
			binaries: { snapshot: PNG },
			respond: [chatResponse('A tiny image.')],
		});
		await f.run();
		const content = body(f).messages[0].content as Array<{ image_url?: { url: string } }>;
		expect(content[1].image_url?.url).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
	});

	it('adds system prompt, max tokens, temperature and a JSON schema', async () => {
		const schema = {
			type: 'object',
			properties: { present: { type: 'boolean' } },
			required: ['present'],
		};
		const f = fakeExecute({
			params: {
				...base,
				responseFormat: 'jsonSchema',
				jsonSchema: JSON.stringify(schema),
				options: { systemPrompt: 'Be brief.', maxTokens: 32, temperature: 0 },
			},
			respond: [chatResponse('```json\n{"present": true}\n```')],
		});
		const [item] = await f.run();
		expect(body(f)).toMatchObject({
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'What is happening?' },
			],
			max_completion_tokens: 32,
			temperature: 0,
			response_format: {
				type: 'json_schema',
				json_schema: { name: 'answer', schema, strict: true },
			},
		});
		expect(item.json.json).toEqual({ present: true });
	});

	it('JSON object mode parses the answer; the full response only on request', async () => {
		const f = fakeExecute({
			params: { ...base, responseFormat: 'jsonObject', options: { includeFullResponse: true } },
			respond: [chatResponse('{"count": 2}')],
		});
		const [item] = await f.run();
		expect(body(f).response_format).toEqual({ type: 'json_object' });
		expect(item.json.json).toEqual({ count: 2 });
		expect((item.json.response as { object: string }).object).toBe('chat.completion');
	});

	it('raw messages mode sends the array as given and reports the streams in it', async () => {
		const messages = [
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'hi' },
					{ type: 'image_url', image_url: { url: `ovs://streams/${STREAM_ID}?frame_index=-1` } },
				],
			},
		];
		const f = fakeExecute({
			params: { ...base, inputMode: 'raw', messagesJson: JSON.stringify(messages) },
			respond: [chatResponse('hello')],
		});
		const [item] = await f.run();
		expect(body(f).messages).toEqual(messages);
		expect(item.json.stream_ids).toEqual([STREAM_ID]);
		expect(f.readParams).not.toContain('prompt');
	});

	it('a model answer that is not JSON is a clear error mentioning the token limit when cut off', async () => {
		const f = fakeExecute({
			params: { ...base, responseFormat: 'jsonObject' },
			respond: [
				chatResponse('{"count": ', {
					choices: [
						{
							index: 0,
							message: { role: 'assistant', content: '{"count": ' },
							finish_reason: 'length',
						},
					],
				}),
			],
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/not valid JSON/);
		expect(error.description).toMatch(/Max Tokens/);
	});
});

describe('Chat → Complete validation (before any request)', () => {
	it.each([
		['empty model', { model: { mode: 'list', value: '' } }, /Model is empty/, 'Model'],
		['empty prompt', { prompt: '  ' }, /Prompt is empty/, 'Prompt'],
		[
			'empty stream id',
			{ media: { items: [{ kind: 'latestFrame', streamId: '' }] } },
			/Stream ID is empty/,
			'Stream ID',
		],
		[
			'malformed stream id',
			{ media: { items: [{ kind: 'latestFrame', streamId: 'cam-1' }] } },
			/not a stream id/,
			'Stream ID',
		],
		[
			'negative max fps',
			{ media: { items: [{ kind: 'lastSeconds', streamId: STREAM_ID, seconds: 5, maxFps: -1 }] } },
			/Max FPS must be greater than 0/,
			'Max FPS',
		],
		[
			'end before start',
			{
				media: {
					items: [
						{
							kind: 'clipRange',
							streamId: STREAM_ID,
							startBy: 'time',
							startTimeMs: 9000,
							endBy: 'time',
							endTimeMs: 1000,
						},
					],
				},
			},
			/Clip End \(1000\) must be after Clip Start \(9000\)/,
			'Clip End',
		],
		[
			'second media item wrong',
			{
				media: {
					items: [
						{ kind: 'latestFrame', streamId: STREAM_ID },
						{ kind: 'frameIndex', streamId: STREAM_ID, frameIndex: 1.5 },
					],
				},
			},
			/Media item 2: Frame Index must be a whole number/,
			'Frame Index',
		],
		[
			'bad raw JSON',
			{ inputMode: 'raw', messagesJson: '[{' },
			/Messages \(JSON\) is not valid JSON/,
			'Messages (JSON)',
		],
		[
			'raw without role',
			{ inputMode: 'raw', messagesJson: '[{"content": "x"}]' },
			/message 1 needs a "role"/,
			'Messages (JSON)',
		],
		[
			'bad schema',
			{ responseFormat: 'jsonSchema', jsonSchema: '{nope' },
			/JSON Schema is not valid JSON/,
			'JSON Schema',
		],
		[
			'max tokens zero',
			{ options: { maxTokens: 0 } },
			/Max Tokens must be at least 1/,
			'Max Tokens',
		],
		// Expressions that evaluate to objects used to be sent as "[object Object]".
		[
			'prompt is an object',
			{ prompt: { text: 'is it red?' } },
			/^Prompt is an object \(\{"text":"is it red\?"\}\), not text\./,
			'Prompt',
		],
		[
			'system prompt is a list',
			{ options: { systemPrompt: ['a', 'b'] } },
			/^System Prompt is a list \(\["a","b"\]\), not text\./,
			'System Prompt',
		],
		// NaN went out as null.
		[
			'temperature NaN',
			{ options: { temperature: Number.NaN } },
			/^Temperature must be a number \(got NaN\)\.$/,
			'Temperature',
		],
		[
			'temperature 3',
			{ options: { temperature: 3 } },
			/^Temperature must be between 0 and 2 \(got 3\)\.$/,
			'Temperature',
		],
		// 1e21 was sent as frame_index=1e%2B21.
		[
			'frame index 1e21',
			{ media: { items: [{ kind: 'frameIndex', streamId: STREAM_ID, frameIndex: 1e21 }] } },
			/^Frame Index is too large \(got 1e\+21\)/,
			'Frame Index',
		],
		[
			'time 1e300',
			{ media: { items: [{ kind: 'frameTime', streamId: STREAM_ID, timeMs: 1e300 }] } },
			/^Time \(Milliseconds\) is too large/,
			'Time (Milliseconds)',
		],
		[
			'stream id as a number',
			{ media: { items: [{ kind: 'latestFrame', streamId: 12345 }] } },
			/^Stream ID "12345" is not a stream id/,
			'Stream ID',
		],
	])('%s', async (_name, params, message, field) => {
		const f = fakeExecute({ params: { ...base, ...params } });
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(error.description).toContain(`"${field}"`);
		expect(f.requests).toHaveLength(0);
	});

	it.each([
		[
			'missing field',
			[binaryItem('data', 'image/png')],
			'photo',
			/Input Binary Field "photo" does not exist.*Binary fields on this item: data/,
		],
		[
			'not an image',
			[binaryItem('data', 'application/pdf', 'report.pdf')],
			'data',
			/Input Binary Field "data" is not an image \(labelled application\/pdf, but its bytes are not a PNG, JPEG, GIF or WebP image, file "report.pdf"\)/,
		],
		// The label used to be trusted when the bytes were not recognised.
		[
			'text labelled image/png',
			[binaryItem('data', 'image/png', 'shot.png')],
			'data',
			/^Input Binary Field "data" is not an image \(labelled image\/png, but its bytes are not a PNG, JPEG, GIF or WebP image, file "shot.png"\)/,
		],
	])('binary image: %s', async (_name, items, binaryProperty, message) => {
		const f = fakeExecute({
			params: { ...base, media: { items: [{ kind: 'binaryImage', binaryProperty }] } },
			items,
			binaries: { data: Buffer.from('%PDF-1.4 not an image') },
		});
		const error = await f.run().catch((e) => e);
		expect(error.message).toMatch(message);
		expect(error.description).toContain('"Input Binary Field"');
		expect(f.requests).toHaveLength(0);
	});
});
