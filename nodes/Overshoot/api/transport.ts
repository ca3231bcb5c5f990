// How the client reaches the server. A transport resolves for every HTTP status and rejects only
// when no response arrived, so status handling lives in one place (client.ts), whoever sends.

import { InputError } from './errors';
import type { Transport } from './http';
import { checkedUrl, text } from './validate';

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

const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

export const BASE_URL_FIELD = 'Base URL';

/**
 * The credential's Base URL, checked before any request: http(s) only (a `file:` URL used to fail
 * as "Cannot reach null" after four attempts), no `..` segments (URL parsing would silently
 * resolve them to another path), and not a link-local address such as a cloud metadata service.
 */
export function checkBaseUrl(value: unknown): string {
	const raw = normalizeBaseUrl(text(value, BASE_URL_FIELD));
	const where = `${BASE_URL_FIELD} in the Overshoot credential`;
	if (!raw)
		throw new InputError(
			BASE_URL_FIELD,
			`${where} is empty: use https://api.overshoot.ai/v1 or your server's address.`,
		);
	if (!/^https?:\/\//i.test(raw)) {
		const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
		throw new InputError(
			BASE_URL_FIELD,
			`${where} must start with http:// or https://${scheme ? ` (got "${scheme}:")` : ''}, e.g. https://api.overshoot.ai/v1.`,
		);
	}
	const url = checkedUrl(raw, BASE_URL_FIELD, ['http:', 'https:']);
	if (/(^|\/)(\.|%2e){1,2}(\/|$|\?|#)/i.test(raw.slice(url.origin.length))) {
		throw new InputError(
			BASE_URL_FIELD,
			`${where} contains "." or ".." path segments; write the API's path directly, e.g. https://api.overshoot.ai/v1.`,
		);
	}
	if (url.username || url.password)
		throw new InputError(
			BASE_URL_FIELD,
			`${where} contains a login; put the key into the API Key field instead.`,
		);
	if (url.search || url.hash)
		throw new InputError(BASE_URL_FIELD, `${where} must not have a query or fragment (?…, #…).`);
	if (isLinkLocal(url.hostname)) {
		throw new InputError(
			BASE_URL_FIELD,
			`${where} points at a link-local address (${url.hostname}), such as a cloud metadata service, not an Overshoot API.`,
		);
	}
	return raw;
}

export const API_KEY_FIELD = 'API Key';

/**
 * The key, trimmed. A key with a line break or a space inside was pasted with something else: it
 * cannot be sent as a header (a CR/LF would even start a new one), so say so before any request.
 */
export function checkApiKey(value: unknown): string {
	const key = text(value, API_KEY_FIELD).trim();
	const where = `${API_KEY_FIELD} in the Overshoot credential`;
	if ([...key].some((c) => c === '\r' || c === '\n'))
		throw new InputError(
			API_KEY_FIELD,
			`${where} contains a line break; paste the key alone (it starts with "ovs-").`,
		);
	if ([...key].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) {
		throw new InputError(
			API_KEY_FIELD,
			`${where} contains spaces or control characters; paste the key alone (it starts with "ovs-").`,
		);
	}
	return key;
}

function isLinkLocal(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		/^169\.254\.\d+\.\d+$/.test(host) ||
		/^fe[89ab][0-9a-f]?:/.test(host) ||
		host === 'metadata.google.internal'
	);
}

/**
 * Whether the base URL speaks v1beta (…/v1beta), whose extensions (`thread_id` prompt cache,
 * docs/overshoot-api.md §7.3) v1 does not have. Anything else is treated as v1: never send v1 a field
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
	const err = error as {
		code?: string;
		cause?: { code?: string };
		name?: string;
		message?: string;
	};
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
export function fetchTransport(options: {
	baseUrl: string;
	apiKey?: string;
	timeoutMs?: number;
}): Transport {
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
