// A live RTSP camera through ffmpeg, supervised: restarts when it drops or freezes, fatal only
// for a wrong password / path or when it stays down past `maxDownMs`.

import { frameByteLength, type FrameSink, type FrameSource } from '../frame';
import { classifyExit } from './classify';
import { FfmpegProcess, rawOutputArgs } from './ffmpeg-process';
import { FramePacer } from './frame-pacer';
import { checkOutputSize } from './options';
import { redact } from '../../api/redact';
import { buildRtspUrl, type RtspTarget } from './rtsp-url';
import { Supervisor, DEFAULT_STALL_TIMEOUT_MS, type AttemptHandlers, type SupervisorTimings } from './supervisor';

/** Watchdog, backoff and give-up timings come from SupervisorTimings (shared with video files). */
export interface RtspSourceOptions extends SupervisorTimings {
	url: string;
	username?: string;
	password?: string;
	width: number;
	height: number;
	fps: number;
	transport?: 'tcp' | 'udp';
	ffmpegPath?: string;
}

export class RtspSource implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	/** The camera URL without credentials. */
	readonly displayUrl: string;
	private readonly target: RtspTarget;
	private readonly supervisor: Supervisor;

	constructor(private readonly opts: RtspSourceOptions) {
		checkOutputSize(opts.width, opts.height, opts.fps, true);
		this.width = opts.width;
		this.height = opts.height;
		this.fps = opts.fps;
		this.target = buildRtspUrl(opts.url, opts.username, opts.password);
		this.displayUrl = this.target.displayUrl;
		const transport = opts.transport ?? 'tcp';
		this.supervisor = new Supervisor({
			launch: (handlers) => this.launch(handlers),
			format: 'I420',
			width: opts.width,
			height: opts.height,
			fps: opts.fps,
			describe: `${this.displayUrl} over ${transport} → ${opts.width}×${opts.height} @ ${opts.fps} fps`,
			subject: `Camera ${this.displayUrl}`,
			stallTimeoutMs: opts.stallTimeoutMs,
			startTimeoutMs: opts.startTimeoutMs,
			maxDownMs: opts.maxDownMs,
			backoff: opts.backoff,
			resetBackoffAfterMs: opts.resetBackoffAfterMs,
		});
	}

	/** ffmpeg's arguments, credentials included (exposed for tests; never log this). */
	ffmpegArgs(): string[] {
		const stallMs = this.opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
		// Socket I/O timeout, µs (ffmpeg ≥ 5; older builds read -timeout as "listen"). ffmpeg
		// gives up after roughly 4× this, so the watchdog usually acts first on a frozen camera.
		const ioTimeoutUs = Math.round(Math.min(Math.max(stallMs, 1000), 10_000) * 1000);
		return [
			'-rtsp_transport', this.opts.transport ?? 'tcp',
			'-timeout', String(ioTimeoutUs),
			'-fflags', '+genpts+discardcorrupt',
			// Don't hold the first frames back to estimate the camera's frame rate (~20 frames,
			// measured 2 s); the output is paced by FramePacer anyway. First frame ≈ 0.9 s.
			'-fpsprobesize', '0',
			// Decode each frame as it arrives instead of pipelining frames across decoder threads:
			// measured 356 → 222 ms median camera-to-frame latency on loopback (test camera stamps).
			'-flags', 'low_delay',
			'-i', this.target.argvUrl,
			// Every frame passes through; FramePacer keeps `fps` of them without waiting (see there).
			...rawOutputArgs(this.width, this.height),
		];
	}

	start(sink: FrameSink): void {
		this.supervisor.start(sink);
	}

	stop(): Promise<void> {
		return this.supervisor.stop();
	}

	private launch(handlers: AttemptHandlers): FfmpegProcess {
		try {
			return this.spawnFfmpeg(handlers);
		} catch (error) {
			// spawn() can throw synchronously quoting its argv (e.g. a NUL byte in the URL).
			throw new Error(redact(error instanceof Error ? error.message : String(error), this.target.secrets));
		}
	}

	private spawnFfmpeg(handlers: AttemptHandlers): FfmpegProcess {
		const ffmpegPath = this.opts.ffmpegPath || 'ffmpeg';
		// A new pacer per attempt: a restarted camera starts a fresh slot grid.
		const pacer = new FramePacer(this.fps);
		return new FfmpegProcess({
			ffmpegPath,
			args: this.ffmpegArgs(),
			frameBytes: frameByteLength('I420', this.width, this.height),
			keepFrame: () => pacer.admit(Date.now()),
			redact: (line) => redact(line, this.target.secrets),
			onFrame: handlers.frame,
			onExit: (exit) => {
				// Live: every exit is an interruption, even code 0 (the camera closed the stream).
				const verdict = classifyExit(exit, 'rtsp', ffmpegPath);
				handlers.end({ kind: 'failed', ...verdict, detail: exit.stderr[exit.stderr.length - 1] });
			},
		});
	}
}
