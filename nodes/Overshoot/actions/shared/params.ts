// Small helpers every operation uses to read its parameters the same way.

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CallOptions } from '../../api/client';
import { streamId } from '../../api/validate';

/** Display name shared with api/validate.ts, so errors name the field the user sees. */
export const STREAM_ID_FIELD = 'Stream ID';

export const streamIdProperty: INodeProperties = {
	displayName: STREAM_ID_FIELD,
	name: 'streamId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
	description: 'The ID returned by Stream → Create (a UUID). After a Create node, drag its ID field here.',
};

export function readStreamId(ctx: IExecuteFunctions, itemIndex: number, name = 'streamId'): string {
	return streamId(ctx.getNodeParameter(name, itemIndex, ''), STREAM_ID_FIELD);
}

/** Lets a stopped execution also stop waiting between retries. */
export function callOptions(ctx: IExecuteFunctions, timeoutMs?: number): CallOptions {
	return { signal: ctx.getExecutionCancelSignal?.(), timeoutMs };
}

/** Epoch milliseconds → ISO date, for people reading the output. */
export function isoTime(ms: number | null | undefined): string | null {
	return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
