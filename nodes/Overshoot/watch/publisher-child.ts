// Entry point of the publisher process that PublisherProcess forks: one RoomPublisher, driven by
// IPC messages, fed by the frame pipe on fd 3. Exits when told to close or when n8n goes away.

import net from 'node:net';

import { bounded } from './bounded';
import { startHeapReport } from './heap-report';
import type { WatchLogger } from './logger';
import { loadRtc } from './native';
import { RoomPublisher } from './publisher';
import type { PublisherTarget } from './publisher-types';
import { FRAME_FD, FrameReader, type FromPublisher, type ToPublisher } from './publisher-channel';

function send(message: FromPublisher) {
	if (process.connected) process.send!(message);
}

const logger: WatchLogger = {
	debug: (message, meta) => send({ type: 'log', level: 'debug', message, meta }),
	info: (message, meta) => send({ type: 'log', level: 'info', message, meta }),
	warn: (message, meta) => send({ type: 'log', level: 'warn', message, meta }),
	error: (message, meta) => send({ type: 'log', level: 'error', message, meta }),
};

let publisher: RoomPublisher | undefined;
let exiting = false;
let nextRequestId = 1;
const targetRequests = new Map<number, (target: PublisherTarget | null) => void>();

/** Asks the parent for the session's newest publish token (a rejoin must not reuse an old one). */
function freshTarget(): Promise<PublisherTarget | null> {
	const id = nextRequestId++;
	return new Promise((resolve) => {
		const timer = setTimeout(() => (targetRequests.delete(id), resolve(null)), 10_000);
		targetRequests.set(
			id,
			(target) => (clearTimeout(timer), targetRequests.delete(id), resolve(target)),
		);
		send({ type: 'freshTarget', id });
	});
}

async function connect(message: Extract<ToPublisher, { type: 'connect' }>) {
	const created = new RoomPublisher(message.options, {
		freshTarget,
		// 'connected' is answered below; the parent reports it (and 'reconnected' after a restart).
		onStatus: (status) => {
			if (status.kind !== 'connected')
				send({ type: 'status', status, live: created.isLive, rejoins: created.stats.rejoins });
		},
		onFatal: (error) => send({ type: 'fatal', message: error.message }),
		logger,
	});
	publisher = created;
	try {
		await created.connect(message.target);
		send({ type: 'connected' });
	} catch (error) {
		send({ type: 'connectFailed', message: (error as Error).message });
	}
}

async function exit(code: number) {
	if (exiting) return;
	exiting = true;
	await bounded(publisher?.close(), 6000);
	// rtc-node's FFI keeps the event loop alive until dispose(); this process has nothing else to do.
	await bounded(loadRtc().dispose(), 1000);
	process.exit(code);
}

function main() {
	startHeapReport();
	try {
		loadRtc();
	} catch (error) {
		send({ type: 'loadFailed', message: (error as Error).message });
		process.exit(1);
	}
	// No allocation per frame or per read. captureFrame copies the pixels into a libwebrtc buffer
	// inside its synchronous FFI call (livekit-ffi colorcvt::to_libwebrtc_buffer), so one frame
	// buffer and one read buffer serve the whole run. With 'data' events every pipe read allocated
	// a 64 KiB Buffer and every frame a 350 KB one: garbage this process only spent CPU collecting.
	const reader = new FrameReader((frame) => publisher?.publish(frame), { reuse: true });
	const readBuffer = Buffer.allocUnsafe(256 * 1024);
	// `onread` is a documented option of new net.Socket() (nodejs/node#54194, Node 12+); the @types/node
	// here predates that and lists it for connect() only, hence the widened type.
	const socketOptions: net.SocketConstructorOpts & { onread: net.OnReadOpts } = {
		fd: FRAME_FD,
		readable: true,
		writable: false,
		onread: {
			buffer: readBuffer,
			callback: (bytes) => {
				reader.push(readBuffer.subarray(0, bytes));
				return true;
			},
		},
	};
	const frames = new net.Socket(socketOptions);
	frames.on('error', () => void exit(1));
	process.on('message', (message: ToPublisher) => {
		if (message.type === 'connect') void connect(message);
		else if (message.type === 'rejoin') publisher?.rejoin(message.reason);
		else if (message.type === 'freshTarget') targetRequests.get(message.id)?.(message.target);
		else if (message.type === 'close') void exit(0);
	});
	// n8n exited or crashed: leave the room rather than haunt it until LiveKit's timeout.
	process.on('disconnect', () => void exit(0));
	send({ type: 'ready' });
}

main();
