// One definition per numeric knob: the fields both nodes show and the readers come from the same
// row (shared/numbers.ts, trigger/numbers.ts). Where a reader accepted more than its field showed,
// it still does (saved workflows that ran keep running); beyond that, the error names the field.
import type { INodeProperties } from 'n8n-workflow';
import { InputError } from '../../nodes/Overshoot/api/errors';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';
import { QUESTION_NUMBERS, SOURCE_NUMBERS, VIDEO_NUMBERS, type NumberParam } from '../../nodes/Overshoot/shared/numbers';
import type { ParamReader } from '../../nodes/Overshoot/shared/param-reader';
import { ASK_NUMBERS, CHANGE_NUMBERS, FIRE_NUMBERS } from '../../nodes/Overshoot/trigger/numbers';
import { readTriggerConfig } from '../../nodes/Overshoot/trigger/parameters';

const rows: NumberParam[] = [SOURCE_NUMBERS, VIDEO_NUMBERS, QUESTION_NUMBERS, ASK_NUMBERS, FIRE_NUMBERS, CHANGE_NUMBERS].flatMap((t) => Object.values(t));
const all = (props: INodeProperties[]): INodeProperties[] => props.flatMap((p) => [p, ...all((p.options ?? []).filter((o): o is INodeProperties => 'type' in o))]);
const reader = (params: Record<string, unknown>): ParamReader => (name, fallback) => (params[name] === undefined ? fallback : params[name]);
const base = { source: 'videoFile', videoPath: '/tmp/x.mp4', prompt: 'Is anyone there?', condition: 'yes' };

describe('numeric parameter tables', () => {
	it('every trigger field with a row is that row (limits, default, display name)', () => {
		const fields = all(new OvershootTrigger().description.properties).filter((p) => p.type === 'number');
		for (const row of rows) {
			const matching = fields.filter((f) => f.name === row.key);
			expect(matching.length).toBeGreaterThan(0);
			for (const f of matching) {
				expect(f).toMatchObject({ displayName: row.displayName, default: row.default, typeOptions: { minValue: row.min } });
				expect(f.typeOptions?.maxValue).toBe(row.max);
			}
		}
	});

	it('Check → Run Once shows the same rows where it has the field', () => {
		const checkFields = all(new Overshoot().description.properties.filter((p) => p.displayOptions?.show?.resource?.[0] === 'check')).filter((p) => p.type === 'number');
		for (const f of checkFields) {
			const row = rows.find((r) => r.key === f.name);
			if (row) expect(f).toMatchObject({ displayName: row.displayName, default: row.default });
		}
		expect(checkFields.map((f) => f.name)).toEqual(expect.arrayContaining(['clipMaxFps', 'maxTokens', 'snapshotQuality', 'publishFps']));
	});

	it('readers keep accepting what they accepted before the field limits were shown (saved workflows)', () => {
		const clip = (p: Record<string, unknown>) => readTriggerConfig(reader({ ...base, lookAt: 'lastSeconds', ...p }), 'm').watcher.media;
		expect(clip({ clipMaxFps: 45, clipSeconds: 0.2 })).toEqual({ kind: 'lastSeconds', seconds: 0.2, maxFps: 45 });
		expect(() => clip({ clipMaxFps: 61 })).toThrow(new InputError('Max FPS', 'Max FPS must be between 0.01 and 60 (got 61).'));
		expect(readTriggerConfig(reader({ ...base, cooldownSeconds: 604_800 }), 'm').watcher.fire?.cooldownSeconds).toBe(604_800);
	});
});
