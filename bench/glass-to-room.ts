// glass_to_room_p50_ms / _p95_ms: from a frame leaving the camera to the same frame arriving at a
// subscriber in the room. The camera draws its frame counter in pixel blocks and pushes frame n at
// epoch + n/fps, so each decoded counter gives its own glass time. Baseline, in the same room at
// the same time: stamped frames captured straight into rtc-node (no RTSP, no ffmpeg), i.e. the
// WebRTC encode → SFU → decode floor that no pipeline can beat.
import { benchReader, pipelineSource } from './lib/pipeline';
import { token } from './lib/rtc';
import {
	camera,
	child,
	livekit,
	sleep,
	subscriber,
	tracksOf,
	type SubscriberTrack,
} from './lib/servers';
import { summarize, round } from './lib/stats';
import { metric, type Benchmark } from './lib/types';

function latencies(
	track: SubscriberTrack | undefined,
	glassMs: (n: number) => number,
	fromMs: number,
	toMs: number,
): number[] {
	if (!track) return [];
	return track.stamps
		.filter(([, at]) => at >= fromMs && at <= toMs)
		.map(([n, at]) => at - glassMs(n));
}

export const glassToRoom: Benchmark = {
	name: 'glass',
	keys: ['glass_to_room_p50_ms', 'glass_to_room_p95_ms'],
	async run(ctx) {
		const seconds = ctx.quick ? 15 : 60;
		const lk = await livekit(ctx);
		const cam = await camera(ctx, { width: 1280, height: 720, fps: 15, stamp: true });
		const sub = await subscriber(ctx, lk, 'glass', true);
		const source = pipelineSource();
		const pipe = await child(ctx, 'publisher', {
			source,
			rtsp: cam.url,
			url: lk.url,
			token: await token('glass', 'pipeline', true),
			width: 640,
			height: 360,
			fps: 5,
		});
		const ref = await child(ctx, 'publisher', {
			source: 'synthetic',
			url: lk.url,
			token: await token('glass', 'synthetic', true),
			width: 640,
			height: 360,
			fps: 5,
		});
		// Evidence for the source's latency: the same RTSP → ffmpeg → captureFrame path with the
		// decoder in low-delay mode (no frame threading), measured alongside.
		const lowDelay =
			source === 'project'
				? await child(ctx, 'publisher', {
						source: 'ffmpeg',
						rtsp: cam.url,
						url: lk.url,
						token: await token('glass', 'lowdelay', true),
						width: 640,
						height: 360,
						fps: 5,
					})
				: undefined;
		const refInfo = ref.events.find((e) => e.name === 'ready')!.data as {
			epochMs: number;
			fps: number;
		};
		await sub.waitEvent('subscribed', 20_000, (d) => d.identity === 'pipeline');
		await sub.waitEvent('subscribed', 20_000, (d) => d.identity === 'synthetic');
		await sleep(3000);
		const t0 = Date.now();
		ctx.log(`measuring ${seconds} s (pipeline: ${source})`);
		await sleep(seconds * 1000);
		const t1 = Date.now();
		const tracks = tracksOf(await sub.stop());
		await Promise.all([pipe.stop(), ref.stop(), lowDelay?.stop()]);
		const measured = latencies(tracks.pipeline, cam.frameTimeMs, t0, t1);
		const baseline = latencies(
			tracks.synthetic,
			(n) => refInfo.epochMs + (n * 1000) / refInfo.fps,
			t0,
			t1,
		);
		const m = summarize(measured);
		const b = summarize(baseline);
		if (m.n < seconds)
			throw new Error(
				`only ${m.n} stamped frames decoded from the pipeline (undecoded: ${tracks.pipeline?.undecoded ?? 'no track'})`,
			);
		const details = {
			pipeline: source,
			camera_reader: benchReader(),
			pipeline_ms: mapRound(m),
			baseline_ms: mapRound(b),
			minimal_ffmpeg_low_delay_ms: lowDelay
				? mapRound(summarize(latencies(tracks.lowdelay, cam.frameTimeMs, t0, t1)))
				: undefined,
			undecoded: { pipeline: tracks.pipeline?.undecoded, baseline: tracks.synthetic?.undecoded },
		};
		return [
			metric('glass_to_room_p50_ms', m.p50, b.p50, { baselineLabel: 'rtc-only p50', details }),
			metric('glass_to_room_p95_ms', m.p95, b.p95, { baselineLabel: 'rtc-only p95', details }),
		];
	},
};

function mapRound(s: ReturnType<typeof summarize>) {
	return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 1)]));
}
