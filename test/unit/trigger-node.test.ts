// The trigger node without real servers: its description, parameter errors that name the field,
// secrets kept out of errors, and the emit/close rules (manual vs active) with a stand-in watcher.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';
import { InputError, OvershootApiError } from '../../nodes/Overshoot/api/errors';
import { runsOnQueueWorker, WORKER_TEST_HINT } from '../../nodes/Overshoot/trigger/queue-worker';
import { CHANGE_MODE_DEFAULTS } from '../../nodes/Overshoot/trigger/fields/condition';
import { TriggerRun } from '../../nodes/Overshoot/trigger/run';
import { WATCHER_DEFAULTS } from '../../nodes/Overshoot/watch/options';
import type { Watcher, WatchEvent } from '../../nodes/Overshoot/watch/watcher';
import { WatcherStoppedError } from '../../nodes/Overshoot/watch/watcher';
import { silentLogger } from '../../nodes/Overshoot/watch/logger';
import { fakeTrigger, runTrigger } from './helpers/fake-trigger';

const dir = mkdtempSync(path.join(tmpdir(), 'ovs-trig-'));
const allowed = path.join(dir, 'allowed');
mkdirSync(allowed);
writeFileSync(path.join(allowed, 'clip.mp4'), 'not really a video');
const env = { ...process.env };
beforeAll(() => (process.env.N8N_RESTRICT_FILE_ACCESS_TO = allowed));
afterAll(() => {
	process.env = env;
	rmSync(dir, { recursive: true, force: true });
});

const credentials = { apiKey: 'ovs-unit-secret-key', baseUrl: 'http://127.0.0.1:9/v1' };
const params = (patch: IDataObject = {}): IDataObject => ({
	source: 'videoFile',
	videoPath: path.join(allowed, 'clip.mp4'),
	model: { mode: 'list', value: 'google/gemma-4-26B-A4B-it' },
	prompt: 'Is anyone there?',
	...patch,
});

async function triggerError(
	p: IDataObject,
	extra: Partial<Parameters<typeof fakeTrigger>[0]> = {},
): Promise<NodeOperationError> {
	const fake = fakeTrigger({ params: p, credentials, ...extra });
	try {
		await runTrigger(fake);
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected trigger() to fail');
}

describe('description', () => {
	const d = new OvershootTrigger().description;
	it('is a trigger with the two credentials, the camera one only for cameras', () => {
		expect(d).toMatchObject({
			name: 'overshootTrigger',
			displayName: 'Overshoot Trigger',
			group: ['trigger'],
			inputs: [],
		});
		expect(d.credentials).toEqual([
			{ name: 'overshootApi', required: true, testedBy: 'overshootApiTest' },
			{
				name: 'overshootCameraApi',
				required: false,
				testedBy: 'overshootCameraApiTest',
				displayOptions: { show: { source: ['rtsp', 'pulledCamera'] } },
			},
		]);
	});

	it('describes every field', () => {
		const all = (props: INodeProperties[]): INodeProperties[] =>
			props.flatMap((p) => [
				p,
				...all((p.options ?? []).filter((o): o is INodeProperties => 'type' in o)),
			]);
		for (const p of all(d.properties)) {
			if (p.type === 'collection' || p.name === 'conditionText') continue;
			expect([
				p.name,
				Boolean(p.description || p.options?.some((o) => 'description' in o && o.description)),
			]).toEqual([p.name, true]);
		}
	});

	it('has a version per row of the defaults table; When to Ask defaults by version (1: clock, 2: on change)', () => {
		expect(d.version).toEqual([1, 1.1, 2]);
		expect(d.defaultVersion).toBe(2);
		const askWhen = d.properties.filter((p) => p.name === 'askWhen');
		expect(askWhen.map((p) => [p.default, p.displayOptions?.show?.['@version']])).toEqual([
			['interval', [1, 1.1]],
			['change', [2]],
		]);
	});

	it('the change-mode fields show the defaults the engine and the parameter reader use', () => {
		const field = (name: string) =>
			d.properties.find((p) => p.name === name) ??
			(d.properties.find((p) => p.name === 'options')!.options as INodeProperties[]).find(
				(o) => o.name === name,
			)!;
		expect(field('minGapSeconds').default).toBe(CHANGE_MODE_DEFAULTS.minGapSeconds);
		expect(CHANGE_MODE_DEFAULTS.minGapSeconds).toBe(WATCHER_DEFAULTS.askWhen.minGapSeconds);
		expect(field('heartbeatSeconds').default).toBe(CHANGE_MODE_DEFAULTS.heartbeatSeconds);
		expect(field('settleMs').default).toBe(WATCHER_DEFAULTS.askWhen.settleMs);
		expect(field('clearAfterAnswers').default).toBe(WATCHER_DEFAULTS.fire.clearAfter);
	});

	it('has unique parameter names among fields shown together', () => {
		const names = d.properties.filter((p) => !p.displayOptions).map((p) => p.name);
		expect(new Set(names).size).toBe(names.length);
	});
});

describe('trigger() refuses bad settings before connecting, naming the field', () => {
	it.each([
		[{ prompt: '' }, 'Prompt'],
		[{ model: { mode: 'list', value: '' } }, 'Model'],
		[{ askEverySeconds: 0 }, 'Ask Every (Seconds)'],
		[{ condition: 'contains', conditionText: '' }, 'Text'],
		[{ options: { publishWidth: 641 } }, 'Video Width'],
		[{ videoPath: path.join(allowed, 'missing.mp4') }, 'Video File Path'],
		[{ videoPath: path.join(dir, 'elsewhere.mp4') }, 'Video File Path'],
		[
			{ source: 'imageFiles', imagePath: path.join(allowed, 'nope', '*.jpg') },
			'Images Folder or Pattern',
		],
		[{ source: 'rtsp', cameraUrl: 'rtsp://admin:pw@10.0.0.5/live' }, 'Camera URL'],
	])('%j → "%s"', async (patch, field) => {
		const error = await triggerError(params(patch));
		expect(error.description).toContain(`"${field}"`);
	});

	it('says where n8n may read files when a path is blocked', async () => {
		const error = await triggerError(params({ videoPath: path.join(dir, 'elsewhere.mp4') }));
		expect(error.message).toContain('not allowed');
		expect(error.message).toContain(allowed);
	});

	it('says a missing file does not exist', async () => {
		const error = await triggerError(params({ videoPath: path.join(allowed, 'missing.mp4') }));
		expect(error.message).toMatch(/no file .*missing\.mp4/);
	});

	it('never shows the camera password in an error', async () => {
		const error = await triggerError(
			params({ source: 'rtsp', cameraUrl: 'rtsp://admin:hunter22@10.0.0.5/live' }),
		);
		expect(`${error.message} ${error.description}`).not.toContain('hunter22');
	});
});

/** A watcher stand-in: start resolves (or not), stop counts calls. */
function fakeWatcher(start: () => Promise<void> = async () => undefined) {
	const w = {
		starts: 0,
		stops: 0,
		start: async () => (w.starts++, start()),
		stop: jest.fn(async () => void w.stops++),
	};
	return w;
}

const event = (fired = true, patch: Partial<WatchEvent> = {}): WatchEvent => ({
	answer: 'Yes',
	condition: { kind: 'yes', matched: fired, reason: 'r' },
	fire: { fired, reason: 'f' },
	streamId: 's',
	model: 'm',
	question: {
		askedAtMs: 1,
		answeredAtMs: 2,
		media: 'ovs://streams/s?frame_index=-1',
		latencyMs: 1,
	},
	eventId: 'evt_1',
	...patch,
});

function run(
	mode: 'manual' | 'trigger',
	settings: Partial<ConstructorParameters<typeof TriggerRun>[1]> = {},
	runMs?: number,
) {
	const fake = fakeTrigger({ params: params(), credentials, mode, runMs });
	const r = new TriggerRun(fake.ctx, {
		manual: mode === 'manual',
		emitEveryAnswer: false,
		oneRunAtATime: true,
		secrets: ['ovs-unit-secret-key'],
		logger: silentLogger,
		...settings,
	});
	const watcher = fakeWatcher();
	r.attach(watcher as unknown as Watcher);
	return { fake, r, watcher, cb: r.callbacks() };
}

describe('TriggerRun', () => {
	it('manual mode emits the first match only', async () => {
		const { fake, cb } = run('manual');
		await cb.onMatch(event());
		await cb.onMatch(event());
		expect(fake.emitted).toHaveLength(1);
		expect(fake.emitted[0].hadDonePromise).toBe(false);
	});

	it('"Emit Every Answer" emits answers (not matches), including non-matching ones', async () => {
		const { fake, cb } = run('trigger', { emitEveryAnswer: true, oneRunAtATime: false });
		await cb.onAnswer(event(false));
		await cb.onMatch(event(true));
		await cb.onAnswer(event(true));
		expect(fake.emitted.map((e) => e.items[0].json.event)).toEqual(['answer', 'match']);
	});

	it('"One Run at a Time" skips matches while a run is going, then emits again', async () => {
		const { fake, cb } = run('trigger', {}, 100);
		await cb.onMatch(event());
		await cb.onMatch(event());
		expect(fake.emitted).toHaveLength(1);
		expect(fake.emitted[0].hadDonePromise).toBe(true);
		await new Promise((r) => setTimeout(r, 150));
		await cb.onMatch(event());
		expect(fake.emitted).toHaveLength(2);
	});

	it('"One Run at a Time" never drops an incident start or clear (a lost clear would leave a ticket open)', async () => {
		const { fake, cb } = run('trigger', {}, 1000);
		await cb.onMatch(
			event(true, {
				eventId: 'evt_s',
				incident: { state: 'started', id: 'inc_1', startedAtMs: 2 },
			}),
		);
		await cb.onMatch(
			event(true, {
				eventId: 'evt_c',
				incident: { state: 'cleared', id: 'inc_1', startedAtMs: 2, durationMs: 500 },
			}),
		);
		expect(fake.emitted.map((e) => e.items[0].json.event_id)).toEqual(['evt_s', 'evt_c']);
		expect(fake.emitted.map((e) => e.items[0].json.incident_id)).toEqual(['inc_1', 'inc_1']);
	});

	it('emits every match without waiting when "One Run at a Time" is off', async () => {
		const { fake, cb } = run('trigger', { oneRunAtATime: false }, 1000);
		await cb.onMatch(event());
		await cb.onMatch(event());
		expect(fake.emitted.map((e) => e.hadDonePromise)).toEqual([false, false]);
	});

	it('a fatal error stops the watcher and reaches emitError without secrets', async () => {
		const { fake, cb, watcher } = run('trigger');
		cb.onFatal(new Error('refused: key ovs-unit-secret-key, camera rtsp://u:pw123@h/x'));
		expect(fake.errors).toHaveLength(1);
		expect(fake.errors[0]).toBeInstanceOf(NodeOperationError);
		expect(fake.errors[0].message).not.toContain('ovs-unit-secret-key');
		expect(fake.errors[0].message).not.toContain('pw123');
		expect(watcher.stop).toHaveBeenCalled();
	});

	it('close is idempotent, waits for stop, and silences later events', async () => {
		const { fake, r, cb, watcher } = run('trigger');
		await Promise.all([r.close(), r.close()]);
		await r.close();
		expect(watcher.stops).toBe(1);
		await cb.onMatch(event());
		cb.onFatal(new Error('late'));
		expect(fake.emitted).toHaveLength(0);
		expect(fake.errors).toHaveLength(0);
	});

	it('a close during start is not an error', async () => {
		const fake = fakeTrigger({ params: params(), credentials, mode: 'manual' });
		const r = new TriggerRun(fake.ctx, {
			manual: true,
			emitEveryAnswer: false,
			oneRunAtATime: true,
			secrets: [],
			logger: silentLogger,
		});
		let release!: () => void;
		const watcher = fakeWatcher(
			() => new Promise((_, reject) => (release = () => reject(new WatcherStoppedError()))),
		);
		r.attach(watcher as unknown as Watcher);
		const starting = r.start();
		const closing = r.close();
		release();
		await expect(starting).resolves.toBeUndefined();
		await closing;
	});

	it('a start failure tears down and throws a clear node error', async () => {
		const fake = fakeTrigger({ params: params(), credentials });
		const r = new TriggerRun(fake.ctx, {
			manual: false,
			emitEveryAnswer: false,
			oneRunAtATime: true,
			secrets: [],
			logger: silentLogger,
		});
		const watcher = fakeWatcher(async () => {
			throw new Error('Cannot open the video');
		});
		r.attach(watcher as unknown as Watcher);
		await expect(r.start()).rejects.toThrow('Cannot open the video');
		expect(watcher.stop).toHaveBeenCalled();
	});

	it('manual mode: a video that ends without a match ends the test run with a clear error', async () => {
		jest.useFakeTimers();
		try {
			const { fake, cb } = run('manual');
			cb.onStatus({ component: 'source', kind: 'ended', message: 'The video ended', atMs: 0 });
			jest.advanceTimersByTime(25_000);
			expect(fake.errors[0]?.message).toContain('Loop is off');
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('a test listen offloaded to a queue-mode worker', () => {
	it('knows it runs in `n8n worker`', () => {
		expect(runsOnQueueWorker(['node', '/x/bin/n8n', 'worker', '--concurrency=5'])).toBe(true);
		expect(runsOnQueueWorker(['node', '/x/bin/n8n', 'start'])).toBe(false);
		expect(runsOnQueueWorker(['node', '/x/bin/n8n', 'webhook'])).toBe(false);
	});

	const startFailure = async (settings: { manual: boolean; onWorker: boolean }, cause: Error) => {
		const fake = fakeTrigger({
			params: params(),
			credentials,
			mode: settings.manual ? 'manual' : 'trigger',
		});
		const r = new TriggerRun(fake.ctx, {
			...settings,
			emitEveryAnswer: false,
			oneRunAtATime: true,
			secrets: [],
			logger: silentLogger,
		});
		r.attach(fakeWatcher(async () => Promise.reject(cause)) as unknown as Watcher);
		return (await r.start().then(
			() => undefined,
			(error: NodeOperationError) => error,
		))!;
	};

	it('says that the worker needs the media tools and the camera, and how to test on the main instead', async () => {
		const error = await startFailure(
			{ manual: true, onWorker: true },
			new Error('ffmpeg was not found'),
		);
		expect(error.message).toContain('ffmpeg was not found');
		expect(error.description).toBe(WORKER_TEST_HINT);
		expect(WORKER_TEST_HINT).toContain('OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS');
	});

	it('says nothing of workers on the main, for active triggers, or for API and field errors', async () => {
		expect(
			(await startFailure({ manual: true, onWorker: false }, new Error('x'))).description ?? '',
		).not.toContain('worker');
		expect(
			(await startFailure({ manual: false, onWorker: true }, new Error('x'))).description ?? '',
		).not.toContain('worker');
		const api = await startFailure(
			{ manual: true, onWorker: true },
			new OvershootApiError(401, 'Invalid API key', 'Check the key.'),
		);
		expect(api.description ?? '').not.toContain(WORKER_TEST_HINT);
		const field = await startFailure(
			{ manual: true, onWorker: true },
			new InputError('Model', 'Model is empty.'),
		);
		expect(field.description ?? '').not.toContain(WORKER_TEST_HINT);
	});
});
