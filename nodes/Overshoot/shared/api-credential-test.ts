// The test of the `overshootApi` credential, run by n8n's "Test" button (POST /rest/credentials/test),
// referenced by both nodes: `credentials: [{ name: 'overshootApi', testedBy: 'overshootApiTest' }]`.
//
// Why a function and not the credential's declarative `test`: the contract's v1 endpoints have no
// authenticated GET that answers 2xx without creating something (billing routes are v1beta only,
// docs/overshoot-api.md §1.1, §2.7; GET /models is public and cannot tell keys apart), and n8n 2.40's
// declarative test counts every non-2xx as a failure. The one harmless authenticated probe is
// GET /streams/<nil UUID>: 404 "Stream not found" for a key the server accepted, 401/403 for one it
// did not. A 404 alone would also come from a server that is not Overshoot, so the public
// GET /models first proves that the Base URL is an Overshoot API. Nothing is created or billed.

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { OvershootClient } from '../api/client';
import { OvershootApiError } from '../api/errors';
import type { Transport } from '../api/http';
import { NetworkError, normalizeBaseUrl, parseBody, toNetworkError } from '../api/transport';
import { redact } from '../api/redact';

/** No stream ever has this id: the probe can only answer 404 (key accepted) or 401/403. */
export const PROBE_STREAM_ID = '00000000-0000-0000-0000-000000000000';
const TIMEOUT_MS = 15_000;

/** n8n's legacy `request` helper (the one ICredentialTestFunctions offers), as a Transport. */
export function requestTransport(
	request: ICredentialTestFunctions['helpers']['request'],
	baseUrl: string,
	apiKey: string,
): Transport {
	return async (req) => {
		const url = baseUrl + req.path;
		const headers: Record<string, string> = { accept: 'application/json' };
		if (!req.anonymous) headers.authorization = `Bearer ${apiKey}`;
		let res: { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		try {
			res = await request({
				method: req.method,
				uri: url,
				headers,
				simple: false,
				resolveWithFullResponse: true,
				timeout: req.timeoutMs ?? TIMEOUT_MS,
			});
		} catch (error) {
			throw toNetworkError(error, url);
		}
		const flat: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers ?? {}))
			if (v !== undefined) flat[k.toLowerCase()] = String(v);
		const body =
			typeof res.body === 'string'
				? parseBody(res.body)
				: Buffer.isBuffer(res.body)
					? parseBody(res.body.toString('utf8'))
					: res.body;
		return { status: res.statusCode, headers: flat, body };
	};
}

/** The probe itself, on any transport (unit tests use a scripted one). */
export async function testApiKey(
	transport: Transport,
	baseUrl: string,
): Promise<INodeCredentialTestResult> {
	const client = new OvershootClient(transport, { retry: { retries: 0 } });
	let ready: number;
	try {
		const models = await client.listModels({ timeoutMs: TIMEOUT_MS });
		ready = models.filter((m) => m.status === 'ready').length;
	} catch (error) {
		if (error instanceof NetworkError)
			return {
				status: 'Error',
				message: `${error.message}. Check the Base URL (e.g. https://api.overshoot.ai/v1) and the network.`,
			};
		const status = error instanceof OvershootApiError ? ` (${error.status} on GET /models)` : '';
		return {
			status: 'Error',
			message: `No Overshoot API answered at ${baseUrl}${status}. Check the Base URL, e.g. https://api.overshoot.ai/v1 (with its version path).`,
		};
	}
	try {
		await client.getStream(PROBE_STREAM_ID, { timeoutMs: TIMEOUT_MS });
	} catch (error) {
		if (error instanceof OvershootApiError) {
			if (error.status === 404)
				return {
					status: 'OK',
					message: `Overshoot accepted the API key (${ready} model${ready === 1 ? '' : 's'} ready).`,
				};
			if (error.status === 401) {
				return {
					status: 'Error',
					message:
						'Overshoot rejected this API key (401). Paste a valid key from https://platform.overshoot.ai (keys start with "ovs-"), without spaces or the word "Bearer".',
				};
			}
			if (error.status === 403) {
				return {
					status: 'Error',
					message:
						'Overshoot accepted the key but refused access (403): the key is not assigned to a user. Create a new key in https://platform.overshoot.ai.',
				};
			}
			return {
				status: 'Error',
				message: `Overshoot answered ${error.status} when checking the key: ${error.detail}. ${error.hint}`,
			};
		}
		return {
			status: 'Error',
			message: `${(error as Error).message}. Check the Base URL and the network.`,
		};
	}
	return {
		status: 'Error',
		message: `The server at ${baseUrl} answered a probe for a stream that cannot exist: it does not behave like the Overshoot API.`,
	};
}

export async function overshootApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const apiKey = String(credential.data?.apiKey ?? '').trim();
	if (!apiKey)
		return {
			status: 'Error',
			message: 'The API key is empty: paste the key from https://platform.overshoot.ai.',
		};
	const baseUrl = normalizeBaseUrl(
		String(credential.data?.baseUrl ?? '') || 'https://api.overshoot.ai/v1',
	);
	// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- n8n 2.40's CredentialTestContext offers only `request` (n8n-core credentials-test-context.js); there is no httpRequest here
	const result = await testApiKey(requestTransport(this.helpers.request, baseUrl, apiKey), baseUrl);
	return { ...result, message: redact(result.message, [apiKey]) };
}
