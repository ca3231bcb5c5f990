// Sample media made with ffmpeg at test time (nothing binary is committed): colour videos,
// image sets, and a file that is not an image.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FFMPEG_BIN } from './paths';

const run = promisify(execFile);

async function ffmpeg(args: string[]): Promise<void> {
	await run(FFMPEG_BIN, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
		timeout: 60_000,
	});
}

export interface TempDir {
	dir: string;
	cleanup(): Promise<void>;
}

export async function makeTempDir(prefix = 'ovs-media-'): Promise<TempDir> {
	const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
	return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface VideoSpec {
	dir: string;
	name?: string;
	width?: number;
	height?: number;
	fps?: number;
	/** One colour per segment (rrggbb), each `segmentS` seconds long: ['ff0000', '0000ff'] changes colour once. */
	colors: string[];
	segmentS: number;
}

/**
 * An H.264 MP4 of solid colours, one after the other: `colors: ['ff0000', '0000ff'], segmentS: 2`
 * is red for 2 s, then blue for 2 s (a scene change at 2 s).
 */
export async function makeColorVideo(spec: VideoSpec): Promise<string> {
	const { width = 320, height = 240, fps = 15 } = spec;
	const out = path.join(spec.dir, spec.name ?? 'colors.mp4');
	const inputs = spec.colors.flatMap((c) => [
		'-f',
		'lavfi',
		'-i',
		`color=c=0x${c}:s=${width}x${height}:r=${fps}:d=${spec.segmentS}`,
	]);
	const concat = `${spec.colors.map((_, i) => `[${i}:v]`).join('')}concat=n=${spec.colors.length}:v=1:a=0[v]`;
	await ffmpeg([
		...inputs,
		'-filter_complex',
		concat,
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
		out,
	]);
	return out;
}

/** ffmpeg's moving test pattern, for tests that only need "some video". */
export async function makeTestPatternVideo(
	dir: string,
	durationS: number,
	name = 'testsrc.mp4',
	width = 320,
	height = 240,
	fps = 15,
): Promise<string> {
	const out = path.join(dir, name);
	await ffmpeg([
		'-f',
		'lavfi',
		'-i',
		`testsrc=s=${width}x${height}:r=${fps}:d=${durationS}`,
		'-c:v',
		'libx264',
		'-preset',
		'ultrafast',
		'-pix_fmt',
		'yuv420p',
		out,
	]);
	return out;
}

export interface ImageSetSpec {
	dir: string;
	colors: string[];
	format?: 'png' | 'jpg';
	width?: number;
	height?: number;
	/** File name for image i; default `img${i + 1}.${format}` (so img10 sorts after img2 only naturally). */
	name?: (i: number, color: string) => string;
}

/** One solid-colour image per colour; returns the paths in colour order. */
export async function makeImages(spec: ImageSetSpec): Promise<string[]> {
	const { format = 'png', width = 64, height = 48 } = spec;
	const name = spec.name ?? ((i: number) => `img${i + 1}.${format}`);
	return Promise.all(
		spec.colors.map(async (color, i) => {
			const out = path.join(spec.dir, name(i, color));
			await ffmpeg([
				'-f',
				'lavfi',
				'-i',
				`color=c=0x${color}:s=${width}x${height}`,
				'-frames:v',
				'1',
				...(format === 'jpg' ? ['-q:v', '2'] : []),
				out,
			]);
			return out;
		}),
	);
}

/** A file with an image's extension that is not an image. */
export async function makeNonImage(dir: string, name = 'not-an-image.png'): Promise<string> {
	const out = path.join(dir, name);
	await writeFile(out, 'this is plain text, not a picture\n');
	return out;
}
