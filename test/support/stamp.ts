// Reading the test camera's pixels back: the frame-number stamp (latency benchmarks) and the
// scene colour (BT.601 limited range, as the camera encodes it and ffmpeg decodes it).
//
// The stamp (harness/rtsp-server.py --stamp) is the frame number as 16 bits, most
// significant first, drawn as 16 equal black/white blocks across the top eighth of the
// picture. Blocks that big survive scaling and VP8/H.264 compression. Read it from a frame of
// the same aspect ratio as the camera (no letterbox bars), with a camera width divisible by 16.

export const STAMP_BITS = 16;

export interface PixelFrame {
	data: Uint8Array;
	width: number;
	height: number;
	format: 'I420' | 'RGBA';
}

/** Luma (0–255) of pixel (x, y), for I420 or RGBA frames. */
export function lumaAt(frame: PixelFrame, x: number, y: number): number {
	const { data, width, format } = frame;
	if (format === 'I420') return data[y * width + x];
	const i = (y * width + x) * 4;
	return 16 + (65.481 * data[i] + 128.553 * data[i + 1] + 24.966 * data[i + 2]) / 255;
}

function patchLuma(frame: PixelFrame, cx: number, cy: number, rx: number, ry: number): number {
	let sum = 0;
	let n = 0;
	for (let y = Math.max(0, cy - ry); y <= Math.min(frame.height - 1, cy + ry); y++) {
		for (let x = Math.max(0, cx - rx); x <= Math.min(frame.width - 1, cx + rx); x++) {
			sum += lumaAt(frame, x, y);
			n++;
		}
	}
	return sum / n;
}

/**
 * The frame number stamped into `frame`, or undefined when a block is neither clearly black
 * nor clearly white (no stamp, or a frame caught mid-transition by the encoder).
 */
export function readStamp(frame: PixelFrame): number | undefined {
	const blockW = frame.width / STAMP_BITS;
	const cy = Math.floor(frame.height / 16);
	const rx = Math.max(0, Math.floor(blockW / 4));
	const ry = Math.max(0, Math.floor(frame.height / 64));
	let value = 0;
	for (let i = 0; i < STAMP_BITS; i++) {
		const l = patchLuma(frame, Math.floor((i + 0.5) * blockW), cy, rx, ry);
		if (l > 90 && l < 160) return undefined;
		value = (value << 1) | (l >= 160 ? 1 : 0);
	}
	return value;
}

export interface Yuv {
	y: number;
	u: number;
	v: number;
}

/** "ff0000" → BT.601 limited-range Y'CbCr, the values the camera encodes for that colour. */
export function rgbToYuv(hex: string): Yuv {
	const n = parseInt(hex.replace(/^#/, ''), 16);
	const r = (n >> 16) & 255;
	const g = (n >> 8) & 255;
	const b = n & 255;
	return {
		y: 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
		u: 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255,
		v: 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255,
	};
}

/** Mean Y, U and V of an I420 frame, below `skipTopFraction` of the picture (to skip a stamp). */
export function i420Means(frame: PixelFrame, skipTopFraction = 0): Yuv {
	const { data, width, height } = frame;
	const cw = Math.ceil(width / 2);
	const ch = Math.ceil(height / 2);
	const top = Math.ceil(height * skipTopFraction);
	const mean = (offset: number, w: number, y0: number, y1: number) => {
		let sum = 0;
		for (let y = y0; y < y1; y++) for (let x = 0; x < w; x++) sum += data[offset + y * w + x];
		return sum / (w * (y1 - y0));
	};
	return {
		y: mean(0, width, top, height),
		u: mean(width * height, cw, Math.ceil(top / 2), ch),
		v: mean(width * height + cw * ch, cw, Math.ceil(top / 2), ch),
	};
}

/** Mean R, G, B of an RGBA frame. */
export function rgbaMeans(frame: PixelFrame): { r: number; g: number; b: number } {
	let r = 0;
	let g = 0;
	let b = 0;
	const px = frame.width * frame.height;
	for (let i = 0; i < px * 4; i += 4) {
		r += frame.data[i];
		g += frame.data[i + 1];
		b += frame.data[i + 2];
	}
	return { r: r / px, g: g / px, b: b / px };
}

/** Largest per-channel distance between two YUV triples. */
export function yuvDistance(a: Yuv, b: Yuv): number {
	return Math.max(Math.abs(a.y - b.y), Math.abs(a.u - b.u), Math.abs(a.v - b.v));
}
