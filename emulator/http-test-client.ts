// A tiny fetch wrapper the emulator's own tests use (deliberately not the project's client, so the
// tests see raw statuses, headers and envelopes).

export interface RawResponse {
	status: number;
	headers: Headers;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	text: string;
}

export function rawClient(root: string) {
	return async function call(
		method: string,
		path: string,
		opts: {
			key?: string | null;
			body?: unknown;
			rawBody?: string | Buffer;
			headers?: Record<string, string>;
		} = {},
	): Promise<RawResponse> {
		const headers: Record<string, string> = { ...(opts.headers ?? {}) };
		const key = opts.key === undefined ? 'ovs-test-key' : opts.key;
		if (key !== null) headers.authorization = `Bearer ${key}`;
		let body: string | Buffer | undefined;
		if (opts.rawBody !== undefined) body = opts.rawBody;
		else if (opts.body !== undefined) {
			body = JSON.stringify(opts.body);
			headers['content-type'] ??= 'application/json';
		}
		const res = await fetch(root + path, {
			method,
			headers,
			body,
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		let parsed: unknown = undefined;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		return { status: res.status, headers: res.headers, body: parsed, text };
	};
}
