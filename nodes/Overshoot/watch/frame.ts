// The unit that flows from a source to the publisher, the frame ring and snapshots.

export type PixelFormat = 'I420' | 'RGBA';

export interface Frame {
	/** Pixels. Owns its whole ArrayBuffer from offset 0: rtc-node's VideoFrame ignores byteOffset. */
	data: Uint8Array;
	width: number;
	height: number;
	format: PixelFormat;
	/** 0, 1, 2 … per source run; restarts of the same source keep counting up. */
	seq: number;
	/** Wall-clock ms when the frame left the source (the "glass" time). */
	capturedAtMs: number;
}

export function frameByteLength(format: PixelFormat, width: number, height: number): number {
	if (format === 'RGBA') return width * height * 4;
	return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** What a source reports besides frames. Messages never contain credentials. */
export type SourceStatus =
	| { kind: 'started'; detail: string }
	/** The source stopped delivering (exit, stall, refused); it will be restarted after `retryInMs`. */
	| { kind: 'interrupted'; reason: string; retryInMs: number; downSinceMs: number }
	| { kind: 'recovered'; downForMs: number }
	/** A finite source (non-looping file) delivered its last frame. */
	| { kind: 'ended' };

export interface FrameSink {
	frame(frame: Frame): void;
	status(status: SourceStatus): void;
	/** Unrecoverable: recovery failed for longer than the configured limit, or bad configuration. */
	fatal(error: Error): void;
}

export interface FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	/** What errors call it: `Camera rtsp://host/path` (never a login), `Video file "…"`. */
	readonly subject?: string;
	/** Starts producing frames into the sink. Call once. */
	start(sink: FrameSink): void;
	/** Stops for good: kills child processes (SIGTERM, then SIGKILL) and resolves when they are gone. Idempotent. */
	stop(): Promise<void>;
}
