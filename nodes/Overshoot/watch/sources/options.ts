// Checks shared by every source's constructor, so bad options fail before anything starts.

export type AssertPathAllowed = (path: string) => void | Promise<void>;

export const allowAllPaths: AssertPathAllowed = () => undefined;

export function checkOutputSize(
	width: number,
	height: number,
	fps: number,
	evenSize: boolean,
): void {
	for (const [name, value] of [
		['width', width],
		['height', height],
	] as const) {
		if (!Number.isInteger(value) || value < 2 || value > 7680)
			throw new RangeError(
				`${name} must be a whole number of pixels between 2 and 7680, got ${value}`,
			);
		// I420 halves the chroma planes; ffmpeg's yuv420p output wants even sizes.
		if (evenSize && value % 2 !== 0)
			throw new RangeError(`${name} must be an even number of pixels, got ${value}`);
	}
	if (!Number.isFinite(fps) || fps <= 0 || fps > 60)
		throw new RangeError(`fps must be more than 0 and at most 60, got ${fps}`);
}
