import { InputError } from '../../nodes/Overshoot/api/errors';
import {
	compileCondition,
	leadingYesNo,
	MatchGate,
	normalizeAnswer,
	parseJsonAnswer,
	readPath,
	type ConditionSpec,
} from '../../nodes/Overshoot/watch/condition';

const test1 = (spec: ConditionSpec, answer: string, previousAnswer?: string) =>
	compileCondition(spec).test({ answer, previousAnswer });
const matched = (spec: ConditionSpec, answer: string, previousAnswer?: string) =>
	test1(spec, answer, previousAnswer).matched;

describe('yes / no', () => {
	test.each([
		['Yes.', 'yes'],
		['yes', 'yes'],
		['YES!', 'yes'],
		['Yes, there is a red car.', 'yes'],
		['**Yes** — a person is at the door', 'yes'],
		['"Yes"', 'yes'],
		['Answer: yes', 'yes'],
		['Yeah, one person', 'yes'],
		['No.', 'no'],
		['No, nobody is there.', 'no'],
		['no', 'no'],
		['Nope', 'no'],
		['Nobody is there', undefined],
		['There is no car', undefined],
		['I think yes', undefined],
		['Not sure', undefined],
		['', undefined],
	])('%j → %s', (answer, expected) => {
		expect(leadingYesNo(answer)).toBe(expected);
	});

	test('yes matches only a leading yes, no only a leading no', () => {
		expect(matched({ kind: 'yes' }, 'Yes, the door is open')).toBe(true);
		expect(matched({ kind: 'yes' }, 'The answer is yes')).toBe(false);
		expect(matched({ kind: 'yes' }, 'No.')).toBe(false);
		expect(matched({ kind: 'no' }, 'No, nothing')).toBe(true);
		expect(matched({ kind: 'no' }, 'Nothing to report')).toBe(false);
		expect(test1({ kind: 'yes' }, 'Maybe').reason).toMatch(/neither yes nor no/);
	});
});

describe('text conditions', () => {
	test('contains / notContains, case-insensitive by default', () => {
		expect(matched({ kind: 'contains', value: 'Person' }, 'A person walks by')).toBe(true);
		expect(
			matched({ kind: 'contains', value: 'Person', caseSensitive: true }, 'A person walks by'),
		).toBe(false);
		expect(matched({ kind: 'notContains', value: 'person' }, 'An empty street')).toBe(true);
		expect(matched({ kind: 'notContains', value: 'person' }, 'A PERSON')).toBe(false);
	});

	test('equals ignores case, whitespace, quotes and trailing punctuation', () => {
		expect(matched({ kind: 'equals', value: 'open' }, '  Open.  ')).toBe(true);
		expect(matched({ kind: 'equals', value: 'Open!' }, '"open"')).toBe(true);
		expect(matched({ kind: 'equals', value: 'open' }, 'opened')).toBe(false);
		expect(normalizeAnswer(' Two  Cars!! ')).toBe('two cars');
	});

	test('regex with flags; g/y dropped so repeated tests are stable', () => {
		const c = compileCondition({ kind: 'regex', pattern: '\\b(\\d+) cars?\\b', flags: 'gi' });
		expect(c.test({ answer: '3 Cars parked' }).matched).toBe(true);
		expect(c.test({ answer: '3 Cars parked' }).matched).toBe(true);
		expect(matched({ kind: 'regex', pattern: 'CAR', flags: '' }, 'car')).toBe(false);
		expect(test1({ kind: 'regex', pattern: 'car' }, 'a car').reason).toMatch(/matches/);
	});

	test('invalid input names the field', () => {
		const fieldOf = (spec: unknown) => {
			try {
				compileCondition(spec as ConditionSpec);
			} catch (error) {
				expect(error).toBeInstanceOf(InputError);
				return (error as InputError).field;
			}
			throw new Error('did not throw');
		};
		expect(fieldOf({ kind: 'regex', pattern: '(' })).toBe('Regular Expression');
		expect(fieldOf({ kind: 'regex', pattern: 'a', flags: 'q' })).toBe('Regular Expression Flags');
		expect(fieldOf({ kind: 'contains', value: '' })).toBe('Text');
		expect(fieldOf({ kind: 'jsonField', path: '', operator: 'equals', value: 1 })).toBe(
			'JSON Field',
		);
		expect(fieldOf({ kind: 'jsonField', path: 'a', operator: 'near', value: 1 })).toBe(
			'Comparison',
		);
		expect(fieldOf({ kind: 'jsonField', path: 'a', operator: '>', value: 'many' })).toBe('Value');
		expect(fieldOf({ kind: 'jsonField', path: 'a', operator: 'equals' })).toBe('Value');
		expect(fieldOf({ kind: 'sometimes' })).toBe('Condition');
	});
});

describe('jsonField', () => {
	const j = (path: string, operator: any, value: any, answer: string) =>
		test1({ kind: 'jsonField', path, operator, value }, answer);

	test('parses plain, fenced and wrapped JSON; reads dot and bracket paths', () => {
		expect(parseJsonAnswer('{"a":1}')).toEqual({ a: 1 });
		expect(parseJsonAnswer('```json\n{"a": {"b": [1, 2]}}\n```')).toEqual({ a: { b: [1, 2] } });
		expect(parseJsonAnswer('Here you go: {"a": true} hope it helps')).toEqual({ a: true });
		expect(parseJsonAnswer('not json')).toBeUndefined();
		expect(readPath({ a: { b: [{ c: 5 }] } }, 'a.b.0.c')).toBe(5);
		expect(readPath({ a: { b: [{ c: 5 }] } }, 'a.b[0].c')).toBe(5);
		expect(readPath({ a: 1 }, 'a.b')).toBeUndefined();
	});

	test('comparisons parse numbers and booleans', () => {
		expect(j('count', '>', '2', '{"count": 3}').matched).toBe(true);
		expect(j('count', '>', 3, '{"count": "3"}').matched).toBe(false);
		expect(j('count', '>=', 3, '{"count": "3"}').matched).toBe(true);
		expect(j('count', '<', 1, '{"count": 0}').matched).toBe(true);
		expect(j('count', '<=', 0, '{"count": 1}').matched).toBe(false);
		expect(j('count', '>', 1, '{"count": "many"}').reason).toMatch(/not a number/);
		expect(j('door.state', 'equals', 'Open', '{"door": {"state": "open."}}').matched).toBe(true);
		expect(j('door.state', 'notEquals', 'open', '{"door": {"state": "closed"}}').matched).toBe(
			true,
		);
		expect(j('n', 'equals', '2', '{"n": 2.0}').matched).toBe(true);
		expect(j('ok', 'equals', true, '{"ok": "yes"}').matched).toBe(true);
		expect(j('labels', 'contains', 'car', '{"labels": ["Car", "tree"]}').matched).toBe(true);
		expect(j('text', 'contains', 'van', '{"text": "a white VAN"}').matched).toBe(true);
		expect(j('person', 'isTrue', undefined, '{"person": true}').matched).toBe(true);
		expect(j('person', 'isTrue', undefined, '{"person": "false"}').matched).toBe(false);
		expect(j('person', 'isFalse', undefined, '{"person": 0}').matched).toBe(true);
		expect(j('person', 'isTrue', undefined, '{"person": "maybe"}').reason).toMatch(
			/neither true nor false/,
		);
	});

	test('missing fields and non-JSON answers do not match, and say why', () => {
		expect(j('a', 'equals', 1, 'plain text')).toEqual({
			matched: false,
			reason: 'answer is not JSON',
		});
		expect(j('a.b', 'equals', 1, '{"a": {}}').reason).toMatch(/missing/);
	});

	test('uses the already-parsed json when given', () => {
		const c = compileCondition({ kind: 'jsonField', path: 'x', operator: 'equals', value: 2 });
		expect(c.test({ answer: 'ignored', json: { x: 2 } }).matched).toBe(true);
	});
});

test('changed and always', () => {
	expect(test1({ kind: 'changed' }, 'red').matched).toBe(false);
	expect(matched({ kind: 'changed' }, 'Red.', 'red')).toBe(false);
	expect(matched({ kind: 'changed' }, 'blue', 'red')).toBe(true);
	expect(matched({ kind: 'always' }, '')).toBe(true);
});

describe('MatchGate', () => {
	const run = (gate: MatchGate, steps: Array<[boolean, number]>) =>
		steps.map(([m, t]) => gate.feed(m, t * 1000).fired);

	test('everyMatch with cooldown counted from the last emitted event', () => {
		const gate = new MatchGate({ mode: 'everyMatch', cooldownSeconds: 10, consecutive: 1 });
		expect(
			run(gate, [
				[true, 0],
				[true, 5],
				[true, 9.9],
				[true, 10],
				[false, 12],
				[true, 15],
				[true, 21],
			]),
		).toEqual([true, false, false, true, false, false, true]);
		const r = new MatchGate({ mode: 'everyMatch', cooldownSeconds: 10, consecutive: 1 });
		r.feed(true, 0);
		expect(r.feed(true, 4000).reason).toMatch(/cooling down: 6 s left/);
	});

	test('onBecomingTrue fires on false→true edges only (a true start counts as an edge)', () => {
		const gate = new MatchGate({ mode: 'onBecomingTrue', cooldownSeconds: 0, consecutive: 1 });
		expect(
			run(gate, [
				[true, 0],
				[true, 1],
				[true, 2],
				[false, 3],
				[true, 4],
				[true, 5],
			]),
		).toEqual([true, false, false, false, true, false]);
	});

	test('an edge during cooldown stays armed and fires when the cooldown ends, if still true', () => {
		const gate = new MatchGate({ mode: 'onBecomingTrue', cooldownSeconds: 10, consecutive: 1 });
		expect(
			run(gate, [
				[true, 0],
				[false, 1],
				[true, 2],
				[true, 6],
				[true, 11],
				[true, 12],
			]),
		).toEqual([true, false, false, false, true, false]);
	});

	test('consecutive N matches in a row; a miss resets the streak', () => {
		const gate = new MatchGate({ mode: 'everyMatch', cooldownSeconds: 0, consecutive: 3 });
		expect(
			run(gate, [
				[true, 0],
				[true, 1],
				[false, 2],
				[true, 3],
				[true, 4],
				[true, 5],
				[true, 6],
			]),
		).toEqual([false, false, false, false, false, true, true]);
		const edge = new MatchGate({ mode: 'onBecomingTrue', cooldownSeconds: 0, consecutive: 2 });
		expect(
			run(edge, [
				[true, 0],
				[true, 1],
				[true, 2],
				[false, 3],
				[true, 4],
				[true, 5],
			]),
		).toEqual([false, true, false, false, false, true]);
		expect(
			new MatchGate({ mode: 'everyMatch', cooldownSeconds: 0, consecutive: 2 }).feed(true, 0)
				.reason,
		).toBe('matched 1 of 2 times in a row');
	});
});
