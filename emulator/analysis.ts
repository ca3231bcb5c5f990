// Deterministic "vision": cheap pixel statistics that tests can predict, so an answer that depends
// on what really crossed WebRTC can be asserted exactly. Rules are documented in README.md.

export type ColorName =
	| 'black'
	| 'white'
	| 'gray'
	| 'red'
	| 'orange'
	| 'yellow'
	| 'green'
	| 'cyan'
	| 'blue'
	| 'magenta';
export type Rgb = [number, number, number];

export interface FramePixels {
	rgba: Uint8Array;
	width: number;
	height: number;
}

export const PALETTE: Record<Exclude<ColorName, 'black' | 'white' | 'gray'>, Rgb> = {
	red: [255, 0, 0],
	orange: [255, 140, 0],
	yellow: [255, 255, 0],
	green: [0, 255, 0],
	cyan: [0, 255, 255],
	blue: [0, 0, 255],
	magenta: [255, 0, 255],
};
export const COLOR_NAMES: ColorName[] = [
	'black',
	'white',
	'gray',
	...(Object.keys(PALETTE) as ColorName[]),
];

/** Below this max channel a colour is too dark to name: black. */
const DARK_MAX = 40;
/** Below this chroma (max − min) a colour is achromatic: black/gray/white by luma. */
const GRAY_CHROMA = 40;
/** Grid used for coverage and change (each frame is averaged down to GRID × GRID cells). */
export const GRID = 16;
/** A colour "is there" if it covers at least this fraction of a frame's grid cells. */
export const PRESENCE_FRACTION = 0.25;
export const DEFAULT_CHANGE_THRESHOLD = 10;

export function luma([r, g, b]: Rgb): number {
	return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function brightness(rgb: Rgb): number {
	return Math.round((luma(rgb) / 255) * 100);
}

/** Names a colour: dark → black; low chroma → black/gray/white by luma; else nearest hue in PALETTE. */
export function classify(rgb: Rgb): ColorName {
	const max = Math.max(...rgb);
	const min = Math.min(...rgb);
	if (max < DARK_MAX) return 'black';
	if (max - min < GRAY_CHROMA) {
		const y = luma(rgb);
		return y < 50 ? 'black' : y > 200 ? 'white' : 'gray';
	}
	// Compare hue, not darkness: scale so the strongest channel is 255 (dark red is still red).
	const s = 255 / max;
	const scaled = rgb.map((c) => c * s);
	let best: ColorName = 'red';
	let bestD = Infinity;
	for (const [name, p] of Object.entries(PALETTE) as Array<[ColorName, Rgb]>) {
		const d = (scaled[0] - p[0]) ** 2 + (scaled[1] - p[1]) ** 2 + (scaled[2] - p[2]) ** 2;
		if (d < bestD) {
			bestD = d;
			best = name;
		}
	}
	return best;
}

/** Averages a frame down to GRID × GRID RGB cells (Float64Array, 3 values per cell). */
export function grid(f: FramePixels): Float64Array {
	const sums = new Float64Array(GRID * GRID * 3);
	const counts = new Float64Array(GRID * GRID);
	for (let y = 0; y < f.height; y++) {
		const gy = Math.min(GRID - 1, Math.floor((y * GRID) / f.height));
		for (let x = 0; x < f.width; x++) {
			const gx = Math.min(GRID - 1, Math.floor((x * GRID) / f.width));
			const p = (y * f.width + x) * 4;
			const c = gy * GRID + gx;
			sums[c * 3] += f.rgba[p];
			sums[c * 3 + 1] += f.rgba[p + 1];
			sums[c * 3 + 2] += f.rgba[p + 2];
			counts[c]++;
		}
	}
	for (let c = 0; c < GRID * GRID; c++) {
		const n = counts[c] || 1;
		sums[c * 3] /= n;
		sums[c * 3 + 1] /= n;
		sums[c * 3 + 2] /= n;
	}
	return sums;
}

export interface FrameStats {
	meanRgb: Rgb;
	color: ColorName;
	brightness: number;
	/** Fraction of grid cells per colour name. */
	coverage: Partial<Record<ColorName, number>>;
	cells: Float64Array;
}

export function frameStats(f: FramePixels): FrameStats {
	let r = 0;
	let g = 0;
	let b = 0;
	const n = f.width * f.height;
	for (let p = 0; p < n * 4; p += 4) {
		r += f.rgba[p];
		g += f.rgba[p + 1];
		b += f.rgba[p + 2];
	}
	const meanRgb: Rgb = n ? [Math.round(r / n), Math.round(g / n), Math.round(b / n)] : [0, 0, 0];
	const cells = grid(f);
	const coverage: Partial<Record<ColorName, number>> = {};
	const cellCount = GRID * GRID;
	for (let c = 0; c < cellCount; c++) {
		const name = classify([cells[c * 3], cells[c * 3 + 1], cells[c * 3 + 2]]);
		coverage[name] = (coverage[name] ?? 0) + 1 / cellCount;
	}
	return { meanRgb, color: classify(meanRgb), brightness: brightness(meanRgb), coverage, cells };
}

/** Mean absolute difference of two grids, 0–100. */
export function changeBetween(a: Float64Array, b: Float64Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
	return (sum / a.length / 255) * 100;
}

export interface Analysis {
	frames: number;
	meanRgb: Rgb;
	dominantColor: ColorName | null;
	brightness: number | null;
	/** Largest change between consecutive frames (request order), 0–100, one decimal. */
	changeScore: number;
	changed: boolean;
	/** Colours dominant in, or covering ≥ 25 % of, at least one frame. */
	present: ColorName[];
	perFrame: Array<{ meanRgb: Rgb; color: ColorName; brightness: number }>;
}

export function analyse(
	frames: FramePixels[],
	changeThreshold = DEFAULT_CHANGE_THRESHOLD,
): Analysis {
	const stats = frames.map(frameStats);
	if (stats.length === 0) {
		return {
			frames: 0,
			meanRgb: [0, 0, 0],
			dominantColor: null,
			brightness: null,
			changeScore: 0,
			changed: false,
			present: [],
			perFrame: [],
		};
	}
	const sum = [0, 0, 0];
	for (const s of stats) for (let c = 0; c < 3; c++) sum[c] += s.meanRgb[c];
	const meanRgb = sum.map((v) => Math.round(v / stats.length)) as Rgb;
	let change = 0;
	for (let i = 1; i < stats.length; i++)
		change = Math.max(change, changeBetween(stats[i - 1].cells, stats[i].cells));
	const changeScore = Math.round(change * 10) / 10;
	const present = new Set<ColorName>();
	for (const s of stats) {
		present.add(s.color);
		for (const [name, frac] of Object.entries(s.coverage) as Array<[ColorName, number]>) {
			if (frac >= PRESENCE_FRACTION - 1e-9) present.add(name);
		}
	}
	return {
		frames: stats.length,
		meanRgb,
		dominantColor: classify(meanRgb),
		brightness: brightness(meanRgb),
		changeScore,
		changed: changeScore > changeThreshold,
		present: COLOR_NAMES.filter((c) => present.has(c)),
		perFrame: stats.map((s) => ({ meanRgb: s.meanRgb, color: s.color, brightness: s.brightness })),
	};
}
