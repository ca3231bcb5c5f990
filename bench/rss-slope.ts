// rss_slope_mb_per_min: RSS growth of the process tree running one trigger pipeline (the project's
// Watcher: RTSP → source → publisher process → room at 5 fps, asking the emulator every 2 s) after
// a warm-up, as the least-squares slope of RSS samples summed over the tree. Baseline, at the same time in its own process: the minimal
// rtc-node publisher of synthetic frames (what rtc-node alone does to RSS).
import { commOf, descendants, rssMb, treeRssMb } from './lib/proc';
import { token } from './lib/rtc';
import { camera, child, emulator, livekit, sleep, subscriber } from './lib/servers';
import { round, slope } from './lib/stats';
import { metric, type Benchmark } from './lib/types';

export const rssSlope: Benchmark = {
	name: 'rss',
	keys: ['rss_slope_mb_per_min'],
	async run(ctx) {
		const warmupMs = ctx.quick ? 30_000 : 60_000;
		const measureMs = ctx.quick ? 120_000 : 600_000;
		const everyMs = ctx.quick ? 2000 : 5000;
		const lk = await livekit(ctx);
		const cam = await camera(ctx, { width: 1280, height: 720, fps: 15 });
		const emu = await emulator(ctx, lk);
		await subscriber(ctx, lk, 'rss-ref');
		const options = JSON.stringify({ intervalSeconds: 2 });
		const w = await child(
			ctx,
			'watcher',
			{ baseUrl: emu.baseUrl, rtsp: cam.url, options },
			{ timeoutMs: 60_000 },
		);
		const ref = await child(ctx, 'publisher', {
			source: 'synthetic',
			url: lk.url,
			token: await token('rss-ref', 'synthetic', true),
			width: 640,
			height: 360,
			fps: 5,
		});
		ctx.log(
			`warm-up ${warmupMs / 1000} s, then ${measureMs / 1000} s of samples every ${everyMs / 1000} s`,
		);
		await sleep(warmupMs);
		const t0 = Date.now();
		const xs: number[] = [];
		const ys: number[] = [];
		const yb: number[] = [];
		// Per process of the tree: the watcher's node, its publisher child (node), its camera reader.
		const parts: Record<string, number[]> = { watcher: [], publisher: [], reader: [] };
		while (Date.now() - t0 < measureMs) {
			xs.push((Date.now() - t0) / 60_000);
			ys.push(treeRssMb(w.pid));
			yb.push(treeRssMb(ref.pid));
			const split = rssByRole(w.pid);
			for (const k of Object.keys(parts)) parts[k].push(split[k] ?? 0);
			await sleep(everyMs);
		}
		const result = await w.stop();
		await ref.stop();
		const s = slope(xs, ys);
		const b = slope(xs, yb);
		return [
			metric('rss_slope_mb_per_min', s, b, {
				ratio: null,
				baselineLabel: 'minimal rtc-node',
				details: {
					minutes: round(xs[xs.length - 1], 2),
					samples: xs.length,
					watcher_rss_mb: {
						first: round(ys[0], 1),
						last: round(ys[ys.length - 1], 1),
						max: round(Math.max(...ys), 1),
					},
					baseline_rss_mb: {
						first: round(yb[0], 1),
						last: round(yb[yb.length - 1], 1),
						max: round(Math.max(...yb), 1),
					},
					// glibc's heaps fill up to a level set by V8's external-memory GC trigger during the first
					// minutes, in steps (trim, regrow): the slope without the window's first 2 minutes and the
					// lowest RSS of each minute tell that plateau from a trend (null in the short quick window).
					slope_without_first_2_min:
						xs[xs.length - 1] >= 6 ? round(slope(...fromMinute(xs, ys, 2)), 2) : null,
					rss_min_per_minute: minPerMinute(xs, ys),
					by_process: Object.fromEntries(
						Object.entries(parts).map(([k, v]) => [
							k,
							{
								first: round(v[0], 1),
								last: round(v[v.length - 1], 1),
								max: round(Math.max(...v), 1),
								slope: round(slope(xs, v), 2),
							},
						]),
					),
					watcher_answers: (result.answers as unknown[]).length,
					watcher_stats: result.stats,
				},
			}),
		];
	},
};

/** RSS of the watcher process, its node children (the publisher process) and its camera reader (gst-launch or ffmpeg), MB. */
function rssByRole(root: number): Record<string, number> {
	const out: Record<string, number> = { watcher: rssMb(root) || 0 };
	for (const pid of descendants(root)) {
		const comm = commOf(pid);
		if (comm === undefined) continue; // gone meanwhile
		const role = comm === 'node' ? 'publisher' : 'reader';
		out[role] = (out[role] ?? 0) + (rssMb(pid) || 0);
	}
	return out;
}

/** The samples from minute `from` on (x is minutes since the measurement started). */
function fromMinute(xs: number[], ys: number[], from: number): [number[], number[]] {
	const keep = xs.map((x, i) => (x >= from ? i : -1)).filter((i) => i >= 0);
	return [keep.map((i) => xs[i]), keep.map((i) => ys[i])];
}

function minPerMinute(xs: number[], ys: number[]): number[] {
	const out: number[] = [];
	xs.forEach((x, i) => (out[Math.floor(x)] = Math.min(out[Math.floor(x)] ?? Infinity, ys[i])));
	return out.map((v) => round(v, 1));
}
