// scale_min_fps: the lowest received frame rate among 4 triggers running at once in one n8n, each
// publishing 640×360 at 5 fps. Reported as "not run" (with the reason) until it can run for real.
import { n8nBlocker } from './lib/n8n-status';
import { notRun, type Benchmark } from './lib/types';

export const scaleFps: Benchmark = {
	name: 'scale',
	keys: ['scale_min_fps'],
	async run() {
		return [notRun('scale_min_fps', n8nBlocker() ?? 'not written yet')];
	},
};
