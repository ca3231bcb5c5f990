// The wire between PublisherProcess (in n8n) and publisher-child (its own process): control and
// status as IPC messages, frames as a byte stream on fd 3 (a fixed header, then the pixels), so a
// 350 KB frame is neither JSON-encoded nor copied more than once on each side.

import type { Frame, PixelFormat } from './frame';
import type { PublisherOptions, PublisherStatus, PublisherTarget } from './publisher-types';

/** Parent → child. */
export type ToPublisher =
	| { type: 'connect'; target: PublisherTarget; options: PublisherOptions }
	| { type: 'rejoin'; reason: string }
	| { type: 'freshTarget'; id: number; target: PublisherTarget | null }
	| { type: 'close' };

/** Child → parent. */
export type FromPublisher =
	| { type: 'ready' }
	/** @livekit/rtc-node could not be loaded in the child (the parent checked it could). */
	| { type: 'loadFailed'; message: string }
	| { type: 'connected' }
	| { type: 'connectFailed'; message: string }
	| { type: 'status'; status: PublisherStatus; live: boolean; rejoins: number }
	| { type: 'freshTarget'; id: number }
	| { type: 'fatal'; message: string }
	| {
			type: 'log';
			level: 'debug' | 'info' | 'warn' | 'error';
			message: string;
			meta?: Record<string, unknown>;
	  };

/** The fd of the frame pipe in the child (0–2 are stdio, the IPC channel comes after). */
export const FRAME_FD = 3;

// Header: payload bytes u32 | width u16 | height u16 | format u8 | 3 spare | seq u32 | capturedAtMs f64.
const HEADER_BYTES = 24;
const FORMATS: readonly PixelFormat[] = ['I420', 'RGBA'];

export function frameHeader(frame: Frame): Buffer {
	const header = Buffer.alloc(HEADER_BYTES);
	header.writeUInt32LE(frame.data.length, 0);
	header.writeUInt16LE(frame.width, 4);
	header.writeUInt16LE(frame.height, 6);
	header.writeUInt8(FORMATS.indexOf(frame.format), 8);
	header.writeUInt32LE(frame.seq >>> 0, 12);
	header.writeDoubleLE(frame.capturedAtMs, 16);
	return header;
}

/**
 * Reassembles frames from the byte stream; each frame's buffer starts at offset 0 (Frame contract).
 * `reuse`: every frame of a size is assembled in the same buffer, so `onFrame` must be done with it
 * before it returns (the publisher child: captureFrame copies synchronously). Without it every
 * frame gets a buffer of its own, which may be kept.
 */
export class FrameReader {
	private readonly header = Buffer.alloc(HEADER_BYTES);
	private headerFill = 0;
	private pending: Frame | undefined;
	private pixelFill = 0;
	private spare: Uint8Array | undefined;

	constructor(
		private readonly onFrame: (frame: Frame) => void,
		private readonly options: { reuse?: boolean } = {},
	) {}

	push(chunk: Buffer): void {
		let at = 0;
		while (at < chunk.length) {
			if (!this.pending) {
				const n = chunk.copy(this.header, this.headerFill, at, at + HEADER_BYTES - this.headerFill);
				this.headerFill += n;
				at += n;
				if (this.headerFill === HEADER_BYTES) this.startFrame();
				continue;
			}
			const frame = this.pending;
			const n = Math.min(frame.data.length - this.pixelFill, chunk.length - at);
			frame.data.set(chunk.subarray(at, at + n), this.pixelFill);
			this.pixelFill += n;
			at += n;
			if (this.pixelFill === frame.data.length) {
				this.pending = undefined;
				this.onFrame(frame);
			}
		}
	}

	private startFrame() {
		const h = this.header;
		const format = FORMATS[h.readUInt8(8)];
		if (!format) throw new Error(`Corrupt frame header (format ${h.readUInt8(8)})`);
		this.pending = {
			data: this.buffer(h.readUInt32LE(0)),
			width: h.readUInt16LE(4),
			height: h.readUInt16LE(6),
			format,
			seq: h.readUInt32LE(12),
			capturedAtMs: h.readDoubleLE(16),
		};
		this.headerFill = 0;
		this.pixelFill = 0;
		if (this.pending.data.length === 0) {
			const empty = this.pending;
			this.pending = undefined;
			this.onFrame(empty);
		}
	}

	private buffer(byteLength: number): Uint8Array {
		if (!this.options.reuse) return new Uint8Array(byteLength);
		if (this.spare?.length !== byteLength) this.spare = new Uint8Array(byteLength);
		return this.spare;
	}
}
