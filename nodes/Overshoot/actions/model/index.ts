import type { ResourceDefinition } from '../shared/types';
import { list } from './list';

export const model: ResourceDefinition = {
	value: 'model',
	name: 'Model',
	description: 'The vision-language models Overshoot serves',
	defaultOperation: 'list',
	operations: [list],
};
