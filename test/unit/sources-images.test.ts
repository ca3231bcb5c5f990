import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Frame, SourceStatus } from '../../nodes/Overshoot/watch/frame';
import { ImageFilesSource } from '../../nodes/Overshoot/watch/sources/image-files-source';
import {
	naturalCompare,
	resolveImageFiles,
	segmentRegExp,
	splitGlob,
} from '../../nodes/Overshoot/watch/sources/image-list';

describe('image list', () => {
	it('sorts names naturally (img2 before img10)', () => {
		expect(['img10.png', 'img2.png', 'img1.png', 'IMG3.png'].sort(naturalCompare)).toEqual([
			'img1.png',
			'img2.png',
			'IMG3.png',
			'img10.png',
		]);
	});

	it('turns glob segments into anchored expressions', () => {
		expect(segmentRegExp('img-*.png').test('img-01.png')).toBe(true);
		expect(segmentRegExp('img-*.png').test('img-01.png.bak')).toBe(false);
		expect(segmentRegExp('*.{jpg,png}').test('a.png')).toBe(true);
		expect(segmentRegExp('*.{jpg,png}').test('a.gif')).toBe(false);
		expect(segmentRegExp('frame?.jpg').test('frame7.jpg')).toBe(true);
		expect(segmentRegExp('[!a]*.jpg').test('a1.jpg')).toBe(false);
		expect(segmentRegExp('a+b(1).png').test('a+b(1).png')).toBe(true);
	});

	it('splits a glob into a literal base and pattern segments', () => {
		expect(splitGlob('/data/cam/**/img-*.png')).toEqual({
			base: '/data/cam',
			segments: ['**', 'img-*.png'],
		});
		expect(splitGlob('/data/one.png')).toEqual({ base: '/data', segments: ['one.png'] });
	});

	describe('on disk', () => {
		let dir: string;
		beforeAll(async () => {
			dir = await mkdtemp(path.join(os.tmpdir(), 'ovs-list-'));
			await mkdir(path.join(dir, 'sub'));
			for (const f of [
				'img10.png',
				'img2.png',
				'img1.jpg',
				'notes.txt',
				'.hidden.png',
				'sub/img3.png',
			])
				await writeFile(path.join(dir, f), 'x');
		});
		afterAll(() => rm(dir, { recursive: true, force: true }));

		it("lists a directory's image files in natural order, skipping others and hidden files", async () => {
			const files = await resolveImageFiles({ directory: dir }, () => undefined);
			expect(files.map((f) => path.relative(dir, f))).toEqual([
				'img1.jpg',
				'img2.png',
				'img10.png',
			]);
		});

		it('expands globs, including **', async () => {
			const flat = await resolveImageFiles({ glob: path.join(dir, 'img*.png') }, () => undefined);
			expect(flat.map((f) => path.relative(dir, f))).toEqual(['img2.png', 'img10.png']);
			const deep = await resolveImageFiles(
				{ glob: path.join(dir, '**', '*.png') },
				() => undefined,
			);
			expect(deep.map((f) => path.relative(dir, f)).sort()).toEqual([
				'img10.png',
				'img2.png',
				'sub/img3.png',
			]);
		});

		it('keeps explicit paths in the order given', async () => {
			const files = await resolveImageFiles(
				{ paths: [path.join(dir, 'img10.png'), path.join(dir, 'img2.png')] },
				() => undefined,
			);
			expect(files.map((f) => path.basename(f))).toEqual(['img10.png', 'img2.png']);
		});

		it('applies the path check to the directory and to every file', async () => {
			const seen: string[] = [];
			await resolveImageFiles(
				{ directory: dir },
				(p) => void seen.push(path.relative(dir, p) || '.'),
			);
			expect(seen).toEqual(['.', 'img1.jpg', 'img2.png', 'img10.png']);
			await expect(
				resolveImageFiles({ directory: dir }, (p) => {
					if (p.endsWith('img2.png')) throw new Error(`Access to ${p} is not allowed`);
				}),
			).rejects.toThrow(/img2\.png is not allowed/);
		});

		it('names the place when nothing matches', async () => {
			await expect(
				resolveImageFiles({ glob: path.join(dir, '*.webp') }, () => undefined),
			).rejects.toThrow(/no image files found in pattern .*\*\.webp/);
			await expect(
				resolveImageFiles({ directory: path.join(dir, 'nope') }, () => undefined),
			).rejects.toThrow(/image directory not found/);
		});
	});
});

describe('ImageFilesSource pacing (fake clock)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
	afterEach(() => jest.useRealTimers());

	function run(opts: { files: string[]; fps: number; loop: boolean; decodeMs?: number }) {
		const frames: Frame[] = [];
		const statuses: SourceStatus[] = [];
		const fatals: Error[] = [];
		const decode = async (file: string) => {
			if (opts.decodeMs) await new Promise((r) => setTimeout(r, opts.decodeMs));
			if (file.endsWith('.txt'))
				throw new Error(`"${file}" could not be read as an image (unsupported image format)`);
			return new Uint8Array([opts.files.indexOf(file), 0, 0, 255]);
		};
		const src = new ImageFilesSource({
			paths: opts.files,
			fps: opts.fps,
			loop: opts.loop,
			width: 2,
			height: 2,
			decode,
		});
		src.start({
			frame: (f) => frames.push(f),
			status: (s) => statuses.push(s),
			fatal: (e) => fatals.push(e),
		});
		return { src, frames, statuses, fatals };
	}

	it('shows each image in order at exact multiples of the interval, then ends after the last slot', async () => {
		const files = ['/a.png', '/b.png', '/c.png'].map((f) => path.resolve(f));
		const { frames, statuses } = run({ files, fps: 4, loop: false, decodeMs: 60 });
		await jest.advanceTimersByTimeAsync(2000);
		expect(frames.map((f) => f.data[0])).toEqual([0, 1, 2]);
		expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
		const t0 = frames[0].capturedAtMs;
		// Prefetching hides the 60 ms decode: no drift at all.
		expect(frames.map((f) => f.capturedAtMs - t0)).toEqual([0, 250, 500]);
		expect(frames[0]).toMatchObject({ format: 'RGBA', width: 2, height: 2 });
		expect(statuses.map((s) => s.kind)).toEqual(['started', 'ended']);
	});

	it('loops forever when asked, keeping the rate', async () => {
		const files = ['/a.png', '/b.png'].map((f) => path.resolve(f));
		const { src, frames, statuses } = run({ files, fps: 10, loop: true });
		await jest.advanceTimersByTimeAsync(1050);
		expect(frames.map((f) => f.data[0])).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
		expect(frames[10].capturedAtMs - frames[0].capturedAtMs).toBe(1000);
		expect(statuses.map((s) => s.kind)).toEqual(['started']);
		await src.stop();
		await jest.advanceTimersByTimeAsync(1000);
		expect(frames).toHaveLength(11);
	});

	it('a file that is not an image is fatal, naming the file', async () => {
		const files = ['/a.png', '/notes.txt'].map((f) => path.resolve(f));
		const { frames, fatals } = run({ files, fps: 2, loop: false });
		await jest.advanceTimersByTimeAsync(2000);
		expect(frames).toHaveLength(1);
		expect(fatals).toHaveLength(1);
		expect(fatals[0].message).toContain(path.resolve('/notes.txt'));
	});
});
