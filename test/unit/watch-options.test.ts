import { InputError } from '../../nodes/Overshoot/api/errors';
import {
	resolveWatcherOptions,
	type WatcherOptionsInput,
} from '../../nodes/Overshoot/watch/options';

const base: WatcherOptionsInput = {
	model: 'm',
	prompt: 'Is the door open?',
	condition: { kind: 'yes' },
};
const fieldOf = (patch: Partial<WatcherOptionsInput> | Record<string, unknown>) => {
	try {
		resolveWatcherOptions({ ...base, ...(patch as object) } as WatcherOptionsInput);
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return (error as InputError).field;
	}
	throw new Error('did not throw');
};

test('fills defaults', () => {
	const o = resolveWatcherOptions(base);
	expect(o).toMatchObject({
		intervalSeconds: 10,
		media: { kind: 'latestFrame' },
		output: { kind: 'text' },
		fire: { mode: 'everyMatch', cooldownSeconds: 60, consecutive: 1 },
		changeGate: { enabled: false, sensitivity: 50, maxSkipSeconds: 300 },
		snapshot: { enabled: true, quality: 80 },
		onStreamLost: 'recreate',
		emitEveryAnswer: false,
	});
	expect(resolveWatcherOptions(o)).toEqual(o); // resolving twice changes nothing
});

test('parses a JSON schema given as text and clips the last seconds', () => {
	const o = resolveWatcherOptions({
		...base,
		output: { kind: 'jsonSchema', schema: '{"type":"object"}' as any },
		media: { kind: 'lastSeconds', seconds: 5, maxFps: 2 },
	});
	expect(o.output).toEqual({ kind: 'jsonSchema', schema: { type: 'object' }, name: 'answer' });
	expect(o.media).toEqual({ kind: 'lastSeconds', seconds: 5, maxFps: 2 });
});

test('errors name the field as the user sees it', () => {
	expect(fieldOf({ model: ' ' })).toBe('Model');
	expect(fieldOf({ prompt: '' })).toBe('Prompt');
	expect(fieldOf({ intervalSeconds: 0 })).toBe('Interval (Seconds)');
	expect(fieldOf({ intervalSeconds: 'often' })).toBe('Interval (Seconds)');
	expect(fieldOf({ media: { kind: 'lastSeconds', seconds: 0, maxFps: 1 } })).toBe(
		'Clip Length (Seconds)',
	);
	expect(fieldOf({ media: { kind: 'lastSeconds', seconds: 5, maxFps: 100 } })).toBe('Max FPS');
	expect(fieldOf({ output: { kind: 'jsonSchema', schema: '{nope' } })).toBe('JSON Schema');
	expect(fieldOf({ maxTokens: 1.5 })).toBe('Max Tokens');
	expect(fieldOf({ fire: { cooldownSeconds: -1 } })).toBe('Cooldown (Seconds)');
	expect(fieldOf({ fire: { consecutive: 0 } })).toBe('Matches in a Row');
	expect(fieldOf({ fire: { mode: 'sometimes' } })).toBe('Fire');
	expect(fieldOf({ changeGate: { sensitivity: 101 } })).toBe('Change Sensitivity');
	expect(fieldOf({ changeGate: { enabled: true, maxSkipSeconds: 5 } })).toBe(
		'Ask At Least Every (Seconds)',
	);
	expect(fieldOf({ snapshot: { quality: 0 } })).toBe('Snapshot Quality');
	expect(fieldOf({ condition: { kind: 'regex', pattern: '[' } })).toBe('Regular Expression');
	expect(fieldOf({ cameraSource: { type: 'rtsp', url: 'http://cam' } })).toBe('Camera URL');
	expect(fieldOf({ onStreamLost: 'panic' })).toBe('When the Stream Is Lost');
});
