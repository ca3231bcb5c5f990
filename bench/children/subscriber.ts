// A subscriber in the room, standing in for Overshoot's ingest: subscribes to every video track,
// records when each frame arrived and, with --stamp, the frame counter drawn in it.
// Result: per publisher identity, arrival times (ms) and [counter, arrival ms] pairs.
import { childArgs, runChild, send, stopRequested } from '../lib/ipc';
import { readStamp } from '../lib/stamp';
import { rtc, withTimeout } from '../lib/rtc';

interface TrackLog {
	arrivals: number[];
	stamps: Array<[number, number]>;
	undecoded: number;
	width: number;
	height: number;
}

runChild(async () => {
	const args = childArgs();
	const r = rtc();
	const decode = args.stamp === '1';
	const logs = new Map<string, TrackLog>();
	const streams: Array<ReadableStream<unknown>> = [];
	const room = new r.Room();
	room.on(r.RoomEvent.TrackSubscribed, (track, _pub, participant) => {
		if (track.kind !== r.TrackKind.KIND_VIDEO) return;
		const id = participant.identity;
		const log: TrackLog = logs.get(id) ?? {
			arrivals: [],
			stamps: [],
			undecoded: 0,
			width: 0,
			height: 0,
		};
		logs.set(id, log);
		send({ type: 'event', name: 'subscribed', data: { identity: id } });
		const stream = new r.VideoStream(track);
		streams.push(stream);
		void (async () => {
			// Read continuously: VideoStream has no backpressure, an unread stream grows memory.
			for await (const { frame } of stream) {
				const at = Date.now();
				log.arrivals.push(at);
				log.width = frame.width;
				log.height = frame.height;
				if (!decode) continue;
				const i420 =
					frame.type === r.VideoBufferType.I420 ? frame : frame.convert(r.VideoBufferType.I420);
				const n = readStamp(i420.data, frame.width, frame.height);
				if (n === undefined) log.undecoded++;
				else log.stamps.push([n, at]);
			}
		})().catch(() => undefined);
	});
	await withTimeout(
		room.connect(args.url, args.token, { autoSubscribe: true, dynacast: false }),
		15_000,
		'subscriber connect',
	);
	send({ type: 'ready' });
	await stopRequested();
	const out: Record<string, TrackLog> = Object.fromEntries(logs);
	send({ type: 'result', data: { tracks: out } });
	await Promise.all(streams.map((s) => s.cancel().catch(() => undefined)));
	await withTimeout(room.disconnect(), 10_000, 'subscriber disconnect').catch(() => undefined);
	await r.dispose();
});
