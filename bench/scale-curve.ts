// The scale curve (issue 11): N = 1, 4, 8, 16 Overshoot Triggers active at once in one real n8n
// 2.40.7, each on its own RTSP camera path (1280×720 H.264 15 fps, so each has its own reader
// decoding it). The cameras are one encoded stream on N mount points of the test camera
// (rtsp-server.py --mounts), so the camera's own encoding does not grow with N. Each trigger
// publishes 640×360 at 5 fps to the local LiveKit server and asks every 2 s (never matching, like
// scale_min_fps); one Overshoot API key per five cameras, as a user must (5 streams per key).
// Per N, over a window after a warm-up:
// - the lowest frame rate a stream arrives with at the emulator's ingest;
// - CPU cores per camera, split by process: n8n's own (main), readers, publisher processes, other
//   (task runners), from /proc per pid;
// - RSS per camera: (n8n tree RSS at N − before any trigger) / N, the tree's RSS split by the same
//   roles, and the marginal memory of one more camera between the first and the last N;
// - the whole machine's busy cores and how many of them were outside n8n's tree (the test camera,
//   livekit-server and the emulator, which decodes every stream, share this machine): when the
//   machine is saturated, a lower frame rate is starvation, not a cost that grows per camera;
// - n8n's responsiveness meanwhile: a plain Webhook POSTed once a second, request → execution
//   start p95 (the baseline of answer_to_execution);
// - paid calls: chat calls per camera per minute.
// Keys: scale16_min_fps (N = 16), scale_cpu_per_camera_ratio (cores per camera at 16 ÷ at 1),
// scale16_rss_per_camera_mb (reported). --quick runs N = 1, 4 with short windows: its figures are
// for N = 4 and say so.
import { cpus } from 'node:os';
import type { Credential } from '../harness/n8n';
import type { Execution } from '../harness/n8n-api';
import { watchProcessRole, descendants } from '../harness/proc-tree';
import { startRtspServer } from '../harness/rtsp';
import { executionItem, type TriggerStack } from '../harness/trigger-stack';
import {
	activate,
	n8nMissing,
	n8nStack,
	tempDir,
	triggerWorkflow,
	webhookWorkflow,
} from './lib/n8n-stack';
import { machineBusySeconds, rssMb, treeCpuByPid, treeRssMb } from './lib/proc';
import { sleep } from './lib/servers';
import { round, summarize } from './lib/stats';
import { metric, notRun, type BenchContext, type Benchmark } from './lib/types';

/** The emulator's (and the contract's possible) cap: streams per API key. */
const STREAMS_PER_KEY = 5;
const HOOK_ID = 'ovsBenchCurveHook';
const HOOK_PATH = 'ovs-bench-curve';

type Role = 'main' | 'reader' | 'publisher' | 'other';

/** n8n's tree as it is now: its pids, and each one's role (n8n itself, the triggers' readers and publishers, the rest). */
function treeRoles(root: number): { pids: number[]; roleOf: (pid: number) => Role } {
	const below = descendants(root);
	const procs = new Map(below.map((p) => [p.pid, p]));
	const roleOf = (pid: number): Role => {
		if (pid === root) return 'main';
		const p = procs.get(pid);
		return (p && watchProcessRole(p)) ?? 'other';
	};
	return { pids: [root, ...below.map((p) => p.pid)], roleOf };
}

/** Per-process figures summed by role, rounded to `digits`. */
function sumByRole(
	figures: Iterable<[number, number]>,
	roleOf: (pid: number) => Role,
	digits: number,
): Record<Role, number> {
	const out: Record<Role, number> = { main: 0, reader: 0, publisher: 0, other: 0 };
	for (const [pid, value] of figures) out[roleOf(pid)] += value;
	for (const k of Object.keys(out) as Role[]) out[k] = round(out[k], digits);
	return out;
}

/** RSS of n8n's tree by role, MB. */
function rssByRole(root: number): Record<Role, number> {
	const { pids, roleOf } = treeRoles(root);
	return sumByRole(
		pids.map((pid) => [pid, rssMb(pid) || 0]),
		roleOf,
		1,
	);
}

/** Cores per role over a window: CPU-seconds of the pids alive at both ends, ÷ seconds. */
function coresByRole(
	root: number,
	before: Map<number, number>,
	after: Map<number, number>,
	seconds: number,
): Record<Role, number> {
	const spent = [...after].flatMap(([pid, cpu]): [number, number][] =>
		before.has(pid) ? [[pid, (cpu - before.get(pid)!) / seconds]] : [],
	);
	return sumByRole(spent, treeRoles(root).roleOf, 3);
}

interface Point {
	n: number;
	min_fps: number;
	fps: number[];
	cores: Record<Role, number>;
	cores_per_camera: number;
	/** Busy cores of the whole machine over the window, and those outside n8n's tree. */
	machine_cores: number;
	outside_n8n_cores: number;
	rss_tree_mb: number;
	rss_mb: Record<Role, number>;
	rss_per_camera_mb: number;
	webhook_to_execution_ms: ReturnType<typeof summarize>;
	paid_calls_per_camera_per_min: number;
	window_s: number;
}

const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : NaN);

/** One window at the current N: frame rates, CPU, RSS, webhook latency, paid calls. */
async function measure(
	ctx: BenchContext,
	stack: TriggerStack,
	n: number,
	windowMs: number,
	idleRssMb: number,
): Promise<Point> {
	const root = stack.n8n.serverPid()!;
	const frames = async () =>
		new Map(
			(await stack.emulatorState()).streams
				.filter((s) => s.state === 'active')
				.map((s) => [s.id, s.framesReceived]),
		);
	const [f0, calls0, cpu0, t0] = [
		await frames(),
		(await stack.emulatorState()).chatCalls.total,
		treeCpuByPid(root),
		Date.now(),
	];
	const busy0 = machineBusySeconds();
	const posted: number[] = [];
	while (Date.now() - t0 < windowMs) {
		const sentAt = Date.now();
		const res = await fetch(`${stack.n8n.baseUrl}/webhook/${HOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ sentAt, n }),
			signal: AbortSignal.timeout(10_000),
		});
		if (!res.ok) throw new Error(`webhook POST: HTTP ${res.status}`);
		posted.push(sentAt);
		await sleep(Math.max(0, sentAt + 1000 - Date.now()));
	}
	const [f1, calls1, cpu1, t1] = [
		await frames(),
		(await stack.emulatorState()).chatCalls.total,
		treeCpuByPid(root),
		Date.now(),
	];
	const busy1 = machineBusySeconds();
	const seconds = (t1 - t0) / 1000;
	const fps = [...f1]
		.filter(([id]) => f0.has(id))
		.map(([id, count]) => round((count - f0.get(id)!) / seconds, 2));
	if (fps.length !== n) throw new Error(`expected ${n} active streams, saw ${fps.length}`);
	const cores = coresByRole(root, cpu0, cpu1, seconds);
	const rss = treeRssMb(root);
	const rssRoles = rssByRole(root);
	await sleep(1500); // the last webhook executions finish writing
	const hookRuns = (await stack.n8n.api.executions(HOOK_ID)).filter(
		(e: Execution) =>
			(executionItem(e, 'Webhook')?.json.body as { n?: number } | undefined)?.n === n,
	);
	const hook = summarize(
		hookRuns
			.map(
				(e) =>
					ms(e.startedAt) -
					Number((executionItem(e, 'Webhook')?.json.body as { sentAt?: number }).sentAt),
			)
			.filter(Number.isFinite),
	);
	const total = cores.main + cores.reader + cores.publisher + cores.other;
	const point: Point = {
		n,
		min_fps: Math.min(...fps),
		fps,
		cores,
		cores_per_camera: round(total / n, 4),
		machine_cores: round((busy1 - busy0) / seconds, 3),
		outside_n8n_cores: round((busy1 - busy0) / seconds - total, 3),
		rss_tree_mb: round(rss, 1),
		rss_mb: rssRoles,
		rss_per_camera_mb: round((rss - idleRssMb) / n, 1),
		webhook_to_execution_ms: hook,
		paid_calls_per_camera_per_min: round(((calls1 - calls0) / n / seconds) * 60, 1),
		window_s: round(seconds, 1),
	};
	ctx.log(`N=${n}: ${JSON.stringify(point)}`);
	return point;
}

export const scaleCurve: Benchmark = {
	name: 'curve',
	keys: ['scale16_min_fps', 'scale_cpu_per_camera_ratio', 'scale16_rss_per_camera_mb'],
	async run(ctx) {
		const missing = n8nMissing();
		if (missing) return this.keys.map((k) => notRun(k, missing));
		const steps = ctx.quick ? [1, 4] : [1, 4, 8, 16];
		const max = steps[steps.length - 1];
		const warmupMs = ctx.quick ? 5_000 : 15_000;
		const windowMs = ctx.quick ? 10_000 : 60_000;
		const dir = tempDir(ctx, 'ovs-bench-curve-');

		const camera = await startRtspServer({
			width: 1280,
			height: 720,
			fps: 15,
			stamp: true,
			mounts: max,
		});
		ctx.defer(() => camera.stop());
		const keys = Math.ceil(max / STREAMS_PER_KEY);
		const credential = (k: number) => ({
			id: `ovsBenchCurveKey${k}`,
			name: `Overshoot key ${k + 1}`,
		});
		const credentials = (url: string): Credential[] =>
			Array.from({ length: keys }, (_, k) => ({
				...credential(k),
				type: 'overshootApi',
				data: { apiKey: `ovs-bench-curve-${k}`, baseUrl: `${url}/v1` },
			}));
		const triggers = camera.urls.map((cameraUrl, i) =>
			triggerWorkflow({
				id: `ovsBenchCurve${String(i).padStart(2, '0')}`,
				cameraUrl,
				credential: credential(Math.floor(i / STREAMS_PER_KEY)),
				prompt: 'What do you see?',
				askEverySeconds: 2,
				condition: 'equals',
				conditionText: 'never-matches',
				oneRunAtATime: true,
			}),
		);
		const stack = await n8nStack(
			ctx,
			[...triggers, webhookWorkflow(HOOK_ID, HOOK_PATH)],
			dir,
			credentials,
		);
		await activate(ctx, stack, HOOK_ID);
		// n8n's RSS settles for a while after start (a first sample 2 s in was larger than with one
		// trigger running): the lowest of several samples after a pause is "before any trigger".
		await sleep(5000);
		let idleRssMb = Infinity;
		for (let i = 0; i < 5; i++, await sleep(1000))
			idleRssMb = Math.min(idleRssMb, treeRssMb(stack.n8n.serverPid()!));

		const curve: Point[] = [];
		let active = 0;
		for (const n of steps) {
			for (; active < n; active++) await activate(ctx, stack, triggers[active].id!);
			await sleep(warmupMs);
			curve.push(await measure(ctx, stack, n, windowMs, idleRssMb));
		}
		const first = curve[0];
		const last = curve[curve.length - 1];
		const at = ctx.quick ? ` (quick: at N=${last.n}, not 16)` : '';
		const marginalRssMb =
			last.n > first.n
				? round((last.rss_tree_mb - first.rss_tree_mb) / (last.n - first.n), 1)
				: NaN;
		const details = {
			curve,
			idle_tree_rss_mb: round(idleRssMb, 1),
			marginal_rss_per_camera_mb: marginalRssMb,
			api_keys: keys,
			warmup_s: warmupMs / 1000,
		};
		return [
			metric('scale16_min_fps', last.min_fps, first.min_fps, {
				baselineLabel: '1 camera alone',
				note: `lowest of ${last.n}${at}; per N: ${curve.map((p) => `${p.n}→${p.min_fps}`).join(', ')}`,
				details,
			}),
			metric(
				'scale_cpu_per_camera_ratio',
				last.cores_per_camera / first.cores_per_camera,
				first.cores_per_camera,
				{
					baselineLabel: 'cores/camera at N=1',
					ratio: last.cores_per_camera / first.cores_per_camera, // the figure is the ratio itself
					note: `cores per camera ${curve.map((p) => `${p.n}→${p.cores_per_camera}`).join(', ')}${at}`,
				},
			),
			metric('scale16_rss_per_camera_mb', last.rss_per_camera_mb, first.rss_per_camera_mb, {
				baselineLabel: 'MB/camera at N=1',
				note: `one more camera: ${marginalRssMb} MB; machine busy cores ${curve.map((p) => `${p.n}→${p.machine_cores}`).join(', ')} (of ${cpus().length}); webhook→execution p95 ${curve.map((p) => `${p.n}→${round(p.webhook_to_execution_ms.p95, 0)} ms`).join(', ')}${at}`,
			}),
		];
	},
};
