import { notRun, type Benchmark } from './lib/types';

export const rssSlope: Benchmark = {
	name: 'rss',
	keys: ['rss_slope_mb_per_min'],
	async run() {
		return [notRun('rss_slope_mb_per_min', 'not written yet')];
	},
};
