import { notRun, type Benchmark } from './lib/types';

export const paidCalls: Benchmark = {
	name: 'paid',
	keys: ['paid_calls_ratio'],
	async run() {
		return [notRun('paid_calls_ratio', 'not written yet')];
	},
};
