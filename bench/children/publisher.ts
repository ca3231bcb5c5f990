// One publishing pipeline in its own process, so the parent can read its CPU and RSS from /proc.
//   --source synthetic   stamped I420 frames made here on a drift-free clock (the reference floor)
//   --source ffmpeg      RTSP → ffmpeg rawvideo I420 → captureFrame, the minimal pipeline
//   --source project     the project's createSource → RoomPublisher (see project-pipeline.ts)
import { spawn } from 'node:child_process';
import { childArgs, runChild, send, stopRequested } from '../lib/ipc';
import { minimalPublisher, rtc } from '../lib/rtc';
import { drawStamp } from '../lib/stamp';

runChild(async () => {
	const a = childArgs();
	const width = Number(a.width ?? 640);
	const height = Number(a.height ?? 360);
	const fps = Number(a.fps ?? 5);
	if (a.source === 'project') {
		const { runProjectPipeline } = await import('./project-pipeline');
		return runProjectPipeline(a);
	}
	const pub = await minimalPublisher(a.url, a.token, width, height, fps);
	let published = 0;
	let stopFrames: () => Promise<void>;
	if (a.source === 'synthetic') {
		// Frame n is due at epoch + n/fps; scheduling against the epoch keeps the rate exact.
		const frame = new Uint8Array(width * height * 1.5).fill(128);
		const epochMs = Date.now() + 200;
		let n = 0;
		let timer: NodeJS.Timeout;
		const tick = () => {
			drawStamp(frame, width, height, n & 0xffff);
			pub.publish(frame, 'I420');
			published++;
			n++;
			timer = setTimeout(tick, Math.max(0, epochMs + (n * 1000) / fps - Date.now()));
		};
		timer = setTimeout(tick, epochMs - Date.now());
		send({ type: 'ready', info: { epochMs, fps } });
		stopFrames = async () => clearTimeout(timer);
	} else {
		const size = width * height * 1.5;
		const ff = spawn(
			'ffmpeg',
			[
				'-hide_banner',
				'-nostdin',
				'-loglevel',
				'error',
				// Decode frame by frame: frame threading would hold ~threads frames back (latency).
				...(a.lowDelay === '0' ? [] : ['-flags', 'low_delay', '-fflags', 'nobuffer']),
				'-rtsp_transport',
				'tcp',
				'-timeout',
				'5000000',
				'-i',
				a.rtsp,
				'-an',
				'-vf',
				`fps=${fps},scale=${width}:${height}`,
				'-pix_fmt',
				'yuv420p',
				'-f',
				'rawvideo',
				'pipe:1',
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		// Cut the byte stream into frames; each frame gets its own buffer at offset 0 (rtc-node ignores byteOffset).
		// captureFrame copies synchronously, so one buffer serves every frame.
		const frame = new Uint8Array(size);
		let filled = 0;
		ff.stdout.on('data', (chunk: Buffer) => {
			let off = 0;
			while (off < chunk.length) {
				const n = Math.min(size - filled, chunk.length - off);
				frame.set(chunk.subarray(off, off + n), filled);
				filled += n;
				off += n;
				if (filled === size) {
					pub.publish(frame, 'I420');
					published++;
					filled = 0;
				}
			}
		});
		send({ type: 'ready', info: { pid: ff.pid } });
		stopFrames = () =>
			new Promise((resolve) => {
				if (ff.exitCode !== null) return resolve();
				ff.once('exit', () => resolve());
				ff.kill('SIGTERM');
				setTimeout(() => ff.kill('SIGKILL'), 3000).unref();
			});
	}
	await stopRequested();
	await stopFrames();
	send({ type: 'result', data: { published } });
	await pub.close();
	await rtc().dispose();
});
