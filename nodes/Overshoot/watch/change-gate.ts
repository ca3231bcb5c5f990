// Skips paid questions while the picture stands still. Every frame is reduced to a tiny luma
// thumbnail (32×18 block averages from the I420 Y plane, sampled sparsely: microseconds, no
// native calls) and compared with the thumbnail of the frame the last question was about.
// Because every frame is observed, something that appears and leaves between two ticks still
// counts as a change. A heartbeat asks anyway after `maxSkipSeconds` (slow changes are not
// missed forever), and the first question is always asked.
// "When the Picture Changes" (ask-schedule.ts) uses the same comparison the other way round:
// `observe` reports the first frame beyond the threshold, and the asker asks about it at once.

import type { Frame } from './frame';

export const THUMB_WIDTH = 32;
export const THUMB_HEIGHT = 18;
/** Samples per block side: 4×4 samples are enough to average out sensor noise cheaply. */
const SAMPLES = 4;

/** Mean-absolute-difference threshold (luma levels 0…255) for a 0…100 sensitivity. */
export function thresholdForSensitivity(sensitivity: number): number {
	const s = Math.max(0, Math.min(100, sensitivity));
	// Log scale: 100 → 0.5 (any visible change), 50 → ~3.9 (a person entering a room), 0 → 30 (lights on/off).
	return 0.5 * Math.pow(60, (100 - s) / 100);
}

function lumaAt(frame: Frame, x: number, y: number): number {
	if (frame.format === 'I420') return frame.data[y * frame.width + x];
	const i = (y * frame.width + x) * 4;
	const d = frame.data;
	return (77 * d[i] + 150 * d[i + 1] + 29 * d[i + 2]) >> 8;
}

export function lumaThumbnail(
	frame: Frame,
	width = THUMB_WIDTH,
	height = THUMB_HEIGHT,
): Uint8Array {
	const out = new Uint8Array(width * height);
	const bw = frame.width / width;
	const bh = frame.height / height;
	for (let ty = 0; ty < height; ty++) {
		for (let tx = 0; tx < width; tx++) {
			let sum = 0;
			for (let sy = 0; sy < SAMPLES; sy++) {
				const y = Math.min(frame.height - 1, Math.floor((ty + (sy + 0.5) / SAMPLES) * bh));
				for (let sx = 0; sx < SAMPLES; sx++) {
					const x = Math.min(frame.width - 1, Math.floor((tx + (sx + 0.5) / SAMPLES) * bw));
					sum += lumaAt(frame, x, y);
				}
			}
			out[ty * width + tx] = Math.round(sum / (SAMPLES * SAMPLES));
		}
	}
	return out;
}

/** Mean absolute difference of two equal-size thumbnails, 0…255. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length) return 255;
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
	return sum / a.length;
}

export interface ChangeGateOptions {
	/** 0…100; higher asks on smaller changes. */
	sensitivity: number;
	/** Ask at least this often even when nothing changed. */
	maxSkipSeconds: number;
}

export interface GateDecision {
	ask: boolean;
	/** The largest difference seen since the last question (0…255), when known. */
	difference?: number;
	reason: string;
}

export class ChangeGate {
	readonly threshold: number;
	private reference: Uint8Array | undefined;
	private lastAskedAtMs: number | undefined;
	private peakSinceAsk = 0;
	private latest: Uint8Array | undefined;
	/** When the first frame beyond the threshold since the last question arrived. */
	private changedSinceMs: number | undefined;

	constructor(private readonly options: ChangeGateOptions) {
		this.threshold = thresholdForSensitivity(options.sensitivity);
	}

	/** Feed every frame (cheap). True when this frame is the first change beyond the threshold. */
	observe(frame: Frame, nowMs = Date.now()): boolean {
		this.latest = lumaThumbnail(frame);
		if (!this.reference) return false;
		this.peakSinceAsk = Math.max(this.peakSinceAsk, meanAbsDiff(this.reference, this.latest));
		if (this.changedSinceMs !== undefined || this.peakSinceAsk < this.threshold) return false;
		this.changedSinceMs = nowMs;
		return true;
	}

	/** When the picture first differed beyond the threshold from the last question's; undefined if it has not. */
	get changedAtMs(): number | undefined {
		return this.changedSinceMs;
	}

	decide(nowMs: number): GateDecision {
		if (!this.reference || this.lastAskedAtMs === undefined)
			return { ask: true, reason: 'first question' };
		const difference = Math.round(this.peakSinceAsk * 10) / 10;
		if (this.peakSinceAsk >= this.threshold)
			return {
				ask: true,
				difference,
				reason: `picture changed (difference ${difference} ≥ ${this.threshold.toFixed(1)})`,
			};
		const sinceAskS = (nowMs - this.lastAskedAtMs) / 1000;
		if (sinceAskS >= this.options.maxSkipSeconds) {
			return {
				ask: true,
				difference,
				reason: `heartbeat: no question for ${Math.round(sinceAskS)} s`,
			};
		}
		return {
			ask: false,
			difference,
			reason: `picture unchanged (difference ${difference} < ${this.threshold.toFixed(1)})`,
		};
	}

	/**
	 * Call after a question was answered: the frame asked about becomes the new reference.
	 * Not called after a failed question, so the change still counts on the next tick.
	 */
	asked(frame: Frame | undefined, nowMs: number, answeredAtMs = Date.now()): void {
		const thumb = frame ? lumaThumbnail(frame) : this.latest;
		if (!thumb) return;
		this.reference = thumb;
		this.lastAskedAtMs = nowMs;
		// Frames that arrived while the question was in flight may already differ from it.
		this.peakSinceAsk = this.latest ? meanAbsDiff(thumb, this.latest) : 0;
		// Still changed: the changed frame arrived before the answer, so settling counts from then at the latest.
		this.changedSinceMs = this.peakSinceAsk >= this.threshold ? answeredAtMs : undefined;
	}
}
