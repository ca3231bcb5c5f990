import type { Frame, SourceStatus } from '../../nodes/Overshoot/watch/frame';
import type { Clock } from '../../nodes/Overshoot/watch/sources/clock';
import {
	Supervisor,
	type AttemptEnd,
	type AttemptHandlers,
	type SupervisorOptions,
} from '../../nodes/Overshoot/watch/sources/supervisor';

/** Timers run only when the test advances time. */
class FakeClock implements Clock {
	t = 1_000_000;
	private timers: { at: number; fn: () => void; id: number }[] = [];
	private nextId = 1;
	now = () => this.t;
	setTimeout = (fn: () => void, ms: number) => {
		const id = this.nextId++;
		this.timers.push({ at: this.t + ms, fn, id });
		return id;
	};
	clearTimeout = (id: unknown) => {
		this.timers = this.timers.filter((x) => x.id !== id);
	};
	advance(ms: number): void {
		const end = this.t + ms;
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
			const next = this.timers[0];
			if (!next || next.at > end) break;
			this.timers.shift();
			this.t = next.at;
			next.fn();
		}
		this.t = end;
	}
}

class FakeAttempt {
	stops = 0;
	ended = false;
	constructor(readonly h: AttemptHandlers) {}
	frame(clock: FakeClock) {
		this.h.frame(new Uint8Array(6), clock.now());
	}
	end(end: AttemptEnd) {
		if (this.ended) return;
		this.ended = true;
		this.h.end(end);
	}
	fail(reason = 'connection refused', retryable = true) {
		this.end({ kind: 'failed', reason, retryable });
	}
	stop = () => {
		this.stops++;
		this.end({ kind: 'failed', reason: 'ffmpeg was killed by SIGTERM', retryable: true });
		return Promise.resolve();
	};
}

function setup(over: Partial<SupervisorOptions> = {}) {
	const clock = new FakeClock();
	const attempts: FakeAttempt[] = [];
	const frames: Frame[] = [];
	const statuses: SourceStatus[] = [];
	const fatals: Error[] = [];
	const sup = new Supervisor({
		launch: (h) => {
			const a = new FakeAttempt(h);
			attempts.push(a);
			return a;
		},
		format: 'I420',
		width: 2,
		height: 2,
		fps: 10,
		describe: 'test source',
		subject: 'Camera rtsp://cam/x',
		stallTimeoutMs: 5000,
		maxDownMs: 60_000,
		backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 },
		resetBackoffAfterMs: 20_000,
		clock,
		...over,
	});
	sup.start({
		frame: (f) => frames.push(f),
		status: (s) => statuses.push(s),
		fatal: (e) => fatals.push(e),
	});
	const last = () => attempts[attempts.length - 1];
	const kinds = () => statuses.map((s) => s.kind);
	return { clock, attempts, frames, statuses, fatals, sup, last, kinds };
}

describe('Supervisor', () => {
	it('numbers frames on one counter across restarts and reports started / interrupted / recovered', () => {
		const { clock, attempts, frames, statuses, last, kinds } = setup();
		last().frame(clock);
		last().frame(clock);
		clock.advance(500);
		last().fail('the camera ended the stream');
		expect(statuses[1]).toEqual({
			kind: 'interrupted',
			reason: 'the camera ended the stream',
			retryInMs: 1000,
			downSinceMs: 1_000_000,
		});
		clock.advance(999);
		expect(attempts).toHaveLength(1);
		clock.advance(1);
		expect(attempts).toHaveLength(2);
		clock.advance(300);
		last().frame(clock);
		expect(kinds()).toEqual(['started', 'interrupted', 'recovered']);
		expect(statuses[2]).toEqual({ kind: 'recovered', downForMs: 1800 });
		expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
		expect(frames[2]).toMatchObject({
			width: 2,
			height: 2,
			format: 'I420',
			capturedAtMs: clock.now(),
		});
	});

	it('backs off exponentially up to the cap while the source stays down', () => {
		const { clock, statuses, last } = setup();
		const delays: number[] = [];
		for (let i = 0; i < 6; i++) {
			last().fail();
			const s = statuses[statuses.length - 1];
			if (s.kind !== 'interrupted') throw new Error(`expected interrupted, got ${s.kind}`);
			delays.push(s.retryInMs);
			expect(s.downSinceMs).toBe(1_000_000); // down since start: it never delivered a frame
			clock.advance(s.retryInMs);
		}
		expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
	});

	it('starts the backoff again after frames flowed for resetBackoffAfterMs', () => {
		const { clock, statuses, last } = setup();
		const retry = () =>
			(statuses[statuses.length - 1] as Extract<SourceStatus, { kind: 'interrupted' }>).retryInMs;
		last().fail();
		clock.advance(1000);
		last().fail();
		expect(retry()).toBe(2000);
		clock.advance(2000);
		last().frame(clock);
		clock.advance(4000);
		last().frame(clock);
		last().fail(); // flowed only 4 s: keeps growing
		expect(retry()).toBe(4000);
		clock.advance(4000);
		for (let i = 0; i < 25; i++) (last().frame(clock), clock.advance(1000));
		last().fail(); // flowed 25 s: back to the first step
		expect(retry()).toBe(1000);
	});

	it('kills a run that delivers no frame for stallTimeoutMs and restarts it', () => {
		const { clock, attempts, statuses, last } = setup({ startTimeoutMs: 12_000 });
		last().frame(clock);
		clock.advance(3000);
		last().frame(clock);
		clock.advance(4999);
		expect(attempts[0].stops).toBe(0);
		clock.advance(1);
		expect(attempts[0].stops).toBe(1);
		const s = statuses[statuses.length - 1];
		expect(s).toMatchObject({ kind: 'interrupted', retryInMs: 1000, downSinceMs: 1_003_000 });
		expect((s as { reason: string }).reason).toMatch(/no frame for 5\.0 s/);
		clock.advance(1000);
		expect(attempts).toHaveLength(2);
		// A new run gets startTimeoutMs for its first frame (connect, probe, keyframe), then is killed too.
		clock.advance(11_999);
		expect(attempts[1].stops).toBe(0);
		clock.advance(1);
		expect(attempts[1].stops).toBe(1);
		expect((statuses[statuses.length - 1] as { reason: string }).reason).toMatch(
			/no first frame within 12 s/,
		);
	});

	it('goes fatal once down longer than maxDownMs, naming the last reason, and stops retrying', () => {
		const { clock, attempts, fatals, last } = setup({ maxDownMs: 10_000 });
		last().frame(clock);
		for (let i = 0; i < 20 && fatals.length === 0; i++) {
			last().fail('connection refused: nothing is listening');
			clock.advance(1000);
		}
		expect(fatals).toHaveLength(1);
		expect(clock.now() - 1_000_000).toBeLessThanOrEqual(10_000 + 1000);
		expect(fatals[0].message).toMatch(
			/^Camera rtsp:\/\/cam\/x: down for 10 s \(the limit is 10 s\); last reason: connection refused: nothing is listening/,
		);
		const n = attempts.length;
		clock.advance(120_000);
		expect(attempts).toHaveLength(n);
	});

	it('gives up on time even while an attempt is still connecting', () => {
		const { clock, attempts, fatals, last } = setup({ maxDownMs: 3000, stallTimeoutMs: 60_000 });
		last().fail();
		clock.advance(1000); // second attempt hangs without frames or exit
		clock.advance(2000);
		expect(fatals).toHaveLength(1);
		expect(attempts[1].stops).toBe(1);
	});

	it('is fatal at once for errors retrying cannot fix', () => {
		const { clock, attempts, fatals, statuses, last } = setup();
		last().fail('the camera rejected the username/password (401 Unauthorized)', false);
		expect(fatals.map((e) => e.message)).toEqual([
			'Camera rtsp://cam/x: the camera rejected the username/password (401 Unauthorized)',
		]);
		expect(statuses).toEqual([]);
		clock.advance(60_000);
		expect(attempts).toHaveLength(1);
	});

	it('reports ended for a finite source and does not restart it', () => {
		const { clock, attempts, last, kinds } = setup();
		last().frame(clock);
		last().end({ kind: 'ended' });
		expect(kinds()).toEqual(['started', 'ended']);
		clock.advance(60_000);
		expect(attempts).toHaveLength(1);
	});

	it('stop() ends the current run, ignores later events, and is idempotent', async () => {
		const { clock, attempts, frames, statuses, fatals, sup, last } = setup();
		last().frame(clock);
		const p1 = sup.stop();
		const p2 = sup.stop();
		expect(p1).toBe(p2);
		await p1;
		expect(attempts[0].stops).toBe(1);
		attempts[0].frame(clock);
		clock.advance(600_000);
		expect(attempts).toHaveLength(1);
		expect(frames).toHaveLength(1);
		expect(statuses.map((s) => s.kind)).toEqual(['started']);
		expect(fatals).toEqual([]);
	});

	it('stop() during a backoff wait cancels the retry', async () => {
		const { clock, attempts, sup, last } = setup();
		last().fail();
		await sup.stop();
		clock.advance(60_000);
		expect(attempts).toHaveLength(1);
	});

	it('a failed prepare() is fatal and launches nothing', async () => {
		const attempts: number[] = [];
		const fatals: Error[] = [];
		const sup = new Supervisor({
			launch: () => (attempts.push(1), { stop: async () => undefined }),
			prepare: async () => {
				throw new Error('file not found: /x.mp4');
			},
			format: 'I420',
			width: 2,
			height: 2,
			fps: 1,
			describe: 'x',
			subject: 'Video file "/x.mp4"',
		});
		sup.start({ frame: () => undefined, status: () => undefined, fatal: (e) => fatals.push(e) });
		await new Promise((r) => setImmediate(r));
		expect(fatals.map((e) => e.message)).toEqual(['Video file "/x.mp4": file not found: /x.mp4']);
		expect(attempts).toEqual([]);
		await sup.stop();
	});
});
