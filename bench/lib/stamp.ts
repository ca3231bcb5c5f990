// The frame-counter stamp of harness/rtsp-server.py: 16 bits as black/white blocks across the
// top rows of the Y plane (bit 15 first), each block width/16 wide. Also drawn here for the
// synthetic baseline publisher, so both paths are decoded the same way after VP8.

export const STAMP_BITS = 16;

export function stampRows(height: number): number {
	const rows = Math.max(16, Math.floor(height / 8));
	return rows - (rows % 2);
}

/** Draws counter `n` into the Y plane of an I420 buffer (chroma under it is left to the caller). */
export function drawStamp(y: Uint8Array, width: number, height: number, n: number): void {
	const rows = stampRows(height);
	const block = Math.floor(width / STAMP_BITS);
	for (let r = 0; r < rows; r++) {
		const row = r * width;
		for (let i = 0; i < STAMP_BITS; i++) {
			const v = (n >> (STAMP_BITS - 1 - i)) & 1 ? 235 : 16;
			y.fill(v, row + i * block, row + (i + 1) * block);
		}
	}
}

/**
 * Reads the counter from a Y plane of any size (the stamp scales with the picture). Samples a
 * 4×4 patch in the middle of each block; returns undefined when a block is neither dark nor light
 * (no stamp, or a frame still smeared by the encoder).
 */
export function readStamp(
	y: Uint8Array,
	width: number,
	height: number,
	stride = width,
): number | undefined {
	// Scale from the camera's layout: rows are height/8 of the picture, blocks width/16.
	const rows = Math.max(2, Math.floor(height / 8));
	const cy = Math.floor(rows / 2);
	let n = 0;
	for (let i = 0; i < STAMP_BITS; i++) {
		const cx = Math.floor(((i + 0.5) * width) / STAMP_BITS);
		let sum = 0;
		for (let dy = -2; dy < 2; dy++)
			for (let dx = -2; dx < 2; dx++) sum += y[(cy + dy) * stride + cx + dx];
		const mean = sum / 16;
		if (mean > 80 && mean < 170) return undefined;
		n = (n << 1) | (mean >= 170 ? 1 : 0);
	}
	return n;
}
