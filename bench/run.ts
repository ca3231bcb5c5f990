// `npm run bench [-- --quick] [-- --only <key>]`: runs the benchmarks one after another (they
// share two cores, so never in parallel), prints the table and writes bench/results.json.
// Exit code is non-zero only when the harness itself broke (a benchmark threw), never because a
// noisy number missed its target.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/root';
import { machineInfo, table, updateReadme, writeResults } from './lib/report';
import { TARGETS, type Benchmark, type BenchContext, type Metric } from './lib/types';
import { ingestCpu } from './ingest-cpu';
import { glassToRoom } from './glass-to-room';
import { rssSlope } from './rss-slope';
import { restartRss } from './restart-rss';
import { paidCalls } from './paid-calls';
import { answerToExecution } from './answer-to-execution';
import { scaleFps } from './scale-fps';
import { scaleCurve } from './scale-curve';
import { eventToAlert } from './event-to-alert';
import { soak } from './soak';

const BENCHMARKS: Benchmark[] = [
	ingestCpu,
	glassToRoom,
	rssSlope,
	restartRss,
	paidCalls,
	answerToExecution,
	scaleFps,
	scaleCurve,
	eventToAlert,
	soak,
];

function parseArgs(argv: string[]) {
	const quick = argv.includes('--quick');
	const i = argv.indexOf('--only');
	const only = i >= 0 ? argv[i + 1] : undefined;
	const o = argv.indexOf('--out');
	const out = o >= 0 ? path.resolve(argv[o + 1]) : path.join(ROOT, 'bench', 'results.json');
	const m = argv.indexOf('--minutes');
	const minutes = m >= 0 ? Number(argv[m + 1]) : undefined;
	if (minutes !== undefined && !(minutes > 0))
		throw new Error(`--minutes ${argv[m + 1]}: a positive number of minutes`);
	return { quick, only, out, minutes };
}

async function runOne(
	bench: Benchmark,
	quick: boolean,
	minutes: number | undefined,
): Promise<Metric[]> {
	const cleanups: Array<() => Promise<void> | void> = [];
	const started = Date.now();
	const ctx: BenchContext = {
		quick,
		minutes,
		log: (msg) =>
			console.error(`[${bench.name} +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`),
		defer: (fn) => cleanups.push(fn),
	};
	const limit = bench.timeLimitMin;
	const limitMs =
		(typeof limit === 'function' ? limit(ctx) : quick ? (limit?.quick ?? 6) : (limit?.full ?? 25)) *
		60_000;
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			bench.run(ctx),
			new Promise<never>(
				(_, reject) =>
					(timer = setTimeout(
						() => reject(new Error(`took longer than ${limitMs / 60_000} min`)),
						limitMs,
					)),
			),
		]);
	} catch (error) {
		ctx.log(`failed: ${error?.stack ?? error}`);
		const reason = String(error?.message ?? error).split('\n')[0];
		return bench.keys.map((key) => ({
			key,
			measured: null,
			baseline: null,
			ratio: null,
			target: TARGETS[key],
			status: 'error' as const,
			note: reason,
		}));
	} finally {
		clearTimeout(timer);
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (error) {
				ctx.log(`cleanup failed: ${error}`);
			}
		}
		ctx.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
}

function readResults(file: string): Record<string, unknown> | undefined {
	try {
		const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
		return typeof data.metrics === 'object' && data.metrics !== null ? data : undefined;
	} catch {
		return undefined;
	}
}

/** The existing results with this partial run's metrics replaced; the partial run is listed in `merged_runs`. */
function mergeInto(
	existing: Record<string, unknown> | undefined,
	run: Record<string, unknown>,
	metrics: Metric[],
): Record<string, unknown> {
	if (!existing)
		return {
			...run,
			...Object.fromEntries(metrics.map((m) => [m.key, m.measured])),
			metrics: Object.fromEntries(metrics.map((m) => [m.key, m])),
		};
	const merged: Record<string, unknown> = {
		...existing,
		metrics: { ...(existing.metrics as Record<string, unknown>) },
	};
	for (const m of metrics) {
		merged[m.key] = m.measured;
		(merged.metrics as Record<string, unknown>)[m.key] = m;
	}
	merged.merged_runs = [...((existing.merged_runs as unknown[]) ?? []), run];
	return merged;
}

async function main(): Promise<number> {
	const { quick, only, out, minutes } = parseArgs(process.argv.slice(2));
	const selected = only
		? BENCHMARKS.filter((b) => b.name === only || b.keys.includes(only))
		: BENCHMARKS.filter((b) => !b.byHand);
	if (!selected.length)
		throw new Error(
			`--only ${only}: no such benchmark or key (${Object.keys(TARGETS).join(', ')})`,
		);
	const machine = machineInfo();
	const started = Date.now();
	const metrics: Metric[] = [];
	for (const bench of selected) {
		const got = await runOne(bench, quick, minutes);
		metrics.push(
			...(only && !bench.keys.includes(only)
				? got
				: got.filter((m) => !only || m.key === only || bench.name === only)),
		);
		console.error(table(got));
	}
	const run = {
		mode: quick ? 'quick' : 'full',
		only: only ?? null,
		machine: { ...machine, duration_s: Math.round((Date.now() - started) / 1000) },
	};
	// Every metric says which run measured it (`run_date`, `run_mode`), so a merged file stays readable.
	const stamped = metrics.map((m) => ({ ...m, run_mode: run.mode, run_date: machine.date }));
	// `--only` updates its keys in the existing file instead of dropping everyone else's.
	const results = only
		? mergeInto(readResults(out), run, stamped)
		: {
				...run,
				...Object.fromEntries(stamped.map((m) => [m.key, m.measured])),
				metrics: Object.fromEntries(stamped.map((m) => [m.key, m])),
			};
	writeResults(out, results);
	const heading = `${quick ? 'Quick' : 'Full'} run on ${machine.cpu_model}, ${machine.cores} cores, ${machine.memory_gb} GB, node ${machine.node}, ${machine.date}`;
	console.log(`\n${heading}\n`);
	console.log(table(metrics));
	// Only a full run of everything is "the latest table" the README shows.
	if (!quick && !only) updateReadme(path.join(ROOT, 'bench', 'README.md'), heading, table(metrics));
	console.log(`\nwrote ${path.relative(process.cwd(), out) || out}`);
	return metrics.some((m) => m.status === 'error') ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
