// Stream → Renew Lease: POST /streams/{id}/keepalive. Pushes the expiry out by the TTL and
// returns a fresh publish token (old tokens may stop working). Safe to repeat.

import { callOptions, isoTime, readStreamId, streamIdProperty } from '../params';
import type { OperationDefinition } from '../types';

export const renewLease: OperationDefinition = {
	value: 'renewLease',
	name: 'Renew Lease',
	action: 'Renew a stream lease',
	description:
		'Keep a stream alive for another lease period (about 5 minutes) and get a fresh publish token',
	properties: [streamIdProperty],
	async execute(ctx, itemIndex, client) {
		const id = readStreamId(ctx, itemIndex);
		const res = await client.keepalive(id, callOptions(ctx));
		return {
			id: res.id ?? id,
			expires_at_ms: res.expires_at_ms,
			expires_at: isoTime(res.expires_at_ms),
			ttl_seconds: res.ttl_seconds,
			stream_time_ms: res.stream_time_ms ?? null,
			publish_url: res.publish?.url ?? null,
			publish_token: res.publish?.token ?? null,
		};
	},
};
