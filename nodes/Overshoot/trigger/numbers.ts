// The trigger's own numeric parameters, one table per family (see shared/numbers.ts for the rule).
// Their ranges are the engine's (WATCHER_LIMITS), which checks them again.

import { HEARTBEAT_FIELD, WATCHER_DEFAULTS, WATCHER_LIMITS } from '../watch/options';
import type { NumberParam } from '../shared/numbers';

/** When to Ask. */
export const ASK_NUMBERS = {
	askEverySeconds: {
		key: 'askEverySeconds',
		displayName: 'Ask Every (Seconds)',
		default: 10,
		...WATCHER_LIMITS.intervalSeconds,
		description:
			'How often the question is asked. Each question is billed; a question still waiting for its answer is never asked twice.',
	},
	minGapSeconds: {
		key: 'minGapSeconds',
		displayName: 'Minimum Gap (Seconds)',
		default: 3,
		...WATCHER_LIMITS.minGapSeconds,
		precision: 1,
		description:
			'Never ask twice within this time, however busy the picture (a tree in the wind, a busy street). The upper limit of what a busy camera costs.',
	},
	heartbeatSeconds: {
		key: 'heartbeatSeconds',
		displayName: HEARTBEAT_FIELD,
		default: 60,
		...WATCHER_LIMITS.intervalSeconds,
		description:
			'Ask at least this often even when the picture does not change, so slow changes (dusk, a slowly filling bin) and "is it still there?" are not missed',
	},
	/** The engine's default (watch/options.ts WATCHER_DEFAULTS). */
	settleMs: {
		key: 'settleMs',
		displayName: 'Settle Delay (Milliseconds)',
		default: WATCHER_DEFAULTS.askWhen.settleMs,
		...WATCHER_LIMITS.settleMs,
		description:
			'With "When the Picture Changes": how long after the changed picture arrived the question is sent, so Overshoot already has that picture. Raise it if alerts describe the scene just before the change.',
	},
} satisfies Record<string, NumberParam>;

/** When to fire. */
export const FIRE_NUMBERS = {
	/** The editor now shows the upper limit the reader always had (one week). */
	cooldownSeconds: {
		key: 'cooldownSeconds',
		displayName: 'Cooldown (Seconds)',
		default: 60,
		...WATCHER_LIMITS.cooldownSeconds,
		description:
			'After the workflow started, wait at least this long before starting it again. 0 = no cooldown.',
	},
	matchesInARow: {
		key: 'matchesInARow',
		displayName: 'Matches in a Row',
		default: 1,
		...WATCHER_LIMITS.consecutive,
		description:
			'How many answers in a row must match before it counts. 2 or 3 filters out one-off mistakes of the model.',
	},
	clearAfterAnswers: {
		key: 'clearAfterAnswers',
		displayName: 'Clear After (Answers)',
		default: 2,
		...WATCHER_LIMITS.clearAfter,
		description:
			'How many answers in a row must not match before the incident counts as cleared. 2 keeps one wrong answer from closing it; with "When the Picture Changes" they are asked one Minimum Gap apart.',
	},
} satisfies Record<string, NumberParam>;

/** Change detection. */
export const CHANGE_NUMBERS = {
	changeSensitivity: {
		key: 'changeSensitivity',
		displayName: 'Change Sensitivity',
		default: 50,
		...WATCHER_LIMITS.sensitivity,
		description:
			'With "When the Picture Changes" or "Skip Questions While Nothing Changes": 100 reacts to any visible change, 50 to a person entering, 0 only to lights on/off',
	},
	/** The editor now shows the upper limit the reader always had (one day). */
	askAtLeastEverySeconds: {
		key: 'askAtLeastEverySeconds',
		displayName: 'Ask At Least Every (Seconds)',
		default: 300,
		...WATCHER_LIMITS.maxSkipSeconds,
		description:
			'With "Skip Questions While Nothing Changes": ask anyway after this long, so slow changes are not missed',
	},
} satisfies Record<string, NumberParam>;
