// soak_rss_mb_per_hour (issue 12, "Memory over hours"): one Overshoot Trigger in a real n8n 2.40.7
// (packed package, `n8n start` with MALLOC_ARENA_MAX=2 as the README tells users), on an RTSP
// camera (GStreamer test camera, 1280×720 H.264 15 fps), publishing 640×360 at 5 fps to a real
// livekit-server, asking the emulator every 2 s (never matching: no executions, so what is
// measured is the watching itself). Run by hand: `npm run bench -- --only soak` (60 min after a
// 10 min warm-up; `--minutes N` measures N minutes; `--quick`: 3 min after 1 min).
//
// Every 15 s: RSS of every process of n8n's tree by role (n8n main, task runners, the publisher
// process, the camera reader), n8n main's V8 heap from its /metrics (N8N_METRICS=true,
// prom-client's nodejs_heap_size_used_bytes and nodejs_external_memory_bytes), the publisher
// process's V8 heap from its opt-in report (OVERSHOOT_HEAP_REPORT_DIR, watch/heap-report.ts).
//
// Growth per hour = least-squares slope over the per-minute minima of the samples after the
// warm-up. Minima, because RSS and heap are saw-tooth signals (V8 collects garbage every few
// seconds, glibc trims and regrows its heaps): the lowest value of each minute is the floor the
// process falls back to; garbage does not raise it, a leak does. The slope over every sample is
// reported too. Target ≤ 5 MB per hour for the whole trigger (sum over its processes, n8n main
// included: that is where the trigger's own code runs), and a flat V8 heap (reported per process).
// Investigation mode: OVS_SOAK_SNAPSHOTS=<dir> also takes heap snapshots of n8n main and the
// publisher process at the start and the end of the window, diffs each pair (scripts/heap-diff.js)
// and leaves snapshots and diffs in <dir>; the snapshots disturb RSS, so that run's figure is not one.
// Baseline, same run, same time: an n8n 2.40.7 beside it (the same environment and package, no
// workflow), sampled alike: what n8n itself does to RSS and heap over the hour. The machine's
// load (loadavg, busy cores) over the window is recorded too, since other work may share it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEAP_REPORT_ENV, type HeapReportLine } from '../nodes/Overshoot/watch/heap-report';
import { descendants, watchProcessRole } from '../harness/proc-tree';
import { startN8n } from '../harness/n8n';
import { startRtspServer } from '../harness/rtsp';
import { diffSnapshots, takeSnapshot } from './lib/heap-snapshots';
import { activate, n8nMissing, n8nStack, tempDir, triggerWorkflow } from './lib/n8n-stack';
import { machineBusySeconds, rssMb } from './lib/proc';
import { sleep } from './lib/servers';
import { round, slope } from './lib/stats';
import { metric, notRun, type BenchContext, type Benchmark } from './lib/types';

const TRIGGER_ID = 'ovsBenchSoak0001';
const SAMPLE_EVERY_MS = 15_000;
const MB = 1024 * 1024;

type Role = 'main' | 'runner' | 'publisher' | 'reader';
const ROLES: Role[] = ['main', 'runner', 'publisher', 'reader'];

interface Sample {
	/** Minutes since the measurement window began (negative during the warm-up). */
	min: number;
	rss: Record<Role, number>;
	rssTotal: number;
	/** n8n main's V8 heap in use and external memory (prom-client), MB. */
	mainHeapUsed: number;
	mainExternal: number;
	/** The publisher process's newest report, MB. */
	publisherHeapUsed: number;
	publisherExternal: number;
	/** Pids by role, to see restarts (a new publisher pid means a restarted publisher). */
	pids: Record<Role, number[]>;
	/** The idle n8n beside it: RSS of its tree (main + task runners) and its main's heap, MB. */
	idleRss: number;
	idleHeapUsed: number;
}

/** Durations: `--minutes N` sets the window; warm-up 10 min (quick: 3 min after 1 min). */
export function soakDurations(ctx: Pick<BenchContext, 'quick' | 'minutes'>): {
	warmupMin: number;
	measureMin: number;
} {
	return { warmupMin: ctx.quick ? 1 : 10, measureMin: ctx.minutes ?? (ctx.quick ? 3 : 60) };
}

/** The role of each process in n8n's tree: n8n itself, the trigger's publisher and reader, the rest (task runners). */
function rssByRole(root: number): { rss: Record<Role, number>; pids: Record<Role, number[]> } {
	const rss: Record<Role, number> = { main: rssMb(root) || 0, runner: 0, publisher: 0, reader: 0 };
	const pids: Record<Role, number[]> = { main: [root], runner: [], publisher: [], reader: [] };
	for (const p of descendants(root)) {
		const role: Role = watchProcessRole(p) ?? 'runner';
		rss[role] += rssMb(p.pid) || 0;
		pids[role].push(p.pid);
	}
	return { rss, pids };
}

/** prom-client's gauges from n8n's /metrics, bytes (NaN when missing). */
async function promGauges(baseUrl: string, names: string[]): Promise<Record<string, number>> {
	const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
	if (!res.ok) throw new Error(`GET /metrics: HTTP ${res.status}`);
	const text = await res.text();
	const out: Record<string, number> = {};
	for (const name of names) {
		// The gauge may be prefixed (N8N_METRICS_PREFIX, default n8n_) and carry labels.
		const m = new RegExp(`^(?:\\w+_)?${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
		out[name] = m ? Number(m[1]) : NaN;
	}
	return out;
}

/** The newest line of the publisher's heap report (the live publisher's pid), or undefined. */
function publisherReport(dir: string, pid: number | undefined): HeapReportLine | undefined {
	if (pid === undefined) return undefined;
	try {
		const lines = fs
			.readFileSync(path.join(dir, `publisher-${pid}.jsonl`), 'utf8')
			.trim()
			.split('\n');
		return JSON.parse(lines[lines.length - 1]) as HeapReportLine;
	} catch {
		return undefined;
	}
}

/** The lowest value of each whole minute of the window (x in minutes from the window's start). */
function minima(samples: Sample[], value: (s: Sample) => number): { x: number[]; y: number[] } {
	const byMinute = new Map<number, number>();
	for (const s of samples) {
		const v = value(s);
		if (!Number.isFinite(v)) continue;
		const m = Math.floor(s.min);
		byMinute.set(m, Math.min(byMinute.get(m) ?? Infinity, v));
	}
	const x = [...byMinute.keys()].sort((a, b) => a - b);
	return { x: x.map((m) => m + 0.5), y: x.map((m) => byMinute.get(m)!) };
}

/** Growth per hour of one series over the window: on per-minute minima (the figure) and on every sample. */
function growth(samples: Sample[], value: (s: Sample) => number) {
	const finite = samples.filter((s) => Number.isFinite(value(s)));
	const mins = minima(samples, value);
	const first = finite[0];
	const last = finite[finite.length - 1];
	return {
		per_hour_minima: round(slope(mins.x, mins.y) * 60, 2),
		per_hour_all: round(
			slope(
				finite.map((s) => s.min),
				finite.map(value),
			) * 60,
			2,
		),
		first: first ? round(value(first), 1) : null,
		last: last ? round(value(last), 1) : null,
		max: finite.length ? round(Math.max(...finite.map(value)), 1) : null,
		minute_minima: mins.y.map((v) => round(v, 1)),
	};
}

function loadavg(): number[] {
	return os.loadavg().map((v) => round(v, 2));
}

export const soak: Benchmark = {
	name: 'soak',
	keys: ['soak_rss_mb_per_hour'],
	byHand: true,
	timeLimitMin: (ctx) => {
		const { warmupMin, measureMin } = soakDurations(ctx);
		return warmupMin + measureMin + 15; // plus build, pack, n8n start and teardown
	},
	async run(ctx) {
		const missing = n8nMissing();
		if (missing) return [notRun('soak_rss_mb_per_hour', missing)];
		const { warmupMin, measureMin } = soakDurations(ctx);
		const dir = tempDir(ctx, 'ovs-bench-soak-');
		const snapshotDir = process.env.OVS_SOAK_SNAPSHOTS
			? path.resolve(process.env.OVS_SOAK_SNAPSHOTS)
			: undefined;
		const heapDir = snapshotDir ?? path.join(dir, 'heap');
		fs.mkdirSync(heapDir, { recursive: true });
		const camera = await startRtspServer({ width: 1280, height: 720, fps: 15 });
		ctx.defer(() => camera.stop());
		const trigger = triggerWorkflow({
			id: TRIGGER_ID,
			cameraUrl: camera.url,
			prompt: 'What do you see?',
			askEverySeconds: 2,
			condition: 'equals',
			conditionText: 'never-matches',
			oneRunAtATime: true,
		});
		// MALLOC_ARENA_MAX=2 for n8n itself, as the README tells users to run it (its publisher
		// processes get it anyway); N8N_METRICS for main's heap; the publisher's opt-in heap report.
		const env: Record<string, string> = {
			MALLOC_ARENA_MAX: '2',
			N8N_METRICS: 'true',
			[HEAP_REPORT_ENV]: heapDir,
		};
		if (snapshotDir)
			env.NODE_OPTIONS = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`;
		const stack = await n8nStack(ctx, [trigger], dir, undefined, env);
		const root = stack.n8n.serverPid()!;
		ctx.log('starting the baseline: an n8n with the package installed, nothing active');
		const idle = await startN8n({
			packageTarball: stack.tarball,
			env: { MALLOC_ARENA_MAX: '2', N8N_METRICS: 'true' },
		});
		ctx.defer(() => idle.stop());
		await idle.start();
		const idleRoot = idle.serverPid()!;
		await activate(ctx, stack, TRIGGER_ID);
		ctx.log(
			`trigger active; warm-up ${warmupMin} min, then ${measureMin} min, a sample every ${SAMPLE_EVERY_MS / 1000} s (n8n pid ${root}, heap reports in ${heapDir})`,
		);

		const t0 = Date.now() + warmupMin * 60_000;
		const end = t0 + measureMin * 60_000;
		const samples: Sample[] = [];
		let window: { busy0: number; load0: number[]; frames0: number; calls0: number } | undefined;
		const streamCounts = async () => {
			const state = await stack.emulatorState();
			const active = state.streams.filter((s) => s.state === 'active');
			return {
				frames: active.reduce((sum, s) => sum + s.framesReceived, 0),
				calls: state.chatCalls.total,
				streams: active.length,
			};
		};
		let lastLog = 0;
		const snapshots: Array<{ role: Role; pid: number; file: string }> = [];
		const snapshotAll = async (pids: Record<Role, number[]>) => {
			if (!snapshotDir) return;
			for (const role of ['main', 'publisher'] as const) {
				const pid = pids[role][0];
				if (pid === undefined) continue;
				snapshots.push({ role, pid, file: await takeSnapshot(pid, snapshotDir) });
				ctx.log(`heap snapshot of ${role}: ${snapshots[snapshots.length - 1].file}`);
			}
		};
		for (let next = Date.now(); Date.now() < end; next += SAMPLE_EVERY_MS) {
			await sleep(Math.max(0, next - Date.now()));
			if (!window && Date.now() >= t0) {
				await snapshotAll(rssByRole(root).pids);
				const c = await streamCounts();
				window = {
					busy0: machineBusySeconds(),
					load0: loadavg(),
					frames0: c.frames,
					calls0: c.calls,
				};
			}
			const { rss, pids } = rssByRole(root);
			const prom = await promGauges(stack.n8n.baseUrl, [
				'nodejs_heap_size_used_bytes',
				'nodejs_external_memory_bytes',
			]).catch(() => ({}) as Record<string, number>);
			const pub = publisherReport(heapDir, pids.publisher[0]);
			const idleRss = rssByRole(idleRoot).rss;
			const idleProm = await promGauges(idle.baseUrl, ['nodejs_heap_size_used_bytes']).catch(
				() => ({}) as Record<string, number>,
			);
			const s: Sample = {
				min: (Date.now() - t0) / 60_000,
				rss: Object.fromEntries(ROLES.map((r) => [r, round(rss[r], 2)])) as Record<Role, number>,
				rssTotal: round(
					ROLES.reduce((sum, r) => sum + rss[r], 0),
					2,
				),
				mainHeapUsed: round((prom.nodejs_heap_size_used_bytes ?? NaN) / MB, 2),
				mainExternal: round((prom.nodejs_external_memory_bytes ?? NaN) / MB, 2),
				publisherHeapUsed: pub ? round(pub.heap.used_heap_size / MB, 2) : NaN,
				publisherExternal: pub ? round(pub.memory.external / MB, 2) : NaN,
				pids,
				idleRss: round(idleRss.main + idleRss.runner, 2),
				idleHeapUsed: round((idleProm.nodejs_heap_size_used_bytes ?? NaN) / MB, 2),
			};
			samples.push(s);
			if (Date.now() - lastLog > 5 * 60_000) {
				lastLog = Date.now();
				ctx.log(
					`t=${s.min.toFixed(1)} min: rss ${JSON.stringify(s.rss)} total ${s.rssTotal} MB; heap main ${s.mainHeapUsed} MB, publisher ${s.publisherHeapUsed} MB; load ${loadavg().join(' ')}`,
				);
			}
		}
		const c1 = await streamCounts();
		const seconds = (Date.now() - t0) / 1000;
		await snapshotAll(rssByRole(root).pids);
		const heapDiffs: Record<string, string> = {};
		for (const role of ['main', 'publisher'] as const) {
			const pair = snapshots.filter((s) => s.role === role);
			if (pair.length !== 2 || pair[0].pid !== pair[1].pid) continue; // a restarted publisher has nothing to compare
			heapDiffs[role] = await diffSnapshots(
				pair[0].file,
				pair[1].file,
				path.join(snapshotDir!, `diff-${role}.txt`),
			);
			ctx.log(
				`heap growth of ${role} over the window:\n${heapDiffs[role].split('\n').slice(0, 22).join('\n')}`,
			);
		}
		const busyCores = window ? round((machineBusySeconds() - window.busy0) / seconds, 2) : NaN;
		const inWindow = samples.filter((s) => s.min >= 0);
		if (inWindow.length < 8) throw new Error(`only ${inWindow.length} samples in the window`);
		const total = growth(inWindow, (s) => s.rssTotal);
		const idleTotal = growth(inWindow, (s) => s.idleRss);
		const idleHeap = growth(inWindow, (s) => s.idleHeapUsed);
		const byProcess = Object.fromEntries(ROLES.map((r) => [r, growth(inWindow, (s) => s.rss[r])]));
		const heap = {
			main_used: growth(inWindow, (s) => s.mainHeapUsed),
			main_external: growth(inWindow, (s) => s.mainExternal),
			publisher_used: growth(inWindow, (s) => s.publisherHeapUsed),
			publisher_external: growth(inWindow, (s) => s.publisherExternal),
		};
		const distinct = (r: Role) => new Set(samples.flatMap((s) => s.pids[r])).size;
		const fps = window ? round((c1.frames - window.frames0) / seconds, 2) : NaN;
		const callsPerMin = window ? round(((c1.calls - window.calls0) / seconds) * 60, 1) : NaN;
		const details = {
			warmup_min: warmupMin,
			window_min: round(seconds / 60, 1),
			samples: inWindow.length,
			sample_every_s: SAMPLE_EVERY_MS / 1000,
			figure:
				'least-squares slope over per-minute minima of the total RSS of n8n main, task runners, publisher process and camera reader, after the warm-up',
			rss_mb_per_hour: { total, ...byProcess },
			heap_mb_per_hour: heap,
			baseline_idle_n8n_mb_per_hour: { rss: idleTotal, heap_main_used: idleHeap },
			// The trigger really watched all along: frames the emulator's ingest received, questions asked.
			stream_fps: fps,
			chat_calls_per_min: callsPerMin,
			active_streams_at_end: c1.streams,
			processes_seen: Object.fromEntries(ROLES.map((r) => [r, distinct(r)])),
			machine: {
				cores: os.cpus().length,
				busy_cores: busyCores,
				loadavg_start: window?.load0,
				loadavg_end: loadavg(),
			},
			env: { MALLOC_ARENA_MAX: '2', N8N_METRICS: 'true' },
			...(snapshotDir
				? {
						heap_snapshots: {
							dir: snapshotDir,
							note: 'snapshots taken at the start and end of the window: RSS figures disturbed',
							diffs: heapDiffs,
						},
					}
				: {}),
			series: inWindow.map((s) => ({
				min: round(s.min, 2),
				rss: s.rss,
				heap_main: s.mainHeapUsed,
				heap_publisher: s.publisherHeapUsed,
				ext_main: s.mainExternal,
				ext_publisher: s.publisherExternal,
				idle_rss: s.idleRss,
				idle_heap: s.idleHeapUsed,
			})),
		};
		const flat = (g: { per_hour_minima: number }) =>
			`${g.per_hour_minima >= 0 ? '+' : ''}${g.per_hour_minima}`;
		ctx.log(
			`growth per hour (per-minute minima): total ${flat(total)} MB; ${ROLES.map((r) => `${r} ${flat(byProcess[r])}`).join(', ')}; heap main ${flat(heap.main_used)}, publisher ${flat(heap.publisher_used)}; idle n8n ${flat(idleTotal)} MB, heap ${flat(idleHeap)}; ${fps} fps, ${callsPerMin} calls/min; busy cores ${busyCores}`,
		);
		return [
			metric('soak_rss_mb_per_hour', total.per_hour_minima, idleTotal.per_hour_minima, {
				ratio: null,
				baselineLabel: 'idle n8n, MB/h',
				note: `${snapshotDir ? 'heap snapshots taken, RSS disturbed; ' : ''}${round(seconds / 60, 0)} min after ${warmupMin} min warm-up; MB/h main ${flat(byProcess.main)}, runners ${flat(byProcess.runner)}, publisher ${flat(byProcess.publisher)}, reader ${flat(byProcess.reader)}; V8 heap MB/h main ${flat(heap.main_used)}, publisher ${flat(heap.publisher_used)}, idle n8n ${flat(idleHeap)}; machine busy ${busyCores} of ${os.cpus().length} cores`,
				details,
			}),
		];
	},
};
