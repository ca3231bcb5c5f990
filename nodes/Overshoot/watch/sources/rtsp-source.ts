// A live RTSP camera through GStreamer or ffmpeg (rtsp-reader.ts picks), supervised: restarts
// when it drops or freezes, fatal only for a wrong password / path, a missing program, or when it
// stays down past `maxDownMs`.

import { frameByteLength, type FrameSink, type FrameSource } from '../frame';
import { silentLogger, type WatchLogger } from '../logger';
import { classifyExit } from './classify';
import { classifyGstExit, gstErrorSummary } from './classify-gst';
import { FfmpegProcess, rawOutputArgs } from './ffmpeg-process';
import { FramePacer } from './frame-pacer';
import { GST_ENV, GST_FRAME_FD, gstRtspArgs } from './gst-pipeline';
import { MediaProcess } from './media-process';
import { checkOutputSize } from './options';
import type { BackoffOptions } from '../../api/backoff';
import { redact } from '../../api/redact';
import {
	chooseRtspReader,
	parseRtspReader,
	type Detect,
	type RtspReader,
	type RtspReaderPreference,
} from './rtsp-reader';
import { buildRtspUrl, type RtspTarget } from './rtsp-url';
import {
	Supervisor,
	DEFAULT_STALL_TIMEOUT_MS,
	type AttemptHandlers,
	type SupervisorTimings,
} from './supervisor';

/** Watchdog, backoff and give-up timings come from SupervisorTimings (shared with video files). */
export interface RtspSourceOptions extends SupervisorTimings {
	url: string;
	username?: string;
	password?: string;
	width: number;
	height: number;
	fps: number;
	transport?: 'tcp' | 'udp';
	/** Which program reads the camera. Default `auto`: GStreamer when it is fully installed, else ffmpeg. */
	reader?: RtspReaderPreference;
	ffmpegPath?: string;
	/** Default `gst-launch-1.0` (gst-inspect-1.0 is looked for next to it). */
	gstLaunchPath?: string;
	/** Says which reader was chosen and why. */
	logger?: WatchLogger;
	/** Replaces the GStreamer check (tests). */
	detectGstreamer?: Detect;
}

/**
 * A camera's restarts: the first 0.5 s after it drops, then at most 4 s apart while it stays
 * down. A camera that reboots or drops off Wi-Fi is usually back within seconds, and the user's
 * alert waits for it: with the one backoff's defaults (1 s doubling to 30 s) a camera down for
 * 8 s sent frames again 7–10 s after it was back (the chaos run). A failed attempt is cheap:
 * 0.03 CPU-s for gst-launch against a refused port (measured), so 16 cameras down at once cost
 * ~0.1 of a core. A wrong password or path is fatal, not retried, so no NVR locks the account.
 * Video files keep the defaults: a file that fails to open rarely fixes itself.
 */
export const CAMERA_RESTART_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 4000 };

const READER_NAMES: Record<RtspReader, string> = { gstreamer: 'GStreamer', ffmpeg: 'ffmpeg' };

export class RtspSource implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	/** The camera URL without credentials. */
	readonly displayUrl: string;
	readonly subject: string;
	private readonly target: RtspTarget;
	private readonly supervisor: Supervisor;
	private readonly preference: RtspReaderPreference;
	private chosen?: RtspReader;

	constructor(private readonly opts: RtspSourceOptions) {
		checkOutputSize(opts.width, opts.height, opts.fps, true);
		this.width = opts.width;
		this.height = opts.height;
		this.fps = opts.fps;
		this.preference = parseRtspReader(opts.reader);
		this.target = buildRtspUrl(opts.url, opts.username, opts.password);
		this.displayUrl = this.target.displayUrl;
		this.subject = `Camera ${this.displayUrl}`;
		const transport = opts.transport ?? 'tcp';
		this.supervisor = new Supervisor({
			prepare: () => this.chooseReader(),
			launch: (handlers) => this.launch(handlers),
			format: 'I420',
			width: opts.width,
			height: opts.height,
			fps: opts.fps,
			describe: () =>
				`${this.displayUrl} over ${transport} via ${READER_NAMES[this.reader]} → ${opts.width}×${opts.height} @ ${opts.fps} fps`,
			subject: this.subject,
			stallTimeoutMs: opts.stallTimeoutMs,
			startTimeoutMs: opts.startTimeoutMs,
			maxDownMs: opts.maxDownMs,
			backoff: opts.backoff ?? CAMERA_RESTART_BACKOFF,
			resetBackoffAfterMs: opts.resetBackoffAfterMs,
		});
	}

	/** The reader in use: known once started (`auto` is decided then); before that, the explicit choice or ffmpeg. */
	get reader(): RtspReader {
		return this.chosen ?? (this.preference === 'gstreamer' ? 'gstreamer' : 'ffmpeg');
	}

	/** Socket I/O timeout, µs, for either reader. Both give up on a silent camera after about this long. */
	private ioTimeoutUs(): number {
		const stallMs = this.opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
		return Math.round(Math.min(Math.max(stallMs, 1000), 10_000) * 1000);
	}

	/** The camera has a login: it must reach the reader some other way than its command line. */
	private get hasLogin(): boolean {
		return this.target.username !== undefined;
	}

	/** The ffmpeg input options that belong to the RTSP demuxer (on the command line or in a concat list). */
	private rtspInputOptions(): Array<[string, string]> {
		return [
			['rtsp_transport', this.opts.transport ?? 'tcp'],
			// ffmpeg ≥ 5 (older builds read -timeout as "listen"). ffmpeg gives up after roughly
			// 4× this, so the watchdog usually acts first on a frozen camera.
			['timeout', String(this.ioTimeoutUs())],
			['fflags', '+genpts+discardcorrupt'],
			// Don't hold the first frames back to estimate the camera's frame rate (~20 frames,
			// measured 2 s); the output is paced by FramePacer anyway. First frame ≈ 0.9 s.
			['fpsprobesize', '0'],
		];
	}

	/**
	 * ffmpeg's arguments: never a login. A camera with one is opened through a one-entry concat
	 * list read from stdin (ffmpegStdin), so the password is not in /proc/<pid>/cmdline, which
	 * every local user can read. Measured: the same first-frame time as the URL on the command line.
	 */
	ffmpegArgs(): string[] {
		const input = this.hasLogin
			? [
					'-f',
					'concat',
					'-safe',
					'0',
					'-protocol_whitelist',
					'pipe,rtsp,rtsps,tcp,udp,rtp,srtp,tls,crypto',
					'-fflags',
					'+genpts+discardcorrupt',
					'-i',
					'pipe:0',
				]
			: [
					...this.rtspInputOptions().flatMap(([name, value]) => [`-${name}`, value]),
					'-i',
					this.target.argvUrl,
				];
		return [
			// Decode each frame as it arrives instead of pipelining frames across decoder threads:
			// measured 356 → 222 ms median camera-to-frame latency on loopback (test camera stamps).
			'-flags',
			'low_delay',
			...input,
			// Every frame passes through; FramePacer keeps `fps` of them without waiting (see there).
			...rawOutputArgs(this.width, this.height),
		];
	}

	/** The concat list ffmpeg reads on stdin for a camera with a login (the only place it goes). */
	ffmpegStdin(): string | undefined {
		if (!this.hasLogin) return undefined;
		const quoted = `'${this.target.argvUrl.replace(/'/g, "'\\''")}'`;
		const options = this.rtspInputOptions().map(([name, value]) => `option ${name} ${value}`);
		return ['ffconcat version 1.0', `file ${quoted}`, ...options, ''].join('\n');
	}

	/** gst-launch-1.0's arguments (exposed for tests). Only used for cameras without a login. */
	gstreamerArgs(): string[] {
		return gstRtspArgs({
			url: this.target.displayUrl,
			transport: this.opts.transport ?? 'tcp',
			ioTimeoutUs: this.ioTimeoutUs(),
			width: this.width,
			height: this.height,
			fps: this.fps,
		});
	}

	start(sink: FrameSink): void {
		this.supervisor.start(sink);
	}

	stop(): Promise<void> {
		return this.supervisor.stop();
	}

	private async chooseReader(): Promise<void> {
		const logger = this.opts.logger ?? silentLogger;
		if (this.hasLogin && this.preference !== 'ffmpeg') {
			// gst-launch-1.0 takes a pipeline only as command-line arguments, so rtspsrc's user-pw
			// would be readable by every local user in /proc/<pid>/cmdline; ffmpeg gets the login
			// over a pipe. The latency cost (~130 ms) is smaller than a leaked camera password.
			this.chosen = 'ffmpeg';
			const pinned =
				this.preference === 'gstreamer' ? 'GStreamer was chosen in the options, but ' : '';
			logger[pinned ? 'warn' : 'info'](
				`Camera reader: ffmpeg (${pinned}the camera has a login, and gst-launch-1.0 could only take it on its command line, which every local user can read; ffmpeg reads it from a pipe)`,
				{ camera: this.displayUrl },
			);
			return;
		}
		try {
			const choice = await chooseRtspReader(
				this.preference,
				this.gstLaunchPath,
				this.opts.detectGstreamer,
			);
			this.chosen = choice.reader;
			logger.info(`Camera reader: ${READER_NAMES[choice.reader]} (${choice.why})`, {
				camera: this.displayUrl,
			});
		} catch (error) {
			logger.error('Camera reader: GStreamer was chosen but cannot be used', {
				camera: this.displayUrl,
				message: (error as Error).message,
			});
			throw error;
		}
	}

	private get gstLaunchPath(): string {
		return this.opts.gstLaunchPath || 'gst-launch-1.0';
	}

	private launch(handlers: AttemptHandlers): MediaProcess {
		try {
			return this.spawnReader(handlers);
		} catch (error) {
			// spawn() can throw synchronously quoting its argv (e.g. a NUL byte in the URL).
			throw new Error(
				redact(error instanceof Error ? error.message : String(error), this.target.secrets),
			);
		}
	}

	/** Either reader: the same frame size, pacing, redaction and frame sink; its own command and exit reading. */
	private spawnReader(handlers: AttemptHandlers): MediaProcess {
		// A new pacer per attempt: a restarted camera starts a fresh slot grid. GStreamer already
		// keeps about `fps` frames (videorate), whose arrivals jitter by tens of ms: half a slot of
		// tolerance keeps them all, while the slot grid still caps the rate.
		const pacer = new FramePacer(
			this.fps,
			this.reader === 'gstreamer' ? 500 / this.fps : undefined,
		);
		const frames = {
			frameBytes: frameByteLength('I420', this.width, this.height),
			keepFrame: () => pacer.admit(Date.now()),
			redact: (line: string) => redact(line, this.target.secrets),
			onFrame: handlers.frame,
		};
		if (this.reader === 'gstreamer') {
			return new MediaProcess({
				...frames,
				command: this.gstLaunchPath,
				args: this.gstreamerArgs(),
				env: GST_ENV,
				frameFd: GST_FRAME_FD,
				onExit: (exit) => {
					const verdict = classifyGstExit(exit, this.gstLaunchPath);
					handlers.end({
						kind: 'failed',
						...verdict,
						detail: gstErrorSummary(exit.stderr),
						program: 'GStreamer',
					});
				},
			});
		}
		const ffmpegPath = this.opts.ffmpegPath || 'ffmpeg';
		return new FfmpegProcess({
			...frames,
			ffmpegPath,
			args: this.ffmpegArgs(),
			stdin: this.ffmpegStdin(),
			onExit: (exit) => {
				// Live: every exit is an interruption, even code 0 (the camera closed the stream).
				const verdict = classifyExit(exit, 'rtsp', ffmpegPath);
				handlers.end({ kind: 'failed', ...verdict, detail: exit.stderr[exit.stderr.length - 1] });
			},
		});
	}
}
