// Chat completions on the emulator: grammar statuses per version, envelopes, answers that depend
// on pixels, structured output, SSE, usage, recording.
import sharp from 'sharp';
import { startEmulator, type Emulator } from '../../emulator/server';
import { rawClient } from '../../emulator/http-test-client';

let emu: Emulator;
let call: ReturnType<typeof rawClient>;
const MODEL = 'Qwen/Qwen3.6-27B-FP8';

beforeAll(async () => {
	emu = await startEmulator({ maxFramesPerStream: 20, noCreditKeys: ['ovs-broke'] });
	call = rawClient(emu.url);
});
afterAll(() => emu.close());
afterEach(() => emu.control.reset());

const img = (url: string) => ({ type: 'image_url', image_url: { url } });
const vid = (url: string) => ({ type: 'video_url', video_url: { url } });
const ask = (text: string, ...parts: unknown[]) => ({
	model: MODEL,
	messages: [{ role: 'user', content: [{ type: 'text', text }, ...parts] }],
});
const chat = (v: string, body: unknown, key?: string) =>
	call('POST', `${v}/chat/completions`, { body, key });

async function streamWith(rgb: [number, number, number], count = 1, v = '/v1'): Promise<string> {
	const { id } = (await call('POST', `${v}/streams`)).body;
	await emu.control.pushFrames(id, { rgb, count });
	return id;
}

describe('answers from pixels', () => {
	it('answers about the newest frame with the documented response shape and usage', async () => {
		const id = await streamWith([255, 0, 0]);
		const r = await chat(
			'/v1',
			ask('Is the scene red?', img(`ovs://streams/${id}?frame_index=-1`)),
		);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			id: expect.any(String),
			object: 'chat.completion',
			created: expect.any(Number),
			model: MODEL,
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: 'Yes. The scene is mostly red (brightness 30%, 1 frame).',
					},
					finish_reason: 'stop',
				},
			],
			usage: { prompt_tokens: 5 + 200, completion_tokens: 14, total_tokens: 219 },
			overshoot: { cache: { thread_id: null, cache_hit: false, cached_input_tokens: 0 } },
		});
		const no = await chat(
			'/v1',
			ask('Is there something green?', img(`ovs://streams/${id}?frame_index=-1`)),
		);
		expect(no.body.choices[0].message.content).toBe(
			'No. The scene is mostly red (brightness 30%, 1 frame).',
		);
	});

	it('a segment sees a colour change; gemma counts 256 tokens per frame', async () => {
		const id = await streamWith([0, 0, 255], 5);
		await emu.control.pushFrames(id, { rgb: [255, 255, 0], count: 5 });
		const body = {
			...ask('Did anything change?', vid(`ovs://streams/${id}?start_frame_index=0&max_fps=100`)),
			model: 'google/gemma-4-26B-A4B-it',
		};
		const r = await chat('/v1beta', body);
		expect(r.body.choices[0].message.content).toMatch(
			/^Yes\. The scene is mostly \w+ \(brightness \d+%, 10 frames, change \d+(\.\d)?\)\.$/,
		);
		expect(r.body.usage.prompt_tokens).toBe(
			Math.ceil('Did anything change?'.length / 4) + 10 * 256,
		);
		const still = await chat(
			'/v1beta',
			ask('Did anything change?', vid(`ovs://streams/${id}?start_frame_index=-3&max_fps=100`)),
		);
		expect(still.body.choices[0].message.content).toMatch(/^No\. The scene is mostly yellow/);
	});

	it('text-only and data: URL images are analysed too', async () => {
		expect(
			(await chat('/v1', { model: MODEL, messages: [{ role: 'user', content: 'Hello there' }] }))
				.body.choices[0].message.content,
		).toBe('There is no image to look at (0 frames).');
		const png = await sharp({
			create: { width: 40, height: 20, channels: 3, background: { r: 0, g: 200, b: 0 } },
		})
			.png()
			.toBuffer();
		const jpg = await sharp({
			create: { width: 40, height: 20, channels: 3, background: { r: 250, g: 250, b: 250 } },
		})
			.jpeg()
			.toBuffer();
		const r = await chat(
			'/v1',
			ask('Is there something green?', img(`data:image/png;base64,${png.toString('base64')}`)),
		);
		expect(r.body.choices[0].message.content).toMatch(/^Yes\. The scene is mostly green/);
		const w = await chat(
			'/v1',
			ask('Describe', img(`data:image/jpeg;base64,${jpg.toString('base64')}`)),
		);
		expect(w.body.choices[0].message.content).toMatch(/^The scene is mostly white/);
		const bad = await chat('/v1beta', ask('x', img('data:image/png;base64,AAAA')));
		expect(bad).toMatchObject({
			status: 400,
			body: { detail: { error: { code: 'image_invalid', type: 'validation_error' } } },
		});
	});

	it('json_object and json_schema replies always parse', async () => {
		const id = await streamWith([0, 0, 255]);
		const ref = img(`ovs://streams/${id}?frame_index=-1`);
		const o = await chat('/v1', {
			...ask('Is it blue?', ref),
			response_format: { type: 'json_object' },
		});
		expect(JSON.parse(o.body.choices[0].message.content)).toEqual({
			dominant_color: 'blue',
			brightness: 11,
			mean_rgb: [0, 0, 255],
			frames: 1,
			change_score: 0,
			changed: false,
			answer: 'Yes. The scene is mostly blue (brightness 11%, 1 frame).',
		});
		const schema = {
			type: 'object',
			properties: {
				is_blue: { type: 'boolean' },
				color: { type: 'string' },
				count: { type: 'integer' },
				other: { type: 'object' },
			},
		};
		const s = await chat('/v1', {
			...ask('Is it blue?', ref),
			response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
		});
		expect(JSON.parse(s.body.choices[0].message.content)).toEqual({
			is_blue: true,
			color: 'blue',
			count: 1,
			other: {},
		});
	});

	it('forced tool calls get arguments from the analysis', async () => {
		const id = await streamWith([255, 0, 0]);
		const tools = [
			{
				type: 'function',
				function: {
					name: 'report',
					parameters: { type: 'object', properties: { red: { type: 'boolean' } } },
				},
			},
		];
		const r = await chat('/v1beta', {
			...ask('Is it red?', img(`ovs://streams/${id}?frame_index=-1`)),
			tools,
			tool_choice: 'required',
		});
		expect(r.body.choices[0]).toMatchObject({
			finish_reason: 'tool_calls',
			message: {
				content: null,
				tool_calls: [{ type: 'function', function: { name: 'report', arguments: '{"red":true}' } }],
			},
		});
	});

	it('max_completion_tokens truncates text with finish_reason length', async () => {
		const r = await chat('/v1', { ...ask('Is it red?'), max_completion_tokens: 2 });
		expect(r.body.choices[0]).toMatchObject({
			finish_reason: 'length',
			message: { content: 'No. Ther' },
		});
	});

	it('thread_id gives a cache hit on the second call', async () => {
		const body = { ...ask('hello'), thread_id: 't-1' };
		expect((await chat('/v1beta', body)).body.overshoot.cache).toEqual({
			thread_id: 't-1',
			cache_hit: false,
			cached_input_tokens: 0,
		});
		expect((await chat('/v1beta', body)).body.overshoot.cache).toMatchObject({
			thread_id: 't-1',
			cache_hit: true,
		});
	});
});

describe('media errors per version', () => {
	let id: string;
	beforeEach(async () => {
		id = await streamWith([0, 255, 0], 30); // maxFramesPerStream 20: indices 10..29 retained
	});
	const u = (q: string) => `ovs://streams/${id}?${q}`;

	it.each([
		['duplicate key', () => img(u('frame_index=1&frame_index=2')), 422, 400, 'query_param_invalid'],
		['two anchors', () => img(u('frame_index=1&offset_ms=-5')), 422, 400, 'query_param_invalid'],
		['future frame', () => img(u('frame_index=30')), 422, 409, 'frame_not_yet_produced'],
		[
			'inverted segment',
			() => vid(u('start_frame_index=20&end_frame_index=15')),
			422,
			400,
			'segment_invalid',
		],
		[
			'empty segment',
			() => vid(u('start_frame_index=0&end_frame_index=5')),
			422,
			404,
			'segment_empty',
		],
		['malformed url', () => img('ovs://stream/abc?frame_index=1'), 422, 400, 'stream_url_invalid'],
	] as const)(
		'%s: v1 → 422 validation envelope, v1beta → nested code',
		async (_n, part, v1Status, betaStatus, code) => {
			const v1 = await chat('/v1', ask('x', part()));
			expect(v1.status).toBe(v1Status);
			expect(v1.body).toEqual({
				error: 'validation_error',
				message: 'Request validation failed',
				details: [
					{
						loc: ['body', 'messages', 0, 'content', 1, expect.any(String), 'url'],
						msg: expect.any(String),
						type: code,
					},
				],
			});
			const beta = await chat('/v1beta', ask('x', part()));
			expect(beta.status).toBe(betaStatus);
			expect(beta.body).toEqual({
				detail: {
					error: { message: expect.any(String), type: 'stream_error', code, upstream: null },
				},
			});
		},
	);

	it('evicted frame: v1 clamps to the oldest retained frame, v1beta 410 frame_evicted', async () => {
		expect((await chat('/v1', ask('x', img(u('frame_index=2'))))).status).toBe(200);
		expect(await chat('/v1beta', ask('x', img(u('frame_index=2'))))).toMatchObject({
			status: 410,
			body: { detail: { error: { code: 'frame_evicted' } } },
		});
	});

	it('stream_not_found (404), stream_unauthorized (403), model errors', async () => {
		for (const v of ['/v1', '/v1beta']) {
			expect(
				await chat(
					v,
					ask('x', img('ovs://streams/00000000-0000-4000-8000-000000000000?frame_index=-1')),
				),
			).toMatchObject({
				status: 404,
				body: {
					detail: {
						error: {
							code: 'stream_not_found',
							type: 'stream_error',
							message: 'Stream not found: 00000000-0000-4000-8000-000000000000',
						},
					},
				},
			});
			expect(await chat(v, ask('x', img(u('frame_index=-1'))), 'ovs-intruder')).toMatchObject({
				status: 403,
				body: { detail: { error: { code: 'stream_unauthorized' } } },
			});
		}
		expect(
			await chat('/v1beta', {
				...ask('x', vid(u('start_offset_ms=-1000'))),
				model: 'claude-haiku-4-5-20251001',
			}),
		).toMatchObject({
			status: 400,
			body: { detail: { error: { code: 'model_video_unsupported', type: 'validation_error' } } },
		});
		expect(
			(
				await chat('/v1beta', {
					...ask('x', img(u('frame_index=-1'))),
					model: 'claude-haiku-4-5-20251001',
				})
			).status,
		).toBe(200);
		expect(await chat('/v1', { ...ask('x'), model: 'nope/model' })).toMatchObject({
			status: 404,
			body: { detail: { error: { code: 'model_unavailable' } } },
		});
		expect(await chat('/v1beta', ask('x'), 'ovs-broke')).toMatchObject({
			status: 402,
			body: { detail: { error: { code: 'billing_denied', type: 'billing_error' } } },
		});
		emu.control.setModelStatus(MODEL, 'loading');
		expect(await chat('/v1', ask('x'))).toMatchObject({
			status: 503,
			body: { detail: expect.any(String) },
		});
	});

	it('ended streams are stream_not_found; chat before any frame fails', async () => {
		const fresh = (await call('POST', '/v1beta/streams')).body.id;
		expect(
			await chat('/v1beta', ask('x', img(`ovs://streams/${fresh}?frame_index=-1`))),
		).toMatchObject({ status: 404, body: { detail: { error: { code: 'segment_empty' } } } });
		expect((await chat('/v1', ask('x', img(`ovs://streams/${fresh}?frame_index=-1`)))).status).toBe(
			422,
		);
		await call('DELETE', `/v1/streams/${id}`);
		expect(await chat('/v1beta', ask('x', img(u('frame_index=-1'))))).toMatchObject({
			status: 404,
			body: { detail: { error: { code: 'stream_not_found' } } },
		});
	});

	it('body validation uses the shape-3 envelope', async () => {
		const r = await chat('/v1beta', { messages: 'hi' });
		expect(r.status).toBe(422);
		expect(r.body.error).toBe('validation_error');
		expect(r.body.details.map((d: { loc: unknown[] }) => d.loc)).toEqual([
			['body', 'model'],
			['body', 'messages'],
		]);
		const part = await chat('/v1', {
			model: MODEL,
			messages: [{ role: 'user', content: [{ type: 'audio', x: 1 }] }],
		});
		expect(part.body.details[0].loc).toEqual(['body', 'messages', 0, 'content', 0, 'type']);
		const json = await call('POST', '/v1/chat/completions', {
			rawBody: '{',
			headers: { 'content-type': 'application/json' },
		});
		expect(json).toMatchObject({ status: 422, body: { details: [{ type: 'json_invalid' }] } });
	});
});

describe('SSE and recording', () => {
	it('stream: true → chunks, finish chunk, usage chunk, [DONE]', async () => {
		const id = await streamWith([255, 255, 0], 1, '/v1beta');
		const body = {
			...ask('Is it yellow?', img(`ovs://streams/${id}?frame_index=-1`)),
			stream: true,
			stream_options: { include_usage: true },
		};
		const res = await fetch(`${emu.url}/v1beta/chat/completions`, {
			method: 'POST',
			headers: { authorization: 'Bearer ovs-test-key', 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(res.headers.get('content-type')).toBe('text/event-stream');
		expect(res.headers.get('x-ratelimit-limit')).toBeTruthy();
		const text = await res.text();
		const events = text
			.split('\n\n')
			.filter(Boolean)
			.map((e) => e.replace(/^data: /, ''));
		expect(events[events.length - 1]).toBe('[DONE]');
		const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
		for (const c of chunks)
			expect(c).toMatchObject({ id: chunks[0].id, object: 'chat.completion.chunk', model: MODEL });
		expect(chunks[0].choices[0].delta.role).toBe('assistant');
		const content = chunks
			.flatMap((c) => c.choices)
			.map((ch) => ch.delta.content ?? '')
			.join('');
		expect(content).toBe('Yes. The scene is mostly yellow (brightness 89%, 1 frame).');
		expect(chunks.length).toBeGreaterThan(4);
		const finish = chunks.flatMap((c) => c.choices).filter((ch) => ch.finish_reason);
		expect(finish).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
		expect(chunks[chunks.length - 1]).toMatchObject({
			choices: [],
			usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) },
		});
	});

	it('records every chat request and counts paid calls per stream and model', async () => {
		const id = await streamWith([0, 0, 0]);
		await chat('/v1', ask('x', img(`ovs://streams/${id}?frame_index=-1`)));
		await chat(
			'/v1',
			ask(
				'x',
				img(`ovs://streams/${id}?frame_index=-1`),
				vid(`ovs://streams/${id}?start_offset_ms=-1000`),
			),
		);
		await chat('/v1', ask('x', img(`ovs://streams/${id}?frame_index=99`)));
		const calls = emu.control.chatCalls();
		expect(calls.map((c) => c.status)).toEqual([200, 200, 422]);
		expect(calls[0]).toMatchObject({
			model: MODEL,
			urls: [`ovs://streams/${id}?frame_index=-1`],
			streamIds: [id],
			frames: 1,
			responseText: 'The scene is mostly black (brightness 0%, 1 frame).',
		});
		expect(calls[2].error).toBe('frame_not_yet_produced');
		// "Answer sent" is stamped as the response is written; failed calls have no answer.
		for (const c of calls.slice(0, 2)) expect(c.respondedAtMs).toBeGreaterThanOrEqual(c.atMs);
		expect(calls[2].respondedAtMs).toBeUndefined();
		const state = await emu.control.state();
		expect(state.chatCalls).toEqual({
			total: 2,
			failed: 1,
			byModel: { [MODEL]: 2 },
			byStream: { [id]: 2 },
		});
		const bal = await call('GET', '/billing/accounts/me/balance');
		expect(bal.body.balance_microcents).toBeLessThan(10_000_000_000);
	});

	it('optional per-key rate limit → 429 rate_limit_error with retry-after', async () => {
		// The limit counts calls per wall-clock second, so a fixed number of calls can straddle a
		// second boundary on a busy machine. The server names the window it counted each call in
		// (x-ratelimit-reset), so the test groups by that and checks the rule in every window.
		const limited = await startEmulator({ chatRateLimitPerSecond: 2 });
		try {
			const c = rawClient(limited.url);
			const byWindow = new Map<
				string,
				{ status: number; retryAfter: string | null; type: unknown }[]
			>();
			const deadline = Date.now() + 10_000;
			let refused = 0;
			while (refused < 3 && Date.now() < deadline) {
				const res = await c('POST', '/v1beta/chat/completions', { body: ask('x') });
				const window = res.headers.get('x-ratelimit-reset') ?? 'missing';
				const calls = byWindow.get(window) ?? [];
				calls.push({
					status: res.status,
					retryAfter: res.headers.get('retry-after'),
					type: res.body?.detail?.error?.type,
				});
				byWindow.set(window, calls);
				if (res.status === 429) refused++;
			}
			expect(refused).toBe(3);
			expect(byWindow.has('missing')).toBe(false);
			for (const calls of byWindow.values()) {
				expect(calls.slice(0, 2).map((x) => x.status)).toEqual(calls.slice(0, 2).map(() => 200));
				for (const x of calls.slice(2)) {
					expect(x).toEqual({ status: 429, retryAfter: '1', type: 'rate_limit_error' });
				}
			}
		} finally {
			await limited.close();
		}
	});
});
