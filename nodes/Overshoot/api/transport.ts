// How the client reaches the server. A transport resolves for every HTTP status and rejects only
// when no response arrived, so status handling lives in one place (client.ts), whoever sends.

export interface HttpRequest {
	method: 'GET' | 'POST' | 'DELETE';
	/** Relative to the base URL, starting with '/', e.g. '/streams'. */
	path: string;
	body?: unknown;
	/** Skip the Authorization header (GET /models is public). */
	anonymous?: boolean;
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

/** No response arrived: connection refused, DNS, TLS, reset, timeout. */
export class NetworkError extends Error {
	constructor(
		message: string,
		/** True when the request certainly never reached the server (safe to repeat anything). */
		readonly notSent: boolean,
		readonly cause?: unknown,
	) {
		super(message);
		this.name = 'NetworkError';
	}
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

/**
 * Whether the base URL speaks v1beta (…/v1beta), whose extensions (`thread_id` prompt cache,
 * overshoot-api.md §7.3) v1 does not have. Anything else is treated as v1: never send v1 a field
 * it does not document.
 */
export function isV1beta(baseUrl: string): boolean {
	return /\/v1beta$/i.test(normalizeBaseUrl(baseUrl));
}

/** Parses a body as JSON when it looks like JSON, otherwise returns the text. */
export function parseBody(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Classifies a thrown network-level error (fetch, axios or n8n helper) into a NetworkError. */
export function toNetworkError(error: unknown, url: string): NetworkError {
	const err = error as { code?: string; cause?: { code?: string }; name?: string; message?: string };
	const code = err?.code ?? err?.cause?.code;
	if (err?.name === 'AbortError' || err?.name === 'TimeoutError') {
		return new NetworkError(`No response from ${safeOrigin(url)} in time`, false, error);
	}
	const notSent = code !== undefined && NOT_SENT_CODES.has(code);
	const what = code ? `${code}` : (err?.message ?? 'network error');
	return new NetworkError(`Cannot reach ${safeOrigin(url)} (${what})`, notSent, error);
}

/** The origin only: never echo paths or query strings that might carry secrets. */
export function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'the Overshoot server';
	}
}

/** A transport over Node's fetch, for code that runs outside n8n (watcher tests, benchmarks, demo). */
export function fetchTransport(options: { baseUrl: string; apiKey?: string; timeoutMs?: number }): Transport {
	const base = normalizeBaseUrl(options.baseUrl);
	return async (req) => {
		const url = base + req.path;
		const headers: Record<string, string> = { accept: 'application/json' };
		if (!req.anonymous && options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
		if (req.body !== undefined) headers['content-type'] = 'application/json';
		const timeout = AbortSignal.timeout(req.timeoutMs ?? options.timeoutMs ?? 60_000);
		const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
		let res: Response;
		try {
			res = await fetch(url, {
				method: req.method,
				headers,
				body: req.body === undefined ? undefined : JSON.stringify(req.body),
				signal,
			});
		} catch (error) {
			if (req.signal?.aborted) throw req.signal.reason ?? error;
			throw toNetworkError(error, url);
		}
		const responseHeaders: Record<string, string> = {};
		res.headers.forEach((value, key) => (responseHeaders[key] = value));
		return { status: res.status, headers: responseHeaders, body: parseBody(await res.text()) };
	};
}
