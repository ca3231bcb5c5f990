// An n8n binary image from the input item → a data: URL the model can read, so a workflow can
// ask about a snapshot (from a camera's HTTP endpoint, a file, an email) without any stream.

import type { IExecuteFunctions } from 'n8n-workflow';
import { InputError } from '../../api/errors';

export const BINARY_FIELD = 'Input Binary Field';
/** Larger images are refused by model providers anyway; say so before uploading them. */
const MAX_BYTES = 20 * 1024 * 1024;

/** Recognises the image formats models accept from their first bytes. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
	const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
	if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
	if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
	if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
	if (
		starts(0x52, 0x49, 0x46, 0x46) &&
		bytes[8] === 0x57 &&
		bytes[9] === 0x45 &&
		bytes[10] === 0x42 &&
		bytes[11] === 0x50
	)
		return 'image/webp';
	return undefined;
}

export async function binaryImageDataUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): Promise<string> {
	const name = (property ?? '').trim();
	if (!name)
		throw new InputError(
			BINARY_FIELD,
			`${BINARY_FIELD} is empty: enter the name of the binary field that holds the image, e.g. "data".`,
		);
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const meta = binary[name];
	if (!meta) {
		const available = Object.keys(binary);
		const hint = available.length
			? `Binary fields on this item: ${available.join(', ')}.`
			: 'This item has no binary data at all.';
		throw new InputError(
			BINARY_FIELD,
			`${BINARY_FIELD} "${name}" does not exist on the input item. ${hint}`,
		);
	}
	const declared = (meta.mimeType ?? '').toLowerCase();
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	if (buffer.length === 0)
		throw new InputError(BINARY_FIELD, `${BINARY_FIELD} "${name}" is empty (0 bytes).`);
	if (buffer.length > MAX_BYTES) {
		throw new InputError(
			BINARY_FIELD,
			`${BINARY_FIELD} "${name}" is ${(buffer.length / 1048576).toFixed(1)} MB; images up to 20 MB are accepted. Resize it first.`,
		);
	}
	// Only the bytes count: a label can lie either way (Code nodes and some servers call images
	// octet-stream; a text or HTML error page can arrive labelled image/png). SVG is refused:
	// models do not read it.
	const mimeType = sniffImageType(buffer);
	if (!mimeType) {
		const what = declared
			? `labelled ${declared}, but its bytes are not a PNG, JPEG, GIF or WebP image`
			: 'its bytes are not a PNG, JPEG, GIF or WebP image';
		throw new InputError(
			BINARY_FIELD,
			`${BINARY_FIELD} "${name}" is not an image (${what}${meta.fileName ? `, file "${meta.fileName}"` : ''}). Use a PNG, JPEG, GIF or WebP image.`,
		);
	}
	return `data:${mimeType};base64,${buffer.toString('base64')}`;
}
