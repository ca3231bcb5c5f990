// Retrying a lost connection until it comes back, the caller stops, or it has been down too long.
// Shared by the room publisher (rejoining a room) and its process (restarting a crashed publisher).

export interface RetryPlan {
	/** Stop retrying (silently) when this aborts. */
	signal: AbortSignal;
	/** Give up once the first failure is this old. */
	giveUpAfterMs: number;
	initialDelayMs: number;
	maxDelayMs: number;
}

export interface RetryHooks {
	/** One attempt; resolves when connected again. */
	attempt(attempt: number): Promise<void>;
	/** Before each attempt. */
	trying?(attempt: number, downSinceMs: number): void;
	succeeded(attempts: number, downSinceMs: number): void;
	failed(error: Error, attempt: number, downSinceMs: number): void;
	/** Called once, after the failure that crossed `giveUpAfterMs`. */
	gaveUp(error: Error, downSinceMs: number): void;
}

export async function retryWithBackoff(plan: RetryPlan, hooks: RetryHooks): Promise<void> {
	const downSinceMs = Date.now();
	let delayMs = plan.initialDelayMs;
	for (let attempt = 1; !plan.signal.aborted; attempt++) {
		hooks.trying?.(attempt, downSinceMs);
		try {
			await hooks.attempt(attempt);
			if (plan.signal.aborted) return;
			hooks.succeeded(attempt, downSinceMs);
			return;
		} catch (error) {
			if (plan.signal.aborted) return;
			hooks.failed(error as Error, attempt, downSinceMs);
			if (Date.now() - downSinceMs >= plan.giveUpAfterMs) {
				hooks.gaveUp(error as Error, downSinceMs);
				return;
			}
		}
		await abortableDelay(delayMs, plan.signal);
		delayMs = Math.min(plan.maxDelayMs, delayMs * 2);
	}
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise<void>((resolve) => {
		const done = () => (clearTimeout(timer), signal.removeEventListener('abort', done), resolve());
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
	});
}
