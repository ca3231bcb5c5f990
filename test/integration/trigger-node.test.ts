// The Overshoot Trigger's trigger() with a realistic fake ITriggerFunctions, against real parts:
// the emulator over real HTTP (through the same n8n-shaped HTTP helper the action tests use),
// a real livekit-server, and a real video file played by ffmpeg. The emulator decodes what was
// published and answers about its pixels, so "Is the scene red?" is a real end-to-end check.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { chooseModel } from '../../nodes/Overshoot/api/models';
import type { Model } from '../../nodes/Overshoot/api/types';
import { loadSharp } from '../../nodes/Overshoot/watch/native';
import type { Emulator } from '../../emulator/server';
import { startSceneStack, type SceneStack } from '../support/scene-stack';
import { startRtspServer } from '../../harness/rtsp';
import { fakeTrigger, runTrigger, type FakeTrigger } from '../unit/helpers/fake-trigger';
import { n8nHttp } from './action-harness';
import { waitFor } from '../../harness/wait';
import { TEST_MODEL } from '../../emulator/models';

let stack: SceneStack;
let emu: Emulator;
let allowed: string;
let redVideo: string;

beforeAll(async () => {
	stack = await startSceneStack({ prefix: 'ovs-trigger-', color: 'dc1e1e', seconds: 30 });
	({ emu, allowed, video: redVideo } = stack);
});
afterAll(() => stack?.stop());

const credentials = () => ({ apiKey: 'ovs-trigger-test-key', baseUrl: emu.baseUrl });

function trigger(params: IDataObject, mode: 'manual' | 'trigger' = 'trigger'): FakeTrigger {
	return fakeTrigger({
		mode,
		credentials: credentials(),
		http: (req) => n8nHttp(credentials(), req),
		params: {
			source: 'videoFile',
			videoPath: redVideo,
			model: { mode: 'list', value: TEST_MODEL },
			prompt: 'Is the scene red?',
			condition: 'yes',
			askEverySeconds: 1,
			options: { publishWidth: 320, publishHeight: 180, publishFps: 5 },
			...params,
		},
	});
}

async function meanRgb(jpeg: Buffer): Promise<[number, number, number]> {
	const { data, info } = await loadSharp()(jpeg).raw().toBuffer({ resolveWithObject: true });
	const sum = [0, 0, 0];
	for (let i = 0; i < data.length; i += info.channels)
		for (let c = 0; c < 3; c++) sum[c] += data[i + c];
	const n = data.length / info.channels;
	return sum.map((s) => s / n) as [number, number, number];
}

/** ffmpeg processes reading this file (the trigger's source), from the process table. */
function ffmpegReading(file: string): number {
	try {
		return execFileSync('pgrep', ['-f', `ffmpeg.*${file}`])
			.toString()
			.trim()
			.split('\n')
			.filter(Boolean).length;
	} catch {
		return 0; // pgrep exits 1 when nothing matches
	}
}

async function nothingLeft(file: string) {
	const state = await emu.control.state();
	expect(state.streams.filter((s) => s.state === 'active')).toEqual([]);
	expect(state.openRooms).toEqual([]);
	expect(ffmpegReading(file)).toBe(0);
	return state;
}

test('active mode: a match emits an item whose snapshot shows the scene; close cleans up', async () => {
	const fake = trigger({ fire: 'everyMatch', cooldownSeconds: 0 });
	const { response } = await runTrigger(fake);
	try {
		await waitFor('an emitted match', () => fake.emitted.length > 0, 60_000);
		const item: INodeExecutionData = fake.emitted[0].items[0];
		expect(item.json).toMatchObject({
			event: 'match',
			matched: true,
			fired: true,
			model: TEST_MODEL,
		});
		expect(String(item.json.answer)).toMatch(/^Yes\. The scene is mostly red/);
		expect(item.json.stream_id).toMatch(/^[0-9a-f-]{36}$/);
		expect(item.json.usage).toMatchObject({ total_tokens: expect.any(Number) });
		expect((item.json.timing as IDataObject).latency_ms).toEqual(expect.any(Number));
		expect(fake.emitted[0].hadDonePromise).toBe(true); // "One Run at a Time" is on by default
		const binary = item.binary!.snapshot;
		expect(binary.mimeType).toBe('image/jpeg');
		const jpeg = fake.binaries.get(binary.id!)!;
		const [r, g, b] = await meanRgb(jpeg);
		expect(r).toBeGreaterThan(170);
		expect(g).toBeLessThan(80);
		expect(b).toBeLessThan(80);
		expect(fake.errors).toEqual([]);
		expect(JSON.stringify(item.json)).not.toContain('ovs-trigger-test-key');
	} finally {
		await response.closeFunction!();
	}
	await response.closeFunction!(); // idempotent
	const state = await nothingLeft(redVideo);
	expect(state.deletes).toBeGreaterThanOrEqual(1);
});

test('manual mode: emits the first match, then closes cleanly', async () => {
	const fake = trigger({ condition: 'contains', conditionText: 'red' }, 'manual');
	const { response, firstEmit } = await runTrigger(fake);
	const data = await firstEmit!;
	expect(data[0]).toHaveLength(1);
	expect(data[0][0].json.answer).toContain('red');
	expect(data[0][0].binary?.snapshot).toBeDefined();
	await response.closeFunction!();
	await nothingLeft(redVideo);
	expect(fake.emitted).toHaveLength(1);
});

test('manual mode with "Emit Every Answer": the first answer comes out even when it does not match', async () => {
	const fake = trigger({ prompt: 'Is the scene blue?', emitEveryAnswer: true }, 'manual');
	const { response, firstEmit } = await runTrigger(fake);
	const data = await firstEmit!;
	expect(data[0][0].json).toMatchObject({ event: 'answer', matched: false, fired: false });
	expect(String(data[0][0].json.answer)).toMatch(/^No\./);
	await response.closeFunction!();
	await nothingLeft(redVideo);
});

test('closeFunction while connecting leaves no stream, no room participant and no ffmpeg', async () => {
	const before = await emu.control.state();
	// Slow stream creation down so the close lands mid-connect.
	emu.control.setLatency(1500, { method: 'POST', path: '/v1/streams' });
	try {
		const fake = trigger({}, 'manual');
		const response = await (
			await import('../../nodes/Overshoot/OvershootTrigger.node')
		).OvershootTrigger.prototype.trigger.call(fake.ctx);
		const starting = response.manualTriggerFunction!();
		await new Promise((r) => setTimeout(r, 300));
		await response.closeFunction!();
		await expect(starting).resolves.toBeUndefined(); // a cancelled test run is not an error
		// The create that was in flight must still be deleted once it returns.
		await waitFor(
			'the in-flight stream to be deleted',
			async () => {
				const s = await emu.control.state();
				return (
					s.creates > before.creates &&
					s.streams.every((x) => x.state === 'ended') &&
					s.openRooms.length === 0
				);
			},
			20_000,
		);
		await nothingLeft(redVideo);
		expect(fake.emitted).toEqual([]);
		expect(fake.errors).toEqual([]);
	} finally {
		emu.control.setLatency(0);
	}
});

describe('Model Choice against a catalogue that changes', () => {
	const base = {
		source: 'videoFile',
		prompt: 'Is the scene red?',
		condition: 'yes',
		fire: 'everyMatch',
		cooldownSeconds: 0,
		askEverySeconds: 1,
		options: { publishWidth: 320, publishHeight: 180, publishFps: 5, oneRunAtATime: false },
	};
	const models = () => [...new Set(fake?.emitted.map((e) => e.items[0].json.model))];
	let fake: FakeTrigger | undefined;
	afterEach(() => emu.control.reset());

	test('Automatic (version 1.1, no model in the workflow): a ready model for the whole activation, picked again once when it is retired', async () => {
		const listed = (await (await fetch(`${emu.baseUrl}/models`)).json()) as { data: Model[] };
		const first = chooseModel(listed.data, { video: false });
		const second = chooseModel(listed.data, { video: false }, new Set([first]));
		fake = fakeTrigger({
			mode: 'trigger',
			typeVersion: 1.1,
			credentials: credentials(),
			http: (req) => n8nHttp(credentials(), req),
			params: { ...base, videoPath: redVideo },
		});
		const { response } = await runTrigger(fake);
		try {
			await waitFor('two matches', () => fake!.emitted.length >= 2, 60_000);
			expect(models()).toEqual([first]);
			emu.control.setModelStatus(first, 'retired');
			await waitFor(
				'a match from the next model',
				() => fake!.emitted.some((e) => e.items[0].json.model === second),
				60_000,
			);
			const after = fake.emitted.length;
			await waitFor('another match', () => fake!.emitted.length > after, 30_000);
			expect(fake.emitted.slice(after).every((e) => e.items[0].json.model === second)).toBe(true);
			expect(fake.errors).toEqual([]);
			expect(fake.logs.some((l) => l.level === 'warn' && /no longer served/.test(l.message))).toBe(
				true,
			);
		} finally {
			await response.closeFunction!();
		}
		await nothingLeft(redVideo);
	});

	test('a Specific Model that is retired goes to the error workflow (emitError) with the ready models, once, and nothing keeps running', async () => {
		const listed = (await (await fetch(`${emu.baseUrl}/models`)).json()) as { data: Model[] };
		const fixed = listed.data[listed.data.length - 1].id;
		fake = fakeTrigger({
			mode: 'trigger',
			credentials: credentials(),
			http: (req) => n8nHttp(credentials(), req),
			params: { ...base, videoPath: redVideo, model: { mode: 'id', value: fixed } },
		});
		const { response } = await runTrigger(fake);
		try {
			await waitFor('a match', () => fake!.emitted.length >= 1, 60_000);
			emu.control.setModelStatus(fixed, 'retired');
			await waitFor('the error', () => fake!.errors.length > 0, 30_000);
			const calls = (await emu.control.chatCalls()).filter(
				(c) => c.model === fixed && c.status === 404,
			);
			expect(calls).toHaveLength(1); // not retried
			const [error] = fake.errors;
			expect(error.message).toMatch(
				new RegExp(`"${fixed.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not served by Overshoot`),
			);
			expect(error.message).toContain(listed.data[0].id); // a ready model to pick instead
			expect(error.message).not.toMatch(/stream has ended/);
			await nothingLeft(redVideo);
			expect(fake.errors).toHaveLength(1);
		} finally {
			await response.closeFunction!();
		}
	});
});

test('activation fails fast with a clear error when the stream cannot be created', async () => {
	const fake = fakeTrigger({
		mode: 'trigger',
		credentials: { apiKey: 'ovs-invalid-key', baseUrl: emu.baseUrl },
		http: (req) => n8nHttp({ apiKey: 'ovs-invalid-key', baseUrl: emu.baseUrl }, req),
		params: {
			source: 'videoFile',
			videoPath: redVideo,
			model: { mode: 'list', value: TEST_MODEL },
			prompt: 'Is the scene red?',
		},
	});
	await expect(runTrigger(fake)).rejects.toThrow(/401/);
	await nothingLeft(redVideo);
});

test('a missing file and a blocked path are refused before anything starts', async () => {
	const creates = (await emu.control.state()).creates;
	await expect(runTrigger(trigger({ videoPath: path.join(allowed, 'nope.mp4') }))).rejects.toThrow(
		/Video File Path: there is no file/,
	);
	await expect(runTrigger(trigger({ videoPath: '/etc/hostname' }))).rejects.toThrow(
		/Video File Path: access to "\/etc\/hostname" is not allowed/,
	);
	expect((await emu.control.state()).creates).toBe(creates);
});

test('RTSP camera with a login from the camera credential: matches, and the password appears nowhere', async () => {
	const password = 'cam-pw-9f3k';
	const camera = await startRtspServer({
		username: 'viewer',
		password,
		color: '1e28dc',
		width: 320,
		height: 180,
	});
	const fake = fakeTrigger({
		mode: 'trigger',
		credentials: credentials(),
		camera: { username: 'viewer', password },
		http: (req) => n8nHttp(credentials(), req),
		params: {
			source: 'rtsp',
			cameraUrl: camera.url,
			model: { mode: 'list', value: TEST_MODEL },
			prompt: 'Is the scene blue?',
			condition: 'yes',
			askEverySeconds: 1,
			options: { publishWidth: 320, publishHeight: 180, publishFps: 5 },
		},
	});
	const { response } = await runTrigger(fake);
	try {
		await waitFor('a match from the camera', () => fake.emitted.length > 0, 60_000);
		expect(String(fake.emitted[0].items[0].json.answer)).toMatch(/^Yes\. The scene is mostly blue/);
	} finally {
		await response.closeFunction!();
		await camera.stop();
	}
	const everything = JSON.stringify({
		items: fake.emitted.map((e) => e.items.map((i) => i.json)),
		logs: fake.logs,
		errors: fake.errors.map((e) => e.message),
	});
	expect(everything).not.toContain(password);
	expect((await emu.control.state()).streams.filter((s) => s.state === 'active')).toEqual([]);
});
