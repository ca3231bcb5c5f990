// "When the Picture Changes": the pure schedule (ask-schedule.ts), the change gate's first-change
// report, and the asker's change loop with a scripted client (no clock: a change asks at once,
// the minimum gap holds, follow-ups and the heartbeat keep asking, never two in flight).

import type { OvershootClient } from '../../nodes/Overshoot/api/client';
import { Asker, type AskedAnswer } from '../../nodes/Overshoot/watch/asker';
import { nextQuestion, type ChangeSchedule } from '../../nodes/Overshoot/watch/ask-schedule';
import { ChangeGate } from '../../nodes/Overshoot/watch/change-gate';
import type { Frame } from '../../nodes/Overshoot/watch/frame';
import { rgbToI420 } from '../../nodes/Overshoot/watch/i420';
import { waitFor } from '../../harness/wait';

const ID = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';
const S: ChangeSchedule = { minGapMs: 3000, heartbeatMs: 60_000, settleMs: 150 };

describe('nextQuestion', () => {
	test('the first question is asked at once', () => {
		expect(nextQuestion(S, { nowMs: 1000, followUp: false })).toEqual({
			atMs: 1000,
			reason: 'first question',
		});
	});

	test('a change asks settleMs after the changed frame, once the minimum gap has passed', () => {
		expect(
			nextQuestion(S, { nowMs: 10_000, lastAskedAtMs: 0, changedAtMs: 9_990, followUp: false }),
		).toEqual({ atMs: 10_140, reason: 'picture changed' });
		// Within the gap: deferred to its end, not dropped.
		expect(
			nextQuestion(S, { nowMs: 1_000, lastAskedAtMs: 0, changedAtMs: 900, followUp: false }),
		).toEqual({ atMs: 3_000, reason: 'picture changed' });
	});

	test('without a change: the heartbeat; with a follow-up: the end of the gap', () => {
		expect(nextQuestion(S, { nowMs: 5_000, lastAskedAtMs: 0, followUp: false })).toEqual({
			atMs: 60_000,
			reason: 'heartbeat',
		});
		expect(nextQuestion(S, { nowMs: 5_000, lastAskedAtMs: 0, followUp: true })).toEqual({
			atMs: 3_000,
			reason: 'follow-up',
		});
	});

	test('the earliest reason wins; an overdue heartbeat asks now', () => {
		expect(nextQuestion(S, { nowMs: 70_000, lastAskedAtMs: 0, followUp: false }).atMs).toBe(60_000);
		expect(
			nextQuestion(
				{ ...S, heartbeatMs: 3000 },
				{ nowMs: 100, lastAskedAtMs: 0, changedAtMs: 2_850, followUp: false },
			).reason,
		).toBe('picture changed');
	});
});

const W = 160,
	H = 90;
let seq = 0;
const flat = (y: number, capturedAtMs = Date.now()): Frame => {
	const data = rgbToI420(128, 128, 128, W, H);
	data.fill(y, 0, W * H);
	return { data, width: W, height: H, format: 'I420', seq: seq++, capturedAtMs };
};

describe('ChangeGate.observe', () => {
	test('reports only the first frame beyond the threshold, and forgets it once asked about', () => {
		const gate = new ChangeGate({ sensitivity: 50, maxSkipSeconds: 300 });
		expect(gate.observe(flat(100), 1)).toBe(false); // no reference yet
		gate.asked(flat(100), 2, 2);
		expect(gate.observe(flat(101), 3)).toBe(false);
		expect(gate.changedAtMs).toBeUndefined();
		expect(gate.observe(flat(30), 4)).toBe(true);
		expect(gate.observe(flat(30), 5)).toBe(false);
		expect(gate.changedAtMs).toBe(4);
		gate.asked(flat(30), 6, 7);
		expect(gate.changedAtMs).toBeUndefined();
	});

	test('a change while the question was in flight stays pending, stamped no earlier than the answer', () => {
		const gate = new ChangeGate({ sensitivity: 50, maxSkipSeconds: 300 });
		gate.asked(flat(100), 0, 0);
		const askedAbout = flat(100);
		gate.observe(flat(30), 100); // arrives while the question (about askedAbout) is in flight
		gate.asked(askedAbout, 50, 400);
		expect(gate.changedAtMs).toBe(400);
	});
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reply = (content: string) => ({
	id: 'c',
	object: 'chat.completion',
	created: 0,
	model: 'm',
	choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

function changeAsker(
	schedule: ChangeSchedule,
	opts: { followUp?: () => boolean; answerMs?: number; fail?: boolean } = {},
) {
	const gate = new ChangeGate({ sensitivity: 50, maxSkipSeconds: 300 });
	let newest = flat(100);
	let inFlight = 0,
		maxInFlight = 0;
	const chat = jest.fn(async () => {
		maxInFlight = Math.max(maxInFlight, ++inFlight);
		await sleep(opts.answerMs ?? 20);
		inFlight--;
		if (opts.fail) throw new Error('connection reset');
		return reply('No.');
	});
	const client = {
		chat,
		waitForFirstFrame: jest.fn(async () => ({})),
	} as unknown as OvershootClient;
	const answers: AskedAnswer[] = [];
	const asker = new Asker(
		{
			model: { kind: 'fixed', id: 'm' },
			prompt: 'Is it red?',
			media: { kind: 'latestFrame' },
			output: { kind: 'text' },
		},
		{ intervalMs: schedule.heartbeatMs, firstFrameTimeoutMs: 1000, schedule },
		{
			client,
			streamId: () => ID,
			readiness: () => ({ ok: true }),
			newestFrame: () => newest,
			changeGate: gate,
			wantsFollowUp: opts.followUp,
			onAnswer: (a) => void answers.push(a),
			onFatal: jest.fn(),
		},
	);
	/** A new frame arrives, as the watcher delivers it. */
	const show = (f: Frame) => {
		newest = f;
		if (gate.observe(f)) asker.wake();
	};
	return { asker, answers, chat, show, maxInFlight: () => maxInFlight };
}

test('asks once at start, then at once (after the settle delay) when the picture changes, not on a clock', async () => {
	const t = changeAsker({ minGapMs: 200, heartbeatMs: 60_000, settleMs: 50 });
	t.asker.start();
	await waitFor('the first answer', () => t.answers.length > 0, 10_000, 10);
	await sleep(300);
	expect(t.answers.map((a) => a.gate?.reason)).toEqual(['first question']);
	const changedAt = Date.now();
	const changed = flat(20);
	t.show(changed);
	await waitFor('the answer about the change', () => t.answers.length > 1, 10_000, 10);
	await t.asker.stop();
	expect(t.answers.map((a) => a.gate?.reason)).toEqual(['first question', 'picture changed']);
	expect(t.answers[1].askedAtMs - changedAt).toBeGreaterThanOrEqual(45);
	expect(t.answers[1].frame).toBe(changed);
}, 30_000);

test('a busy picture asks at most once per minimum gap, never two at a time', async () => {
	const t = changeAsker({ minGapMs: 250, heartbeatMs: 60_000, settleMs: 0 }, { answerMs: 60 });
	const started = Date.now();
	t.asker.start();
	for (let i = 0; i < 16; i++) {
		t.show(flat(i % 2 ? 20 : 200));
		await sleep(50);
	}
	await t.asker.stop();
	const elapsed = Date.now() - started;
	const times = t.answers.map((a) => a.askedAtMs);
	for (let i = 1; i < times.length; i++)
		expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
	expect(times.length).toBeGreaterThanOrEqual(2);
	expect(t.chat.mock.calls.length).toBeLessThanOrEqual(Math.floor(elapsed / 250) + 1); // one per gap, however busy
	expect(t.maxInFlight()).toBe(1);
}, 20_000);

test('follow-ups ask again after the gap while the condition is undecided; the heartbeat otherwise', async () => {
	let undecided = true;
	const t = changeAsker(
		{ minGapMs: 100, heartbeatMs: 400, settleMs: 0 },
		{ followUp: () => undecided },
	);
	t.asker.start();
	await waitFor('three answers', () => t.answers.length >= 3, 10_000, 10);
	expect(t.answers.slice(0, 3).map((a) => a.gate?.reason)).toEqual([
		'first question',
		'follow-up',
		'follow-up',
	]);
	undecided = false;
	const decidedAt = Date.now();
	const n = t.answers.length;
	await waitFor('two more answers', () => t.answers.length >= n + 2, 10_000, 10);
	await t.asker.stop();
	const later = t.answers.filter((a) => a.askedAtMs > decidedAt);
	expect(new Set(later.map((a) => a.gate?.reason))).toEqual(new Set(['heartbeat']));
	for (let i = 1; i < later.length; i++)
		expect(later[i].askedAtMs - later[i - 1].askedAtMs).toBeGreaterThanOrEqual(400);
}, 30_000);

test('a question that fails is tried again one minimum gap later, never in a tight loop', async () => {
	const t = changeAsker(
		{ minGapMs: 200, heartbeatMs: 60_000, settleMs: 0 },
		{ fail: true, answerMs: 1 },
	);
	const started = Date.now();
	t.asker.start();
	await waitFor('three attempts', () => t.chat.mock.calls.length >= 3, 10_000, 10);
	await t.asker.stop();
	expect(t.chat.mock.calls.length).toBeLessThanOrEqual(
		Math.floor((Date.now() - started) / 200) + 1,
	);
}, 30_000);
