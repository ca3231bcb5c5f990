import {
	ChangeGate,
	lumaThumbnail,
	meanAbsDiff,
	thresholdForSensitivity,
} from '../../nodes/Overshoot/watch/change-gate';
import type { Frame } from '../../nodes/Overshoot/watch/frame';
import { rgbToI420 } from '../../nodes/Overshoot/watch/i420';

const W = 320,
	H = 180;
let seq = 0;
function frame(fill: (x: number, y: number) => number): Frame {
	const data = rgbToI420(128, 128, 128, W, H);
	for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = fill(x, y);
	return { data, width: W, height: H, format: 'I420', seq: seq++, capturedAtMs: Date.now() };
}
/** A still scene with a little sensor noise. */
const noisy = (base = 100) => frame((x, y) => base + ((x * 7 + y * 13 + seq * 31) % 5) - 2);
/** The same scene with a dark "person" box (60×100 px) at x0. */
const withPerson = (x0: number) =>
	frame((x, y) => (x >= x0 && x < x0 + 60 && y >= 60 && y < 160 ? 30 : 100));

test('thumbnail averages blocks; identical frames differ by 0', () => {
	const a = lumaThumbnail(frame(() => 200));
	expect(a.length).toBe(32 * 18);
	expect(a.every((v) => v === 200)).toBe(true);
	expect(meanAbsDiff(a, lumaThumbnail(frame(() => 200)))).toBe(0);
	expect(meanAbsDiff(a, lumaThumbnail(frame(() => 190)))).toBe(10);
});

test('RGBA frames are thumbnailed by luma too', () => {
	const data = new Uint8Array(W * H * 4).fill(255);
	const t = lumaThumbnail({ data, width: W, height: H, format: 'RGBA', seq: 0, capturedAtMs: 0 });
	expect(t[0]).toBeGreaterThanOrEqual(254);
});

test('sensitivity maps to a threshold: higher sensitivity, smaller threshold', () => {
	expect(thresholdForSensitivity(100)).toBeCloseTo(0.5);
	expect(thresholdForSensitivity(0)).toBeCloseTo(30);
	expect(thresholdForSensitivity(50)).toBeGreaterThan(2);
	expect(thresholdForSensitivity(50)).toBeLessThan(6);
});

test('asks first, skips a still (noisy) scene, asks on a change, heartbeat after maxSkip', () => {
	const gate = new ChangeGate({ sensitivity: 50, maxSkipSeconds: 60 });
	const f0 = noisy();
	gate.observe(f0);
	expect(gate.decide(0)).toMatchObject({ ask: true, reason: 'first question' });
	gate.asked(f0, 0);
	for (let i = 0; i < 10; i++) gate.observe(noisy());
	expect(gate.decide(10_000).ask).toBe(false);
	const person = withPerson(100);
	gate.observe(person);
	const d = gate.decide(20_000);
	expect(d.ask).toBe(true);
	expect(d.reason).toMatch(/picture changed/);
	gate.asked(person, 20_000);
	gate.observe(withPerson(100));
	expect(gate.decide(30_000).ask).toBe(false);
	expect(gate.decide(80_000)).toMatchObject({ ask: true });
	expect(gate.decide(80_000).reason).toMatch(/heartbeat/);
});

test('a change that came and went between ticks still counts; a failed question keeps it pending', () => {
	const gate = new ChangeGate({ sensitivity: 50, maxSkipSeconds: 600 });
	const base = noisy();
	gate.observe(base);
	gate.asked(base, 0);
	gate.observe(withPerson(200)); // walked past…
	gate.observe(noisy()); // …and left before the tick
	expect(gate.decide(5000).ask).toBe(true);
	// the question failed: asked() not called, so the next tick still asks
	expect(gate.decide(10_000).ask).toBe(true);
});
