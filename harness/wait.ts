// The one bounded poll the tests, the demo and the benchmarks use.

/**
 * Calls `check` every `everyMs` until it returns a truthy value, which it resolves with. A check
 * that throws is tried again (a server may still be starting); after `timeoutMs` it rejects,
 * naming `what` and the last error.
 */
export async function waitFor<T>(
	what: string,
	check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
	timeoutMs: number,
	everyMs = 100,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
			);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
