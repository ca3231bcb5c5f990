// Live frames are picked without waiting: the first frame of each 1/fps slot is kept, the rate
// does not drift, and a frame that is not kept is never copied.
import { FrameCutter } from '../../nodes/Overshoot/watch/sources/frame-cutter';
import { FramePacer } from '../../nodes/Overshoot/watch/sources/frame-pacer';

/** Arrival times of a camera at `cameraFps` with ±`jitterMs` noise (deterministic). */
function arrivals(cameraFps: number, seconds: number, jitterMs = 0): number[] {
	const out: number[] = [];
	for (let i = 0; i < cameraFps * seconds; i++)
		out.push(1000 + (i * 1000) / cameraFps + (i % 3 === 0 ? jitterMs : -jitterMs));
	return out;
}

describe('FramePacer', () => {
	it.each([
		[15, 5],
		[30, 5],
		[25, 10],
		[15, 15],
	])(
		'a %i fps camera paced to %i fps keeps that rate over a minute (no drift)',
		(cameraFps, fps) => {
			const pacer = new FramePacer(fps);
			const kept = arrivals(cameraFps, 60, 4).filter((t) => pacer.admit(t));
			expect(kept.length).toBeGreaterThanOrEqual(fps * 60 - 1);
			expect(kept.length).toBeLessThanOrEqual(fps * 60 + 1);
		},
	);

	it('keeps the first frame that arrives in a slot, never a later one of the same slot', () => {
		const pacer = new FramePacer(5);
		const kept = [0, 67, 133, 200, 267, 333, 400].filter((t) => pacer.admit(t));
		expect(kept).toEqual([0, 200, 400]);
	});

	it('with half a slot of tolerance keeps a pre-decimated stream whose arrivals jitter, and still caps the rate', () => {
		// GStreamer's videorate already keeps ~5 of 15 fps; its picks arrive 150–250 ms apart.
		const pacer = new FramePacer(5, 100);
		const jittered = Array.from(
			{ length: 300 },
			(_, i) => 1000 + i * 200 + [0, 45, -40, 30, -45][i % 5],
		);
		expect(jittered.filter((t) => pacer.admit(t)).length).toBe(300);
		// A burst at the camera's full rate (e.g. videorate catching up) is still held to 5 fps.
		const burst = new FramePacer(5, 100);
		expect(arrivals(15, 60).filter((t) => burst.admit(t)).length).toBeLessThanOrEqual(5 * 60 + 1);
	});

	it('re-anchors after a stall instead of bursting to catch up', () => {
		const pacer = new FramePacer(5);
		expect(pacer.admit(0)).toBe(true);
		expect(pacer.admit(3000)).toBe(true); // camera was frozen for 3 s
		expect(pacer.admit(3067)).toBe(false);
		expect(pacer.admit(3133)).toBe(false);
		expect(pacer.admit(3200)).toBe(true);
	});
});

describe('FrameCutter with a keep predicate', () => {
	it('skips declined frames without allocating, across chunk boundaries', () => {
		const frameBytes = 10;
		let allocations = 0;
		const decisions = [true, false, true, false];
		const frames: number[][] = [];
		const cutter = new FrameCutter(
			frameBytes,
			(data) => frames.push([...data]),
			(n) => (allocations++, new Uint8Array(n)),
			() => decisions.shift() ?? true,
		);
		const stream = Uint8Array.from({ length: 40 }, (_, i) => Math.floor(i / 10)); // frames 0,1,2,3
		for (let at = 0; at < stream.length; at += 7) cutter.push(stream.subarray(at, at + 7));
		expect(frames).toEqual([Array(10).fill(0), Array(10).fill(2)]);
		expect(allocations).toBe(2);
		expect(cutter.pendingBytes).toBe(0);
	});
});
