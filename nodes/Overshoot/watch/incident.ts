// Pure: "When It Starts and When It Clears". Turns matched / not matched answers into incidents:
// one "started" when the condition has matched `consecutive` answers in a row, one "cleared" when
// it then failed to match `clearAfter` answers in a row. The clear carries how long the incident
// lasted and the last matching answer (its frame becomes the clear's snapshot: the picture of the
// incident, not of the empty scene). Ids: see eventIds.

import { createHash } from 'node:crypto';

export type IncidentState = 'started' | 'cleared';

export interface IncidentEvent<T> {
	state: IncidentState;
	id: string;
	/** When the answer that started the incident was answered. */
	startedAtMs: number;
	/** Cleared only: from the start's answer to the clearing answer. */
	durationMs?: number;
	/** Cleared only: the last answer that still matched. */
	lastMatch?: T;
}

export interface IncidentResult<T> {
	fired: boolean;
	reason: string;
	incident?: IncidentEvent<T>;
}

export interface IncidentOptions {
	/** Matches in a row before an incident starts. */
	consecutive: number;
	/** Answers in a row that do not match before it clears. */
	clearAfter: number;
}

/** Ids that are the same whenever the same event is delivered again (n8n retries the execution with the item). */
export function stableId(prefix: string, ...parts: Array<string | number>): string {
	return `${prefix}_${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24)}`;
}

export class IncidentGate<T> {
	private streak = 0;
	private misses = 0;
	private open: { id: string; startedAtMs: number; lastMatch: T } | undefined;

	constructor(private readonly options: IncidentOptions) {}

	/** The next answer decides something (a start or a clear is being confirmed). */
	get undecided(): boolean {
		return this.open ? this.misses > 0 : this.streak > 0;
	}

	get isOpen(): boolean {
		return this.open !== undefined;
	}

	/** `key` names the answer for the incident id (the stream and when it was asked). */
	feed(matched: boolean, answeredAtMs: number, answer: T, key: string): IncidentResult<T> {
		const { consecutive, clearAfter } = this.options;
		if (this.open) {
			if (matched) {
				this.misses = 0;
				this.open.lastMatch = answer;
				return { fired: false, reason: 'incident still going' };
			}
			if (++this.misses < clearAfter)
				return {
					fired: false,
					reason: `not matched ${this.misses} of ${clearAfter} times in a row before it clears`,
				};
			const { id, startedAtMs, lastMatch } = this.open;
			this.open = undefined;
			this.misses = 0;
			this.streak = 0;
			const durationMs = answeredAtMs - startedAtMs;
			return {
				fired: true,
				reason:
					clearAfter > 1
						? `incident cleared (${clearAfter} answers in a row did not match)`
						: 'incident cleared',
				incident: { state: 'cleared', id, startedAtMs, durationMs, lastMatch },
			};
		}
		if (!matched) {
			this.streak = 0;
			return { fired: false, reason: 'condition not met' };
		}
		if (++this.streak < consecutive)
			return { fired: false, reason: `matched ${this.streak} of ${consecutive} times in a row` };
		this.streak = 0;
		this.misses = 0;
		this.open = { id: stableId('inc', key), startedAtMs: answeredAtMs, lastMatch: answer };
		return {
			fired: true,
			reason:
				consecutive > 1 ? `incident started (${consecutive} matches in a row)` : 'incident started',
			incident: { state: 'started', id: this.open.id, startedAtMs: answeredAtMs },
		};
	}
}
