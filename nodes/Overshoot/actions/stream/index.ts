import type { ResourceDefinition } from '../types';
import { create } from './create';
import { deleteStream } from './delete';
import { get } from './get';
import { renewLease } from './renewLease';

export const stream: ResourceDefinition = {
	value: 'stream',
	name: 'Stream',
	description: 'Live video streams that models can be asked about',
	defaultOperation: 'create',
	operations: [create, deleteStream, get, renewLease],
};
