// The frame pipe between n8n and the publisher process: frames survive any chunking of the byte
// stream, keep every field, and each owns its buffer from offset 0 (rtc-node ignores byteOffset).

import type { Frame } from '../../nodes/Overshoot/watch/frame';
import { frameHeader, FrameReader } from '../../nodes/Overshoot/watch/publisher-channel';
import { retryWithBackoff } from '../../nodes/Overshoot/watch/retry';

function frame(seq: number, format: Frame['format'], width: number, height: number): Frame {
	const bytes = format === 'I420' ? width * height * 1.5 : width * height * 4;
	const data = new Uint8Array(bytes).map((_, i) => (i * 7 + seq) & 0xff);
	return { data, width, height, format, seq, capturedAtMs: 1_700_000_000_000 + seq * 200.5 };
}

function wire(frames: Frame[]): Buffer {
	return Buffer.concat(frames.flatMap((f) => [frameHeader(f), Buffer.from(f.data)]));
}

describe('FrameReader', () => {
	const sent = [
		frame(0, 'I420', 16, 8),
		frame(1, 'RGBA', 4, 2),
		frame(4_000_000_000, 'I420', 2, 2),
	];

	test.each([1, 7, 24, 25, 191, 100_000])('reassembles frames from %i-byte chunks', (size) => {
		const got: Frame[] = [];
		const reader = new FrameReader((f) => got.push(f));
		const bytes = wire(sent);
		for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
		expect(got).toEqual(sent);
		for (const f of got) expect(f.data.byteOffset).toBe(0);
		for (const f of got) expect(f.data.buffer.byteLength).toBe(f.data.length);
	});

	test('with reuse, frames of one size share one buffer, each whole and correct when handed over', () => {
		const same = [
			frame(0, 'I420', 16, 8),
			frame(1, 'I420', 16, 8),
			frame(2, 'RGBA', 4, 2),
			frame(3, 'I420', 16, 8),
		];
		const seen: { data: number[]; buffer: ArrayBufferLike; byteOffset: number }[] = [];
		// Copy at hand-over, as captureFrame does: the buffer is overwritten by the next frame.
		const reader = new FrameReader(
			(f) => seen.push({ data: [...f.data], buffer: f.data.buffer, byteOffset: f.data.byteOffset }),
			{ reuse: true },
		);
		const bytes = wire(same);
		for (let at = 0; at < bytes.length; at += 37) reader.push(bytes.subarray(at, at + 37));
		expect(seen.map((s) => s.data)).toEqual(same.map((f) => [...f.data]));
		expect(seen.every((s) => s.byteOffset === 0)).toBe(true);
		expect(seen[1].buffer).toBe(seen[0].buffer);
		// A different size gets its own buffer (and becomes the one reused).
		expect(seen[2].buffer).not.toBe(seen[1].buffer);
	});

	test('a corrupt header is an error, not a garbage frame', () => {
		const bytes = wire([sent[0]]);
		bytes.writeUInt8(9, 8);
		expect(() => new FrameReader(() => undefined).push(bytes)).toThrow(/Corrupt frame header/);
	});
});

describe('retryWithBackoff', () => {
	test('retries with growing delays until an attempt succeeds', async () => {
		const events: string[] = [];
		let calls = 0;
		await retryWithBackoff(
			{
				signal: new AbortController().signal,
				giveUpAfterMs: 10_000,
				initialDelayMs: 5,
				maxDelayMs: 20,
			},
			{
				trying: (n) => events.push(`try ${n}`),
				attempt: async () => {
					if (++calls < 3) throw new Error(`no ${calls}`);
				},
				succeeded: (n) => events.push(`ok after ${n}`),
				failed: (e, n) => events.push(`failed ${n}: ${e.message}`),
				gaveUp: () => events.push('gave up'),
			},
		);
		expect(events).toEqual([
			'try 1',
			'failed 1: no 1',
			'try 2',
			'failed 2: no 2',
			'try 3',
			'ok after 3',
		]);
	});

	test('gives up once after the limit, and an abort ends it silently', async () => {
		const gaveUp = jest.fn();
		await retryWithBackoff(
			{
				signal: new AbortController().signal,
				giveUpAfterMs: 30,
				initialDelayMs: 10,
				maxDelayMs: 10,
			},
			{
				attempt: () => Promise.reject(new Error('down')),
				succeeded: jest.fn(),
				failed: jest.fn(),
				gaveUp,
			},
		);
		expect(gaveUp).toHaveBeenCalledTimes(1);
		expect(gaveUp.mock.calls[0][0].message).toBe('down');

		const stop = new AbortController();
		const failed = jest.fn();
		const loop = retryWithBackoff(
			{ signal: stop.signal, giveUpAfterMs: 60_000, initialDelayMs: 10_000, maxDelayMs: 10_000 },
			{
				attempt: () => Promise.reject(new Error('down')),
				succeeded: jest.fn(),
				failed,
				gaveUp: jest.fn(),
			},
		);
		setTimeout(() => stop.abort(), 20);
		const t0 = Date.now();
		await loop;
		expect(Date.now() - t0).toBeLessThan(2000);
		expect(failed).toHaveBeenCalledTimes(1);
	});
});
