// What every benchmark returns, and the targets from the issue (never lowered here: a miss is reported).
import { incidentClearTargetMs } from './alert-scene';

export type Status = 'pass' | 'fail' | 'not run' | 'error';

export interface Target {
	op: '<=' | '>=';
	value: number;
	unit: string;
}

export const TARGETS: Record<string, Target> = {
	ingest_cpu_ratio: { op: '<=', value: 1.3, unit: 'x' },
	glass_to_room_p50_ms: { op: '<=', value: 100, unit: 'ms' },
	glass_to_room_p95_ms: { op: '<=', value: 250, unit: 'ms' },
	rss_slope_mb_per_min: { op: '<=', value: 0.5, unit: 'MB/min' },
	restart_rss_growth_mb: { op: '<=', value: 20, unit: 'MB' },
	answer_to_execution_p95_ms: { op: '<=', value: 100, unit: 'ms' },
	paid_calls_ratio: { op: '<=', value: 0.1, unit: 'x' },
	scale_min_fps: { op: '>=', value: 4.9, unit: 'fps' },
	scale16_min_fps: { op: '>=', value: 4.9, unit: 'fps' },
	scale_cpu_per_camera_ratio: { op: '<=', value: 1.25, unit: 'x' },
	// Reported with the curve, no target (issue 11): Infinity always passes and prints as "reported".
	scale16_rss_per_camera_mb: { op: '<=', value: Infinity, unit: 'MB' },
	event_to_alert_p50_ms: { op: '<=', value: 600, unit: 'ms' },
	event_to_alert_p95_ms: { op: '<=', value: 900, unit: 'ms' },
	event_to_alert_ratio: { op: '<=', value: 0.4, unit: 'x' },
	event_paid_calls_ratio: { op: '<=', value: 0.1, unit: 'x' },
	/** Change mode and the 1 s baseline together: both must be 0. */
	events_missed: { op: '<=', value: 0, unit: 'events' },
	incident_clear_p50_ms: { op: '<=', value: incidentClearTargetMs(), unit: 'ms' },
	/** One trigger for an hour, by hand (`--only soak`): growth of all its processes together. */
	soak_rss_mb_per_hour: { op: '<=', value: 5, unit: 'MB/h' },
};

export interface Metric {
	key: string;
	/** The figure the target applies to. */
	measured: number | null;
	/** The same quantity for the floor/reference measured in the same run. */
	baseline: number | null;
	/** measured / baseline, when both exist. */
	ratio: number | null;
	target: Target;
	status: Status;
	/** What the baseline is, in a few words. */
	baselineLabel?: string;
	/** Why it was not run, what failed, or what is worth knowing. */
	note?: string;
	/** Raw sample summaries, for results.json. */
	details?: Record<string, unknown>;
}

export interface BenchContext {
	quick: boolean;
	/** `--minutes N`: the measurement window of a benchmark that takes one (the soak). */
	minutes?: number;
	log(message: string): void;
	/** Registers teardown that runs even if the benchmark throws. */
	defer(cleanup: () => Promise<void> | void): void;
}

export interface Benchmark {
	name: string;
	keys: string[];
	/** The harness's safety limit in minutes when the default (quick 6, full 25) is too short for what it runs. */
	timeLimitMin?: { quick: number; full: number } | ((ctx: BenchContext) => number);
	/** Hours long: runs only when named with `--only`, never in the default or quick set. */
	byHand?: boolean;
	run(ctx: BenchContext): Promise<Metric[]>;
}

/** Builds a metric and judges it against its target. `measured` null means it could not be measured. */
export function metric(
	key: string,
	measured: number | null,
	baseline: number | null,
	extra: Partial<Pick<Metric, 'baselineLabel' | 'note' | 'details' | 'ratio'>> = {},
): Metric {
	const target = TARGETS[key];
	const ok = (v: number) => (target.op === '<=' ? v <= target.value : v >= target.value);
	const ratio =
		extra.ratio !== undefined
			? extra.ratio
			: measured !== null && baseline !== null && baseline !== 0
				? measured / baseline
				: null;
	const status: Status =
		measured === null || !Number.isFinite(measured) ? 'error' : ok(measured) ? 'pass' : 'fail';
	return { key, measured, baseline, target, status, ...extra, ratio };
}

export function notRun(key: string, reason: string): Metric {
	return {
		key,
		measured: null,
		baseline: null,
		ratio: null,
		target: TARGETS[key],
		status: 'not run',
		note: reason,
	};
}
