// Pure colour conversion for snapshots: I420 (BT.601 limited range, what ffmpeg's yuv420p and
// libwebrtc produce) → packed RGB, and RGBA → RGB. Integer maths with a clamp table: ~2-3 ms for
// 640×360 on one core, which only runs when an event fires.

const CLAMP = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) CLAMP[i] = Math.max(0, Math.min(255, i - 384));

/** Plane offsets of an I420 buffer (chroma planes are ceil(w/2) × ceil(h/2)). */
export function i420Layout(width: number, height: number) {
	const chromaWidth = Math.ceil(width / 2);
	const chromaHeight = Math.ceil(height / 2);
	const ySize = width * height;
	const cSize = chromaWidth * chromaHeight;
	return {
		chromaWidth,
		chromaHeight,
		uOffset: ySize,
		vOffset: ySize + cSize,
		byteLength: ySize + 2 * cSize,
	};
}

export function i420ToRgb(data: Uint8Array, width: number, height: number): Uint8Array {
	const { chromaWidth, uOffset, vOffset, byteLength } = i420Layout(width, height);
	if (data.length < byteLength)
		throw new Error(`I420 buffer too short: ${data.length} < ${byteLength} for ${width}x${height}`);
	const out = new Uint8Array(width * height * 3);
	let o = 0;
	for (let y = 0; y < height; y++) {
		const yRow = y * width;
		const cRow = (y >> 1) * chromaWidth;
		for (let x = 0; x < width; x++) {
			const c = cRow + (x >> 1);
			const yy = 298 * (data[yRow + x] - 16);
			const u = data[uOffset + c] - 128;
			const v = data[vOffset + c] - 128;
			// BT.601 in 8.8 fixed point; +384 indexes the clamp table (values -384…639).
			out[o++] = CLAMP[((yy + 409 * v + 128) >> 8) + 384];
			out[o++] = CLAMP[((yy - 100 * u - 208 * v + 128) >> 8) + 384];
			out[o++] = CLAMP[((yy + 516 * u + 128) >> 8) + 384];
		}
	}
	return out;
}

/** RGB → I420 (BT.601 limited range), for tests and synthetic sources. */
export function rgbToI420(
	r: number,
	g: number,
	b: number,
	width: number,
	height: number,
): Uint8Array {
	const { uOffset, vOffset, byteLength } = i420Layout(width, height);
	const out = new Uint8Array(byteLength);
	const y = Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256);
	const u = Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
	const v = Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256);
	out.fill(y, 0, uOffset);
	out.fill(u, uOffset, vOffset);
	out.fill(v, vOffset, byteLength);
	return out;
}
