// VideoFileSource and ImageFilesSource against real ffmpeg and sharp, on media made at test time.

import path from 'node:path';
import { createSource } from '../../nodes/Overshoot/watch/sources';
import { decodeImage } from '../../nodes/Overshoot/watch/sources/decode-image';
import { FFMPEG_BIN } from '../../harness/paths';
import {
	makeColorVideo,
	makeImages,
	makeNonImage,
	makeTempDir,
	type TempDir,
} from '../../harness/media';
import { i420Means, rgbaMeans, rgbToYuv, yuvDistance } from '../support/stamp';
import { processesMatching, recorder, zombieChildren, type Recorder } from './sources-sink';
import type { FrameSource } from '../../nodes/Overshoot/watch/frame';

const RED = 'ff0000';
const GREEN = '00ff00';
const BLUE = '0000ff';

let tmp: TempDir;
let redBlue: string; // 2 s red, then 2 s blue
let short: string; // 0.5 s red, 0.5 s blue
beforeAll(async () => {
	tmp = await makeTempDir();
	[redBlue, short] = await Promise.all([
		makeColorVideo({
			dir: tmp.dir,
			name: 'red-blue.mp4',
			colors: [RED, BLUE],
			segmentS: 2,
			fps: 15,
		}),
		makeColorVideo({
			dir: tmp.dir,
			name: 'short.mp4',
			colors: [RED, BLUE],
			segmentS: 0.5,
			fps: 15,
		}),
	]);
});
afterAll(() => tmp.cleanup());

const running: FrameSource[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map((s) => s.stop()));
});

function start(src: FrameSource): Recorder {
	const rec = recorder();
	running.push(src);
	src.start(rec);
	return rec;
}

const isColor =
	(hex: string) =>
	(f: { data: Uint8Array; width: number; height: number; format: 'I420' | 'RGBA' }) =>
		yuvDistance(i420Means(f), rgbToYuv(hex)) < 12;

describe('VideoFileSource (real ffmpeg)', () => {
	it('plays in real time at the requested size and rate, shows the colour change, and ends', async () => {
		const rec = start(
			createSource({
				kind: 'videoFile',
				path: redBlue,
				loop: false,
				width: 160,
				height: 120,
				fps: 10,
				ffmpegPath: FFMPEG_BIN,
			}),
		);
		await rec.waitFor('ended', 15_000, () => rec.statuses.find((s) => s.kind === 'ended'));
		const { frames } = rec;
		expect(frames.length).toBeGreaterThanOrEqual(38);
		expect(frames.length).toBeLessThanOrEqual(42);
		// -re: 4 s of video takes about 4 s, not a fraction of a second.
		const span = frames[frames.length - 1].capturedAtMs - frames[0].capturedAtMs;
		expect(span).toBeGreaterThan(3300);
		expect(span).toBeLessThan(5000);
		expect(frames[0]).toMatchObject({ width: 160, height: 120, format: 'I420', seq: 0 });
		expect(frames[0].data.byteOffset).toBe(0);
		expect(frames[0].data.buffer.byteLength).toBe(160 * 120 * 1.5);
		expect(isColor(RED)(frames[1])).toBe(true);
		expect(isColor(BLUE)(frames[frames.length - 1])).toBe(true);
		const firstBlue = frames.findIndex(isColor(BLUE));
		expect(firstBlue).toBeGreaterThanOrEqual(18);
		expect(firstBlue).toBeLessThanOrEqual(22);
		expect(rec.statuses.map((s) => s.kind)).toEqual(['started', 'ended']);
		expect(rec.fatals).toEqual([]);
	});

	it('loops without ending, at the same rate, and stop() leaves no ffmpeg behind', async () => {
		const src = createSource({
			kind: 'videoFile',
			path: short,
			loop: true,
			width: 160,
			height: 120,
			fps: 10,
			ffmpegPath: FFMPEG_BIN,
		});
		const rec = start(src);
		await rec.waitFor('first frame', 10_000, () => rec.frames[0]);
		const t0 = Date.now();
		await rec.waitFor('3 s of a 1 s clip', 10_000, () =>
			Date.now() - t0 >= 3000 ? true : undefined,
		);
		const n = rec.frames.length;
		expect(n).toBeGreaterThanOrEqual(27);
		expect(n).toBeLessThanOrEqual(36);
		const colours = rec.frames
			.map((f) => (isColor(RED)(f) ? 'r' : isColor(BLUE)(f) ? 'b' : '?'))
			.join('');
		expect(colours).toMatch(/r+b+r+b+r+b+/);
		expect(rec.statuses.map((s) => s.kind)).toEqual(['started']);
		expect(processesMatching(short).length).toBe(1);
		await src.stop();
		expect(processesMatching(short)).toEqual([]);
		expect(zombieChildren()).toEqual([]);
	});

	it('a missing file, a non-video and a blocked path are fatal with the reason', async () => {
		const missing = start(
			createSource({
				kind: 'videoFile',
				path: path.join(tmp.dir, 'nope.mp4'),
				loop: false,
				width: 160,
				height: 120,
				fps: 5,
			}),
		);
		const notVideo = await makeNonImage(tmp.dir, 'fake.mp4');
		const invalid = start(
			createSource({
				kind: 'videoFile',
				path: notVideo,
				loop: false,
				width: 160,
				height: 120,
				fps: 5,
				ffmpegPath: FFMPEG_BIN,
			}),
		);
		const checked: string[] = [];
		const blocked = start(
			createSource(
				{ kind: 'videoFile', path: redBlue, loop: false, width: 160, height: 120, fps: 5 },
				(p) => {
					checked.push(p);
					throw new Error(`Access to the file is not allowed: ${p}`);
				},
			),
		);
		const [e1, e2, e3] = await Promise.all([
			missing.waitFor('fatal', 10_000, () => missing.fatals[0]),
			invalid.waitFor('fatal', 10_000, () => invalid.fatals[0]),
			blocked.waitFor('fatal', 10_000, () => blocked.fatals[0]),
		]);
		expect(e1.message).toMatch(/nope\.mp4.*file not found/);
		expect(e2.message).toMatch(/fake\.mp4.*invalid data/);
		expect(e3.message).toMatch(/not allowed/);
		expect(checked).toEqual([redBlue]);
		expect(blocked.frames).toEqual([]);
	});
});

describe('ImageFilesSource (real sharp)', () => {
	let dir: TempDir;
	beforeAll(async () => {
		dir = await makeTempDir('ovs-images-');
		// Named so that only natural order gives red, green, blue.
		await makeImages({
			dir: dir.dir,
			colors: [RED, GREEN, BLUE],
			format: 'png',
			name: (i) => `img${[1, 2, 10][i]}.png`,
		});
		await makeImages({
			dir: dir.dir,
			colors: [GREEN],
			format: 'jpg',
			name: () => 'photo.jpg',
			width: 320,
			height: 240,
		});
	});
	afterAll(() => dir.cleanup());

	it('decodes with sharp into an RGBA buffer that owns its memory from offset 0', async () => {
		const data = await decodeImage(path.join(dir.dir, 'img1.png'), 80, 48);
		expect(data.byteOffset).toBe(0);
		expect(data.buffer.byteLength).toBe(80 * 48 * 4);
	});

	it('shows a directory in natural order at the chosen rate, letterboxed, then ends', async () => {
		const src = createSource({
			kind: 'imageFiles',
			glob: path.join(dir.dir, 'img*.png'),
			fps: 4,
			loop: false,
			width: 80,
			height: 48,
		});
		const rec = start(src);
		await rec.waitFor('ended', 10_000, () => rec.statuses.find((s) => s.kind === 'ended'));
		const { frames } = rec;
		expect(frames).toHaveLength(3);
		expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
		// 64×48 images in an 80×48 frame: black bars left and right, colour in the middle.
		// (ffmpeg's PNGs went through YUV, so a channel may read 253 instead of 255.)
		const middle = (f: (typeof frames)[number]) =>
			Array.from(f.data.subarray((24 * 80 + 40) * 4, (24 * 80 + 40) * 4 + 3), (c) =>
				Math.round(c / 16),
			);
		expect(frames.map(middle)).toEqual([
			[16, 0, 0],
			[0, 16, 0],
			[0, 0, 16],
		]);
		expect(Array.from(frames[0].data.subarray((24 * 80 + 2) * 4, (24 * 80 + 2) * 4 + 4))).toEqual([
			0, 0, 0, 255,
		]);
		const gaps = frames.slice(1).map((f, i) => f.capturedAtMs - frames[i].capturedAtMs);
		for (const gap of gaps) expect(Math.abs(gap - 250)).toBeLessThan(40);
		const ended = rec.statuses.find((s) => s.kind === 'ended')!;
		expect(ended.atMs - frames[2].capturedAtMs).toBeGreaterThan(200);
		expect(frames[0]).toMatchObject({ format: 'RGBA', width: 80, height: 48 });
	});

	it('loops a directory (images only, natural order) and keeps the rate', async () => {
		const rec = start(
			createSource({
				kind: 'imageFiles',
				directory: dir.dir,
				fps: 10,
				loop: true,
				width: 64,
				height: 48,
			}),
		);
		await rec.waitFor('12 frames', 10_000, () => rec.frames[11]);
		const colour = (f: (typeof rec.frames)[number]) => {
			const m = rgbaMeans(f);
			return m.r > 200 && m.g < 60
				? 'r'
				: m.g > 200 && m.r < 60 && m.b < 60
					? 'g'
					: m.b > 200 && m.r < 60
						? 'b'
						: '?';
		};
		// img1 (red), img2 (green), img10 (blue), photo.jpg (green)
		expect(rec.frames.slice(0, 12).map(colour).join('')).toBe('rgbgrgbgrgbg');
		const span = rec.frames[11].capturedAtMs - rec.frames[0].capturedAtMs;
		expect(Math.abs(span - 1100)).toBeLessThan(60);
		expect(rec.statuses.map((s) => s.kind)).toEqual(['started']);
	});

	it('a file that is not an image is a clear error naming the file', async () => {
		const bad = await makeNonImage(dir.dir, 'broken.png');
		const rec = start(
			createSource({
				kind: 'imageFiles',
				paths: [path.join(dir.dir, 'img1.png'), bad],
				fps: 5,
				loop: false,
				width: 64,
				height: 48,
			}),
		);
		const err = await rec.waitFor('fatal', 10_000, () => rec.fatals[0]);
		expect(err.message).toContain(`"${bad}" could not be read as an image`);
		expect(rec.frames).toHaveLength(1);
	});

	it('checks every matched image against the path hook', async () => {
		const seen: string[] = [];
		const rec = start(
			createSource(
				{ kind: 'imageFiles', directory: dir.dir, fps: 5, loop: false, width: 64, height: 48 },
				(p) => {
					seen.push(path.basename(p));
					if (p.endsWith('photo.jpg')) throw new Error(`Access to ${p} is not allowed`);
				},
			),
		);
		const err = await rec.waitFor('fatal', 10_000, () => rec.fatals[0]);
		expect(err.message).toMatch(/photo\.jpg is not allowed/);
		expect(seen).toEqual(
			expect.arrayContaining([
				path.basename(dir.dir),
				'img1.png',
				'img2.png',
				'img10.png',
				'photo.jpg',
			]),
		);
		expect(rec.frames).toEqual([]);
	});
});
