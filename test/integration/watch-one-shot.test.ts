// runCheck against livekit-server + the emulator: publishes N seconds, asks once about the clip,
// returns answer + snapshot, and always deletes the stream (also on failure and abort).

import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { runCheck } from '../../nodes/Overshoot/watch/one-shot';
import { startEmulator, type Emulator } from '../emulator/server';
import { startLivekit, type LivekitServer } from '../support/livekit';
import { waitFor } from '../support/wait';
import { ColourSource } from './watch-helpers';

let lk: LivekitServer;
let emu: Emulator;
let client: OvershootClient;
beforeAll(async () => {
	lk = await startLivekit();
	emu = await startEmulator({ livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret } });
	client = new OvershootClient(fetchTransport({ baseUrl: emu.baseUrl, apiKey: 'ovs-test-key' }), { retry: { baseDelayMs: 50, maxDelayMs: 500 } });
});
afterAll(async () => {
	await emu?.close();
	await lk?.stop();
});

const allEnded = async () => (await emu.control.state()).streams.every((s) => s.state === 'ended');

test('publishes for N seconds, asks about the clip as JSON, returns snapshot, deletes the stream', async () => {
	const source = new ColourSource([30, 200, 40], { fps: 5 });
	const result = await runCheck(
		{ model: 'google/gemma-4-26B-A4B-it', prompt: 'Is the scene green?', publishSeconds: 2, output: { kind: 'jsonObject' } },
		{ client, createSource: () => source },
	);
	expect(result.media).toBe(`ovs://streams/${result.streamId}?start_offset_ms=-2000&max_fps=1`);
	expect(result.json).toMatchObject({ dominant_color: 'green' });
	expect(result.framesPublished).toBeGreaterThanOrEqual(5);
	expect(result.snapshot!.jpeg.length).toBeGreaterThan(100);
	expect(source.stopped).toBe(true);
	expect(await allEnded()).toBe(true);
});

test('a failing question and an abort both still delete the stream', async () => {
	emu.control.inject({ status: 402, path: '/chat/completions', times: 1 });
	await expect(
		runCheck({ model: 'google/gemma-4-26B-A4B-it', prompt: 'Is it red?', publishSeconds: 1, media: { kind: 'latestFrame' } }, { client, createSource: () => new ColourSource([200, 0, 0]) }),
	).rejects.toThrow(/402/);
	expect(await allEnded()).toBe(true);

	const abort = new AbortController();
	setTimeout(() => abort.abort(new Error('cancelled')), 300);
	await expect(
		runCheck({ model: 'google/gemma-4-26B-A4B-it', prompt: 'Is it red?', publishSeconds: 5 }, { client, createSource: () => new ColourSource([200, 0, 0]), signal: abort.signal }),
	).rejects.toThrow();
	await waitFor('every stream ended', allEnded, 10_000, 100);
});
