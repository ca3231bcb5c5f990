// A set of still images shown in order at a fixed rate, optionally looping, as RGBA frames.
// The next image is decoded while the current one is on screen, and frame n is due at
// start + n / fps (not a chain of setTimeouts, which drifts by the decode time every frame).

import type { FrameSink, FrameSource } from '../frame';
import { realClock, type Clock, type TimerHandle } from './clock';
import { decodeImage } from './decode-image';
import { resolveImageFiles, type ImageSelection } from './image-list';
import { allowAllPaths, checkOutputSize, type AssertPathAllowed } from './options';
import { SourceError } from './source-error';

export interface ImageFilesSettings {
	/** Images per second (0.5 = one image every 2 s). */
	fps: number;
	loop: boolean;
	width: number;
	height: number;
	assertPathAllowed?: AssertPathAllowed;
	clock?: Clock;
	/** Replaces the sharp decoder (tests). */
	decode?: (file: string, width: number, height: number) => Promise<Uint8Array>;
}

export type ImageFilesSourceOptions = ImageSelection & ImageFilesSettings;

export class ImageFilesSource implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	private readonly clock: Clock;
	private stopped = false;
	private running?: Promise<void>;
	private timer?: TimerHandle;
	private wake?: () => void;

	constructor(private readonly opts: ImageFilesSourceOptions) {
		checkOutputSize(opts.width, opts.height, opts.fps, false);
		this.width = opts.width;
		this.height = opts.height;
		this.fps = opts.fps;
		this.clock = opts.clock ?? realClock;
	}

	start(sink: FrameSink): void {
		if (this.running) throw new Error('a frame source can only be started once');
		this.running = this.run(sink).catch((error) => {
			if (this.stopped) return;
			this.stopped = true;
			const reason = error instanceof Error ? error.message : String(error);
			sink.fatal(new SourceError(`Image files: ${reason}`, reason));
		});
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
		this.wake?.();
		await this.running;
	}

	private async run(sink: FrameSink): Promise<void> {
		const files = await resolveImageFiles(this.opts, this.opts.assertPathAllowed ?? allowAllPaths);
		if (this.stopped) return;
		const decode = this.opts.decode ?? decodeImage;
		const load = (i: number) => {
			const p = decode(files[i % files.length], this.width, this.height);
			p.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
			return p;
		};
		const total = this.opts.loop ? Infinity : files.length;
		const intervalMs = 1000 / this.fps;
		let anchor = 0;
		let next = load(0);
		for (let n = 0; n < total; n++) {
			const data = await next;
			if (this.stopped) return;
			// The schedule starts when the first image is ready, not before its decode.
			if (n === 0) anchor = this.clock.now();
			if (n + 1 < total) next = load(n + 1);
			await this.sleepUntil(anchor + n * intervalMs);
			if (this.stopped) return;
			const now = this.clock.now();
			if (n === 0) sink.status({ kind: 'started', detail: this.describe(files) });
			sink.frame({
				data,
				width: this.width,
				height: this.height,
				format: 'RGBA',
				seq: n,
				capturedAtMs: now,
			});
			// Far behind (a slow disk, a paused event loop): start the schedule again from here
			// instead of bursting out the missed frames.
			if (now - (anchor + n * intervalMs) > 2 * intervalMs) anchor = now - n * intervalMs;
		}
		// The last image keeps its full slot on screen before the set counts as ended.
		await this.sleepUntil(anchor + total * intervalMs);
		if (!this.stopped) sink.status({ kind: 'ended' });
	}

	private sleepUntil(at: number): Promise<void> {
		const ms = at - this.clock.now();
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			this.wake = resolve;
			this.timer = this.clock.setTimeout(() => {
				this.timer = undefined;
				resolve();
			}, ms);
		});
	}

	private describe(files: string[]): string {
		const what = files.length === 1 ? files[0] : `${files.length} images from ${files[0]}`;
		return `${what}${this.opts.loop ? ' (looping)' : ''} → ${this.width}×${this.height} @ ${this.fps} fps`;
	}
}
