// Stopping the watcher when things hang, against real parts (livekit-server, the emulator, the
// publisher child process): the stop stays within its bound (well inside n8n's 30 s graceful
// shutdown), the billed stream is deleted at once rather than after the other steps, and nothing
// is left running. What hangs: a source whose stop() never returns (a stuck decoder), the
// publisher process frozen with SIGSTOP (it cannot leave the room, only be killed), a question the
// server never answers, and in the second test a DELETE the server never answers either.

import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { ENGINE_STOP_BOUND_MS } from '../../nodes/Overshoot/watch/teardown';
import { Watcher } from '../../nodes/Overshoot/watch/watcher';
import type { WatcherOptionsInput } from '../../nodes/Overshoot/watch/options';
import { startEmulator, type Emulator } from '../../emulator/server';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { descendants } from '../../harness/proc-tree';
import { waitFor } from '../../harness/wait';
import { ColourSource, participantsIn } from './watch-helpers';
import { TEST_MODEL } from '../../emulator/models';

/** A source whose stop() never returns, as a decoder that ignores its signals would. */
class StuckSource extends ColourSource {
	override stop(): Promise<void> {
		void super.stop(); // the frames stop; the promise never settles
		return new Promise<void>(() => undefined);
	}
}

let lk: LivekitServer;
let emu: Emulator;

beforeAll(async () => {
	lk = await startLivekit();
	emu = await startEmulator({
		livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
		ttlSeconds: 30,
	});
});
afterEach(async () => {
	await emu.control.reset();
	for (const p of publisherChildren()) killQuietly(p.pid, 'SIGKILL');
});
afterAll(async () => {
	await emu?.close();
	await lk?.stop();
});

const publisherChildren = () =>
	descendants(process.pid).filter((p) => p.cmdline.includes('publisher-child'));
function killQuietly(pid: number, signal: NodeJS.Signals) {
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

const options: WatcherOptionsInput = {
	model: TEST_MODEL,
	prompt: 'Is the scene red?',
	condition: { kind: 'yes' },
	intervalSeconds: 1,
	fire: { mode: 'everyMatch', cooldownSeconds: 0, consecutive: 1 },
};

/** Starts a watcher, then makes everything but the server's DELETE hang; returns when a question is in flight. */
async function hungWatcher() {
	const client = new OvershootClient(
		fetchTransport({ baseUrl: emu.baseUrl, apiKey: `ovs-teardown-${Math.random()}` }),
		{ retry: { baseDelayMs: 50, maxDelayMs: 500 } },
	);
	const source = new StuckSource([220, 30, 30], { fps: 5 });
	const watcher = new Watcher(options, {
		client,
		createSource: () => source,
		onMatch: () => undefined,
		onFatal: () => undefined,
	});
	await watcher.start();
	const streamId = watcher.streamId!;
	const [child] = publisherChildren();
	expect(child).toBeDefined();
	await emu.control.setLatency(30_000, { path: '/chat/completions' });
	// The next question (asked every second) goes out and is never answered.
	await new Promise((r) => setTimeout(r, 1500));
	process.kill(child.pid, 'SIGSTOP');
	return { watcher, streamId, child };
}

test(`a stop with a stuck source, a frozen publisher and an unanswered question deletes the stream at once and ends within ${ENGINE_STOP_BOUND_MS / 1000} s`, async () => {
	const { watcher, streamId, child } = await hungWatcher();
	const stopAt = Date.now();
	await watcher.stop();
	const took = Date.now() - stopAt;
	const deleted = emu.control
		.requests()
		.find((r) => r.method === 'DELETE' && r.path.endsWith(`/streams/${streamId}`));
	console.log(
		`teardown with hung steps: stop took ${took} ms, DELETE answered ${deleted ? deleted.atMs - stopAt : 'never'} ms after the stop began`,
	);
	expect(deleted?.status).toBe(200);
	// At once: before the frozen publisher is given up on (its close waits 8 s before SIGKILL).
	expect(deleted!.atMs - stopAt).toBeLessThan(3000);
	expect(took).toBeLessThanOrEqual(ENGINE_STOP_BOUND_MS + 1500);
	// Nothing left: the frozen publisher was killed, the stream ended, the room is empty.
	await waitFor(
		'the publisher process to be gone',
		() => !descendants(process.pid).some((p) => p.pid === child.pid),
		5000,
		100,
	);
	const state = await emu.control.state();
	expect(state.streams.find((s) => s.id === streamId)?.state).toBe('ended');
	expect(await participantsIn(lk, `ovs-${streamId}`)).toEqual([]);
});

test(`when the server also never answers the DELETE, the stop still ends within ${ENGINE_STOP_BOUND_MS / 1000} s`, async () => {
	const { watcher, child } = await hungWatcher();
	await emu.control.setLatency(30_000, { method: 'DELETE', path: '/streams' });
	const stopAt = Date.now();
	await watcher.stop();
	const took = Date.now() - stopAt;
	console.log(
		`teardown with everything hung: stop took ${took} ms (bound ${ENGINE_STOP_BOUND_MS} ms)`,
	);
	expect(took).toBeLessThanOrEqual(ENGINE_STOP_BOUND_MS + 1500);
	await waitFor(
		'the publisher process to be gone',
		() => !descendants(process.pid).some((p) => p.pid === child.pid),
		5000,
		100,
	);
});
