// Stream → Get: GET /streams/{id}. The stream's state, clocks and frame counters as the API
// reports them, plus readable times for the ones people look at.

import { callOptions, isoTime, readStreamId, streamIdProperty } from '../params';
import type { OperationDefinition } from '../types';

export const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a stream',
	description: 'Get the state, lease expiry and frame counters of a stream',
	properties: [streamIdProperty],
	async execute(ctx, itemIndex, client) {
		const id = readStreamId(ctx, itemIndex);
		const info = await client.getStream(id, callOptions(ctx));
		return {
			...info,
			has_frames: info.last_frame_at_ms !== null && info.last_frame_at_ms !== undefined,
			expires_at: isoTime(info.expires_at_ms),
			last_frame_at: isoTime(info.last_frame_at_ms),
		};
	},
};
