// The shapes a transport (api/transport.ts) and everything that reads its responses share, in a
// file of their own: errors.ts reads responses and transport.ts throws errors.ts's errors, so
// these types in either file would make the two import each other.

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
