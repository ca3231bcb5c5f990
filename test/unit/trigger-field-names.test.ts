// The engine reports a bad value by the option's key and composes its message from the names the
// caller hands in: the trigger's errors name the trigger's fields, cross-field ones included,
// without rewriting the engine's words afterwards (the former FIELD_ALIASES string surgery).
import { InputError } from '../../nodes/Overshoot/api/errors';
import type { ParamReader } from '../../nodes/Overshoot/shared/param-reader';
import { readTriggerConfig, TRIGGER_FIELD_NAMES } from '../../nodes/Overshoot/trigger/parameters';
import {
	resolveWatcherOptions,
	type WatcherOptionsInput,
} from '../../nodes/Overshoot/watch/options';

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

function errorOf(input: WatcherOptionsInput, names = TRIGGER_FIELD_NAMES): InputError {
	try {
		resolveWatcherOptions(input, names);
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('engine errors name the trigger fields by key', () => {
	it('Ask At Least Every shorter than Ask Every names both trigger fields', () => {
		const config = readTriggerConfig(
			reader({
				...base,
				askEverySeconds: 10,
				options: { changeGating: true, askAtLeastEverySeconds: 5 },
			}),
			'm',
		);
		const error = errorOf(config.watcher);
		expect(error.key).toBe('maxSkipSeconds');
		expect(error.field).toBe('Ask At Least Every (Seconds)');
		expect(error.message).toBe(
			'Ask At Least Every (Seconds) (5) must not be shorter than Ask Every (Seconds) (10).',
		);
	});

	it('out-of-range engine options carry their key and the trigger name', () => {
		const input = {
			model: 'm',
			prompt: 'p',
			condition: { kind: 'yes' },
			intervalSeconds: 0,
		} as WatcherOptionsInput;
		expect(errorOf(input)).toMatchObject({
			key: 'intervalSeconds',
			field: 'Ask Every (Seconds)',
			message: 'Ask Every (Seconds) must be between 1 and 86400 (got 0).',
		});
		expect(
			errorOf({ ...input, intervalSeconds: 10, limits: { staleFrameSeconds: 0 } }),
		).toMatchObject({ key: 'staleFrameSeconds', field: 'Camera Frozen After (Seconds)' });
		// Without names (tests, benchmarks, other callers) the engine's own names stay.
		expect(errorOf(input, {})).toMatchObject({
			key: 'intervalSeconds',
			field: 'Interval (Seconds)',
		});
	});
});
