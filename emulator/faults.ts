// Fault injection for client tests: the next N matching requests get a chosen status/body/
// Retry-After, or a dropped connection (before or after the real handler ran — the latter models
// "the server created the stream but the response was lost"). Plus added latency.

export interface FaultSpec {
	/** HTTP status to answer with (default 503). */
	status?: number;
	/** JSON body (object) or raw text (string). Default: an envelope fitting the route. */
	body?: unknown;
	/** Seconds (number) or any header value. */
	retryAfter?: number | string;
	headers?: Record<string, string>;
	/** How many matching requests it applies to (default 1). */
	times?: number;
	/** Only this method (case-insensitive). */
	method?: string;
	/**
	 * Only paths starting with this prefix. Matched against the full path and against the path with
	 * its `/v1` or `/v1beta` prefix removed, so `/chat/completions` hits both versions.
	 */
	path?: string;
	/** `before`: destroy the socket without running the handler; `after`: run it, then destroy. */
	drop?: 'before' | 'after';
	/** Extra delay before this fault is applied. */
	delayMs?: number;
}

export interface LatencyRule {
	ms: number;
	method?: string;
	path?: string;
}

function matches(rule: { method?: string; path?: string }, method: string, path: string): boolean {
	if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
	if (rule.path) {
		const unversioned = path.replace(/^\/v1(beta)?(?=\/)/, '');
		if (!path.startsWith(rule.path) && !unversioned.startsWith(rule.path)) return false;
	}
	return true;
}

export class Faults {
	private queue: Array<FaultSpec & { left: number }> = [];
	private latency: LatencyRule[] = [];
	injected = 0;

	inject(spec: FaultSpec): void {
		const times = spec.times ?? 1;
		if (!(Number.isInteger(times) && times >= 1))
			throw new Error('times must be a positive integer');
		this.queue.push({ ...spec, left: times });
	}

	/** Adds latency to matching requests; `ms: 0` removes all latency rules. */
	setLatency(ms: number, filter: { method?: string; path?: string } = {}): void {
		if (ms <= 0) this.latency = [];
		else this.latency.push({ ms, ...filter });
	}

	latencyFor(method: string, path: string): number {
		return this.latency.filter((r) => matches(r, method, path)).reduce((sum, r) => sum + r.ms, 0);
	}

	/** Takes (consumes one use of) the first fault that matches, if any. */
	take(method: string, path: string): FaultSpec | undefined {
		const i = this.queue.findIndex((f) => matches(f, method, path));
		if (i < 0) return undefined;
		const f = this.queue[i];
		if (--f.left <= 0) this.queue.splice(i, 1);
		this.injected++;
		return f;
	}

	pending(): number {
		return this.queue.reduce((n, f) => n + f.left, 0);
	}

	clear(): void {
		this.queue = [];
		this.latency = [];
	}
}

/** A default error body for an injected status, in the envelope the route would use. */
export function defaultFaultBody(status: number, path: string): unknown {
	const chat = /\/chat\/completions/.test(path);
	if (!chat || status === 401 || status === 503 || status < 400)
		return { detail: `Injected fault (HTTP ${status})` };
	const type =
		status === 429
			? 'rate_limit_error'
			: status === 402
				? 'billing_error'
				: status >= 500
					? 'upstream_error'
					: 'stream_error';
	const code =
		status === 429
			? 'rate_limited'
			: status === 402
				? 'billing_denied'
				: status === 504
					? 'upstream_timeout'
					: status >= 500
						? `upstream_http_${status}`
						: 'injected';
	return {
		detail: { error: { message: `Injected fault (HTTP ${status})`, type, code, upstream: null } },
	};
}
