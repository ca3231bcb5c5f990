// Builds a project Watcher against the emulator (used by the restart, RSS and paid-calls children).
import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { fetchTransport } from '../../nodes/Overshoot/api/transport';
import { createSource } from '../../nodes/Overshoot/watch/sources';
import { Watcher, type WatchEvent, type WatcherDeps } from '../../nodes/Overshoot/watch/watcher';
import type { WatcherOptionsInput } from '../../nodes/Overshoot/watch/options';

export interface WatcherArgs {
	baseUrl: string;
	rtsp: string;
	width?: number;
	height?: number;
	fps?: number;
	options?: Partial<WatcherOptionsInput>;
	onAnswer?: (e: WatchEvent) => void;
	onFatal?: (e: Error) => void;
}

export const BENCH_MODEL = 'Qwen/Qwen3.6-27B-FP8';

export function buildWatcher(a: WatcherArgs): Watcher {
	const client = new OvershootClient(fetchTransport({ baseUrl: a.baseUrl, apiKey: 'bench-key' }));
	const deps: WatcherDeps = {
		client,
		createSource: () =>
			createSource({
				kind: 'rtsp',
				url: a.rtsp,
				width: a.width ?? 640,
				height: a.height ?? 360,
				fps: a.fps ?? 5,
			}),
		onAnswer: a.onAnswer,
		onMatch: () => undefined,
		onFatal: a.onFatal ?? ((e) => console.error('watcher fatal', e.message)),
	};
	return new Watcher(
		{
			model: BENCH_MODEL,
			prompt: 'Is the scene red?',
			condition: { kind: 'yes' },
			intervalSeconds: 10,
			...a.options,
		} as WatcherOptionsInput,
		deps,
	);
}
