// Cuts a byte stream of fixed-size raw frames (ffmpeg rawvideo on a pipe) into frames.
//
// Each frame is copied exactly once, straight from the incoming chunks into a fresh Uint8Array
// of exactly one frame's length. That array owns its whole ArrayBuffer from offset 0, which
// rtc-node's VideoFrame requires (it ignores byteOffset), and it can be handed on and kept
// (frame ring, snapshots) without being overwritten by the next frame. Chunks are never
// concatenated: a 64 KiB pipe chunk is copied into at most two frames and then dropped.
// A frame that `keep` declines when its first bytes arrive is skipped without any copy.

export type Allocate = (byteLength: number) => Uint8Array;

const allocate: Allocate = (n) => new Uint8Array(n);

export class FrameCutter {
	private current: Uint8Array | undefined;
	/** Bytes of the current frame seen so far (copied, or skipped when `current` is undefined). */
	private filled = 0;
	private skipping = false;

	constructor(
		readonly frameBytes: number,
		private readonly onFrame: (data: Uint8Array) => void,
		private readonly alloc: Allocate = allocate,
		private readonly keep: () => boolean = () => true,
	) {
		if (!Number.isInteger(frameBytes) || frameBytes <= 0)
			throw new RangeError(`frame size must be a positive integer, got ${frameBytes}`);
	}

	/** Bytes of an incomplete frame held back (a truncated last frame is dropped at exit). */
	get pendingBytes(): number {
		return this.filled;
	}

	push(chunk: Uint8Array): void {
		let at = 0;
		while (at < chunk.length) {
			if (this.filled === 0) {
				this.skipping = !this.keep();
				if (!this.skipping) this.current = this.alloc(this.frameBytes);
			}
			const n = Math.min(this.frameBytes - this.filled, chunk.length - at);
			if (!this.skipping) this.current!.set(chunk.subarray(at, at + n), this.filled);
			this.filled += n;
			at += n;
			if (this.filled === this.frameBytes) {
				const frame = this.current;
				this.current = undefined;
				this.filled = 0;
				if (!this.skipping) this.onFrame(frame!);
			}
		}
	}
}
