// The test camera's stamp mode: frame numbers survive H.264 → ffmpeg scaling → VP8, so the
// latency benchmark can read them back from what a receiver sees.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Frame } from '../../nodes/Overshoot/watch/frame';
import { RtspSource } from '../../nodes/Overshoot/watch/sources/rtsp-source';
import { FFMPEG_BIN } from '../../harness/paths';
import { startRtspServer, type RtspServer } from '../../harness/rtsp';
import { readStamp } from '../support/stamp';
import { recorder } from './sources-sink';

const run = promisify(execFile);

let cam: RtspServer;
let src: RtspSource | undefined;
beforeAll(async () => {
	cam = await startRtspServer({ width: 640, height: 480, fps: 15, color: '3060c0', stamp: true });
});
afterAll(async () => {
	await src?.stop();
	await cam.stop();
});

/** Round-trips I420 frames through libvpx (VP8 at a low bitrate) and back. */
async function throughVp8(frames: Frame[], width: number, height: number): Promise<Uint8Array[]> {
	const raw = Buffer.concat(frames.map((f) => f.data));
	const args = [
		'-hide_banner',
		'-loglevel',
		'error',
		'-f',
		'rawvideo',
		'-pix_fmt',
		'yuv420p',
		'-s',
		`${width}x${height}`,
		'-r',
		'15',
		'-i',
		'pipe:0',
	];
	const encodeDecode = `${FFMPEG_BIN} ${args.join(' ')} -c:v libvpx -b:v 150k -deadline realtime -cpu-used 8 -f webm - | ${FFMPEG_BIN} -hide_banner -loglevel error -i - -f rawvideo -pix_fmt yuv420p -`;
	const child = run('sh', ['-c', encodeDecode], {
		encoding: 'buffer',
		maxBuffer: 64 * 1024 * 1024,
		timeout: 60_000,
	});
	child.child.stdin!.end(raw);
	const { stdout } = await child;
	const size = (width * height * 3) / 2;
	const out: Uint8Array[] = [];
	for (let at = 0; at + size <= stdout.length; at += size)
		out.push(new Uint8Array(stdout.subarray(at, at + size)));
	return out;
}

it.each(['ffmpeg', 'gstreamer'] as const)(
	'%s: frame numbers read back in order, map to send times, and survive VP8',
	async (reader) => {
		await src?.stop();
		src = new RtspSource({
			url: cam.url,
			width: 320,
			height: 240,
			fps: 15,
			ffmpegPath: FFMPEG_BIN,
			reader,
		});
		const rec = recorder();
		src.start(rec);
		await rec.waitFor('30 frames', 20_000, () => rec.frames[29]);
		const frames = rec.frames.slice(0, 30);
		const stamps = frames.map((f) => readStamp(f));
		const read = stamps.filter((s): s is number => s !== undefined);
		expect(read.length).toBeGreaterThanOrEqual(28);
		for (let i = 1; i < read.length; i++) expect(read[i]).toBeGreaterThan(read[i - 1]);
		// Glass-to-frame latency from the stamp: positive and well under a second on loopback.
		const latencies = frames
			.slice(10)
			.map((f) => f.capturedAtMs - cam.frameTimeMs(readStamp(f) ?? NaN))
			.filter(Number.isFinite);
		const median = latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)];
		expect(median).toBeGreaterThan(0);
		expect(median).toBeLessThan(800);

		const vp8 = await throughVp8(frames, 320, 240);
		expect(vp8.length).toBe(frames.length);
		const vp8Stamps = vp8.map((data) =>
			readStamp({ data, width: 320, height: 240, format: 'I420' }),
		);
		const agree = vp8Stamps.filter((s, i) => s !== undefined && s === stamps[i]).length;
		expect(agree).toBeGreaterThanOrEqual(27);
	},
);
