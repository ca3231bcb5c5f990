// Which publishing pipeline the benchmarks measure: the project's own (createSource → RoomPublisher)
// once it exists, else the minimal ffmpeg → captureFrame pipeline. OVS_BENCH_PIPELINE forces one.
import fs from 'node:fs';
import path from 'node:path';
import type { RtspReaderPreference } from '../../nodes/Overshoot/watch/sources';

export function pipelineSource(): 'project' | 'ffmpeg' {
	const forced = process.env.OVS_BENCH_PIPELINE;
	if (forced === 'project' || forced === 'ffmpeg') return forced;
	const watch = path.join(__dirname, '..', '..', 'nodes', 'Overshoot', 'watch');
	const ready = ['publisher.js', path.join('sources', 'index.js')].every((f) =>
		fs.existsSync(path.join(watch, f)),
	);
	return ready ? 'project' : 'ffmpeg';
}

/** The camera reader the project pipeline uses: OVS_BENCH_READER=ffmpeg|gstreamer pins one (default auto). */
export function benchReader(): RtspReaderPreference {
	return (process.env.OVS_BENCH_READER as RtspReaderPreference | undefined) ?? 'auto';
}
