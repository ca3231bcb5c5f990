import type { ResourceDefinition } from '../types';
import { run } from './run';

export const check: ResourceDefinition = {
	value: 'check',
	name: 'Check',
	description: 'Look at a camera or video once: record a few seconds, ask one question, clean up',
	defaultOperation: 'run',
	operations: [run],
};
