// One definition per numeric knob: the fields both nodes show and the readers come from the same
// row (shared/numbers.ts, trigger/numbers.ts). Where a reader accepted more than its field showed,
// it still does (saved workflows that ran keep running); beyond that, the error names the field.
import type { INodeProperties } from 'n8n-workflow';
import { InputError } from '../../nodes/Overshoot/api/errors';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';
import {
	checkNumber,
	QUESTION_NUMBERS,
	SOURCE_NUMBERS,
	VIDEO_NUMBERS,
	type NumberParam,
} from '../../nodes/Overshoot/shared/numbers';
import type { ParamReader } from '../../nodes/Overshoot/shared/param-reader';
import { ASK_NUMBERS, CHANGE_NUMBERS, FIRE_NUMBERS } from '../../nodes/Overshoot/trigger/numbers';
import { readTriggerConfig } from '../../nodes/Overshoot/trigger/parameters';
import { COMPLETE_NUMBERS, MEDIA_NUMBERS } from '../../nodes/Overshoot/actions/chat/numbers';
import { CHECK_NUMBERS } from '../../nodes/Overshoot/actions/check/numbers';
import {
	resolveWatcherOptions,
	type WatcherOptionsInput,
} from '../../nodes/Overshoot/watch/options';

const rows: NumberParam[] = [
	SOURCE_NUMBERS,
	VIDEO_NUMBERS,
	QUESTION_NUMBERS,
	ASK_NUMBERS,
	FIRE_NUMBERS,
	CHANGE_NUMBERS,
].flatMap((t) => Object.values(t));
const all = (props: INodeProperties[]): INodeProperties[] =>
	props.flatMap((p) => [
		p,
		...all((p.options ?? []).filter((o): o is INodeProperties => 'type' in o)),
	]);
const reader =
	(params: Record<string, unknown>): ParamReader =>
	(name, fallback) =>
		params[name] === undefined ? fallback : params[name];
const base = {
	source: 'videoFile',
	videoPath: '/tmp/x.mp4',
	prompt: 'Is anyone there?',
	condition: 'yes',
};

describe('numeric parameter tables', () => {
	it('every trigger field with a row is that row (limits, default, display name)', () => {
		const fields = all(new OvershootTrigger().description.properties).filter(
			(p) => p.type === 'number',
		);
		for (const row of rows) {
			const matching = fields.filter((f) => f.name === row.key);
			expect(matching.length).toBeGreaterThan(0);
			for (const f of matching) {
				expect(f).toMatchObject({
					displayName: row.displayName,
					default: row.default,
					typeOptions: { minValue: row.min },
				});
				expect(f.typeOptions?.maxValue).toBe(row.max);
			}
		}
	});

	it('Check → Run Once shows the same rows where it has the field', () => {
		const checkFields = all(
			new Overshoot().description.properties.filter(
				(p) => p.displayOptions?.show?.resource?.[0] === 'check',
			),
		).filter((p) => p.type === 'number');
		for (const f of checkFields) {
			const row = rows.find((r) => r.key === f.name);
			if (row) expect(f).toMatchObject({ displayName: row.displayName, default: row.default });
		}
		expect(checkFields.map((f) => f.name)).toEqual(
			expect.arrayContaining(['clipMaxFps', 'maxTokens', 'snapshotQuality', 'publishFps']),
		);
	});

	it('readers keep accepting what they accepted before the field limits were shown (saved workflows)', () => {
		const clip = (p: Record<string, unknown>) =>
			readTriggerConfig(reader({ ...base, lookAt: 'lastSeconds', ...p }), 'm').watcher.media;
		expect(clip({ clipMaxFps: 45, clipSeconds: 0.2 })).toEqual({
			kind: 'lastSeconds',
			seconds: 0.2,
			maxFps: 45,
		});
		expect(() => clip({ clipMaxFps: 61 })).toThrow(
			new InputError('Max FPS', 'Max FPS must be between 0.01 and 60 (got 61).'),
		);
		expect(
			readTriggerConfig(reader({ ...base, cooldownSeconds: 604_800 }), 'm').watcher.fire
				?.cooldownSeconds,
		).toBe(604_800);
	});
});

describe("the action node's numeric parameters", () => {
	const chatRows: NumberParam[] = [MEDIA_NUMBERS, COMPLETE_NUMBERS].flatMap((t) =>
		Object.values(t),
	);
	const actionRows = [...chatRows, ...Object.values(CHECK_NUMBERS), ...rows];
	// Every number field, also inside collections and fixed collections (Chat's media entries).
	const numbers = (props: unknown[]): INodeProperties[] =>
		props.flatMap((p) => {
			const prop = p as INodeProperties & { values?: unknown[] };
			const inner = [...(prop.options ?? []), ...(prop.values ?? [])];
			return [...(prop.type === 'number' ? [prop] : []), ...numbers(inner)];
		});

	it('every number field of every operation is a row (limits, default, display name)', () => {
		const fields = numbers(new Overshoot().description.properties);
		expect(fields.length).toBeGreaterThanOrEqual(chatRows.length + 2);
		for (const f of fields) {
			// Max Tokens has two rows (Chat's default and Check's): the field is one of them.
			const row = actionRows.find(
				(r) => r.key === f.name && r.displayName === f.displayName && r.default === f.default,
			);
			expect(row).toBeDefined();
			expect(f.description).toBe(row!.description);
			expect([f.typeOptions?.minValue, f.typeOptions?.maxValue]).toEqual([row!.min, row!.max]);
		}
	});

	it("Chat's clip knobs are the trigger's: same default, and the editor offers what the trigger's readers accept", () => {
		for (const [chat, trigger] of [
			[MEDIA_NUMBERS.seconds, QUESTION_NUMBERS.clipSeconds],
			[MEDIA_NUMBERS.maxFps, QUESTION_NUMBERS.clipMaxFps],
		]) {
			expect({ default: chat.default, min: chat.min, max: chat.max }).toEqual({
				default: trigger.default,
				...trigger.accepts,
			});
		}
		// Max Tokens: Chat's own default (saved workflows), the same lower limit, no upper one.
		expect([COMPLETE_NUMBERS.maxTokens.default, QUESTION_NUMBERS.maxTokens.default]).toEqual([
			256, 200,
		]);
		expect(COMPLETE_NUMBERS.maxTokens).toMatchObject({
			min: QUESTION_NUMBERS.maxTokens.min,
			max: undefined,
			whole: true,
		});
	});

	it("a whole-number row refuses fractions with integer's message; other rows take them", () => {
		expect(() => checkNumber(1.5, COMPLETE_NUMBERS.timeoutSeconds)).toThrow(
			new InputError('Timeout (Seconds)', 'Timeout (Seconds) must be a whole number (got 1.5).'),
		);
		expect(() => checkNumber(0, COMPLETE_NUMBERS.maxTokens)).toThrow(
			new InputError('Max Tokens', 'Max Tokens must be at least 1 (got 0).'),
		);
		expect(checkNumber(100_000, COMPLETE_NUMBERS.maxTokens)).toBe(100_000);
		expect(checkNumber(1.25, COMPLETE_NUMBERS.temperature)).toBe(1.25);
	});
});

describe("the engine's limits are the fields' limits", () => {
	it("resolveWatcherOptions takes every value the trigger's fields offer at both ends, and refuses just beyond", () => {
		const pairs: Array<[NumberParam, (v: number) => Partial<WatcherOptionsInput>]> = [
			[ASK_NUMBERS.askEverySeconds, (v) => ({ intervalSeconds: v })],
			[
				ASK_NUMBERS.minGapSeconds,
				(v) => ({ askWhen: { mode: 'change', minGapSeconds: v }, intervalSeconds: 86_400 }),
			],
			[ASK_NUMBERS.settleMs, (v) => ({ askWhen: { settleMs: v } })],
			[FIRE_NUMBERS.cooldownSeconds, (v) => ({ fire: { cooldownSeconds: v } })],
			[FIRE_NUMBERS.matchesInARow, (v) => ({ fire: { consecutive: v } })],
			[FIRE_NUMBERS.clearAfterAnswers, (v) => ({ fire: { clearAfter: v } })],
			[CHANGE_NUMBERS.changeSensitivity, (v) => ({ changeGate: { sensitivity: v } })],
			[CHANGE_NUMBERS.askAtLeastEverySeconds, (v) => ({ changeGate: { maxSkipSeconds: v } })],
			[QUESTION_NUMBERS.snapshotQuality, (v) => ({ snapshot: { quality: v } })],
			[QUESTION_NUMBERS.maxTokens, (v) => ({ maxTokens: v })],
			[
				CHECK_NUMBERS.firstFrameTimeoutSeconds,
				(v) => ({ limits: { firstFrameTimeoutSeconds: v } }),
			],
		];
		const resolve = (extra: Partial<WatcherOptionsInput>) =>
			resolveWatcherOptions({
				model: 'm',
				prompt: 'p',
				condition: { kind: 'yes' },
				...extra,
			} as WatcherOptionsInput);
		for (const [row, input] of pairs) {
			for (const v of [row.min!, row.max!]) expect(() => resolve(input(v))).not.toThrow();
			for (const v of [row.min! - 1, row.max! + 1])
				expect(() => resolve(input(v))).toThrow(InputError);
		}
	});
});
