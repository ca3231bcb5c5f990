// Every failure becomes the n8n error a user can act on, tied to the item that caused it:
// invalid input → NodeOperationError naming the field; an API answer → NodeApiError with the
// server's own words and what to do; no answer → NodeApiError saying where we could not connect.
// Secrets are scrubbed from all of it.

import type { Failure, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { InputError, OvershootApiError } from '../api/errors';
import { NetworkError } from '../api/transport';
import { redact, redactDeep } from '../api/redact';

function failureFor(error: OvershootApiError): Failure | undefined {
	switch (error.status) {
		case 401:
		case 403:
			return { cause: 'credential-invalid' };
		case 404:
		case 410:
			return { cause: 'configuration-invalid' };
		case 429:
			return { cause: 'rate-limited', retryAfterMs: error.retryAfterMs };
		case 503:
			return { cause: 'temporarily-unavailable', retryAfterMs: error.retryAfterMs };
		default:
			return undefined;
	}
}

export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	secrets: string[] = [],
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof InputError) {
		return new NodeOperationError(node, redact(error.message, secrets), {
			itemIndex,
			description: `Fix the "${error.field}" parameter. Nothing was sent to Overshoot.`,
		});
	}
	if (error instanceof OvershootApiError) {
		const detail = redact(error.detail, secrets);
		const fields = error.extra.fields?.length ? `Fields: ${error.extra.fields.join(', ')}. ` : '';
		const response: JsonObject = redactDeep(
			{
				status: error.status,
				message: detail,
				code: error.code ?? null,
				type: error.extra.type ?? null,
				fields: error.extra.fields ?? null,
				body: (error.extra.body ?? null) as JsonObject,
			},
			secrets,
		);
		return new NodeApiError(node, response, {
			message: `Overshoot API error ${error.status}: ${detail}`,
			description: fields + error.hint,
			httpCode: String(error.status),
			itemIndex,
			failure: failureFor(error),
		});
	}
	if (error instanceof NetworkError) {
		// The code (ECONNREFUSED, ...) goes into the description: n8n would otherwise replace our
		// message with its generic text for that code.
		return new NodeApiError(node, { message: redact(error.message, secrets) } as JsonObject, {
			message: 'Cannot reach the Overshoot API',
			description: `${redact(error.message, secrets)}. Check the Base URL in the Overshoot credential and the network between n8n and Overshoot.`,
			itemIndex,
			failure: { cause: 'temporarily-unavailable' },
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown })?.description;
	return new NodeOperationError(node, redact(message, secrets), {
		itemIndex,
		description: typeof description === 'string' ? redact(description, secrets) : undefined,
	});
}

/** The JSON of an output item for a failed item when "Continue On Fail" is on. */
export function errorItem(error: NodeApiError | NodeOperationError): JsonObject {
	const json: JsonObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode)
		json.status = Number(error.httpCode) || error.httpCode;
	return json;
}
