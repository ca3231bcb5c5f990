// Pure: does this answer match what the user asked for, and should that fire the workflow?
// Two separate steps, so the emitted item can explain itself:
//   1. `compileCondition(spec).test(answer)` → matched + reason (no state except the previous answer)
//   2. `MatchGate.feed(matched)` → fired + reason (edge, N-in-a-row, cooldown from the last *emitted* event)
// Field names in errors are the ones the user sees in the node.

import { InputError } from '../api/errors';
import { parseModelJson } from '../api/json';

export type JsonOperator =
	| 'equals'
	| 'notEquals'
	| '>'
	| '>='
	| '<'
	| '<='
	| 'contains'
	| 'isTrue'
	| 'isFalse';

export type ConditionSpec =
	| { kind: 'contains'; value: string; caseSensitive?: boolean }
	| { kind: 'notContains'; value: string; caseSensitive?: boolean }
	/** Case-insensitive, trimmed, surrounding quotes and trailing punctuation ignored. */
	| { kind: 'equals'; value: string }
	| { kind: 'regex'; pattern: string; flags?: string }
	/** The answer starts with yes ("Yes.", "yes, there is…"). */
	| { kind: 'yes' }
	/** The answer starts with no ("No.", "No, nobody…"). */
	| { kind: 'no' }
	/** A field of the JSON answer, by dot path ("door.open", "items.0.label"). */
	| { kind: 'jsonField'; path: string; operator: JsonOperator; value?: string | number | boolean }
	/** The answer differs from the previous answer (normalised as for `equals`). */
	| { kind: 'changed' }
	/** Every answer matches. */
	| { kind: 'always' };

export type ConditionKind = ConditionSpec['kind'];

export interface ConditionResult {
	matched: boolean;
	/** Why, in words the user understands ("answer starts with yes"). */
	reason: string;
}

export interface ConditionInput {
	answer: string;
	/** The answer parsed as JSON, when the caller already did that. */
	json?: unknown;
	/** The previous answer, for `changed`. */
	previousAnswer?: string;
}

export interface Condition {
	readonly kind: ConditionKind;
	test(input: ConditionInput): ConditionResult;
}

const JSON_OPERATORS: JsonOperator[] = [
	'equals',
	'notEquals',
	'>',
	'>=',
	'<',
	'<=',
	'contains',
	'isTrue',
	'isFalse',
];

/** Lower case, trimmed, without surrounding quotes/markdown and trailing punctuation. */
export function normalizeAnswer(text: string): string {
	return text
		.trim()
		.replace(/^[\s"'`*_]+|[\s"'`*_]+$/g, '')
		.replace(/[\s.!?,;:]+$/u, '')
		.replace(/\s+/g, ' ')
		.toLowerCase();
}

const LEADING_WORD = /^[\s"'`*_([{>-]*(?:(?:final\s+)?answer\s*[:-]\s*[\s"'`*_]*)?([a-z]+)/i;
const YES_WORDS = new Set(['yes', 'yeah', 'yep', 'true', 'affirmative']);
const NO_WORDS = new Set(['no', 'nope', 'false', 'negative']);

/** 'yes' | 'no' when the answer *starts* with one (after quotes, markdown or an "Answer:" label). */
export function leadingYesNo(answer: string): 'yes' | 'no' | undefined {
	const word = LEADING_WORD.exec(answer)?.[1]?.toLowerCase();
	if (word === undefined) return undefined;
	if (YES_WORDS.has(word)) return 'yes';
	if (NO_WORDS.has(word)) return 'no';
	return undefined;
}

/** A model's JSON answer by the one rule of api/json.ts (`parseModelJson`); undefined when there is none. */
export function parseJsonAnswer(answer: string): unknown {
	const result = parseModelJson(answer);
	return result.ok ? result.value : undefined;
}

/** Reads "a.b.0.c" or "a.b[0].c" from a value; undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
	const steps = path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.map((s) => s.trim())
		.filter(Boolean);
	let current = value;
	for (const step of steps) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[step];
	}
	return current;
}

function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const n = Number(value.trim().replace(/,/g, ''));
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'string') {
		const v = normalizeAnswer(value);
		if (['true', 'yes', 'y', '1', 'on'].includes(v)) return true;
		if (['false', 'no', 'n', '0', 'off', ''].includes(v)) return false;
	}
	return undefined;
}

function show(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function looselyEqual(actual: unknown, expected: unknown): boolean {
	const a = toNumber(actual);
	const e = toNumber(expected);
	if (a !== undefined && e !== undefined) return a === e;
	if (typeof actual === 'boolean' || typeof expected === 'boolean') {
		const ab = toBoolean(actual);
		return ab !== undefined && ab === toBoolean(expected);
	}
	if (actual === null || actual === undefined)
		return expected === null || normalizeAnswer(String(expected)) === 'null';
	if (typeof actual === 'object') return JSON.stringify(actual) === String(expected);
	return normalizeAnswer(String(actual)) === normalizeAnswer(String(expected));
}

function compareJsonField(
	actual: unknown,
	operator: JsonOperator,
	expected: unknown,
	path: string,
): ConditionResult {
	const field = `field "${path}" (${show(actual)})`;
	switch (operator) {
		case 'equals':
		case 'notEquals': {
			const equal = looselyEqual(actual, expected);
			const matched = operator === 'equals' ? equal : !equal;
			return {
				matched,
				reason: `${field} ${equal ? 'equals' : 'does not equal'} ${show(expected)}`,
			};
		}
		case '>':
		case '>=':
		case '<':
		case '<=': {
			const a = toNumber(actual);
			const e = toNumber(expected);
			if (a === undefined) return { matched: false, reason: `${field} is not a number` };
			if (e === undefined)
				return { matched: false, reason: `comparison value ${show(expected)} is not a number` };
			const matched =
				operator === '>' ? a > e : operator === '>=' ? a >= e : operator === '<' ? a < e : a <= e;
			return { matched, reason: `${field} ${matched ? 'is' : 'is not'} ${operator} ${e}` };
		}
		case 'contains': {
			const needle = normalizeAnswer(String(expected ?? ''));
			const matched = Array.isArray(actual)
				? actual.some((item) => looselyEqual(item, expected))
				: typeof actual === 'string' && actual.toLowerCase().includes(needle);
			return {
				matched,
				reason: `${field} ${matched ? 'contains' : 'does not contain'} ${show(expected)}`,
			};
		}
		case 'isTrue':
		case 'isFalse': {
			const b = toBoolean(actual);
			if (b === undefined) return { matched: false, reason: `${field} is neither true nor false` };
			const matched = operator === 'isTrue' ? b : !b;
			return { matched, reason: `${field} is ${b}` };
		}
	}
}

function requireText(value: unknown, field: string): string {
	if (typeof value !== 'string' || value === '')
		throw new InputError(field, `${field} is empty: enter the text to look for.`);
	return value;
}

/** Validates the spec (InputError naming the field) and returns a ready-to-use condition. */
export function compileCondition(spec: ConditionSpec): Condition {
	switch (spec?.kind) {
		case 'contains':
		case 'notContains': {
			const value = requireText(spec.value, 'Text');
			const needle = spec.caseSensitive ? value : value.toLowerCase();
			const wantIt = spec.kind === 'contains';
			return {
				kind: spec.kind,
				test: ({ answer }) => {
					const hay = spec.caseSensitive ? answer : answer.toLowerCase();
					const found = hay.includes(needle);
					return {
						matched: found === wantIt,
						reason: `answer ${found ? 'contains' : 'does not contain'} "${value}"`,
					};
				},
			};
		}
		case 'equals': {
			const expected = normalizeAnswer(requireText(spec.value, 'Text'));
			return {
				kind: 'equals',
				test: ({ answer }) => {
					const matched = normalizeAnswer(answer) === expected;
					return {
						matched,
						reason: `answer ${matched ? 'equals' : 'does not equal'} "${spec.value}"`,
					};
				},
			};
		}
		case 'regex': {
			const pattern = requireText(spec.pattern, 'Regular Expression');
			let regex: RegExp;
			try {
				// 'g' and 'y' make test() stateful across answers: drop them.
				regex = new RegExp(pattern, (spec.flags ?? 'i').replace(/[gy]/g, ''));
			} catch (error) {
				const flagsBad = /flag/i.test((error as Error).message);
				throw new InputError(
					flagsBad ? 'Regular Expression Flags' : 'Regular Expression',
					`${flagsBad ? 'Regular Expression Flags' : 'Regular Expression'} is invalid: ${(error as Error).message}`,
				);
			}
			return {
				kind: 'regex',
				test: ({ answer }) => {
					const m = regex.exec(answer);
					return {
						matched: m !== null,
						reason: m
							? `answer matches /${pattern}/ at "${m[0].slice(0, 60)}"`
							: `answer does not match /${pattern}/`,
					};
				},
			};
		}
		case 'yes':
		case 'no': {
			const want = spec.kind;
			return {
				kind: want,
				test: ({ answer }) => {
					const got = leadingYesNo(answer);
					const reason = got
						? `answer starts with ${got}`
						: 'answer starts with neither yes nor no';
					return { matched: got === want, reason };
				},
			};
		}
		case 'jsonField': {
			const path = requireText(spec.path, 'JSON Field').trim();
			if (!JSON_OPERATORS.includes(spec.operator)) {
				throw new InputError(
					'Comparison',
					`Comparison must be one of ${JSON_OPERATORS.join(', ')} (got "${spec.operator}").`,
				);
			}
			const needsValue = spec.operator !== 'isTrue' && spec.operator !== 'isFalse';
			if (needsValue && (spec.value === undefined || spec.value === '')) {
				throw new InputError('Value', `Value is empty: enter what "${path}" is compared with.`);
			}
			if (['>', '>=', '<', '<='].includes(spec.operator) && toNumber(spec.value) === undefined) {
				throw new InputError(
					'Value',
					`Value must be a number for "${spec.operator}" (got ${show(spec.value)}).`,
				);
			}
			return {
				kind: 'jsonField',
				test: ({ answer, json }) => {
					const parsed = json !== undefined ? json : parseJsonAnswer(answer);
					if (parsed === undefined) return { matched: false, reason: 'answer is not JSON' };
					const actual = readPath(parsed, path);
					if (actual === undefined)
						return { matched: false, reason: `field "${path}" is missing from the answer` };
					return compareJsonField(actual, spec.operator, spec.value, path);
				},
			};
		}
		case 'changed':
			return {
				kind: 'changed',
				test: ({ answer, previousAnswer }) => {
					if (previousAnswer === undefined)
						return { matched: false, reason: 'first answer: nothing to compare with yet' };
					const matched = normalizeAnswer(answer) !== normalizeAnswer(previousAnswer);
					return {
						matched,
						reason: matched
							? `answer changed from "${previousAnswer.slice(0, 80)}"`
							: 'answer is unchanged',
					};
				},
			};
		case 'always':
			return { kind: 'always', test: () => ({ matched: true, reason: 'every answer is emitted' }) };
		default:
			throw new InputError(
				'Condition',
				`Unknown condition ${show((spec as { kind?: unknown })?.kind)}.`,
			);
	}
}

/** `incident`: "When It Starts and When It Clears" (incident.ts). */
export type FireMode = 'everyMatch' | 'onBecomingTrue' | 'incident';
export const FIRE_MODES: FireMode[] = ['everyMatch', 'onBecomingTrue', 'incident'];

export interface GateOptions {
	mode: FireMode;
	/** Quiet time after an emitted event, in seconds (0 = none). */
	cooldownSeconds: number;
	/** Matches in a row needed before the condition counts as true (1 = the first match). */
	consecutive: number;
	/** `incident`: answers in a row that do not match before the incident clears. */
	clearAfter: number;
}

export interface GateResult {
	fired: boolean;
	reason: string;
}

/**
 * Decides whether a stream of matched/not-matched answers fires events.
 * - `consecutive`: the condition counts as true only after N matches in a row.
 * - `onBecomingTrue`: fires once per false→true transition. The watcher starts "false", so a scene
 *   that is already true fires once at the start. A transition that happens during cooldown stays
 *   armed and fires when the cooldown ends if the condition is still true, so it is never lost.
 * - cooldown counts from the last *emitted* event, not from the last match.
 */
export class MatchGate {
	private streak = 0;
	private armed = true;
	private lastFiredAtMs: number | undefined;

	constructor(private readonly options: Omit<GateOptions, 'clearAfter'>) {}

	/** The next answer decides something: a streak towards "Matches in a Row" is under way. */
	get undecided(): boolean {
		return this.streak > 0 && this.streak < this.options.consecutive;
	}

	feed(matched: boolean, nowMs: number): GateResult {
		const { mode, cooldownSeconds, consecutive } = this.options;
		if (!matched) {
			this.streak = 0;
			this.armed = true;
			return { fired: false, reason: 'condition not met' };
		}
		this.streak++;
		if (this.streak < consecutive) {
			return { fired: false, reason: `matched ${this.streak} of ${consecutive} times in a row` };
		}
		if (mode === 'onBecomingTrue' && !this.armed) {
			return {
				fired: false,
				reason: 'still true: waiting for the condition to become false first',
			};
		}
		const cooldownMs = cooldownSeconds * 1000;
		if (this.lastFiredAtMs !== undefined && nowMs - this.lastFiredAtMs < cooldownMs) {
			const left = Math.ceil((cooldownMs - (nowMs - this.lastFiredAtMs)) / 1000);
			return { fired: false, reason: `cooling down: ${left} s left of ${cooldownSeconds} s` };
		}
		this.lastFiredAtMs = nowMs;
		this.armed = false;
		const why = mode === 'onBecomingTrue' ? 'condition became true' : 'condition met';
		return {
			fired: true,
			reason: consecutive > 1 ? `${why} (${consecutive} times in a row)` : why,
		};
	}
}
