import { notRun, type Benchmark } from './lib/types';

export const answerToExecution: Benchmark = {
	name: 'answer',
	keys: ['answer_to_execution_p95_ms'],
	async run() {
		return [notRun('answer_to_execution_p95_ms', 'not written yet')];
	},
};
