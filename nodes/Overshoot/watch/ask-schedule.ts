// Pure: when does "When the Picture Changes" ask next? The asker runs one question at a time, so
// "never while a question is in flight" holds by construction; this decides the moment after:
//   - a change the change gate saw asks `settleMs` after the changed frame reached us (so the
//     service's latest frame shows it: see SETTLE_MS), but never sooner than `minGapMs` after the
//     previous question was asked;
//   - a follow-up (a condition that needs more answers to decide: "Matches in a Row", or an open
//     incident waiting to clear) asks again after the minimum gap, picture changed or not;
//   - the heartbeat asks `heartbeatMs` after the previous question when nothing else did, so slow
//     changes and "still there?" conditions keep working;
//   - the first question is asked at once.

export type AskWhen = 'interval' | 'change';

export interface ChangeSchedule {
	/** Never ask sooner than this after the previous question was asked. */
	minGapMs: number;
	/** Ask at least this often. */
	heartbeatMs: number;
	/** Wait this long after the changed frame arrived before asking about it. */
	settleMs: number;
}

/**
 * Why the default settle is 100 ms: from the camera to a decoded frame at a LiveKit subscriber in
 * the room takes 31 ms (p50) / 35 ms (p95) (`glass_to_room` bench, bench/README.md) — our whole
 * publish path; Overshoot's ingest is such a subscriber, then stores the frame. 100 ms is ~3× the
 * p95 and leaves the 300 ms model answer inside the 600 ms alert budget. Asked at once instead,
 * the service still has the old picture (test/integration/watch-on-change.test.ts shows it does).
 */
export const SETTLE_MS = 100;

export interface ScheduleState {
	nowMs: number;
	/** When the previous question was asked; undefined before the first. */
	lastAskedAtMs?: number;
	/** When the first frame that differs from the last question's picture arrived, if any. */
	changedAtMs?: number;
	/** The condition needs another answer to decide (more matches in a row, or a clear). */
	followUp: boolean;
}

export interface ScheduleDecision {
	/** Epoch ms at which to ask; ≤ nowMs means now. */
	atMs: number;
	reason: 'first question' | 'picture changed' | 'follow-up' | 'heartbeat';
}

export function nextQuestion(schedule: ChangeSchedule, s: ScheduleState): ScheduleDecision {
	if (s.lastAskedAtMs === undefined) return { atMs: s.nowMs, reason: 'first question' };
	const gapEnd = s.lastAskedAtMs + schedule.minGapMs;
	const heartbeat: ScheduleDecision = {
		atMs: s.lastAskedAtMs + schedule.heartbeatMs,
		reason: 'heartbeat',
	};
	const candidates: ScheduleDecision[] = [heartbeat];
	if (s.changedAtMs !== undefined)
		candidates.push({
			atMs: Math.max(s.changedAtMs + schedule.settleMs, gapEnd),
			reason: 'picture changed',
		});
	if (s.followUp) candidates.push({ atMs: gapEnd, reason: 'follow-up' });
	// Earliest wins; on a tie the change names the reason (it is what the user wants to see).
	return candidates.reduce((best, c) =>
		c.atMs < best.atMs || (c.atMs === best.atMs && c.reason === 'picture changed') ? c : best,
	);
}
