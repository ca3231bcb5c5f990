// runCheck against livekit-server + the emulator: publishes N seconds, asks once about the clip,
// returns answer + snapshot, and always deletes the stream (also on failure and abort).

import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { runCheck } from '../../nodes/Overshoot/watch/one-shot';
import { RtspSource } from '../../nodes/Overshoot/watch/sources/rtsp-source';
import { FFMPEG_BIN } from '../../harness/paths';
import { freePort } from '../../harness/processes';
import { startEmulator, type Emulator } from '../../emulator/server';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { waitFor } from '../../harness/wait';
import { ColourSource } from './watch-helpers';
import { TEST_MODEL } from '../../emulator/models';

let lk: LivekitServer;
let emu: Emulator;
let client: OvershootClient;
beforeAll(async () => {
	lk = await startLivekit();
	emu = await startEmulator({
		livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
	});
	client = new OvershootClient(fetchTransport({ baseUrl: emu.baseUrl, apiKey: 'ovs-test-key' }), {
		retry: { baseDelayMs: 50, maxDelayMs: 500 },
	});
});
afterAll(async () => {
	await emu?.close();
	await lk?.stop();
});

const allEnded = async () => (await emu.control.state()).streams.every((s) => s.state === 'ended');

test('publishes for N seconds, asks about the clip as JSON, returns snapshot, deletes the stream', async () => {
	const source = new ColourSource([30, 200, 40], { fps: 5 });
	const result = await runCheck(
		{
			model: TEST_MODEL,
			prompt: 'Is the scene green?',
			publishSeconds: 2,
			output: { kind: 'jsonObject' },
		},
		{ client, createSource: () => source },
	);
	// The clip reaches back only to the source's first frame (200 ms after it started at 5 fps):
	// before it the room carries only the video track's own black frames.
	expect(result.media).toMatch(
		new RegExp(`^ovs://streams/${result.streamId}\\?start_offset_ms=-(1[6-9]00|2000)&max_fps=1$`),
	);
	expect(result.json).toMatchObject({ dominant_color: 'green' });
	expect(result.framesPublished).toBeGreaterThanOrEqual(5);
	expect(result.snapshot!.jpeg.length).toBeGreaterThan(100);
	expect(source.stopped).toBe(true);
	expect(await allEnded()).toBe(true);
});

test('a failing question and an abort both still delete the stream', async () => {
	emu.control.inject({ status: 402, path: '/chat/completions', times: 1 });
	await expect(
		runCheck(
			{
				model: TEST_MODEL,
				prompt: 'Is it red?',
				publishSeconds: 1,
				media: { kind: 'latestFrame' },
			},
			{ client, createSource: () => new ColourSource([200, 0, 0]) },
		),
	).rejects.toThrow(/402/);
	expect(await allEnded()).toBe(true);

	const abort = new AbortController();
	setTimeout(() => abort.abort(new Error('cancelled')), 300);
	await expect(
		runCheck(
			{ model: TEST_MODEL, prompt: 'Is it red?', publishSeconds: 5 },
			{ client, createSource: () => new ColourSource([200, 0, 0]), signal: abort.signal },
		),
	).rejects.toThrow();
	await waitFor('every stream ended', allEnded, 10_000, 100);
});

test('a camera that never delivers is an error naming it and the cause; nothing is asked or billed, the stream is deleted', async () => {
	await emu.control.reset();
	const port = await freePort(); // nothing listens there: connection refused
	const url = `rtsp://127.0.0.1:${port}/cam`;
	const error = await runCheck(
		{ model: TEST_MODEL, prompt: 'Is the parking lot empty?', publishSeconds: 2 },
		{
			client,
			createSource: () =>
				new RtspSource({
					url,
					username: 'viewer',
					password: 'Never-Shown-pw',
					width: 160,
					height: 120,
					fps: 5,
					ffmpegPath: FFMPEG_BIN,
					reader: 'ffmpeg',
				}),
		},
	).catch((e: Error) => e);
	expect(error).toBeInstanceOf(Error);
	expect((error as Error).message).toBe(
		`Camera ${url} delivered no frame in 2 s: connection refused: nothing is listening at that address and port (camera offline or wrong port). Nothing was asked, so no question was billed.`,
	);
	const state = await emu.control.state();
	expect(emu.control.chatCalls()).toEqual([]);
	expect(state.creates).toBe(1);
	expect(state.streams.every((s) => s.state === 'ended')).toBe(true);
});

test('a delete that fails is reported as such: stream_deleted is false and says how long the stream stays billed', async () => {
	await emu.control.reset();
	emu.control.inject({ method: 'DELETE', path: '/streams/', status: 500, times: 10 });
	const result = await runCheck(
		{
			model: TEST_MODEL,
			prompt: 'Is it red?',
			publishSeconds: 1,
			media: { kind: 'latestFrame' },
		},
		{ client, createSource: () => new ColourSource([200, 0, 0]) },
	);
	emu.control.clearFaults();
	expect(result.streamDeleted).toBe(false);
	expect(result.streamDeleteError).toMatch(
		new RegExp(
			`^The stream ${result.streamId} could not be deleted \\(Overshoot API error 500: .*\\); it stays billed until its lease runs out, within 300 s\\.$`,
		),
	);
	const open = (await emu.control.state()).streams
		.filter((s) => s.state === 'active')
		.map((s) => s.id);
	expect(open).toEqual([result.streamId]);
	await client.deleteStream(result.streamId);
});
