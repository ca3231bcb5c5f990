// The question clock with a scripted client: drift-free slots, no overlap (late slots skipped),
// waits for frames, readiness and change gate avoid paid calls, error classes.

import type { OvershootClient } from '../../nodes/Overshoot/api/client';
import { OvershootApiError } from '../../nodes/Overshoot/api/errors';
import { AUTOMATIC, type ModelChoice } from '../../nodes/Overshoot/api/models';
import type { ChatRequest, Model } from '../../nodes/Overshoot/api/types';
import { isV1beta } from '../../nodes/Overshoot/api/transport';
import {
	Asker,
	buildChatRequest,
	readAnswer,
	readPromptCache,
	type AskedAnswer,
	type AskerStatus,
} from '../../nodes/Overshoot/watch/asker';
import type { Frame } from '../../nodes/Overshoot/watch/frame';

const ID = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reply = (content: string) => ({
	id: 'c',
	object: 'chat.completion',
	created: 0,
	model: 'm',
	choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
	usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});
const frame: Frame = {
	data: new Uint8Array(6),
	width: 2,
	height: 2,
	format: 'I420',
	seq: 3,
	capturedAtMs: 0,
};

function setup(
	chat: jest.Mock,
	opts: {
		intervalMs?: number;
		ready?: () => { ok: true } | { ok: false; reason: string };
		model?: ModelChoice;
		catalog?: () => Model[];
	} = {},
) {
	const listModels = jest.fn(async () => opts.catalog?.() ?? []);
	const client = {
		chat,
		listModels,
		waitForFirstFrame: jest.fn(async () => ({})),
	} as unknown as OvershootClient;
	const answers: AskedAnswer[] = [];
	const statuses: AskerStatus[] = [];
	const onFatal = jest.fn();
	const asker = new Asker(
		{
			model: opts.model ?? { kind: 'fixed', id: 'm' },
			prompt: 'Is it red?',
			media: { kind: 'latestFrame' },
			output: { kind: 'text' },
		},
		{ intervalMs: opts.intervalMs ?? 100, firstFrameTimeoutMs: 1000 },
		{
			client,
			streamId: () => ID,
			readiness: opts.ready ?? (() => ({ ok: true })),
			newestFrame: () => frame,
			onAnswer: (a) => void answers.push(a),
			onStatus: (s) => statuses.push(s),
			onFatal,
		},
	);
	return { asker, answers, statuses, onFatal, client };
}

test('builds the request: system prompt, text + ovs part, JSON schema, max tokens', () => {
	const { request, media } = buildChatRequest(
		{
			prompt: 'p',
			systemPrompt: 's',
			media: { kind: 'lastSeconds', seconds: 5, maxFps: 2 },
			output: { kind: 'jsonSchema', schema: { type: 'object' }, name: 'x' },
			maxTokens: 50,
		},
		ID,
	);
	expect(media).toBe(`ovs://streams/${ID}?start_offset_ms=-5000&max_fps=2`);
	expect(request).toEqual({
		max_completion_tokens: 50,
		response_format: {
			type: 'json_schema',
			json_schema: { name: 'x', schema: { type: 'object' }, strict: true },
		},
		messages: [
			{ role: 'system', content: 's' },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'p' },
					{ type: 'video_url', video_url: { url: media } },
				],
			},
		],
	});
	const latest = buildChatRequest(
		{ prompt: 'p', media: { kind: 'latestFrame' }, output: { kind: 'jsonObject' } },
		ID,
	);
	expect(latest.media).toBe(`ovs://streams/${ID}?frame_index=-1`);
	expect((latest.request as ChatRequest).response_format).toEqual({ type: 'json_object' });
	expect(readAnswer(reply('```json\n{"a":1}\n```') as any, { kind: 'jsonObject' }).json).toEqual({
		a: 1,
	});
	expect(readAnswer(reply('oops') as any, { kind: 'jsonObject' }).jsonError).toMatch(
		/not valid JSON/,
	);
});

test('asks on schedule about the newest frame, after waiting for frames', async () => {
	const chat = jest.fn(async () => reply('Yes.'));
	const { asker, answers, client } = setup(chat);
	asker.start();
	await sleep(350);
	await asker.stop();
	expect((client.waitForFirstFrame as jest.Mock).mock.calls.length).toBe(1);
	expect(answers.length).toBeGreaterThanOrEqual(3);
	expect(answers.length).toBeLessThanOrEqual(5);
	expect(answers[0]).toMatchObject({
		answer: 'Yes.',
		streamId: ID,
		frame,
		media: `ovs://streams/${ID}?frame_index=-1`,
	});
});

test('never overlaps: a slow answer skips ticks instead of queueing them', async () => {
	let inFlight = 0,
		maxInFlight = 0;
	const chat = jest.fn(async () => {
		maxInFlight = Math.max(maxInFlight, ++inFlight);
		await sleep(250);
		inFlight--;
		return reply('No');
	});
	const { asker, statuses } = setup(chat);
	asker.start();
	await sleep(700);
	await asker.stop();
	expect(maxInFlight).toBe(1);
	expect(chat.mock.calls.length).toBeLessThanOrEqual(3);
	expect(statuses.some((s) => s.kind === 'ticksSkipped')).toBe(true);
	expect(asker.stats.ticksSkipped).toBeGreaterThanOrEqual(2);
});

test('stop() aborts the question in flight', async () => {
	let signal: AbortSignal | undefined;
	const chat = jest.fn((_req: unknown, opts: { signal: AbortSignal }) => {
		signal = opts.signal;
		return new Promise((_, reject) =>
			opts.signal.addEventListener('abort', () =>
				reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
			),
		);
	});
	const { asker, answers, statuses } = setup(chat);
	asker.start();
	await sleep(50);
	const t0 = Date.now();
	await asker.stop();
	// Without the abort the question would never end (the mock answers only to its signal).
	expect(Date.now() - t0).toBeLessThan(1000);
	expect(signal?.aborted).toBe(true);
	expect(answers).toHaveLength(0);
	expect(statuses.some((s) => s.kind === 'askFailed')).toBe(false);
});

test('not ready → no paid call, a status instead', async () => {
	const chat = jest.fn(async () => reply('x'));
	const { asker, statuses } = setup(chat, { ready: () => ({ ok: false, reason: 'stale' }) });
	asker.start();
	await sleep(250);
	await asker.stop();
	expect(chat).not.toHaveBeenCalled();
	expect(statuses).toContainEqual({ kind: 'notReady', reason: 'stale' });
});

test('transient errors are retried next tick; 402 is fatal; repeated 422 is fatal', async () => {
	let n = 0;
	const flaky = jest.fn(async () => {
		if (++n <= 2) throw new OvershootApiError(503, 'busy', 'later');
		return reply('ok');
	});
	const a = setup(flaky);
	a.asker.start();
	await sleep(450);
	await a.asker.stop();
	expect(a.onFatal).not.toHaveBeenCalled();
	expect(a.answers.length).toBeGreaterThanOrEqual(1);
	expect(a.statuses.filter((s) => s.kind === 'askFailed')).toHaveLength(2);

	const broke = setup(
		jest.fn(async () => Promise.reject(new OvershootApiError(402, 'no credits', 'top up'))),
	);
	broke.asker.start();
	await sleep(150);
	await broke.asker.stop();
	expect(broke.onFatal).toHaveBeenCalledTimes(1);
	expect(broke.onFatal.mock.calls[0][0].message).toMatch(/402/);

	const invalid = setup(
		jest.fn(async () => Promise.reject(new OvershootApiError(422, 'bad', 'fix'))),
	);
	invalid.asker.start();
	await sleep(280);
	expect(invalid.onFatal).toHaveBeenCalledTimes(1);
	await invalid.asker.stop();
});

test('a 409 that repeats is not retried forever: fatal after a few in a row', async () => {
	const conflict = setup(
		jest.fn(async () =>
			Promise.reject(new OvershootApiError(409, 'wrong region', 'use a stream of this region')),
		),
	);
	conflict.asker.start();
	await sleep(450);
	await conflict.asker.stop();
	expect(conflict.onFatal).toHaveBeenCalledTimes(1);
	expect(conflict.onFatal.mock.calls[0][0].message).toMatch(
		/rejected the question 3 times in a row.*409/,
	);
});

const goneError = (model: string) =>
	new OvershootApiError(
		404,
		`Model not found: ${model}`,
		`The model "${model}" is not served by Overshoot (any more). Ready models now: b/b.`,
		{ code: 'model_unavailable', modelGone: true },
	);
const ready = (id: string): Model => ({
	id,
	object: 'model',
	created: 0,
	owned_by: 'overshoot',
	status: 'ready',
});

test('a Specific Model the server no longer serves is fatal at once (the error workflow hears it), with the ready models', async () => {
	const chat = jest.fn(async (req: ChatRequest) => Promise.reject(goneError(req.model)));
	const fixed = setup(chat);
	fixed.asker.start();
	await sleep(250);
	await fixed.asker.stop();
	expect(chat).toHaveBeenCalledTimes(1);
	expect(fixed.onFatal).toHaveBeenCalledTimes(1);
	expect(fixed.onFatal.mock.calls[0][0].message).toMatch(
		/Model not found: m.*Ready models now: b\/b/,
	);
});

test('Automatic: the model of the activation is picked again once when it stops being served, then asking goes on', async () => {
	let served = ['a/a', 'b/b'];
	const chat = jest.fn(async (req: ChatRequest) =>
		served.includes(req.model)
			? { ...reply('Yes'), model: req.model }
			: Promise.reject(goneError(req.model)),
	);
	const auto = setup(chat, { model: AUTOMATIC, catalog: () => served.map(ready) });
	auto.asker.start();
	await sleep(150);
	served = ['b/b'];
	await sleep(300);
	await auto.asker.stop();
	expect(auto.onFatal).not.toHaveBeenCalled();
	expect(auto.statuses).toContainEqual({ kind: 'modelReplaced', from: 'a/a', to: 'b/b' });
	const models = auto.answers.map((a) => a.model);
	expect(models[0]).toBe('a/a');
	expect(models[models.length - 1]).toBe('b/b');
	expect(new Set(models)).toEqual(new Set(['a/a', 'b/b']));
});

test('prompt cache: thread_id only when given (v1beta); the response cache read as the API returns it', () => {
	const spec = {
		model: 'm',
		prompt: 'p',
		media: { kind: 'latestFrame' as const },
		output: { kind: 'text' as const },
	};
	expect(buildChatRequest(spec, ID).request).not.toHaveProperty('thread_id');
	expect(buildChatRequest({ ...spec, threadId: 'n8n-trigger_abc' }, ID).request.thread_id).toBe(
		'n8n-trigger_abc',
	);
	expect(isV1beta('https://api.overshoot.ai/v1beta/')).toBe(true);
	expect(isV1beta('https://api.overshoot.ai/v1')).toBe(false);
	expect(isV1beta('http://127.0.0.1:9/v1beta-proxy/v1')).toBe(false);
	expect(readPromptCache(reply('x') as any)).toBeUndefined(); // v1: no overshoot.cache
	expect(
		readPromptCache({
			...reply('x'),
			overshoot: { cache: { thread_id: 't', cache_hit: true, cached_input_tokens: 12 } },
		} as any),
	).toEqual({ threadId: 't', cacheHit: true, cachedInputTokens: 12 });
});
