import type { ResourceDefinition } from '../types';
import { list } from './list';

export const model: ResourceDefinition = {
	value: 'model',
	name: 'Model',
	description: 'The vision-language models Overshoot serves',
	defaultOperation: 'list',
	operations: [list],
};
