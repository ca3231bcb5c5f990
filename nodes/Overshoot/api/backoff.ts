// The one backoff: exponential with jitter, so many triggers retrying one dead server or NVR do
// not hammer it in lockstep, and capped: 30 s by default, 4 s for a camera's restarts
// (CAMERA_RESTART_BACKOFF in watch/sources/rtsp-source.ts says why).
// Used by the API client's retries (api/client.ts), the sources' restarts (watch/sources/supervisor.ts),
// the wait for a free stream slot (watch/stream-session.ts) and the publisher's reconnects to its
// room or of its crashed process (watch/retry.ts).

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

/** The delay before retry number `attempt` (0 = the first retry). */
export function backoffDelay(
	attempt: number,
	opts: BackoffOptions = {},
	random: () => number = Math.random,
): number {
	const initialMs = opts.initialMs ?? 1000;
	const maxMs = Math.max(initialMs, opts.maxMs ?? 30_000);
	const jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 1);
	const base = Math.min(maxMs, initialMs * (opts.factor ?? 2) ** attempt);
	const spread = base * jitter * (random() * 2 - 1);
	return Math.max(0, Math.round(Math.min(maxMs, base + spread)));
}

/** backoffDelay with the count of failures kept. */
export class Backoff {
	private attempt = 0;

	constructor(
		private readonly opts: BackoffOptions = {},
		private readonly random: () => number = Math.random,
	) {}

	/** Delay before the next attempt; each call counts as one more failure. */
	next(): number {
		return backoffDelay(this.attempt++, this.opts, this.random);
	}

	reset(): void {
		this.attempt = 0;
	}

	get failures(): number {
		return this.attempt;
	}
}
