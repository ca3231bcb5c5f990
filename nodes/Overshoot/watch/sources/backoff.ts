// Restart delays: exponential with jitter, so many triggers watching one dead NVR do not
// hammer it in lockstep, and capped so a camera that comes back is picked up within ~30 s.

export interface BackoffOptions {
	/** First delay. Default 1000 ms. */
	initialMs?: number;
	/** Largest delay. Default 30000 ms. */
	maxMs?: number;
	/** Multiplier per failed attempt. Default 2. */
	factor?: number;
	/** ± fraction of random spread. Default 0.2. */
	jitter?: number;
}

export class Backoff {
	private attempt = 0;
	private readonly initialMs: number;
	private readonly maxMs: number;
	private readonly factor: number;
	private readonly jitter: number;

	constructor(opts: BackoffOptions = {}, private readonly random: () => number = Math.random) {
		this.initialMs = opts.initialMs ?? 1000;
		this.maxMs = Math.max(this.initialMs, opts.maxMs ?? 30_000);
		this.factor = opts.factor ?? 2;
		this.jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 1);
	}

	/** Delay before the next attempt; each call counts as one more failure. */
	next(): number {
		const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
		this.attempt++;
		const spread = base * this.jitter * (this.random() * 2 - 1);
		return Math.max(0, Math.round(Math.min(this.maxMs, base + spread)));
	}

	reset(): void {
		this.attempt = 0;
	}

	get failures(): number {
		return this.attempt;
	}
}
