// Check → Run Once end to end: the action node (router included) against the emulator over real
// HTTP, a real livekit-server and a real video file. One run per item, the stream always deleted,
// the snapshot in binary "snapshot", and Continue On Fail with paired items.

import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { runCheckItem } from '../../nodes/Overshoot/actions/check/run';
import { createN8nTransport } from '../../nodes/Overshoot/shared/transport';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { loadSharp } from '../../nodes/Overshoot/watch/native';
import type { Emulator } from '../../emulator/server';
import { startSceneStack, type SceneStack } from '../support/scene-stack';
import { executeContext, MODEL, modelParam, type RunOptions } from './action-harness';

let stack: SceneStack;
let emu: Emulator;
let greenVideo: string;

beforeAll(async () => {
	stack = await startSceneStack({ prefix: 'ovs-check-', color: '1ec828', seconds: 20 });
	({ emu, video: greenVideo } = stack);
});
afterAll(() => stack?.stop());

const binaries = new Map<string, Buffer>();
/** The action harness's context plus what the Check operation also uses (logger, binary output). */
function context(options: Omit<RunOptions, 'credentials'>): IExecuteFunctions {
	const base = executeContext({
		credentials: { apiKey: 'ovs-check-key', baseUrl: emu.baseUrl },
		...options,
	});
	let n = 0;
	return Object.assign(base, {
		getWorkflow: () => ({ id: 'wf', name: 'Check', active: false }),
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		},
		helpers: {
			...base.helpers,
			async prepareBinaryData(
				data: Buffer,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> {
				const id = `mem:${++n}`;
				binaries.set(id, data);
				return {
					id,
					data: '',
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
				} as IBinaryData;
			},
		},
	});
}

const params = (patch: IDataObject = {}): IDataObject => ({
	resource: 'check',
	operation: 'run',
	source: 'videoFile',
	videoPath: greenVideo,
	recordSeconds: 2,
	model: modelParam(MODEL),
	prompt: 'Is the scene green?',
	options: { publishWidth: 320, publishHeight: 180, publishFps: 5 },
	...patch,
});

const activeStreams = async () =>
	(await emu.control.state()).streams.filter((s) => s.state === 'active');

test('records, asks once about the clip, returns answer + snapshot, deletes the stream', async () => {
	const ctx = context({ params: params({ responseFormat: 'jsonObject' }) });
	const client = new OvershootClient((await createN8nTransport(ctx)).transport);
	const item = await runCheckItem(ctx, 0, client);
	expect(item.json).toMatchObject({
		json: { dominant_color: 'green' },
		stream_deleted: true,
		model: MODEL,
		usage: { total_tokens: expect.any(Number) },
	});
	expect(String(item.json.media)).toMatch(/start_offset_ms=-2000&max_fps=1$/);
	expect(item.json.frames_published).toBeGreaterThanOrEqual(5);
	expect(item.pairedItem).toEqual({ item: 0 });
	const jpeg = binaries.get(item.binary!.snapshot.id!)!;
	const { data, info } = await loadSharp()(jpeg).raw().toBuffer({ resolveWithObject: true });
	const mid = ((info.height >> 1) * info.width + (info.width >> 1)) * info.channels;
	expect(data[mid + 1]).toBeGreaterThan(150); // green
	expect(data[mid]).toBeLessThan(90);
	expect(await activeStreams()).toEqual([]);
	expect((await emu.control.state()).openRooms).toEqual([]);
});

test('through the node: one run per item, paired items, Continue On Fail names the field', async () => {
	const ctx = context({
		params: [
			params({ prompt: 'Is the scene green?' }),
			params({ videoPath: '/etc/hostname' }),
			params({ lookAt: 'latestFrame', prompt: 'Is the scene red?' }),
		],
		continueOnFail: true,
	});
	const creates = (await emu.control.state()).creates;
	const [out] = await new Overshoot().execute.call(ctx);
	expect(out).toHaveLength(3);
	expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(String(out[0].json.answer)).toMatch(/^Yes\. The scene is mostly green/);
	expect(String(out[1].json.error)).toContain('Video File Path');
	expect(String(out[2].json.answer)).toMatch(/^No\./);
	expect(String(out[2].json.media)).toMatch(/frame_index=-1$/);
	expect((await emu.control.state()).creates).toBe(creates + 2); // the refused item never opened a stream
	expect(await activeStreams()).toEqual([]);
});
