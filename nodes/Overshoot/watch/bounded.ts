// Teardown steps must never hang the whole stop: each waits for its promise at most `ms`.

/** Resolves when `promise` settles or after `ms`, whichever is first; never rejects. */
export function bounded(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
	if (!promise) return Promise.resolve();
	return new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, ms);
		const done = () => (clearTimeout(timer), resolve());
		promise.then(done, done);
	});
}
