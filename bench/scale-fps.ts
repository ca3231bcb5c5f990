import { notRun, type Benchmark } from './lib/types';

export const scaleFps: Benchmark = {
	name: 'scale',
	keys: ['scale_min_fps'],
	async run() {
		return [notRun('scale_min_fps', 'not written yet')];
	},
};
