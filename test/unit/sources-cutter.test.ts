import { FrameCutter } from '../../nodes/Overshoot/watch/sources/frame-cutter';

function stream(frames: number, frameBytes: number): Uint8Array {
	const all = new Uint8Array(frames * frameBytes);
	for (let f = 0; f < frames; f++) all.fill(f + 1, f * frameBytes, (f + 1) * frameBytes);
	return all;
}

function cutAll(bytes: Uint8Array, frameBytes: number, chunkSizes: number[]) {
	const frames: Uint8Array[] = [];
	let allocated = 0;
	const cutter = new FrameCutter(
		frameBytes,
		(f) => frames.push(f),
		(n) => ((allocated += n), new Uint8Array(n)),
	);
	let at = 0;
	let i = 0;
	while (at < bytes.length) {
		const size = chunkSizes[i++ % chunkSizes.length];
		// Chunks are views into a bigger buffer at an offset, as Node's pipe chunks often are.
		const backing = new Uint8Array(size + 100);
		backing.set(bytes.subarray(at, at + size), 37);
		cutter.push(backing.subarray(37, 37 + Math.min(size, bytes.length - at)));
		at += size;
	}
	return { frames, allocated, cutter };
}

describe('FrameCutter', () => {
	const frameBytes = (6 * 4 * 3) / 2; // a 6×4 I420 frame: 36 bytes

	it.each([
		['exactly one frame per chunk', [36]],
		['chunks smaller than a frame', [5]],
		['chunks bigger than a frame', [100]],
		['boundaries that straddle frames', [35, 2, 70, 1]],
		['one byte at a time', [1]],
	])('cuts whole frames from %s', (_name, sizes) => {
		const { frames, cutter } = cutAll(stream(7, frameBytes), frameBytes, sizes);
		expect(frames).toHaveLength(7);
		frames.forEach((f, i) => {
			expect(f.length).toBe(frameBytes);
			expect(f.every((b) => b === i + 1)).toBe(true);
		});
		expect(cutter.pendingBytes).toBe(0);
	});

	it('gives each frame its own ArrayBuffer at offset 0, exactly one frame long', () => {
		const { frames } = cutAll(stream(4, frameBytes), frameBytes, [50]);
		const buffers = new Set(frames.map((f) => f.buffer));
		expect(buffers.size).toBe(4);
		for (const f of frames) {
			expect(f.byteOffset).toBe(0);
			expect(f.buffer.byteLength).toBe(frameBytes);
		}
	});

	it('copies each byte once: allocates exactly one frame buffer per frame, never a concatenation', () => {
		const { frames, allocated } = cutAll(stream(10, frameBytes), frameBytes, [7, 64, 3]);
		expect(frames).toHaveLength(10);
		expect(allocated).toBe(10 * frameBytes);
	});

	it('holds back a trailing partial frame', () => {
		const { frames, cutter } = cutAll(
			stream(3, frameBytes).subarray(0, 2 * frameBytes + 10),
			frameBytes,
			[16],
		);
		expect(frames).toHaveLength(2);
		expect(cutter.pendingBytes).toBe(10);
	});

	it('does not change a frame after handing it out', () => {
		const { frames } = cutAll(stream(3, frameBytes), frameBytes, [frameBytes * 3]);
		expect(frames[0].every((b) => b === 1)).toBe(true);
	});

	it('rejects a non-positive frame size', () => {
		expect(() => new FrameCutter(0, () => undefined)).toThrow(RangeError);
	});
});
