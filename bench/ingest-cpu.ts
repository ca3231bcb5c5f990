// ingest_cpu_ratio: CPU seconds of the trigger's whole pipeline (node + its ffmpeg) ingesting a
// 1280×720 H.264 RTSP stream at 15 fps and publishing 640×360 at 5 fps, divided by the floor:
// ffmpeg alone decoding, scaling and VP8-encoding the same input to the same size and rate.
// Both run at the same time on the same camera, so they see the same machine load.
import { spawn } from 'node:child_process';
import { killProcess } from '../harness/processes';
import { benchReader, pipelineSource } from './lib/pipeline';
import { ownCpuSeconds, treeCpuByName, treeCpuSeconds } from './lib/proc';
import { token } from './lib/rtc';
import { camera, child, fpsIn, livekit, sleep, subscriber, tracksOf } from './lib/servers';
import { metric, type Benchmark } from './lib/types';

export const ingestCpu: Benchmark = {
	name: 'ingest',
	keys: ['ingest_cpu_ratio'],
	async run(ctx) {
		const seconds = ctx.quick ? 15 : 60;
		const warmupMs = ctx.quick ? 4000 : 8000;
		const lk = await livekit(ctx);
		const cam = await camera(ctx, { width: 1280, height: 720, fps: 15 });
		const sub = await subscriber(ctx, lk, 'ingest');
		const source = pipelineSource();
		const pipe = await child(ctx, 'publisher', {
			source,
			rtsp: cam.url,
			url: lk.url,
			token: await token('ingest', 'pipeline', true),
			width: 640,
			height: 360,
			fps: 5,
		});
		// The floor, exactly as the issue defines it; -progress reports how many frames it encoded.
		const floor = spawn(
			'ffmpeg',
			[
				'-hide_banner',
				'-nostdin',
				'-loglevel',
				'error',
				'-rtsp_transport',
				'tcp',
				'-i',
				cam.url,
				'-an',
				'-vf',
				'fps=5,scale=640:360',
				'-c:v',
				'libvpx',
				'-deadline',
				'realtime',
				'-b:v',
				'1M',
				'-progress',
				'pipe:1',
				'-f',
				'null',
				'-',
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		ctx.defer(() => killProcess(floor));
		let floorFrames = 0;
		floor.stdout.on('data', (c: Buffer) => {
			const m = /frame=(\d+)\s*$/m.exec(
				c
					.toString()
					.split('\n')
					.filter((l) => l.startsWith('frame='))
					.pop() ?? '',
			);
			if (m) floorFrames = Number(m[1]);
		});
		await sub.waitEvent('subscribed', 20_000);
		await sleep(warmupMs);
		const t0 = Date.now();
		const [p0, f0, byName0, floorFrames0] = [
			treeCpuSeconds(pipe.pid),
			ownCpuSeconds(floor.pid!),
			treeCpuByName(pipe.pid),
			floorFrames,
		];
		ctx.log(`measuring ${seconds} s (pipeline: ${source})`);
		await sleep(seconds * 1000);
		const t1 = Date.now();
		const [p1, f1, byName1, floorFrames1] = [
			treeCpuSeconds(pipe.pid),
			ownCpuSeconds(floor.pid!),
			treeCpuByName(pipe.pid),
			floorFrames,
		];
		const subResult = await sub.stop();
		const pubResult = await pipe.stop();
		const tracks = Object.values(tracksOf(subResult));
		const pipelineCpu = p1 - p0;
		const floorCpu = f1 - f0;
		const received = tracks[0] ? fpsIn(tracks[0].arrivals, t0, t1) : 0;
		const floorFps = (floorFrames1 - floorFrames0) / ((t1 - t0) / 1000);
		const byName = Object.fromEntries(
			Object.entries(byName1).map(([k, v]) => [k, +(v - (byName0[k] ?? 0)).toFixed(2)]),
		);
		const note =
			received < 4.5 ? `pipeline delivered only ${received.toFixed(1)} fps to the room` : undefined;
		return [
			metric('ingest_cpu_ratio', pipelineCpu / floorCpu, 1, {
				ratio: pipelineCpu / floorCpu,
				baselineLabel: `floor ${floorCpu.toFixed(1)} cpu-s`,
				note,
				details: {
					seconds: (t1 - t0) / 1000,
					pipeline: source,
					camera_reader: benchReader(),
					pipeline_cpu_s: +pipelineCpu.toFixed(2),
					pipeline_cpu_by_process: byName,
					floor_cpu_s: +floorCpu.toFixed(2),
					pipeline_cores: +(pipelineCpu / ((t1 - t0) / 1000)).toFixed(3),
					floor_cores: +(floorCpu / ((t1 - t0) / 1000)).toFixed(3),
					received_fps: +received.toFixed(2),
					floor_encoded_fps: +floorFps.toFixed(2),
					published: pubResult.published,
				},
			}),
		];
	},
};
