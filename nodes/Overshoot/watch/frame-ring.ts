// The few most recent frames, kept by reference (a source hands each frame over and never writes
// into it again: see Frame in frame.ts). The asker reads the newest one at ask time so the
// snapshot shows the picture the question was about, not whatever arrives seconds later.

import type { Frame } from './frame';

export class FrameRing {
	private readonly frames: Array<Frame | undefined>;
	private next = 0;
	private count = 0;
	private received = 0;

	constructor(readonly capacity = 4) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new Error(`FrameRing capacity must be a positive integer (got ${capacity})`);
		this.frames = new Array(capacity);
	}

	push(frame: Frame): void {
		this.frames[this.next] = frame;
		this.next = (this.next + 1) % this.capacity;
		this.count = Math.min(this.count + 1, this.capacity);
		this.received++;
	}

	newest(): Frame | undefined {
		if (this.count === 0) return undefined;
		return this.frames[(this.next - 1 + this.capacity) % this.capacity];
	}

	/** Oldest first. */
	all(): Frame[] {
		const out: Frame[] = [];
		for (let i = this.count; i > 0; i--)
			out.push(this.frames[(this.next - i + this.capacity) % this.capacity]!);
		return out;
	}

	/** Age of the newest frame, or undefined before the first one. */
	newestAgeMs(nowMs = Date.now()): number | undefined {
		const f = this.newest();
		return f ? nowMs - f.capturedAtMs : undefined;
	}

	get totalReceived(): number {
		return this.received;
	}

	clear(): void {
		this.frames.fill(undefined);
		this.count = 0;
		this.next = 0;
	}
}
