// restart_rss_growth_mb: RSS growth of one process tree over 20 start/stop cycles of the project's
// Watcher (create stream → RTSP source → join room and publish → stop → delete), measured from
// the end of cycle 1 (native libraries loaded) to the end of the last. Baseline: the same number
// of minimal rtc-node connect/publish/disconnect cycles. The full run also tries the workarounds
// for rtc-node's open connect/disconnect leak report (node-sdks #514), each in its own process.
import { treeRssMb } from './lib/proc';
import { token } from './lib/rtc';
import { camera, child, emulator, livekit, onChildEvent, subscriber } from './lib/servers';
import { round, slope } from './lib/stats';
import { metric, type BenchContext, type Benchmark } from './lib/types';
import type { Child } from './lib/child';

const VARIANTS = [
	'plain',
	'reuse-source',
	'unpublish-first',
	'close-track-first',
	'connect-only',
	'plain+arena2',
];
/** glibc's per-thread malloc arenas: capping them is the workaround that holds RSS flat (README). */
const ARENA2 = { MALLOC_ARENA_MAX: '2' };

interface CycleRun {
	rss: number[];
	growth: number;
	perCycle: number;
}

async function cycles(
	ctx: BenchContext,
	args: Record<string, string | number>,
	n: number,
	timeoutMs: number,
	env?: NodeJS.ProcessEnv,
): Promise<CycleRun> {
	const c: Child = await child(
		ctx,
		'cycles',
		{ ...args, cycles: n },
		{ execArgv: ['--expose-gc'], env },
	);
	const rss: number[] = [];
	onChildEvent(c, 'cycle', () => rss.push(treeRssMb(c.pid)));
	await c.waitEvent('cycles-done', timeoutMs);
	await c.stop();
	const growth = rss[rss.length - 1] - rss[0];
	const perCycle = slope(
		rss.slice(1).map((_, i) => i + 2),
		rss.slice(1),
	);
	return {
		rss: rss.map((v) => round(v, 1)),
		growth: round(growth, 1),
		perCycle: round(perCycle, 2),
	};
}

export const restartRss: Benchmark = {
	name: 'restart',
	keys: ['restart_rss_growth_mb'],
	async run(ctx) {
		const n = ctx.quick ? 8 : 20;
		const timeoutMs = n * 30_000;
		const lk = await livekit(ctx);
		const cam = await camera(ctx, { width: 1280, height: 720, fps: 15 });
		const emu = await emulator(ctx, lk);
		const variants = ctx.quick ? ['plain', 'plain+arena2'] : VARIANTS;
		// Each minimal variant has its own room and a subscriber, so the encoder really runs.
		const minimal = variants.map(async (variant) => {
			const room = `cycles-${variant.replace(/[^a-z0-9-]/gi, '-')}`;
			await subscriber(ctx, lk, room);
			const [name, env] = variant.endsWith('+arena2')
				? [variant.slice(0, -7), ARENA2]
				: [variant, undefined];
			const run = await cycles(
				ctx,
				{
					mode: 'rtc',
					variant: name,
					url: lk.url,
					token: await token(room, 'cycler', true),
					publishMs: 2000,
				},
				n,
				timeoutMs,
				env,
			);
			return [variant, run] as const;
		});
		ctx.log(
			`${n} cycles: project Watcher and ${variants.length} minimal rtc-node variant(s), each in its own process`,
		);
		const watcherArgs = { mode: 'watcher', baseUrl: emu.baseUrl, rtsp: cam.url, publishMs: 2000 };
		const [w, wArena, ...m] = await Promise.all([
			cycles(ctx, watcherArgs, n, timeoutMs),
			cycles(ctx, watcherArgs, n, timeoutMs, ARENA2),
			...minimal,
		]);
		const byVariant = Object.fromEntries(m);
		const plain = byVariant.plain;
		return [
			metric('restart_rss_growth_mb', w.growth, plain.growth, {
				ratio: null,
				baselineLabel: 'minimal rtc-node',
				note: `with MALLOC_ARENA_MAX=2: ${wArena.growth} MB`,
				details: {
					cycles: n,
					watcher: w,
					watcher_malloc_arena_max_2: wArena,
					minimal_rtc_node: byVariant,
				},
			}),
		];
	},
};
