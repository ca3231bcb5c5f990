// One image file → one RGBA frame of exactly W×H, letterboxed on black like the ffmpeg sources.

import { loadSharp } from '../native';

export async function decodeImage(
	file: string,
	width: number,
	height: number,
): Promise<Uint8Array> {
	const sharp = loadSharp();
	let data: Buffer;
	let info: { width: number; height: number; channels: number };
	try {
		({ data, info } = await sharp(file)
			.rotate() // honour EXIF orientation (phone photos)
			.flatten({ background: '#000000' }) // transparent pixels become black, not undefined colour
			.resize(width, height, {
				fit: 'contain',
				background: { r: 0, g: 0, b: 0, alpha: 1 },
				fastShrinkOnLoad: true,
			})
			.ensureAlpha(1)
			.raw()
			.toBuffer({ resolveWithObject: true }));
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		throw new Error(`"${file}" could not be read as an image (${why})`);
	}
	if (info.width !== width || info.height !== height || info.channels !== 4) {
		throw new Error(
			`"${file}" decoded to ${info.width}×${info.height}×${info.channels}, expected ${width}×${height}×4`,
		);
	}
	// sharp's raw output owns its ArrayBuffer from offset 0 (checked in the tests); copy only if
	// a future version hands out a pooled slice, because VideoFrame ignores byteOffset.
	if (data.byteOffset === 0 && data.buffer.byteLength === data.byteLength) return data;
	return new Uint8Array(data);
}
