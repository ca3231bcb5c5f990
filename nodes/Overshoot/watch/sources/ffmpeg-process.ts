// One ffmpeg child: spawn, cut stdout into frames, keep the last stderr lines, stop without
// leaving a zombie. Knows nothing about retrying; the supervisor decides what an exit means.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { FrameCutter } from './frame-cutter';
import { StderrTail } from './stderr-tail';

export interface FfmpegExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	/** Set when the process could not be started at all (ENOENT: no ffmpeg binary). */
	spawnError?: NodeJS.ErrnoException;
	/** Last stderr lines, already redacted. */
	stderr: string[];
	/** True when stop() ended it (so a 255 / SIGTERM exit is ours, not the camera's). */
	stoppedByUs: boolean;
}

export interface FfmpegProcessOptions {
	ffmpegPath: string;
	args: readonly string[];
	/** Bytes per output frame (`frameByteLength`). */
	frameBytes: number;
	onFrame(data: Uint8Array, capturedAtMs: number): void;
	/** Called exactly once, after stdout has been fully read (so no frame follows it). */
	onExit(exit: FfmpegExit): void;
	/** Applied to every stderr line before it is kept. */
	redact?: (line: string) => string;
	/** SIGTERM → SIGKILL grace. ffmpeg normally exits within ~100 ms of SIGTERM. Default 1500 ms. */
	killGraceMs?: number;
	stderrLines?: number;
	/** Asked as each frame begins; a frame it declines is skipped without a copy (FramePacer). */
	keepFrame?: () => boolean;
}

/**
 * The arguments every raw-frame ffmpeg run ends with: scale/letterbox to W×H, I420 on stdout.
 * `fps` set: ffmpeg's fps filter paces the output (files: latency does not matter there).
 * `fps` undefined: every decoded frame passes through and a FramePacer picks them (live cameras:
 * the fps filter holds each frame back until it sees the next slot's, ~200 ms at 5 of 15 fps).
 */
export function rawOutputArgs(width: number, height: number, fps?: number): string[] {
	const fit = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`;
	const rate = fps === undefined ? ['-fps_mode', 'passthrough'] : [];
	const vf = fps === undefined ? fit : `fps=${fps},${fit}`;
	// flush_packets: write each frame to the pipe as soon as it is encoded instead of holding its
	// tail in the 32 KiB I/O buffer until the next frame (one frame of latency saved).
	return ['-an', '-vf', vf, ...rate, '-pix_fmt', 'yuv420p', '-flush_packets', '1', '-f', 'rawvideo', 'pipe:1'];
}

export class FfmpegProcess {
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly tail: StderrTail;
	private stoppedByUs = false;
	private finished = false;
	private readonly exited: Promise<void>;

	constructor(private readonly opts: FfmpegProcessOptions) {
		this.tail = new StderrTail(opts.stderrLines ?? 50, opts.redact);
		const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...opts.args];
		const cutter = new FrameCutter(opts.frameBytes, (data) => opts.onFrame(data, Date.now()), undefined, opts.keepFrame);
		// ffmpeg is the trigger's decoder; it runs without a shell and with an argument array, so
		// nothing in a URL or path can be read as a command.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		this.child = spawn(opts.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }) as unknown as ChildProcessWithoutNullStreams;
		this.child.stdout.on('data', (chunk: Buffer) => {
			if (!this.stoppedByUs) cutter.push(chunk);
		});
		this.child.stderr.on('data', (chunk: Buffer) => this.tail.push(chunk));
		this.exited = new Promise((resolve) => {
			// 'close' comes after 'exit' and after stdout/stderr have ended, so every frame has
			// been delivered before onExit. A spawn failure emits 'error' (and maybe 'close').
			this.child.on('error', (error: NodeJS.ErrnoException) => {
				if (this.child.pid === undefined) this.finish({ code: null, signal: null, spawnError: error }, resolve);
			});
			this.child.once('close', (code, signal) => this.finish({ code, signal }, resolve));
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** SIGTERM, then SIGKILL after the grace period; resolves once the process has exited. */
	stop(): Promise<void> {
		if (!this.finished && !this.stoppedByUs) {
			this.stoppedByUs = true;
			if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
				this.child.kill('SIGTERM');
				// Once running, ffmpeg lets the first SIGTERM interrupt only its main loop; a read
				// blocked on a frozen camera is interrupted by the second (measured: one SIGTERM
				// waits out the whole socket timeout).
				const again = setTimeout(() => this.child.kill('SIGTERM'), 200);
				const kill = setTimeout(() => this.child.kill('SIGKILL'), this.opts.killGraceMs ?? 1500);
				void this.exited.then(() => (clearTimeout(again), clearTimeout(kill)));
			}
		}
		return this.exited;
	}

	private finish(exit: Pick<FfmpegExit, 'code' | 'signal' | 'spawnError'>, resolve: () => void): void {
		if (this.finished) return;
		this.finished = true;
		resolve();
		this.opts.onExit({ ...exit, stderr: this.tail.snapshot(), stoppedByUs: this.stoppedByUs });
	}
}
