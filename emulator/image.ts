// Decoding PNG/JPEG (chat `data:` URLs, test frame pushes) into small RGBA frames with sharp,
// loaded lazily so the emulator's HTTP side starts even where sharp's binary is missing.

import type Sharp from 'sharp';
import { MediaError } from './errors';
import { MAX_FRAME_WIDTH } from './frames';
import type { FramePixels } from './analysis';

let sharpMod: typeof Sharp | undefined;
function sharp(): typeof Sharp {
	if (!sharpMod) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require('sharp');
		sharpMod = (mod.default ?? mod) as typeof Sharp;
	}
	return sharpMod;
}

/** Decodes an encoded image to RGBA at most MAX_FRAME_WIDTH wide. Throws MediaError `image_invalid`. */
export async function decodeImage(buf: Buffer): Promise<FramePixels> {
	try {
		const { data, info } = await sharp()(buf)
			.resize({ width: MAX_FRAME_WIDTH, withoutEnlargement: true })
			.ensureAlpha()
			.raw()
			.toBuffer({ resolveWithObject: true });
		return { rgba: new Uint8Array(data), width: info.width, height: info.height };
	} catch (error) {
		throw new MediaError(
			'image_invalid',
			`Could not decode the image (${(error as Error).message.split('\n')[0]})`,
			400,
		);
	}
}

const DATA_RE = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

export async function decodeDataUrl(url: string): Promise<FramePixels> {
	const m = DATA_RE.exec(url);
	if (!m) throw new MediaError('image_invalid', 'Malformed data: URL', 400);
	const isBase64 = /;base64/i.test(m[2]);
	const buf = isBase64
		? Buffer.from(m[3], 'base64')
		: Buffer.from(decodeURIComponent(m[3]), 'latin1');
	if (buf.length === 0) throw new MediaError('image_invalid', 'Empty data: URL', 400);
	return decodeImage(buf);
}

/** Encodes RGBA as PNG (tests, snapshots). */
export async function encodePng(f: FramePixels): Promise<Buffer> {
	return sharp()(Buffer.from(f.rgba.buffer, f.rgba.byteOffset, f.rgba.byteLength), {
		raw: { width: f.width, height: f.height, channels: 4 },
	})
		.png()
		.toBuffer();
}
