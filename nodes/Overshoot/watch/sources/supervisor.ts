// Keeps a frame-producing child running: a watchdog kills it when frames stop, failures are
// retried with backoff, and only a source that stays down past `maxDownMs` (or fails in a way
// retrying cannot fix) becomes fatal. Every attempt's frames are numbered on one counter, so
// `seq` keeps rising across restarts.

import type { Frame, FrameSink, FrameSource, PixelFormat } from '../frame';
import { Backoff, type BackoffOptions } from '../../api/backoff';
import { realClock, type Clock, type TimerHandle } from './clock';
import { SourceError } from './source-error';

/** One run of the child (one ffmpeg process). */
export interface Attempt {
	/** Ends the run; `end` is still reported (and ignored once the supervisor is stopping). */
	stop(): Promise<void>;
}

export type AttemptEnd =
	/** A finite source delivered everything (a non-looping file reached its end). */
	| { kind: 'ended' }
	| {
			kind: 'failed';
			reason: string;
			retryable: boolean;
			/** The program's own last words (redacted), and which program said them (default ffmpeg). */
			detail?: string;
			program?: string;
	  };

export interface AttemptHandlers {
	frame(data: Uint8Array, capturedAtMs: number): void;
	/** Exactly once per attempt, after its last frame. */
	end(end: AttemptEnd): void;
}

export interface SupervisorTimings {
	/** No frame for this long → kill and restart. Default 10 s. */
	stallTimeoutMs?: number;
	/**
	 * Allowance for an attempt's first frame (connect, probe, wait for a keyframe; cameras with a
	 * 4 s GOP need that long). Default max(stallTimeoutMs, 15 s).
	 */
	startTimeoutMs?: number;
	/** Down (no frames) for longer than this → fatal. Default 5 min. */
	maxDownMs?: number;
	backoff?: BackoffOptions;
	/** Frames flowing this long make the next failure start again from the first backoff step. Default 30 s. */
	resetBackoffAfterMs?: number;
}

export interface SupervisorOptions extends SupervisorTimings {
	launch(handlers: AttemptHandlers): Attempt;
	/** Checks before the first attempt (file exists, path allowed); a rejection is fatal with its message. */
	prepare?(): Promise<void>;
	format: PixelFormat;
	width: number;
	height: number;
	fps: number;
	/** For the `started` status, e.g. "rtsp://cam.local:554/stream1 over tcp → 640×360 @ 15 fps". */
	describe: string | (() => string);
	/** Prefix of fatal messages, e.g. "Camera rtsp://cam.local:554/stream1". */
	subject: string;
	clock?: Clock;
	random?: () => number;
}

interface Run {
	attempt?: Attempt;
	ended: boolean;
	startedAt: number;
	flowingSince?: number;
	/** Set when the supervisor killed this run, with why. */
	killedFor?: string;
}

export const DEFAULT_STALL_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_DOWN_MS = 5 * 60_000;
export const DEFAULT_START_TIMEOUT_MS = 15_000;

export class Supervisor implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	private readonly clock: Clock;
	private readonly backoff: Backoff;
	private readonly stallTimeoutMs: number;
	private readonly startTimeoutMs: number;
	private readonly maxDownMs: number;
	private readonly resetBackoffAfterMs: number;
	private sink?: FrameSink;
	private run?: Run;
	private seq = 0;
	private everStarted = false;
	private startedAt = 0;
	private lastFrameAt = 0;
	private downSince?: number;
	private lastReason = '';
	private stallTimer?: TimerHandle;
	private retryTimer?: TimerHandle;
	private giveUpTimer?: TimerHandle;
	/** Stopped by the caller, ended, or fatal: nothing is restarted any more. */
	private done = false;
	private readonly stopping = new Set<Promise<void>>();
	private stopped?: Promise<void>;

	constructor(private readonly opts: SupervisorOptions) {
		this.width = opts.width;
		this.height = opts.height;
		this.fps = opts.fps;
		this.clock = opts.clock ?? realClock;
		this.backoff = new Backoff(opts.backoff, opts.random);
		this.stallTimeoutMs = opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
		this.startTimeoutMs =
			opts.startTimeoutMs ?? Math.max(this.stallTimeoutMs, DEFAULT_START_TIMEOUT_MS);
		this.maxDownMs = opts.maxDownMs ?? DEFAULT_MAX_DOWN_MS;
		this.resetBackoffAfterMs = opts.resetBackoffAfterMs ?? 30_000;
	}

	start(sink: FrameSink): void {
		if (this.sink) throw new Error('a frame source can only be started once');
		this.sink = sink;
		this.startedAt = this.clock.now();
		if (!this.opts.prepare) return this.launch();
		this.opts.prepare().then(
			() => this.launch(),
			(error) => this.fatal(error instanceof Error ? error.message : String(error)),
		);
	}

	stop(): Promise<void> {
		if (!this.stopped) {
			this.done = true;
			this.clearTimers();
			this.stopRun();
			this.stopped = Promise.all([...this.stopping]).then(() => undefined);
		}
		return this.stopped;
	}

	private launch(): void {
		if (this.done) return;
		const run: Run = { ended: false, startedAt: this.clock.now() };
		this.run = run;
		this.lastFrameAt = run.startedAt;
		try {
			const attempt = this.opts.launch({
				frame: (data, capturedAtMs) => this.onFrame(run, data, capturedAtMs),
				end: (end) => this.onEnd(run, end),
			});
			if (!run.ended) run.attempt = attempt;
			else void this.track(attempt.stop());
		} catch (error) {
			this.run = undefined;
			this.fatal(error instanceof Error ? error.message : String(error));
			return;
		}
		if (!run.ended) this.armStall(this.startTimeoutMs);
	}

	private onFrame(run: Run, data: Uint8Array, capturedAtMs: number): void {
		if (this.done || run !== this.run || !this.sink) return;
		const now = this.clock.now();
		this.lastFrameAt = now;
		if (run.flowingSince === undefined) {
			run.flowingSince = now;
			// From now on the (shorter) stall limit applies, not the start allowance.
			this.cancel('stallTimer');
			this.armStall(this.stallTimeoutMs);
			if (!this.everStarted) {
				// The first frame ever also ends any interruption before it; `started` says so.
				this.everStarted = true;
				this.endDowntime();
				this.sink.status({
					kind: 'started',
					detail:
						typeof this.opts.describe === 'string' ? this.opts.describe : this.opts.describe(),
				});
			} else if (this.downSince !== undefined) {
				const downForMs = now - this.downSince;
				this.endDowntime();
				this.sink.status({ kind: 'recovered', downForMs });
			}
		}
		const frame: Frame = {
			data,
			width: this.width,
			height: this.height,
			format: this.opts.format,
			seq: this.seq++,
			capturedAtMs,
		};
		this.sink.frame(frame);
	}

	private onEnd(run: Run, end: AttemptEnd): void {
		if (run.ended) return;
		run.ended = true;
		if (run !== this.run) return;
		this.run = undefined;
		this.cancel('stallTimer');
		if (this.done || !this.sink) return;
		if (end.kind === 'ended' && !run.killedFor) {
			this.done = true;
			this.clearTimers();
			this.sink.status({ kind: 'ended' });
			return;
		}
		const failed = run.killedFor
			? { reason: run.killedFor, retryable: true, detail: undefined, program: undefined }
			: (end as Extract<AttemptEnd, { kind: 'failed' }>);
		this.lastReason = failed.reason;
		if (!failed.retryable) return this.fatal(failed.reason, failed.detail, failed.program);

		const now = this.clock.now();
		if (run.flowingSince !== undefined && now - run.flowingSince >= this.resetBackoffAfterMs)
			this.backoff.reset();
		if (this.downSince === undefined) {
			// Down since the last frame we saw, or since start if there never was one.
			this.downSince = this.everStarted ? this.lastFrameAt : this.startedAt;
			this.giveUpTimer = this.clock.setTimeout(
				() => this.giveUp(),
				Math.max(0, this.downSince + this.maxDownMs - now),
			);
		}
		if (now - this.downSince >= this.maxDownMs) return this.giveUp();
		const retryInMs = this.backoff.next();
		this.sink.status({
			kind: 'interrupted',
			reason: failed.reason,
			retryInMs,
			downSinceMs: this.downSince,
		});
		this.retryTimer = this.clock.setTimeout(() => {
			this.retryTimer = undefined;
			this.launch();
		}, retryInMs);
	}

	private armStall(inMs: number): void {
		this.stallTimer = this.clock.setTimeout(() => {
			this.stallTimer = undefined;
			const run = this.run;
			if (!run || this.done) return;
			// One timer re-armed only when it fires, rather than one per frame.
			const starting = run.flowingSince === undefined;
			const limit = starting ? this.startTimeoutMs : this.stallTimeoutMs;
			const quietFor = this.clock.now() - this.lastFrameAt;
			if (quietFor < limit) return this.armStall(limit - quietFor);
			run.killedFor = starting
				? `no first frame within ${formatMs(quietFor)} of connecting`
				: `no frame for ${formatMs(quietFor)} (the source stopped sending; restarting)`;
			this.stopRun();
		}, inMs);
	}

	private giveUp(): void {
		if (this.done || this.downSince === undefined) return;
		const downFor = this.clock.now() - this.downSince;
		this.fatal(
			`down for ${formatMs(downFor)} (the limit is ${formatMs(this.maxDownMs)}); last reason: ${this.lastReason || 'no frames'}`,
		);
	}

	private fatal(reason: string, detail?: string, program = 'ffmpeg'): void {
		if (this.done) return;
		this.done = true;
		this.clearTimers();
		this.stopRun();
		const message = `${this.opts.subject}: ${reason}${detail && !reason.includes(detail) ? ` (${program}: ${detail})` : ''}`;
		this.sink?.fatal(new SourceError(message, reason));
	}

	private endDowntime(): void {
		this.downSince = undefined;
		this.cancel('giveUpTimer');
	}

	private stopRun(): void {
		const attempt = this.run?.attempt;
		if (attempt) void this.track(attempt.stop());
	}

	private track(p: Promise<void>): Promise<void> {
		const tracked = p.catch(() => undefined).finally(() => this.stopping.delete(tracked));
		this.stopping.add(tracked);
		return tracked;
	}

	private clearTimers(): void {
		this.cancel('stallTimer');
		this.cancel('retryTimer');
		this.cancel('giveUpTimer');
	}

	private cancel(name: 'stallTimer' | 'retryTimer' | 'giveUpTimer'): void {
		if (this[name] !== undefined) this.clock.clearTimeout(this[name]);
		this[name] = undefined;
	}
}

function formatMs(ms: number): string {
	return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}
