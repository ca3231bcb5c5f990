// Per-stream frame retention: lifetime indices that never reset, eviction by age (the 600 s
// history), by count and by bytes, so a long or fast stream keeps memory bounded.

export interface StoredFrame {
	/** Lifetime index, 0-based, monotonic. */
	index: number;
	/** Wall-clock epoch ms of arrival. */
	atMs: number;
	/** Stream clock: ms since the stream's first frame. */
	streamMs: number;
	width: number;
	height: number;
	/** RGBA, already downscaled (at most `MAX_FRAME_WIDTH` wide). */
	rgba: Uint8Array;
}

export interface RetentionLimits {
	retentionMs: number;
	maxFrames: number;
	maxBytes: number;
}

/** Window over which `recent_fps` is measured. */
const FPS_WINDOW_MS = 5000;

export class FrameStore {
	private frames: StoredFrame[] = [];
	private bytes = 0;
	private arrivals: number[] = [];
	firstFrameAtMs: number | null = null;
	lastFrameAtMs: number | null = null;
	nextIndex = 0;
	evicted = 0;

	constructor(private readonly limits: RetentionLimits) {}

	/** Total frames ever received (the next lifetime index). */
	get received(): number {
		return this.nextIndex;
	}

	add(rgba: Uint8Array, width: number, height: number, atMs = Date.now()): StoredFrame {
		// Keep the stream clock monotonic even if a caller passes an earlier time.
		if (this.lastFrameAtMs !== null && atMs <= this.lastFrameAtMs) atMs = this.lastFrameAtMs + 1;
		if (this.firstFrameAtMs === null) this.firstFrameAtMs = atMs;
		const frame: StoredFrame = {
			index: this.nextIndex++,
			atMs,
			streamMs: atMs - this.firstFrameAtMs,
			width,
			height,
			rgba,
		};
		this.frames.push(frame);
		this.bytes += rgba.byteLength;
		this.lastFrameAtMs = atMs;
		this.arrivals.push(atMs);
		this.evict(atMs);
		return frame;
	}

	/** Drops frames older than the retention window or beyond the count/byte caps. */
	evict(now = Date.now()): void {
		let drop = 0;
		const cutoff = now - this.limits.retentionMs;
		let bytes = this.bytes;
		const n = this.frames.length;
		while (drop < n) {
			const aged = this.frames[drop].atMs < cutoff;
			// Caps never drop the newest frame; age does (a stalled stream's history runs out).
			const over =
				n - drop > 1 && (n - drop > this.limits.maxFrames || bytes > this.limits.maxBytes);
			if (!aged && !over) break;
			bytes -= this.frames[drop].rgba.byteLength;
			drop++;
		}
		if (drop > 0) {
			this.frames.splice(0, drop);
			this.bytes = bytes;
			this.evicted += drop;
		}
		while (this.arrivals.length && this.arrivals[0] < now - FPS_WINDOW_MS) this.arrivals.shift();
	}

	/** Retained frames, oldest first (after evicting what has aged out). */
	retained(now = Date.now()): readonly StoredFrame[] {
		this.evict(now);
		return this.frames;
	}

	get retainedBytes(): number {
		return this.bytes;
	}

	/** Frames per second over the last few seconds; 0 when the publisher has gone quiet. */
	recentFps(now = Date.now()): number {
		this.evict(now);
		const a = this.arrivals;
		if (a.length < 2) return a.length === 1 ? 1 : 0;
		const span = a[a.length - 1] - a[0];
		return span > 0 ? Math.round(((a.length - 1) * 1000 * 10) / span) / 10 : a.length;
	}

	clear(): void {
		this.evicted += this.frames.length;
		this.frames = [];
		this.bytes = 0;
		this.arrivals = [];
	}
}

/** Ingest downscales to at most this width before retaining (analysis needs no more). */
export const MAX_FRAME_WIDTH = 160;

/**
 * Box-filter downscale of RGBA by an integer factor so the result is at most `maxWidth` wide.
 * Returns a new Uint8Array that owns its buffer.
 */
export function downscaleRgba(
	src: Uint8Array,
	width: number,
	height: number,
	maxWidth = MAX_FRAME_WIDTH,
): { rgba: Uint8Array; width: number; height: number } {
	const f = Math.max(1, Math.ceil(width / maxWidth));
	if (f === 1) return { rgba: new Uint8Array(src), width, height };
	const w = Math.max(1, Math.floor(width / f));
	const h = Math.max(1, Math.floor(height / f));
	const out = new Uint8Array(w * h * 4);
	const area = f * f;
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			let r = 0;
			let g = 0;
			let b = 0;
			for (let dy = 0; dy < f; dy++) {
				let p = ((y * f + dy) * width + x * f) * 4;
				for (let dx = 0; dx < f; dx++, p += 4) {
					r += src[p];
					g += src[p + 1];
					b += src[p + 2];
				}
			}
			const o = (y * w + x) * 4;
			out[o] = Math.round(r / area);
			out[o + 1] = Math.round(g / area);
			out[o + 2] = Math.round(b / area);
			out[o + 3] = 255;
		}
	}
	return { rgba: out, width: w, height: h };
}

/** A solid-colour RGBA frame (test pushes). */
export function solidRgba(
	rgb: [number, number, number],
	width: number,
	height: number,
): Uint8Array {
	const out = new Uint8Array(width * height * 4);
	for (let p = 0; p < out.length; p += 4) {
		out[p] = rgb[0];
		out[p + 1] = rgb[1];
		out[p + 2] = rgb[2];
		out[p + 3] = 255;
	}
	return out;
}
