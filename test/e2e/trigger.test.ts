// The Overshoot Trigger in a real n8n 2.40.7 (`n8n start`, package installed from the tarball),
// against the emulator as its own process with a real livekit-server, watching a GStreamer RTSP
// camera: an example trigger workflow is activated through the public API, the camera's scene
// changes from gray to red, and the one execution that follows is read back through the API with
// its snapshot, whose pixels must be red. Deactivation must leave no stream, room or ffmpeg behind;
// a rejected API key must fail activation with the cause and leave nothing running.
//
// The workflow is examples/trigger-video-file.json ("Is the scene red?", fire on becoming "Yes")
// with its source switched to the camera. camera-alert.json cannot be used as is: its condition is
// the JSON field `person_present`, which the emulator (colours, not people) never produces.

import fs from 'node:fs';
import path from 'node:path';
import type { Credential, WorkflowJson } from '../support/n8n';
import { REPO_ROOT } from '../support/paths';
import { ffmpegBelow } from '../support/proc-tree';
import { startRtspServer, type RtspServer } from '../support/rtsp';
import { binaryBytes, executionItem, meanRgb, startTriggerStack, waitFor, waitForPublication, type TriggerStack } from '../support/trigger-stack';
import { EXAMPLE_CREDENTIAL, overshootCredential } from './fixtures';

const TRIGGER_NODE = 'Watch Sample Video';
const BAD_CREDENTIAL = { id: 'ovsE2eBadKey01', name: 'Overshoot (rejected key)' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function example(file: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as WorkflowJson;
}

/** The example with its source switched to the RTSP camera (and, optionally, another credential). */
function onCamera(workflow: WorkflowJson, cameraUrl: string, id: string, credential = EXAMPLE_CREDENTIAL): WorkflowJson {
	const nodes = (workflow.nodes as Array<{ name: string; parameters: Record<string, unknown>; credentials?: unknown }>).map((node) => {
		if (node.name !== TRIGGER_NODE) return node;
		const { videoPath, loop, ...parameters } = node.parameters;
		void videoPath, void loop;
		return { ...node, parameters: { ...parameters, source: 'rtsp', cameraUrl }, credentials: { overshootApi: credential } };
	});
	return { ...workflow, id, name: `${workflow.name} (e2e camera)`, nodes, active: false };
}

let camera: RtspServer;
let stack: TriggerStack;
let goodId: string;
let badId: string;

beforeAll(async () => {
	camera = await startRtspServer({ color: '808080', width: 320, height: 240, fps: 10 });
	const base = example('trigger-video-file.json');
	stack = await startTriggerStack({
		tarball: process.env.OVS_PACKAGE_TARBALL ?? '',
		credentials: (url): Credential[] => [
			overshootCredential(url),
			// The emulator rejects (401) any key that contains "invalid".
			{ ...BAD_CREDENTIAL, type: 'overshootApi', data: { apiKey: 'ovs-invalid-key', baseUrl: `${url}/v1` } },
		],
		workflows: [onCamera(base, camera.url, 'ovsE2eTrigCam01'), onCamera(base, camera.url, 'ovsE2eTrigBad01', BAD_CREDENTIAL)],
	});
	[goodId, badId] = stack.workflowIds;
});

afterAll(async () => {
	if (process.env.OVS_DEBUG) console.log(stack?.n8n.logs().slice(-15000));
	await stack?.stop();
	await camera?.stop();
});

/** Chat calls the trigger made about a stream, oldest first. */
async function callsFor(streamId: string) {
	return (await stack.chatCalls()).filter((c) => c.streamIds.includes(streamId));
}

/** Resolves once the trigger is down: no active stream, no room, no ffmpeg under n8n. */
async function expectNothingRunning() {
	const pid = stack.n8n.serverPid()!;
	const settled = await waitFor('the trigger to tear down', 15_000, async () => {
		const state = await stack.emulatorState();
		const streams = state.streams.filter((s) => s.state === 'active').map((s) => s.id);
		const ffmpeg = ffmpegBelow(pid).map((p) => p.pid);
		const snapshot = { activeStreams: streams, openRooms: state.openRooms, ffmpeg };
		return streams.length + state.openRooms.length + ffmpeg.length === 0 ? snapshot : undefined;
	}).catch(async () => ({
		activeStreams: (await stack.emulatorState()).streams.filter((s) => s.state === 'active').map((s) => s.id),
		openRooms: (await stack.emulatorState()).openRooms,
		ffmpeg: ffmpegBelow(pid).map((p) => `${p.pid} ${p.cmdline}`),
	}));
	expect(settled).toEqual({ activeStreams: [], openRooms: [], ffmpeg: [] });
}

test('activated on n8n start, the trigger stays quiet on a gray scene and fires once with a red snapshot when it turns red', async () => {
	const { n8n } = stack;
	await n8n.api.activate(goodId);
	try {
		// Published = trigger() resolved: the stream exists and frames flow; it then asks every 2 s.
		expect(await waitForPublication(n8n, goodId)).toMatchObject({ status: 'published', triggers: [{ status: 'activated' }] });
		const state = await stack.emulatorState();
		const active = state.streams.filter((s) => s.state === 'active');
		expect(active).toHaveLength(1);
		const streamId = active[0].id;
		expect(ffmpegBelow(n8n.serverPid()!).length).toBe(1);

		const grayCalls = await waitFor('three questions about the gray scene', 30_000, async () => {
			const calls = (await callsFor(streamId)).filter((c) => c.status === 200);
			return calls.length >= 3 ? calls : undefined;
		});
		expect(grayCalls.map((c) => c.responseText?.slice(0, 3))).toEqual(grayCalls.map(() => 'No.'));
		expect(await n8n.api.executions(goodId, false)).toEqual([]);

		await camera.setColor('ff0000');
		const [execution] = await n8n.api.waitForExecutions(goodId, 1, 30_000);
		expect({ status: execution.status, mode: execution.mode }).toEqual({ status: 'success', mode: 'trigger' });

		const item = executionItem(execution, TRIGGER_NODE);
		expect(item?.json).toMatchObject({ event: 'match', fired: true, matched: true, stream_id: streamId });
		expect(item!.json.answer).toMatch(/^Yes/);
		expect(item!.json.stream_id).toMatch(UUID);
		expect(item!.json.condition).toMatchObject({ kind: 'yes', matched: true });
		// The item went through the rest of the workflow too.
		expect(executionItem(execution, 'Match')?.json.stream_id).toBe(streamId);

		const snapshot = item!.binary?.snapshot;
		expect(snapshot?.mimeType).toBe('image/jpeg');
		const jpeg = await binaryBytes(n8n, snapshot!);
		expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
		const [r, g, b] = await meanRgb(jpeg);
		expect({ red: r > 200, green: g < 60, blue: b < 60 }).toEqual({ red: true, green: true, blue: true });

		// "Only when it becomes true": the scene stays red, the model keeps saying yes, no second run.
		const before = (await callsFor(streamId)).length;
		await waitFor('two more questions about the red scene', 15_000, async () => ((await callsFor(streamId)).length >= before + 2 ? true : undefined));
		expect((await n8n.api.executions(goodId, false)).length).toBe(1);
	} finally {
		await n8n.api.deactivate(goodId);
		await camera.setColor('808080');
	}
	await expectNothingRunning();
});

test('activating with a rejected API key fails with the cause and leaves nothing running', async () => {
	const { n8n } = stack;
	const createsBefore = (await stack.emulatorState()).creates;

	const res = await n8n.api.publicResponse('POST', `/workflows/${badId}/activate`, {});
	if (process.env.OVS_DEBUG) console.log(JSON.stringify(res).slice(0, 3000));
	const status = await waitForPublication(n8n, badId);
	console.log(JSON.stringify(status));
	const workflow = await n8n.api.public<{ active: boolean }>('GET', `/workflows/${badId}`);
	console.log(JSON.stringify(workflow.active));
	expect((await stack.emulatorState()).creates).toBe(createsBefore);
	expect(await n8n.api.executions(badId, false)).toEqual([]);
	await expectNothingRunning();
});
