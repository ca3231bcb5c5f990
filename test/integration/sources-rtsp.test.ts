// RtspSource against the real GStreamer test camera (127.0.0.1 only), read by each camera
// reader in turn: real ffmpeg and real gst-launch-1.0. Same behaviour contract for both.

import { readFileSync } from 'node:fs';
import { frameByteLength } from '../../nodes/Overshoot/watch/frame';
import type { WatchLogger } from '../../nodes/Overshoot/watch/logger';
import type { RtspReader } from '../../nodes/Overshoot/watch/sources/rtsp-reader';
import {
	CAMERA_RESTART_BACKOFF,
	RtspSource,
	type RtspSourceOptions,
} from '../../nodes/Overshoot/watch/sources/rtsp-source';
import { createSource } from '../../nodes/Overshoot/watch/sources';
import { FFMPEG_BIN } from '../../harness/paths';
import { freePort } from '../../harness/processes';
import { startRtspServer, type RtspServer } from '../../harness/rtsp';
import { i420Means, rgbToYuv, yuvDistance } from '../support/stamp';
import { processesMatching, recorder, zombieChildren, type Recorder } from './sources-sink';

const RED = 'ff0000';
const BLUE = '0000ff';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function camera(opts: Parameters<typeof startRtspServer>[0]): Promise<RtspServer> {
	const server = await startRtspServer(opts);
	cleanups.push(() => server.stop());
	return server;
}

let reader: RtspReader = 'ffmpeg';

function source(opts: Partial<RtspSourceOptions> & { url: string }): {
	src: RtspSource;
	rec: Recorder;
} {
	const src = new RtspSource({
		width: 160,
		height: 120,
		fps: 5,
		ffmpegPath: FFMPEG_BIN,
		reader,
		...opts,
	});
	const rec = recorder();
	src.start(rec);
	cleanups.push(() => src.stop());
	return { src, rec };
}

const lastKind = (rec: Recorder, kind: string) => rec.statuses.filter((s) => s.kind === kind).pop();
type Interrupted = Extract<Recorder['statuses'][number], { kind: 'interrupted' }>;
const interruptionsOf = (rec: Recorder) =>
	rec.statuses.filter((s): s is Interrupted => s.kind === 'interrupted');

describe.each(['ffmpeg', 'gstreamer'] as const)(
	'RtspSource read by %s (GStreamer RTSP server)',
	(name) => {
		beforeAll(() => {
			reader = name;
		});

		it('delivers I420 frames of the requested size and rate with the scene colour, and sees a colour change', async () => {
			const cam = await camera({ width: 320, height: 240, fps: 15, color: RED });
			const { rec } = source({ url: cam.url, width: 160, height: 120, fps: 5 });
			await rec.waitFor('first frame', 15_000, () => rec.frames[0]);
			expect(rec.statuses[0]).toMatchObject({ kind: 'started' });
			expect((rec.statuses[0] as { detail: string }).detail).toContain(cam.url);
			expect((rec.statuses[0] as { detail: string }).detail).toContain(
				name === 'gstreamer' ? 'via GStreamer' : 'via ffmpeg',
			);

			const from = rec.frames.length;
			const t0 = Date.now();
			await new Promise((r) => setTimeout(r, 3000));
			const rate = ((rec.frames.length - from) * 1000) / (Date.now() - t0);
			expect(rate).toBeGreaterThan(4);
			expect(rate).toBeLessThan(6);

			const f = rec.frames[rec.frames.length - 1];
			expect(f).toMatchObject({ width: 160, height: 120, format: 'I420' });
			expect(f.data.length).toBe(frameByteLength('I420', 160, 120));
			expect(f.data.byteOffset).toBe(0);
			expect(f.data.buffer.byteLength).toBe(f.data.length);
			expect(Math.abs(f.capturedAtMs - Date.now())).toBeLessThan(2000);
			expect(rec.frames.map((x) => x.seq)).toEqual(rec.frames.map((_, i) => i));
			expect(yuvDistance(i420Means(f), rgbToYuv(RED))).toBeLessThan(12);

			await cam.setColor(BLUE);
			const changedAt = Date.now();
			const blue = await rec.waitFor('a blue frame', 5000, () =>
				rec.frames.find(
					(x) => x.capturedAtMs >= changedAt && yuvDistance(i420Means(x), rgbToYuv(BLUE)) < 12,
				),
			);
			expect(blue.capturedAtMs - changedAt).toBeLessThan(2000);
			expect(rec.fatals).toEqual([]);
		});

		it('letterboxes a different aspect ratio on black instead of stretching', async () => {
			const cam = await camera({ width: 320, height: 240, fps: 10, color: 'ffffff' });
			const { rec } = source({ url: cam.url, width: 320, height: 180, fps: 5 });
			const f = await rec.waitFor('a frame', 15_000, () => rec.frames[2]);
			const y = (x: number, row: number) => f.data[row * 320 + x];
			expect(y(5, 90)).toBeLessThan(30); // black bar on the left (4:3 inside 16:9)
			expect(y(160, 90)).toBeGreaterThan(200); // white picture in the middle
		});

		it('authenticates with encoded credentials, including a blank password via createSource', async () => {
			const password = 'p@ss:w/rd %';
			const cam = await camera({ username: 'viewer', password, color: RED });
			const { rec } = source({ url: cam.url, username: 'viewer', password });
			await rec.waitFor('an authenticated frame', 15_000, () => rec.frames[0]);

			const open = await camera({ username: 'nopass', password: '', color: BLUE });
			const src = createSource({
				kind: 'rtsp',
				url: open.url,
				username: 'nopass',
				password: '',
				width: 160,
				height: 120,
				fps: 5,
				ffmpegPath: FFMPEG_BIN,
				reader,
			});
			const rec2 = recorder();
			src.start(rec2);
			cleanups.push(() => src.stop());
			await rec2.waitFor('a frame with a blank password', 15_000, () => rec2.frames[0]);
		});

		it('also reads the camera over UDP when asked', async () => {
			const cam = await camera({ color: RED });
			const { rec } = source({ url: cam.url, transport: 'udp' });
			const f = await rec.waitFor('a frame over udp', 15_000, () => rec.frames[2]);
			expect(yuvDistance(i420Means(f), rgbToYuv(RED))).toBeLessThan(12);
		});

		it('a wrong password is fatal at once with the auth reason, and the password appears nowhere', async () => {
			const cam = await camera({ username: 'viewer', password: 'right-one' });
			const wrong = 'Wr0ng-Secret!';
			const { rec } = source({
				url: cam.url,
				username: 'viewer',
				password: wrong,
				maxDownMs: 60_000,
			});
			const err = await rec.waitFor('fatal', 15_000, () => rec.fatals[0]);
			expect(err.message).toMatch(
				/the camera rejected the username\/password \(401 Unauthorized\)/,
			);
			expect(err.message).toContain(cam.url);
			expect(rec.statuses.filter((s) => s.kind === 'interrupted')).toEqual([]);
			expect(rec.allText()).not.toContain(wrong);
			expect(rec.allText()).not.toContain(encodeURIComponent(wrong));
		});

		it('a wrong path is fatal with "path not found"', async () => {
			const cam = await camera({});
			const { rec } = source({ url: cam.url.replace('/cam', '/nope') });
			const err = await rec.waitFor('fatal', 15_000, () => rec.fatals[0]);
			expect(err.message).toMatch(/path not found/);
		});

		it('an unreachable port is interrupted with growing backoff, then fatal after maxDownMs', async () => {
			const port = await freePort();
			const started = Date.now();
			const { rec } = source({
				url: `rtsp://127.0.0.1:${port}/cam`,
				username: 'u',
				password: 'hunter22',
				maxDownMs: 4000,
				backoff: { initialMs: 300, maxMs: 1500, jitter: 0 },
			});
			const err = await rec.waitFor('fatal', 15_000, () => rec.fatals[0]);
			const elapsed = Date.now() - started;
			expect(elapsed).toBeGreaterThanOrEqual(3900);
			expect(elapsed).toBeLessThan(7000);
			const interruptions = interruptionsOf(rec);
			expect(interruptions.length).toBeGreaterThanOrEqual(3);
			expect(interruptions.slice(0, 3).map((s) => s.retryInMs)).toEqual([300, 600, 1200]);
			expect(interruptions[0].reason).toMatch(/connection refused/);
			expect(new Set(interruptions.map((s) => s.downSinceMs)).size).toBe(1);
			expect(err.message).toMatch(
				new RegExp(
					`^Camera rtsp://127\\.0\\.0\\.1:${port}/cam: down for .* last reason: connection refused`,
				),
			);
			expect(rec.allText()).not.toContain('hunter22');
			expect(processesMatching(`127.0.0.1:${port}`)).toEqual([]);
		});

		it('a camera that stays down is retried 0.5 s after it drops, then at most 4 s apart (the default backoff waits up to 30 s)', async () => {
			const port = await freePort();
			const { rec } = source({ url: `rtsp://127.0.0.1:${port}/cam` });
			// 0.5, 1, 2, 4, 4 s ± 20 %: the fifth delay is known ~7.5 s in. With the one backoff's
			// defaults the delays would be 1, 2, 4, 8, 16 s: a camera back after 8 s waited 7 s more.
			const interruptions = await rec.waitFor('five interruptions', 20_000, () => {
				const seen = interruptionsOf(rec);
				return seen.length >= 5 ? seen : undefined;
			});
			const delays = interruptions.slice(0, 5).map((s) => s.retryInMs);
			expect(delays[0]).toBeGreaterThanOrEqual(400);
			expect(delays[0]).toBeLessThanOrEqual(600);
			expect(Math.max(...delays)).toBeLessThanOrEqual(CAMERA_RESTART_BACKOFF.maxMs!);
			expect(delays[4]).toBeGreaterThanOrEqual(0.8 * CAMERA_RESTART_BACKOFF.maxMs!);
			expect(rec.fatals).toEqual([]);
		});

		it('a killed camera is interrupted, and recovered once it is back; seq keeps counting', async () => {
			const cam = await camera({ fps: 15, color: RED });
			const { rec } = source({ url: cam.url, backoff: { initialMs: 500, maxMs: 2000, jitter: 0 } });
			await rec.waitFor('frames', 15_000, () => rec.frames[3]);
			await cam.kill();
			const interrupted = await rec.waitFor('interrupted', 5000, () =>
				lastKind(rec, 'interrupted'),
			);
			expect((interrupted as { reason: string }).reason).toMatch(
				/ended the stream|closed the connection|refused/,
			);
			const before = rec.frames.length;
			await new Promise((r) => setTimeout(r, 1500));
			await cam.restart();
			const recovered = await rec.waitFor('recovered', 15_000, () => lastKind(rec, 'recovered'));
			expect((recovered as { downForMs: number }).downForMs).toBeGreaterThan(1000);
			await rec.waitFor('frames after recovery', 5000, () => rec.frames[before + 2]);
			expect(rec.frames.map((x) => x.seq)).toEqual(rec.frames.map((_, i) => i));
			expect(rec.fatals).toEqual([]);
		});

		it('a frozen camera (SIGSTOP) is restarted by the watchdog within stallTimeoutMs + a margin', async () => {
			const cam = await camera({ fps: 15 });
			const stallTimeoutMs = 2000;
			const { rec } = source({
				url: cam.url,
				stallTimeoutMs,
				backoff: { initialMs: 300, maxMs: 1000, jitter: 0 },
			});
			await rec.waitFor('frames', 15_000, () => rec.frames[3]);
			cam.freeze();
			const frozenAt = Date.now();
			const interrupted = await rec.waitFor('watchdog', stallTimeoutMs + 3000, () =>
				lastKind(rec, 'interrupted'),
			);
			const lastFrameAt = rec.frames[rec.frames.length - 1].capturedAtMs;
			expect(interrupted.atMs - lastFrameAt).toBeGreaterThanOrEqual(stallTimeoutMs - 50);
			expect(interrupted.atMs - frozenAt).toBeLessThan(stallTimeoutMs + 1500);
			expect((interrupted as { reason: string }).reason).toMatch(/no frame for 2\.\d s/);
			cam.resume();
			await rec.waitFor('recovered', 15_000, () => lastKind(rec, 'recovered'));
		});

		it('stop() leaves no ffmpeg process and no zombie, and is idempotent', async () => {
			const cam = await camera({});
			const { src, rec } = source({ url: cam.url });
			await rec.waitFor('frames', 15_000, () => rec.frames[1]);
			const needle = `127.0.0.1:${cam.port}/cam`;
			expect(processesMatching(needle).length).toBe(1);
			await Promise.all([src.stop(), src.stop()]);
			await src.stop();
			expect(processesMatching(needle)).toEqual([]);
			expect(zombieChildren()).toEqual([]);
			const n = rec.frames.length;
			await new Promise((r) => setTimeout(r, 500));
			expect(rec.frames.length).toBe(n);
		});

		it('skips an audio track listed before the video', async () => {
			const cam = await camera({ audio: true, color: RED });
			const { rec } = source({ url: cam.url });
			const f = await rec.waitFor('a frame from a camera with audio', 15_000, () => rec.frames[2]);
			expect(yuvDistance(i420Means(f), rgbToYuv(RED))).toBeLessThan(12);
			expect(rec.fatals).toEqual([]);
		});

		if (name === 'ffmpeg') {
			it('a missing ffmpeg binary is a clear fatal error', async () => {
				const { rec } = source({
					url: 'rtsp://127.0.0.1:9/cam',
					ffmpegPath: '/nonexistent/bin/ffmpeg',
				});
				const err = await rec.waitFor('fatal', 5000, () => rec.fatals[0]);
				expect(err.message).toMatch(
					/ffmpeg was not found.*\/nonexistent\/bin\/ffmpeg.*apt-get install ffmpeg/,
				);
			});
		}

		if (name === 'gstreamer') {
			it('a missing gst-launch-1.0 is a clear fatal error naming the package', async () => {
				const { rec } = source({
					url: 'rtsp://127.0.0.1:9/cam',
					gstLaunchPath: '/nonexistent/bin/gst-launch-1.0',
				});
				const err = await rec.waitFor('fatal', 10_000, () => rec.fatals[0]);
				expect(err.message).toMatch(
					/GStreamer is missing gst-launch-1\.0 \(package gstreamer1\.0-tools\).*apt-get install gstreamer1\.0-tools.*camera reader to ffmpeg/,
				);
			});

			it('a missing H.264 decoder is fatal and names gstreamer1.0-libav', async () => {
				const cam = await camera({});
				// Real decodebin, with every H.264 decoder ranked out of auto-plugging.
				const saved = process.env.GST_PLUGIN_FEATURE_RANK;
				process.env.GST_PLUGIN_FEATURE_RANK = 'avdec_h264:NONE,openh264dec:NONE';
				cleanups.push(async () => {
					if (saved === undefined) delete process.env.GST_PLUGIN_FEATURE_RANK;
					else process.env.GST_PLUGIN_FEATURE_RANK = saved;
				});
				const { rec } = source({ url: cam.url, maxDownMs: 60_000 });
				const err = await rec.waitFor('fatal', 15_000, () => rec.fatals[0]);
				expect(err.message).toMatch(
					/no decoder for the camera's video \(H\.264.*apt-get install gstreamer1\.0-libav/,
				);
				expect(rec.statuses.filter((s) => s.kind === 'interrupted')).toEqual([]);
			});
		}
	},
);

describe('RtspSource camera reader "auto"', () => {
	it('picks GStreamer on this host (it has every package), says so in the log and the status, and delivers frames', async () => {
		const cam = await camera({ color: BLUE });
		const logs: string[] = [];
		const logger: WatchLogger = {
			debug: () => undefined,
			info: (m) => logs.push(m),
			warn: (m) => logs.push(m),
			error: (m) => logs.push(m),
		};
		const { src, rec } = source({ url: cam.url, reader: 'auto', logger });
		const f = await rec.waitFor('a frame', 15_000, () => rec.frames[1]);
		expect(src.reader).toBe('gstreamer');
		expect(logs).toEqual([
			expect.stringMatching(/^Camera reader: GStreamer \(auto: GStreamer is installed/),
		]);
		expect((rec.statuses[0] as { detail: string }).detail).toContain('via GStreamer');
		expect(yuvDistance(i420Means(f), rgbToYuv(BLUE))).toBeLessThan(12);
	});

	it('falls back to ffmpeg when gst-launch-1.0 is not there, and says why', async () => {
		const cam = await camera({ color: RED });
		const logs: string[] = [];
		const logger: WatchLogger = {
			debug: () => undefined,
			info: (m) => logs.push(m),
			warn: (m) => logs.push(m),
			error: (m) => logs.push(m),
		};
		const { src, rec } = source({
			url: cam.url,
			reader: 'auto',
			logger,
			gstLaunchPath: '/nonexistent/bin/gst-launch-1.0',
		});
		await rec.waitFor('a frame', 15_000, () => rec.frames[1]);
		expect(src.reader).toBe('ffmpeg');
		expect(logs).toEqual([
			expect.stringMatching(
				/^Camera reader: ffmpeg \(auto: GStreamer is missing gst-launch-1\.0 \(package gstreamer1\.0-tools\)/,
			),
		]);
	});

	it('a camera with a login: the password is on no command line, the reader inherits no n8n secret, and the choice is logged', async () => {
		const password = 'Cmdline-S3cret pw';
		const cam = await camera({ username: 'viewer', password, color: RED });
		const logs: string[] = [];
		const logger: WatchLogger = {
			debug: () => undefined,
			info: (m) => logs.push(m),
			warn: (m) => logs.push(m),
			error: (m) => logs.push(m),
		};
		process.env.N8N_ENCRYPTION_KEY = 'n8n-key-must-not-leak';
		cleanups.push(async () => void delete process.env.N8N_ENCRYPTION_KEY);
		for (const preference of ['auto', 'gstreamer'] as const) {
			logs.length = 0;
			const { src, rec } = source({
				url: cam.url,
				username: 'viewer',
				password,
				reader: preference,
				logger,
			});
			const f = await rec.waitFor(
				`an authenticated frame (${preference})`,
				15_000,
				() => rec.frames[1],
			);
			expect(yuvDistance(i420Means(f), rgbToYuv(RED))).toBeLessThan(12);
			expect(src.reader).toBe('ffmpeg');
			expect(logs).toEqual([
				expect.stringMatching(
					preference === 'auto'
						? /^Camera reader: ffmpeg \(the camera has a login, and gst-launch-1\.0 could only take it on its command line/
						: /^Camera reader: ffmpeg \(GStreamer was chosen in the options, but the camera has a login/,
				),
			]);
			// Every process's command line, as any local user can read them (the test camera's too: it takes its password from its environment).
			for (const form of [password, encodeURIComponent(password)])
				expect(processesMatching(form)).toEqual([]);
			const pid = processesMatching('-protocol_whitelist')[0];
			expect(pid).toBeDefined();
			const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			expect(environ.some((v) => v.startsWith('N8N_ENCRYPTION_KEY='))).toBe(false);
			expect(environ.some((v) => v.startsWith('PATH='))).toBe(true);
			await src.stop();
		}
	});
});
