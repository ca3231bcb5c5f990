// Stream → Delete: DELETE /streams/{id}. Ending a stream that has already ended (404) is a
// success too, so cleanup steps never fail a workflow; the output says which case it was.

import { callOptions, readStreamId, streamIdProperty } from '../params';
import type { OperationDefinition } from '../types';

export const deleteStream: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a stream',
	description:
		'End a stream now and release its resources (an already ended stream counts as deleted)',
	properties: [streamIdProperty],
	async execute(ctx, itemIndex, client) {
		const id = readStreamId(ctx, itemIndex);
		const res = await client.deleteStream(id, callOptions(ctx));
		return { id: res.id, deleted: true, already_ended: res.already_ended === true };
	},
};
