// answer_to_execution_p95_ms: in the real n8n, from the emulator's matching answer to the start of
// the workflow execution. Reported as "not run" (with the reason) until it can be measured for real.
import { n8nBlocker } from './lib/n8n-status';
import { notRun, type Benchmark } from './lib/types';

export const answerToExecution: Benchmark = {
	name: 'answer',
	keys: ['answer_to_execution_p95_ms'],
	async run() {
		return [notRun('answer_to_execution_p95_ms', n8nBlocker() ?? 'not written yet')];
	},
};
