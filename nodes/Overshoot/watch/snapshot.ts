// The frame a question was about → JPEG, only when an event is emitted.
// Colour conversion runs in JS (i420.ts), not through rtc-node's VideoFrame.convert: measured for
// 640×360 on this project's 2-core box, JS 1.5 ms vs native 1.0 ms (incl. building the VideoFrame),
// while the JPEG encode costs ~2.5 ms either way. Half a millisecond per *event* does not justify
// creating native rtc objects (and their process-exit trap) on the snapshot path.

import type { Frame } from './frame';
import { i420ToRgb } from './i420';
import { loadSharp } from './native';
import { WATCHER_DEFAULTS, WATCHER_LIMITS } from './options';

export interface Snapshot {
	jpeg: Buffer;
	width: number;
	height: number;
	/** The frame's sequence number and capture time, so the item says which picture this is. */
	seq: number;
	capturedAtMs: number;
}

export interface SnapshotOptions {
	/** JPEG quality (WATCHER_LIMITS.snapshotQuality; default the watcher's). */
	quality?: number;
}

export async function encodeSnapshot(
	frame: Frame,
	options: SnapshotOptions = {},
): Promise<Snapshot> {
	const sharp = loadSharp();
	const { width, height } = frame;
	const { min, max } = WATCHER_LIMITS.snapshotQuality;
	const quality = Math.max(
		min,
		Math.min(max, Math.round(options.quality ?? WATCHER_DEFAULTS.snapshot.quality)),
	);
	const pixels = frame.format === 'I420' ? i420ToRgb(frame.data, width, height) : frame.data;
	const channels = frame.format === 'I420' ? 3 : 4;
	const input = Buffer.from(pixels.buffer, pixels.byteOffset, width * height * channels);
	const jpeg = await sharp(input, { raw: { width, height, channels } })
		.removeAlpha()
		.jpeg({ quality, chromaSubsampling: '4:2:0' })
		.toBuffer();
	return { jpeg, width, height, seq: frame.seq, capturedAtMs: frame.capturedAtMs };
}
