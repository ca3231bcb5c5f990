// One decoder child (ffmpeg or gst-launch-1.0): spawn it, cut its raw-frame output into frames,
// keep the last stderr lines, stop it without leaving a zombie. Knows nothing about retrying;
// the supervisor decides what an exit means.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { childEnv } from '../child-env';
import { FrameCutter } from './frame-cutter';
import { StderrTail } from './stderr-tail';

export interface MediaExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	/** Set when the process could not be started at all (ENOENT: no such binary). */
	spawnError?: NodeJS.ErrnoException;
	/** Last stderr lines, already redacted. */
	stderr: string[];
	/** True when stop() ended it (so a 255 / SIGTERM exit is ours, not the camera's). */
	stoppedByUs: boolean;
}

export interface MediaProcessOptions {
	command: string;
	args: readonly string[];
	/** Extra environment variables on top of the allow-list (child-env.ts); `undefined` removes one. */
	env?: Record<string, string | undefined>;
	/**
	 * Written to the child's stdin, which is then closed: how a secret (a camera login) reaches the
	 * program without appearing on its command line, which every local user can read in
	 * /proc/<pid>/cmdline.
	 */
	stdin?: string;
	/**
	 * The child's file descriptor that carries the raw frames: 1 (stdout, ffmpeg's `pipe:1`) or 3
	 * (an extra pipe, so nothing the program prints on stdout can shift the frame boundaries).
	 */
	frameFd?: 1 | 3;
	/** Bytes per output frame (`frameByteLength`). */
	frameBytes: number;
	onFrame(data: Uint8Array, capturedAtMs: number): void;
	/** Called exactly once, after the frame pipe has been fully read (so no frame follows it). */
	onExit(exit: MediaExit): void;
	/** Applied to every stderr line before it is kept. */
	redact?: (line: string) => string;
	/** SIGTERM → SIGKILL grace. ffmpeg normally exits within ~100 ms of SIGTERM. Default 1500 ms. */
	killGraceMs?: number;
	stderrLines?: number;
	/** Asked as each frame begins; a frame it declines is skipped without a copy (FramePacer). */
	keepFrame?: () => boolean;
}

export class MediaProcess {
	private readonly child: ChildProcess;
	private readonly tail: StderrTail;
	private stoppedByUs = false;
	private finished = false;
	private readonly exited: Promise<void>;

	constructor(private readonly opts: MediaProcessOptions) {
		this.tail = new StderrTail(opts.stderrLines ?? 50, opts.redact);
		const cutter = new FrameCutter(
			opts.frameBytes,
			(data) => opts.onFrame(data, Date.now()),
			undefined,
			opts.keepFrame,
		);
		const frameFd = opts.frameFd ?? 1;
		const input = opts.stdin === undefined ? 'ignore' : 'pipe';
		const stdio = frameFd === 1 ? [input, 'pipe', 'pipe'] : [input, 'ignore', 'pipe', 'pipe'];
		const env = childEnv(opts.env);
		// The decoder runs without a shell and with an argument array, so nothing in a URL or path
		// can be read as a command.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		this.child = spawn(opts.command, opts.args, { stdio: stdio as ('ignore' | 'pipe')[], env });
		if (opts.stdin !== undefined) {
			// A program that exits before reading it must not crash us with EPIPE.
			this.child.stdin?.on('error', () => undefined);
			this.child.stdin?.end(opts.stdin);
		}
		const frames = this.child.stdio[frameFd] as Readable | null;
		frames?.on('data', (chunk: Buffer) => {
			if (!this.stoppedByUs) cutter.push(chunk);
		});
		this.child.stderr?.on('data', (chunk: Buffer) => this.tail.push(chunk));
		this.exited = new Promise((resolve) => {
			// 'close' comes after 'exit' and after every pipe has ended, so every frame has been
			// delivered before onExit. A spawn failure emits 'error' (and maybe 'close').
			this.child.on('error', (error: NodeJS.ErrnoException) => {
				if (this.child.pid === undefined)
					this.finish({ code: null, signal: null, spawnError: error }, resolve);
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
			if (
				this.child.pid !== undefined &&
				this.child.exitCode === null &&
				this.child.signalCode === null
			) {
				this.child.kill('SIGTERM');
				// Once running, ffmpeg lets the first SIGTERM interrupt only its main loop; a read
				// blocked on a frozen camera is interrupted by the second (measured: one SIGTERM
				// waits out the whole socket timeout). gst-launch simply dies on the first.
				const again = setTimeout(() => this.child.kill('SIGTERM'), 200);
				const kill = setTimeout(() => this.child.kill('SIGKILL'), this.opts.killGraceMs ?? 1500);
				void this.exited.then(() => (clearTimeout(again), clearTimeout(kill)));
			}
		}
		return this.exited;
	}

	private finish(
		exit: Pick<MediaExit, 'code' | 'signal' | 'spawnError'>,
		resolve: () => void,
	): void {
		if (this.finished) return;
		this.finished = true;
		resolve();
		this.opts.onExit({ ...exit, stderr: this.tail.snapshot(), stoppedByUs: this.stoppedByUs });
	}
}
