// The client's transport inside n8n: n8n's own HTTP helper with the `overshootApi` credential,
// so n8n applies auth, proxy settings, SSRF rules and execution cancellation. Every HTTP status
// comes back as a response (status handling and retries live in api/client.ts); only a request
// that got no response becomes a NetworkError.

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';
import type { HttpResponse, Transport } from '../api/http';
import { checkApiKey, checkBaseUrl, parseBody, toNetworkError } from '../api/transport';

export const CREDENTIAL_TYPE = 'overshootApi';
const DEFAULT_TIMEOUT_MS = 60_000;

type Context = IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions;

export interface N8nTransport {
	transport: Transport;
	/** Values to scrub from anything the node outputs or throws. */
	secrets: string[];
	baseUrl: string;
}

function flattenHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return out;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

function readBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body === 'string') return parseBody(body);
	return body;
}

/** True when n8n's helper threw because no HTTP response arrived (refused, DNS, timeout, reset). */
function isConnectionFailure(error: unknown): boolean {
	const err = error as
		| { code?: unknown; isAxiosError?: boolean; name?: string; cause?: unknown }
		| undefined;
	const cause = err?.cause as { code?: unknown; isAxiosError?: boolean; name?: string } | undefined;
	return Boolean(
		typeof err?.code === 'string' ||
		err?.isAxiosError ||
		err?.name === 'AxiosError' ||
		typeof cause?.code === 'string' ||
		cause?.isAxiosError ||
		cause?.name === 'AxiosError',
	);
}

export interface N8nTransportOptions {
	/**
	 * Send the credential's Bearer header ourselves through n8n's plain `httpRequest` instead of
	 * `httpRequestWithAuthentication`. For the trigger: n8n 2.40 evaluates expressions (the
	 * credential's `=Bearer {{$credentials.apiKey.trim()}}` included) in an isolate it holds only
	 * while trigger() runs and during executions; the trigger keeps calling Overshoot long after
	 * (questions, keepalives, the delete on close), where the authenticated helper fails with
	 * "No bridge acquired for this context". The key is read once, during trigger().
	 */
	selfAuthenticate?: boolean;
}

export async function createN8nTransport(
	ctx: Context,
	transportOptions: N8nTransportOptions = {},
): Promise<N8nTransport> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
	);
	const baseUrl = checkBaseUrl(
		credentials.baseUrl === undefined ? 'https://api.overshoot.ai/v1' : credentials.baseUrl,
	);
	const apiKey = checkApiKey(credentials.apiKey);
	const secrets = [apiKey].filter(Boolean);
	// Same header as the credential's `authenticate` (credentials/OvershootApi.credentials.ts).
	const send = transportOptions.selfAuthenticate
		? (options: IHttpRequestOptions) =>
				ctx.helpers.httpRequest({
					...options,
					headers: { ...options.headers, Authorization: `Bearer ${apiKey}` },
				})
		: (options: IHttpRequestOptions) =>
				ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);

	const transport: Transport = async (req) => {
		const url = baseUrl + req.path;
		const options: IHttpRequestOptions = {
			method: req.method,
			url,
			headers: { accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		if (req.body !== undefined) options.body = req.body as IDataObject;
		if (req.signal) options.abortSignal = req.signal;
		type FullResponse = { statusCode: number; headers: unknown; body: unknown };
		const outcome = await (send(options) as Promise<FullResponse>).then(
			(res) => ({ res }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			const cancelled =
				req.signal?.aborted ||
				('getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal()?.aborted);
			// n8n's own errors (missing credential, blocked URL, cancellation) pass through unchanged.
			if (cancelled || !isConnectionFailure(outcome.error)) throw outcome.error;
			throw toNetworkError((outcome.error as { cause?: unknown }).cause ?? outcome.error, url);
		}
		const res = outcome.res;
		const response: HttpResponse = {
			status: res.statusCode,
			headers: flattenHeaders(res.headers),
			body: readBody(res.body),
		};
		return response;
	};
	return { transport, secrets, baseUrl };
}
