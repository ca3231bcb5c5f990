// Trigger parameters → engine options: defaults, every condition kind, and errors that name the
// field the user sees in the node.
import { InputError } from '../../nodes/Overshoot/api/errors';
import { resolveWatcherOptions } from '../../nodes/Overshoot/watch/options';
import type { ParamReader } from '../../nodes/Overshoot/shared/param-reader';
import { withLogin } from '../../nodes/Overshoot/shared/parameters';
import { readTriggerConfig } from '../../nodes/Overshoot/trigger/parameters';
import { toSourceOptions } from '../../nodes/Overshoot/shared/source';

/** A reader over plain parameters, falling back like getNodeParameter does. */
function reader(params: Record<string, unknown>): ParamReader {
	return (name, fallback) => (params[name] === undefined ? fallback : params[name]);
}

const base = {
	source: 'videoFile',
	videoPath: '/tmp/x.mp4',
	prompt: 'Is anyone there?',
	condition: 'yes',
};

function fieldOf(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof InputError) return error.field;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('readTriggerConfig', () => {
	it('maps the defaults to sensible engine options', () => {
		const config = readTriggerConfig(reader(base), 'model-a');
		expect(config.source).toEqual({ kind: 'videoFile', path: '/tmp/x.mp4', loop: true });
		expect(config.video).toEqual({
			width: 640,
			height: 360,
			fps: 5,
			stallSeconds: 10,
			maxDownSeconds: 300,
		});
		expect(config.oneRunAtATime).toBe(true);
		const w = resolveWatcherOptions(config.watcher);
		expect(w).toMatchObject({
			model: { kind: 'fixed', id: 'model-a' },
			prompt: 'Is anyone there?',
			media: { kind: 'latestFrame' },
			output: { kind: 'text' },
			intervalSeconds: 10,
			condition: { kind: 'yes' },
			fire: { mode: 'onBecomingTrue', cooldownSeconds: 60, consecutive: 1 },
			changeGate: { enabled: false, sensitivity: 50, maxSkipSeconds: 300 },
			emitEveryAnswer: false,
			snapshot: { enabled: true, quality: 80 },
		});
		expect(w.systemPrompt).toBeUndefined();
		expect(w.cameraSource).toBeUndefined();
	});

	it('maps every field that was set', () => {
		const config = readTriggerConfig(
			reader({
				...base,
				loop: false,
				lookAt: 'lastSeconds',
				clipSeconds: 4,
				clipMaxFps: 2,
				responseFormat: 'jsonObject',
				askEverySeconds: 3,
				condition: 'jsonField',
				jsonField: 'people.count',
				jsonOperator: '>=',
				jsonValue: '2',
				fire: 'everyMatch',
				cooldownSeconds: 0,
				matchesInARow: 3,
				emitEveryAnswer: true,
				options: {
					systemPrompt: 'Be brief.',
					maxTokens: 50,
					changeGating: true,
					changeSensitivity: 80,
					askAtLeastEverySeconds: 60,
					snapshot: false,
					snapshotQuality: 60,
					frozenAfterSeconds: 7,
					giveUpAfterMinutes: 2,
					publishWidth: 320,
					publishHeight: 180,
					publishFps: 2,
					oneRunAtATime: false,
				},
			}),
			'model-b',
		);
		expect(config.source).toEqual({ kind: 'videoFile', path: '/tmp/x.mp4', loop: false });
		expect(config.video).toEqual({
			width: 320,
			height: 180,
			fps: 2,
			stallSeconds: 7,
			maxDownSeconds: 120,
		});
		expect(config.oneRunAtATime).toBe(false);
		expect(resolveWatcherOptions(config.watcher)).toMatchObject({
			systemPrompt: 'Be brief.',
			maxTokens: 50,
			media: { kind: 'lastSeconds', seconds: 4, maxFps: 2 },
			output: { kind: 'jsonObject' },
			intervalSeconds: 3,
			condition: { kind: 'jsonField', path: 'people.count', operator: '>=', value: '2' },
			fire: { mode: 'everyMatch', cooldownSeconds: 0, consecutive: 3 },
			changeGate: { enabled: true, sensitivity: 80, maxSkipSeconds: 60 },
			emitEveryAnswer: true,
			snapshot: { enabled: false, quality: 60 },
			limits: { staleFrameSeconds: 7, sourceDownSeconds: 120, roomDownSeconds: 120 },
		});
	});

	it.each([
		[
			{ condition: 'contains', conditionText: 'Person' },
			{ kind: 'contains', value: 'Person', caseSensitive: false },
		],
		[
			{ condition: 'notContains', conditionText: 'x', caseSensitive: true },
			{ kind: 'notContains', value: 'x', caseSensitive: true },
		],
		[
			{ condition: 'equals', conditionText: 'open' },
			{ kind: 'equals', value: 'open' },
		],
		[
			{ condition: 'regex', conditionRegex: 'car|truck' },
			{ kind: 'regex', pattern: 'car|truck', flags: 'i' },
		],
		[
			{ condition: 'regex', conditionRegex: 'Car', caseSensitive: true },
			{ kind: 'regex', pattern: 'Car', flags: '' },
		],
		[{ condition: 'no' }, { kind: 'no' }],
		[{ condition: 'changed' }, { kind: 'changed' }],
		[
			{ condition: 'jsonField', jsonField: 'door', jsonOperator: 'isTrue', jsonValue: 'ignored' },
			{ kind: 'jsonField', path: 'door', operator: 'isTrue', value: undefined },
		],
	])('maps condition %j', (params, expected) => {
		const config = readTriggerConfig(reader({ ...base, ...params }), 'm');
		expect(config.watcher.condition).toEqual(expected);
		expect(() => resolveWatcherOptions(config.watcher)).not.toThrow();
	});

	it('fires on every answer for "Every Answer" whatever Fire says', () => {
		const config = readTriggerConfig(
			reader({ ...base, condition: 'always', fire: 'onBecomingTrue' }),
			'm',
		);
		expect(config.watcher.fire?.mode).toBe('everyMatch');
	});

	it('reads an RTSP camera with its login kept apart from the URL', () => {
		const config = readTriggerConfig(
			reader({ ...base, source: 'rtsp', cameraUrl: ' rtsp://10.0.0.5:554/s1 ' }),
			'm',
			{ username: 'admin', password: 'p@ss' },
		);
		expect(config.source).toEqual({
			kind: 'rtsp',
			url: 'rtsp://10.0.0.5:554/s1',
			login: { username: 'admin', password: 'p@ss' },
			reader: 'auto',
		});
	});

	it('reads the camera reader from the options and refuses an unknown one, naming the field', () => {
		const rtsp = { ...base, source: 'rtsp', cameraUrl: 'rtsp://10.0.0.5/s1' };
		for (const value of ['auto', 'gstreamer', 'ffmpeg'] as const) {
			expect(
				readTriggerConfig(reader({ ...rtsp, options: { cameraReader: value } }), 'm').source,
			).toMatchObject({ reader: value });
		}
		expect(
			fieldOf(() => readTriggerConfig(reader({ ...rtsp, options: { cameraReader: 'vlc' } }), 'm')),
		).toBe('Camera Reader');
		const sourceOptions = toSourceOptions(
			readTriggerConfig(reader({ ...rtsp, options: { cameraReader: 'ffmpeg' } }), 'm').source,
			readTriggerConfig(reader(rtsp), 'm').video,
		);
		expect(sourceOptions).toMatchObject({ kind: 'rtsp', reader: 'ffmpeg' });
	});

	it('puts the login into the URL only for a camera Overshoot pulls itself', () => {
		const config = readTriggerConfig(
			reader({ ...base, source: 'pulledCamera', pulledCameraUrl: 'rtsp://cam.example.com/live' }),
			'm',
			{ username: 'u', password: 'p/w@' },
		);
		expect(config.source).toEqual({ kind: 'pulledCamera' });
		expect(config.watcher.cameraSource).toEqual({
			type: 'rtsp',
			url: 'rtsp://u:p%2Fw%40@cam.example.com/live',
		});
		const hls = readTriggerConfig(
			reader({
				...base,
				source: 'pulledCamera',
				pulledCameraUrl: 'https://cdn.example.com/a.m3u8',
			}),
			'm',
		);
		expect(hls.watcher.cameraSource).toEqual({
			type: 'hls',
			url: 'https://cdn.example.com/a.m3u8',
		});
	});

	it('reads image files', () => {
		const config = readTriggerConfig(
			reader({
				...base,
				source: 'imageFiles',
				imagePath: '/data/*.jpg',
				imagesPerSecond: 2,
				loop: false,
			}),
			'm',
		);
		expect(config.source).toEqual({
			kind: 'imageFiles',
			pattern: '/data/*.jpg',
			imagesPerSecond: 2,
			loop: false,
		});
	});

	it.each([
		[{ source: 'rtsp', cameraUrl: 'rtsp://admin:secret@10.0.0.5/s1' }, 'Camera URL'],
		[{ source: 'rtsp', cameraUrl: 'http://10.0.0.5/s1' }, 'Camera URL'],
		[{ source: 'rtsp', cameraUrl: '' }, 'Camera URL'],
		[{ source: 'pulledCamera', pulledCameraUrl: 'ftp://x/y' }, 'Camera URL'],
		[{ source: 'videoFile', videoPath: '  ' }, 'Video File Path'],
		[{ source: 'imageFiles', imagePath: '' }, 'Images Folder or Pattern'],
		[{ source: 'imageFiles', imagePath: '/x', imagesPerSecond: 0 }, 'Images per Second'],
		[{ askEverySeconds: 0 }, 'Ask Every (Seconds)'],
		[{ cooldownSeconds: -1 }, 'Cooldown (Seconds)'],
		[{ options: { publishWidth: 10 } }, 'Video Width'],
		[{ options: { giveUpAfterMinutes: 0 } }, 'Give Up After Camera Down (Minutes)'],
		[{ responseFormat: 'jsonSchema', jsonSchema: '{nope' }, 'JSON Schema'],
		[{ condition: 'bogus' }, 'Condition'],
	])('rejects %j naming "%s"', (params, field) => {
		expect(
			fieldOf(() =>
				resolveWatcherOptions(readTriggerConfig(reader({ ...base, ...params }), 'm').watcher),
			),
		).toBe(field);
	});

	it.each([
		[{ prompt: '' }, 'Prompt'],
		[{ condition: 'contains', conditionText: '' }, 'Text'],
		[{ condition: 'regex', conditionRegex: '(' }, 'Regular Expression'],
		[{ condition: 'jsonField', jsonField: '' }, 'JSON Field'],
		[{ condition: 'jsonField', jsonField: 'n', jsonOperator: '>', jsonValue: 'many' }, 'Value'],
		[{ lookAt: 'lastSeconds', clipSeconds: 0 }, 'Clip Length (Seconds)'],
		[
			{ options: { changeGating: true, askAtLeastEverySeconds: 2 }, askEverySeconds: 10 },
			'Ask At Least Every (Seconds)',
		],
	])('engine validation of %j names "%s"', (params, field) => {
		expect(
			fieldOf(() =>
				resolveWatcherOptions(readTriggerConfig(reader({ ...base, ...params }), 'm').watcher),
			),
		).toBe(field);
	});

	it('never echoes a password from a rejected URL', () => {
		try {
			readTriggerConfig(
				reader({ ...base, source: 'rtsp', cameraUrl: 'rtsp://admin:hunter22@10.0.0.5/s1' }),
				'm',
			);
		} catch (error) {
			expect((error as Error).message).not.toContain('hunter22');
			return;
		}
		throw new Error('expected a rejection');
	});
});

describe('withLogin', () => {
	it('leaves a URL alone without a login', () => {
		expect(withLogin('rtsp://h/x', {})).toBe('rtsp://h/x');
	});
});

describe('When to Ask, incidents and node versions', () => {
	it('a saved version-1 node without the new parameters asks on the clock, exactly as before', () => {
		const w = resolveWatcherOptions(readTriggerConfig(reader(base), 'm', {}, 1).watcher);
		expect(w.askWhen.mode).toBe('interval');
		expect(w.intervalSeconds).toBe(10);
		expect(w.fire).toMatchObject({ mode: 'onBecomingTrue', cooldownSeconds: 60 });
	});

	it('a new (version 2) node asks when the picture changes: minimum gap, heartbeat, settle delay', () => {
		const w = resolveWatcherOptions(readTriggerConfig(reader(base), 'm', {}, 2).watcher);
		expect(w.askWhen).toEqual({ mode: 'change', minGapSeconds: 3, settleMs: 100 });
		expect(w.intervalSeconds).toBe(60); // the heartbeat
		const set = resolveWatcherOptions(
			readTriggerConfig(
				reader({
					...base,
					askWhen: 'change',
					minGapSeconds: 1.5,
					heartbeatSeconds: 30,
					options: { settleMs: 80 },
				}),
				'm',
			).watcher,
		);
		expect(set.askWhen).toEqual({ mode: 'change', minGapSeconds: 1.5, settleMs: 80 });
		expect(set.intervalSeconds).toBe(30);
	});

	it('a camera Overshoot pulls itself is always asked on the clock', () => {
		const config = readTriggerConfig(
			reader({ ...base, source: 'pulledCamera', pulledCameraUrl: 'rtsp://cam.example.com/live' }),
			'm',
			{},
			2,
		);
		expect(config.watcher.askWhen).toEqual({ mode: 'interval' });
	});

	it('"When It Starts and When It Clears" reads Clear After and no cooldown', () => {
		const w = resolveWatcherOptions(
			readTriggerConfig(
				reader({ ...base, fire: 'incident', clearAfterAnswers: 3, cooldownSeconds: 600 }),
				'm',
			).watcher,
		);
		expect(w.fire).toEqual({ mode: 'incident', cooldownSeconds: 0, consecutive: 1, clearAfter: 3 });
	});

	it.each([
		[{ askWhen: 'change', minGapSeconds: 0 }, 'Minimum Gap (Seconds)'],
		[{ askWhen: 'change', minGapSeconds: 90, heartbeatSeconds: 60 }, 'Minimum Gap (Seconds)'],
		[{ askWhen: 'change', heartbeatSeconds: 0 }, 'Ask Anyway Every (Seconds)'],
		[{ askWhen: 'change', options: { settleMs: -1 } }, 'Settle Delay (Milliseconds)'],
		[{ fire: 'incident', clearAfterAnswers: 0 }, 'Clear After (Answers)'],
		[{ askWhen: 'sometimes' }, 'When to Ask'],
	])('validation of %j names "%s"', (params, field) => {
		expect(
			fieldOf(() =>
				resolveWatcherOptions(readTriggerConfig(reader({ ...base, ...params }), 'm').watcher),
			),
		).toBe(field);
	});
});
