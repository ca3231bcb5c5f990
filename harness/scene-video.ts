// The demo's sample video, made with ffmpeg (nothing binary is committed): an "empty loading dock"
// (gray, with a darker dock door) for `emptyS` seconds, then a big red "truck" backs in for
// `truckS` seconds. The emulator says a colour is present when it covers >= 25 % of a frame, so
// it answers "Is the scene red?" with No, then Yes.

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { FFMPEG_BIN } from './paths';

const run = promisify(execFile);

export interface DockVideoSpec {
	file: string;
	emptyS?: number;
	truckS?: number;
	width?: number;
	height?: number;
	fps?: number;
}

export async function makeLoadingDockVideo(spec: DockVideoSpec): Promise<string> {
	const { emptyS = 8, truckS = 6, width = 640, height = 360, fps = 15 } = spec;
	await fs.mkdir(path.dirname(spec.file), { recursive: true });
	// Boxes in fractions of the frame, so any size works.
	const box = (x: number, y: number, w: number, h: number, color: string) =>
		`drawbox=x=${Math.round(x * width)}:y=${Math.round(y * height)}:w=${Math.round(w * width)}:h=${Math.round(h * height)}:color=0x${color}@1:t=fill`;
	const dock = [box(0, 0.8, 1, 0.2, '4a4a4a'), box(0.08, 0.12, 0.84, 0.62, '5c5c5c')]; // floor, dock door
	// Backed up to the dock, close to the camera: the truck fills most of the picture, so the
	// emulator also calls the whole scene "mostly red", not just "red present".
	const truck = [
		box(0.02, 0.04, 0.74, 0.76, 'e01010'), // trailer
		box(0.76, 0.2, 0.22, 0.6, 'c80c0c'), // cab
		box(0.8, 0.26, 0.14, 0.14, '282828'), // window
		...[0.08, 0.5, 0.8].map((x) => box(x, 0.76, 0.1, 0.1, '101010')), // wheels
	];
	const scene = (i: number, boxes: string[]) => `[${i}:v]${[...dock, ...boxes].join(',')}[s${i}]`;
	const filter = `${scene(0, [])};${scene(1, truck)};[s0][s1]concat=n=2:v=1:a=0[v]`;
	const input = (d: number) => [
		'-f',
		'lavfi',
		'-i',
		`color=c=0x767676:s=${width}x${height}:r=${fps}:d=${d}`,
	];
	await run(
		FFMPEG_BIN,
		[
			'-hide_banner',
			'-nostdin',
			'-loglevel',
			'error',
			'-y',
			...input(emptyS),
			...input(truckS),
			'-filter_complex',
			filter,
			'-map',
			'[v]',
			'-c:v',
			'libx264',
			'-preset',
			'ultrafast',
			'-pix_fmt',
			'yuv420p',
			'-g',
			String(fps),
			spec.file,
		],
		{ timeout: 60_000 },
	);
	return spec.file;
}
