// Errors the trigger hands to n8n (thrown from trigger(), or via emitError): the action node's
// mapping (field-naming NodeOperationError, NodeApiError with the server's words), with the engine's
// field names renamed to the trigger's and every secret scrubbed, including short camera passwords.

import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputError, OvershootApiError } from '../api/errors';
import { NetworkError } from '../api/transport';
import { toNodeError } from '../shared/errors';
import { NativeModuleError } from '../watch/native';
import { redact } from '../api/redact';

export function toTriggerError(
	node: INode,
	error: unknown,
	secrets: readonly string[] = [],
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InputError) {
		return toNodeError(
			node,
			new InputError(error.field, redact(error.message, secrets), error.key),
			0,
			[...secrets],
		);
	}
	if (error instanceof OvershootApiError || error instanceof NetworkError)
		return toNodeError(node, error, 0, [...secrets]);
	if (error instanceof NativeModuleError) {
		return new NodeOperationError(node, error.message, {
			description:
				'The Overshoot action node keeps working on this host; only watching video needs the native modules.',
		});
	}
	const message = redact(error instanceof Error ? error.message : String(error), secrets);
	// e.g. NoModelError (api/models.ts): what is served, and what to do.
	const description = (error as { description?: unknown })?.description;
	return new NodeOperationError(node, message, {
		description: typeof description === 'string' ? redact(description, secrets) : undefined,
	});
}
