import type { ResourceDefinition } from '../types';
import { complete } from './complete';

export const chat: ResourceDefinition = {
	value: 'chat',
	name: 'Chat',
	description: 'Ask vision-language models about streams and images',
	defaultOperation: 'complete',
	operations: [complete],
};
