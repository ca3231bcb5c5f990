// Start/stop cycles in one process, reporting after each cycle so the parent can read RSS.
//   --mode watcher           the project's Watcher (emulator stream → RTSP source → room) each cycle
//   --mode rtc --variant V   minimal rtc-node, to isolate a leak in the SDK itself:
//       plain             new Room + VideoSource + track, publish frames, disconnect, source.close()
//       reuse-source      one VideoSource for every cycle (new Room and track each time)
//       unpublish-first   await unpublishTrack() before disconnect
//       close-track-first track.close() before disconnect
//       connect-only      Room connect/disconnect, nothing published
import { childArgs, runChild, send, stopRequested } from '../lib/ipc';
import { minimalPublisher, rtc, withTimeout } from '../lib/rtc';
import { buildWatcher } from '../lib/watcher-setup';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = () => (global as { gc?: () => void }).gc?.();

async function rtcCycle(
	a: Record<string, string>,
	shared: { source?: import('@livekit/rtc-node').VideoSource },
) {
	const r = rtc();
	const w = 640;
	const h = 360;
	if (a.variant === 'connect-only') {
		const room = new r.Room();
		await withTimeout(
			room.connect(a.url, a.token, { autoSubscribe: false, dynacast: false }),
			15_000,
			'connect',
		);
		await sleep(Number(a.publishMs));
		await withTimeout(room.disconnect(), 10_000, 'disconnect');
		return;
	}
	if (a.variant === 'reuse-source') shared.source ??= new r.VideoSource(w, h);
	const pub = await minimalPublisher(a.url, a.token, w, h, 5, shared.source);
	const frame = new Uint8Array(w * h * 1.5).fill(100);
	for (let t = 0; t < Number(a.publishMs); t += 200) {
		frame[0] = t & 0xff;
		pub.publish(frame, 'I420');
		await sleep(200);
	}
	await pub.close({
		unpublishFirst: a.variant === 'unpublish-first',
		closeTrackFirst: a.variant === 'close-track-first',
	});
}

async function watcherCycle(a: Record<string, string>) {
	const watcher = buildWatcher({
		baseUrl: a.baseUrl,
		rtsp: a.rtsp,
		options: { intervalSeconds: 1 },
	});
	await watcher.start();
	await sleep(Number(a.publishMs));
	await watcher.stop();
}

runChild(async () => {
	const a = childArgs();
	const cycles = Number(a.cycles);
	const shared: { source?: import('@livekit/rtc-node').VideoSource } = {};
	send({ type: 'ready' });
	const stop = stopRequested();
	let stopping = false;
	void stop.then(() => (stopping = true));
	for (let i = 1; i <= cycles && !stopping; i++) {
		const t = Date.now();
		if (a.mode === 'watcher') await watcherCycle(a);
		else await rtcCycle(a, shared);
		gc();
		await sleep(300);
		gc();
		send({
			type: 'event',
			name: 'cycle',
			data: { i, ms: Date.now() - t, heapMb: process.memoryUsage().heapUsed / 2 ** 20 },
		});
		// Quiet while the parent reads /proc/<pid>/status.
		await sleep(200);
	}
	send({ type: 'event', name: 'cycles-done', data: {} });
	await stop;
	await shared.source?.close();
	send({ type: 'result', data: {} });
	await rtc().dispose();
});
