import { FrameRing } from '../../nodes/Overshoot/watch/frame-ring';
import type { Frame } from '../../nodes/Overshoot/watch/frame';
import { i420ToRgb, rgbToI420 } from '../../nodes/Overshoot/watch/i420';
import { encodeSnapshot } from '../../nodes/Overshoot/watch/snapshot';
import { loadSharp } from '../../nodes/Overshoot/watch/native';

const f = (seq: number, capturedAtMs = seq * 100): Frame => ({
	data: new Uint8Array(6),
	width: 2,
	height: 2,
	format: 'I420',
	seq,
	capturedAtMs,
});

test('FrameRing keeps the newest frames in order', () => {
	const ring = new FrameRing(3);
	expect(ring.newest()).toBeUndefined();
	expect(ring.newestAgeMs()).toBeUndefined();
	for (let i = 0; i < 5; i++) ring.push(f(i));
	expect(ring.newest()!.seq).toBe(4);
	expect(ring.all().map((x) => x.seq)).toEqual([2, 3, 4]);
	expect(ring.totalReceived).toBe(5);
	expect(ring.newestAgeMs(1000)).toBe(600);
	ring.clear();
	expect(ring.newest()).toBeUndefined();
	expect(() => new FrameRing(0)).toThrow();
});

test.each([
	[[255, 0, 0]],
	[[0, 255, 0]],
	[[0, 0, 255]],
	[[200, 50, 10]],
	[[255, 255, 255]],
	[[0, 0, 0]],
])('I420 round trip of %j stays within a few levels', (rgb) => {
	const [r, g, b] = rgb as number[];
	const out = i420ToRgb(rgbToI420(r, g, b, 6, 4), 6, 4);
	for (let i = 0; i < out.length; i += 3) {
		expect(Math.abs(out[i] - r)).toBeLessThanOrEqual(4);
		expect(Math.abs(out[i + 1] - g)).toBeLessThanOrEqual(4);
		expect(Math.abs(out[i + 2] - b)).toBeLessThanOrEqual(4);
	}
});

test('odd sizes use ceil(w/2)×ceil(h/2) chroma planes', () => {
	const data = rgbToI420(10, 200, 30, 5, 3);
	expect(data.length).toBe(15 + 2 * 3 * 2);
	expect(i420ToRgb(data, 5, 3).length).toBe(45);
	expect(() => i420ToRgb(new Uint8Array(10), 5, 3)).toThrow(/too short/);
});

test('snapshot: JPEG of the frame, decodable, right colour and size', async () => {
	const frame: Frame = {
		data: rgbToI420(200, 30, 30, 64, 36),
		width: 64,
		height: 36,
		format: 'I420',
		seq: 7,
		capturedAtMs: 123,
	};
	const snap = await encodeSnapshot(frame);
	expect(snap.jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
	expect(snap).toMatchObject({ width: 64, height: 36, seq: 7, capturedAtMs: 123 });
	const { data, info } = await loadSharp()(snap.jpeg).raw().toBuffer({ resolveWithObject: true });
	expect(info).toMatchObject({ width: 64, height: 36, channels: 3 });
	const mid = (18 * 64 + 32) * 3;
	expect(Math.abs(data[mid] - 200)).toBeLessThan(12);
	expect(Math.abs(data[mid + 1] - 30)).toBeLessThan(12);

	const rgba = new Uint8Array(16 * 8 * 4);
	for (let i = 0; i < rgba.length; i += 4) rgba.set([10, 20, 240, 255], i);
	const s2 = await encodeSnapshot(
		{ data: rgba, width: 16, height: 8, format: 'RGBA', seq: 1, capturedAtMs: 0 },
		{ quality: 90 },
	);
	const d2 = await loadSharp()(s2.jpeg).raw().toBuffer();
	expect(d2[2]).toBeGreaterThan(220);
});
