// The watcher end to end against real parts: livekit-server + the Overshoot emulator (which joins
// the room, decodes the published video and answers about its pixels). Frames come from a
// synthetic solid-colour source at 5 fps.

import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { loadSharp } from '../../nodes/Overshoot/watch/native';
import {
	Watcher,
	WatcherStoppedError,
	type WatchEvent,
	type WatcherDeps,
	type WatcherStatus,
} from '../../nodes/Overshoot/watch/watcher';
import type { WatcherOptionsInput } from '../../nodes/Overshoot/watch/options';
import { RtspSource } from '../../nodes/Overshoot/watch/sources/rtsp-source';
import { startEmulator, type Emulator } from '../../emulator/server';
import { FFMPEG_BIN } from '../../harness/paths';
import { freePort } from '../../harness/processes';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { waitFor } from '../../harness/wait';
import { ColourSource, participantsIn, type Rgb } from './watch-helpers';
import { TEST_MODEL } from '../../emulator/models';

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [30, 40, 220];
let lk: LivekitServer;
let emu: Emulator;
let client: OvershootClient;

beforeAll(async () => {
	lk = await startLivekit();
	emu = await startEmulator({
		livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
		ttlSeconds: 3,
	});
	client = new OvershootClient(fetchTransport({ baseUrl: emu.baseUrl, apiKey: 'ovs-test-key' }), {
		retry: { baseDelayMs: 50, maxDelayMs: 500 },
	});
});
afterAll(async () => {
	await emu?.close();
	await lk?.stop();
});

const base = (patch: Partial<WatcherOptionsInput> = {}): WatcherOptionsInput => ({
	model: TEST_MODEL,
	prompt: 'Is the scene red?',
	condition: { kind: 'yes' },
	intervalSeconds: 1,
	fire: { mode: 'everyMatch', cooldownSeconds: 0, consecutive: 1 },
	...patch,
});

function harness(options: WatcherOptionsInput, colour: Rgb = RED, deps: Partial<WatcherDeps> = {}) {
	const source = new ColourSource(colour, { fps: 5 });
	const matches: WatchEvent[] = [];
	const answers: WatchEvent[] = [];
	const statuses: WatcherStatus[] = [];
	const onFatal = jest.fn();
	const watcher = new Watcher(options, {
		client,
		createSource: () => source,
		onMatch: (e) => void matches.push(e),
		onAnswer: (e) => void answers.push(e),
		onStatus: (s) => statuses.push(s),
		onFatal,
		...deps,
	});
	return { source, watcher, matches, answers, statuses, onFatal };
}

async function noLeftovers(streamId: string | undefined) {
	const state = await emu.control.state();
	for (const s of state.streams) expect(s.state).toBe('ended');
	if (streamId) expect(await participantsIn(lk, `ovs-${streamId}`)).toEqual([]);
	await waitFor(
		'rooms to close',
		async () => (await emu.control.state()).openRooms.length === 0,
		10_000,
		200,
	);
}

async function decodeCentre(jpeg: Buffer): Promise<Rgb> {
	const { data, info } = await loadSharp()(jpeg).raw().toBuffer({ resolveWithObject: true });
	const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
	return [data[i], data[i + 1], data[i + 2]];
}

test('asks, matches, fires with a snapshot of the asked frame; stops matching when the scene changes; leaves nothing', async () => {
	const h = harness(base());
	await h.watcher.start();
	const streamId = h.watcher.streamId;
	try {
		await waitFor('a match', () => h.matches.length > 0, 30_000);
		const e = h.matches[0];
		expect(e.answer).toMatch(/^Yes\./);
		expect(e).toMatchObject({
			condition: { kind: 'yes', matched: true },
			fire: { fired: true },
			streamId,
			model: TEST_MODEL,
		});
		expect(e.question.media).toBe(`ovs://streams/${streamId}?frame_index=-1`);
		expect(e.frame!.ageMs).toBeGreaterThanOrEqual(0);
		expect(e.frame!.ageMs).toBeLessThan(1000);
		expect(e.snapshot!.width).toBe(320);
		expect(e.snapshot!.seq).toBe(e.frame!.seq);
		const [r, g, b] = await decodeCentre(e.snapshot!.jpeg);
		expect(r).toBeGreaterThan(180);
		expect(g).toBeLessThan(70);
		expect(b).toBeLessThan(70);

		h.source.colour = BLUE;
		await waitFor('a "No." answer', () => h.answers.some((a) => /^No\./.test(a.answer)), 20_000);
		const matchesAfterBlue = h.matches.length;
		await new Promise((r) => setTimeout(r, 2500));
		expect(h.matches.length).toBe(matchesAfterBlue);
		const notFired = h.answers.filter((a) => !a.fire.fired);
		expect(notFired.every((a) => a.snapshot === undefined)).toBe(true); // snapshots only on fire
		expect(h.onFatal).not.toHaveBeenCalled();
	} finally {
		await h.watcher.stop();
	}
	await noLeftovers(streamId);
	expect(h.source.stopped).toBe(true);
});

test('change gate: a still scene costs one paid call plus heartbeats; a change is still detected', async () => {
	const h = harness(
		base({
			condition: { kind: 'always' },
			changeGate: { enabled: true, sensitivity: 50, maxSkipSeconds: 60 },
		}),
	);
	await h.watcher.start();
	const streamId = h.watcher.streamId!;
	try {
		await waitFor('first answer', () => h.answers.length === 1, 30_000);
		await new Promise((r) => setTimeout(r, 4000));
		const calls = (await emu.control.state()).chatCalls.byStream[streamId];
		expect(calls).toBe(1);
		expect(h.watcher.stats().asker!.skippedUnchanged).toBeGreaterThanOrEqual(3);
		h.source.colour = BLUE;
		await waitFor(
			'an answer about the new colour',
			() => h.answers.some((a) => /blue/i.test(a.answer)),
			10_000,
		);
		expect((await emu.control.state()).chatCalls.byStream[streamId]).toBe(2);
	} finally {
		await h.watcher.stop();
	}
});

test('onBecomingTrue + matches in a row + lease kept alive past a 3 s ttl', async () => {
	const h = harness(base({ fire: { mode: 'onBecomingTrue', cooldownSeconds: 0, consecutive: 2 } }));
	await h.watcher.start();
	const streamId = h.watcher.streamId!;
	try {
		await waitFor('the first fire', () => h.matches.length === 1, 30_000);
		const firstFire = h.answers.indexOf(h.matches[0]);
		expect(firstFire).toBeGreaterThanOrEqual(1); // needed two yeses in a row
		await waitFor('two more answers', () => h.answers.length >= firstFire + 3, 15_000);
		expect(h.matches).toHaveLength(1); // still true: no new event
		h.source.colour = BLUE;
		await waitFor('a no', () => h.answers.some((a) => /^No/.test(a.answer)), 15_000);
		h.source.colour = RED;
		await waitFor('the second fire', () => h.matches.length === 2, 20_000);
		// The run lasted well past the 3 s ttl: keepalives kept the same stream alive.
		const s = (await emu.control.state()).streams.find((x) => x.id === streamId)!;
		expect(s.state).toBe('active');
		expect(h.watcher.streamId).toBe(streamId);
		expect(h.statuses.filter((x) => x.kind === 'renewed').length).toBeGreaterThanOrEqual(3);
	} finally {
		await h.watcher.stop();
	}
});

test('LiveKit server restart mid-run: the publisher recovers and frames reach Overshoot again', async () => {
	const h = harness(base({ condition: { kind: 'always' } }));
	await h.watcher.start();
	const streamId = h.watcher.streamId!;
	try {
		await waitFor('an answer', () => h.answers.length > 0, 30_000);
		await lk.restart();
		const framesAt = async () =>
			(await emu.control.state()).streams.find((x) => x.id === streamId)!.framesReceived;
		const before = await framesAt();
		await waitFor(
			'frames flowing again after the restart',
			async () => (await framesAt()) > before + 10,
			60_000,
			500,
		);
		h.source.colour = BLUE;
		await waitFor(
			'an answer about blue after the restart',
			() => h.answers.some((a) => /blue/i.test(a.answer)),
			30_000,
		);
		expect(h.onFatal).not.toHaveBeenCalled();
	} finally {
		await h.watcher.stop();
	}
	await noLeftovers(streamId);
});

test('stop() mid-create and mid-connect leaves no stream and no participant', async () => {
	emu.control.setLatency(800, { method: 'POST', path: '/streams' });
	try {
		const h = harness(base());
		const starting = h.watcher.start();
		await new Promise((r) => setTimeout(r, 200));
		await h.watcher.stop();
		await expect(starting).rejects.toBeInstanceOf(WatcherStoppedError);
		await waitFor(
			'the late-created stream to be deleted',
			async () => (await emu.control.state()).streams.every((s) => s.state === 'ended'),
			10_000,
			100,
		);
		expect(h.source.stopped).toBe(true);
	} finally {
		emu.control.setLatency(0);
	}
	// mid-connect: stop as soon as the stream exists
	const h2 = harness(base());
	const starting2 = h2.watcher.start();
	await waitFor('the stream to exist', () => h2.watcher.streamId, 10_000, 5);
	await h2.watcher.stop();
	await starting2.catch((e) => expect(e).toBeInstanceOf(WatcherStoppedError));
	await noLeftovers(h2.watcher.streamId);
	await waitFor(
		'no participant',
		async () => (await participantsIn(lk, `ovs-${h2.watcher.streamId}`)).length === 0,
		10_000,
		200,
	);
});

test('a fatal source error: full teardown, then onFatal exactly once', async () => {
	const h = harness(base());
	await h.watcher.start();
	const streamId = h.watcher.streamId;
	h.source.fail(new Error('camera refused the password'));
	h.source.fail(new Error('again'));
	await waitFor('onFatal', () => h.onFatal.mock.calls.length > 0, 15_000);
	expect(h.onFatal).toHaveBeenCalledTimes(1);
	expect(h.onFatal.mock.calls[0][0].message).toMatch(/password/);
	// teardown happened before onFatal
	const s = (await emu.control.state()).streams.find((x) => x.id === streamId)!;
	expect(s.state).toBe('ended');
	await h.watcher.stop(); // idempotent after fatal
	await noLeftovers(streamId);
});

test("a camera that never delivers: no question is asked (the room only has the track's black frames), and the error names the camera and the cause", async () => {
	await emu.control.reset();
	const port = await freePort(); // connection refused
	const url = `rtsp://127.0.0.1:${port}/cam`;
	const onFatal = jest.fn();
	const watcher = new Watcher(base({ limits: { sourceDownSeconds: 4 } }), {
		client,
		createSource: () =>
			new RtspSource({
				url,
				width: 160,
				height: 120,
				fps: 5,
				ffmpegPath: FFMPEG_BIN,
				reader: 'ffmpeg',
			}),
		onMatch: () => undefined,
		onFatal,
	});
	await watcher.start();
	const streamId = watcher.streamId;
	await waitFor('onFatal', () => onFatal.mock.calls.length > 0, 20_000);
	expect(onFatal.mock.calls[0][0].message).toMatch(
		new RegExp(
			`^Camera rtsp://127\\.0\\.0\\.1:${port}/cam delivered no frame for [45] s \\(limit 4 s\\): connection refused: nothing is listening at that address and port \\(camera offline or wrong port\\)\\.$`,
		),
	);
	expect(emu.control.chatCalls()).toEqual([]);
	await noLeftovers(streamId);
});

// A 300 s lease (keepalive every 100 s), unlike this file's 3 s one: streams nobody keeps alive
// stay open, and a keepalive is minutes away.
describe('with a 300 s lease', () => {
	let emu300: Emulator;
	beforeAll(async () => {
		emu300 = await startEmulator({
			livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
			ttlSeconds: 300,
		});
	});
	afterAll(async () => {
		await emu300?.close();
	});
	const clientFor = (apiKey: string) =>
		new OvershootClient(fetchTransport({ baseUrl: emu300.baseUrl, apiKey }), {
			retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 200 },
		});
	// Each test ends what it opened: every active stream is the current test's.
	const activeStreams = async () =>
		(await emu300.control.state()).streams.filter((x) => x.state === 'active').map((x) => x.id);

	test('a stream ended at the server: the next question notices, and it is replaced within seconds, not at the next keepalive', async () => {
		const h = harness(base({ condition: { kind: 'always' } }), RED, {
			client: clientFor('ovs-test-key'),
		});
		try {
			await h.watcher.start();
			const first = h.watcher.streamId!;
			await waitFor('a first answer', () => h.answers.length >= 1, 20_000);
			await emu300.control.expire(first); // as when the stream dies at the server
			await waitFor('the stream replaced', () => h.watcher.streamId !== first, 15_000);
			const n = h.answers.length;
			await waitFor(
				'an answer about the new stream',
				() => h.answers.slice(n).some((a) => a.streamId === h.watcher.streamId),
				20_000,
			);
			expect([
				...new Set(
					h.statuses.filter((x) => x.kind === 'lost' || x.kind === 'replaced').map((x) => x.kind),
				),
			]).toEqual(['lost', 'replaced']);
			expect(h.onFatal).not.toHaveBeenCalled();
		} finally {
			await h.watcher.stop();
		}
		expect(await activeStreams()).toEqual([]);
	});

	describe("the key's stream cap is full (5 streams held by another workflow)", () => {
		async function holdAllSlots(c: OvershootClient): Promise<string[]> {
			const held: string[] = [];
			for (let i = 0; i < 5; i++) held.push((await c.createStream()).id);
			await expect(c.createStream()).rejects.toThrow(/429/);
			return held;
		}

		test('an active trigger: start() resolves, the watcher logs why it waits, and watches as soon as a slot frees', async () => {
			const c = clientFor('ovs-cap-key');
			const held = await holdAllSlots(c);
			const h = harness(base(), RED, { client: c, waitForStreamSlot: true });
			try {
				await h.watcher.start(); // does not block (n8n activates workflows one after another)
				expect(h.watcher.streamId).toBeUndefined();
				const waiting = h.statuses.filter((x) => x.kind === 'waitingForSlot');
				expect(waiting).toHaveLength(1);
				expect(waiting[0].message).toMatch(
					/^Waiting for a free stream \(attempt 1, next in [4-6] s\): Overshoot refused a new one: Concurrent stream limit reached \(5 active streams per API key\)\. This API key already has 5 streams open/,
				);
				expect(h.answers).toEqual([]);
				await c.deleteStream(held.shift()!);
				await waitFor('a match once a slot freed', () => h.matches.length >= 1, 30_000);
				expect(h.watcher.streamId).toBeDefined();
				expect(await activeStreams()).toContain(h.watcher.streamId);
				expect(h.onFatal).not.toHaveBeenCalled();
			} finally {
				await h.watcher.stop();
				for (const id of held) await c.deleteStream(id);
			}
			expect(await activeStreams()).toEqual([]);
		});

		test('stopped while it waits: stop() is prompt, no stream is created, onFatal is not called', async () => {
			const c = clientFor('ovs-cap-key');
			const held = await holdAllSlots(c);
			const h = harness(base(), RED, { client: c, waitForStreamSlot: true });
			try {
				await h.watcher.start();
				await waitFor('the wait', () => h.statuses.some((x) => x.kind === 'waitingForSlot'), 5_000);
				const t = Date.now();
				await h.watcher.stop();
				expect(Date.now() - t).toBeLessThan(2_000);
				await c.deleteStream(held.shift()!); // a slot frees after the stop: nothing takes it
				await new Promise((r) => setTimeout(r, 6_500)); // past the next attempt the wait would have made
				expect(await activeStreams()).toEqual(held);
				expect(h.onFatal).not.toHaveBeenCalled();
				expect(h.source.stopped).toBe(true);
			} finally {
				for (const id of held) await c.deleteStream(id);
			}
		});

		test("a test run (no waiting): start() rejects at once with the cap's explanation, nothing left running", async () => {
			const c = clientFor('ovs-cap-key');
			const held = await holdAllSlots(c);
			const h = harness(base(), RED, { client: c });
			try {
				await expect(h.watcher.start()).rejects.toThrow(/429.*5 active streams per API key/);
				expect(h.statuses.some((x) => x.kind === 'waitingForSlot')).toBe(false);
				expect(await activeStreams()).toEqual(held);
			} finally {
				for (const id of held) await c.deleteStream(id);
			}
		});
	});
});
