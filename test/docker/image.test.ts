// The Docker image (docker/Dockerfile, built by scripts/docker-build.sh) runs the Overshoot
// Trigger: its n8n, started by the image's own entrypoint as the image's non-root user with a
// fresh bind-mounted data volume, loads the preinstalled package and, watching a GStreamer RTSP
// camera on the host through the emulator and a real livekit-server (both outside the image, on
// loopback), fires one execution with a red snapshot when the scene turns red. The n8n log must
// say GStreamer was picked as the camera reader, and ffmpeg must work as the other one. What n8n
// wrote stays in the volume across a restart. Run by scripts/docker-test.sh (OVS_DOCKER_IMAGE);
// test/support/image-n8n.ts says how the image runs without a container runtime.

import fs from 'node:fs';
import path from 'node:path';
import { NODE_TYPE, TRIGGER_TYPE } from '../../harness/n8n';
import { DOCKER_IMAGE, ImageContainer, startImageN8n, VOLUME } from '../support/image-n8n';
import { runGroup } from '../../harness/process-group';
import { watchProcessesBelow } from '../../harness/proc-tree';
import { startRtspServer, type RtspServer } from '../../harness/rtsp';
import {
	executionItem,
	NO_LEFTOVERS,
	startTriggerStack,
	triggerLeftovers,
	waitForPublication,
	type TriggerStack,
} from '../../harness/trigger-stack';
import { answeredCalls, expectQuietOnGray, expectRedSnapshot } from '../support/trigger-checks';
import { waitFor } from '../../harness/wait';
import {
	EXAMPLE_CREDENTIAL,
	onCamera,
	overshootCredential,
	TRIGGER_EXAMPLE_NODE,
} from '../e2e/fixtures';

const AUTO_ID = 'ovsDockerCamAuto1';
const FFMPEG_ID = 'ovsDockerCamFfmp1';

/** The real and effective uid of a process (`/proc/<pid>/status`). */
function uids(pid: number): number[] {
	const line = fs
		.readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('Uid:'))!;
	return line.split(/\s+/).slice(1, 3).map(Number);
}

describe(`the Docker image ${DOCKER_IMAGE}`, () => {
	let camera: RtspServer;
	let container: ImageContainer;
	let stack: TriggerStack;

	beforeAll(async () => {
		camera = await startRtspServer({ color: '808080', width: 320, height: 240, fps: 10 });
		container = await ImageContainer.create();
		stack = await startTriggerStack({
			startN8n: (options) => startImageN8n(container, options),
			credentials: (url) => [overshootCredential(url)],
			workflows: [
				onCamera(camera.url, AUTO_ID),
				onCamera(camera.url, FFMPEG_ID, EXAMPLE_CREDENTIAL, {
					options: { cameraReader: 'ffmpeg' },
				}),
			],
		});
	});

	afterAll(async () => {
		// stack.stop() removes the container (its launcher's dispose); without a stack, do it here.
		await (stack ? stack.stop() : container?.remove());
		await camera?.stop();
	});

	/** The trigger's log line saying which camera reader it picked (logged as the camera starts). */
	const readerChoice = (after: number) =>
		waitFor(
			'the camera reader choice in the n8n log',
			() => /Camera reader: [^\n]*/.exec(stack.n8n.logs().slice(after))?.[0],
			20_000,
			250,
		);
	/** The trigger's processes: the reader by program, the publisher (a Node process, whatever its thread name). */
	const triggerProcesses = () =>
		watchProcessesBelow(stack.n8n.serverPid()!)
			.map((p) => (p.role === 'reader' ? `reader ${p.comm}` : p.role))
			.sort();
	const activeStream = async () => {
		const active = (await stack.emulatorState()).streams.filter((s) => s.state === 'active');
		expect(active).toHaveLength(1);
		return active[0].id;
	};

	test("the image's configuration: non-root user node (uid 1000), n8n's volume and port, MALLOC_ARENA_MAX, a health check", async () => {
		const { config, user } = container;
		expect({ user: config.User, uid: user.uid, gid: user.gid, home: user.home }).toEqual({
			user: 'node',
			uid: 1000,
			gid: 1000,
			home: '/home/node',
		});
		expect(Object.keys(config.Volumes ?? {})).toEqual([VOLUME]);
		expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['5678/tcp']);
		expect(config.Env).toEqual(
			expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'NODE_ENV=production']),
		);
		expect(config.Healthcheck?.Test.join(' ')).toContain('/healthz');
	});

	test('n8n runs as uid 1000 and has loaded the preinstalled package, linked into the volume by the entrypoint', async () => {
		const inside = await container.processes();
		expect(inside.length).toBeGreaterThan(0);
		expect([...new Set(inside.flatMap(uids))]).toEqual([1000]);

		const types = await stack.n8n.api.nodeTypeNames();
		expect(types).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_TYPE]));
		expect(stack.n8n.loadErrors()).toEqual([]);

		const link = path.join(container.volume, 'nodes', 'node_modules', 'n8n-nodes-overshoot');
		expect(fs.readlinkSync(link)).toBe('/opt/overshoot/nodes/node_modules/n8n-nodes-overshoot');
		expect(fs.statSync(path.join(container.volume, 'database.sqlite')).uid).toBe(1000);
	});

	test("the image's health check passes against the running n8n", async () => {
		const { cmd, args } = container.command(
			container.healthcheck(),
			{ N8N_PORT: String(stack.n8n.port) },
			{ entrypoint: false },
		);
		const result = await runGroup(cmd, args, { timeoutMs: 30_000, name: 'health check' });
		expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: '' });
	});

	test('the trigger picks GStreamer, stays quiet on gray, fires once with a red snapshot when the scene turns red, and leaves nothing behind', async () => {
		const { n8n } = stack;
		const logged = n8n.logs().length;
		await n8n.api.activate(AUTO_ID);
		try {
			expect(await waitForPublication(n8n, AUTO_ID)).toMatchObject({
				status: 'published',
				triggers: [{ status: 'activated' }],
			});
			const streamId = await activeStream();
			expect(await readerChoice(logged)).toBe(
				'Camera reader: GStreamer (auto: GStreamer is installed with everything the camera needs)',
			);
			expect(triggerProcesses()).toEqual(['publisher', 'reader gst-launch-1.0']);
			expect(watchProcessesBelow(n8n.serverPid()!).flatMap((p) => uids(p.pid))).toEqual([
				1000, 1000, 1000, 1000,
			]);

			await expectQuietOnGray(stack, AUTO_ID, streamId, 2);

			await camera.setColor('ff0000');
			const [execution] = await n8n.api.waitForExecutions(AUTO_ID, 1, 30_000);
			expect({ status: execution.status, mode: execution.mode }).toEqual({
				status: 'success',
				mode: 'trigger',
			});
			const item = executionItem(execution, TRIGGER_EXAMPLE_NODE);
			expect(item?.json).toMatchObject({
				event: 'match',
				fired: true,
				matched: true,
				stream_id: streamId,
			});
			expect(item!.json.answer).toMatch(/^Yes/);
			await expectRedSnapshot(n8n, item!.binary?.snapshot);
		} finally {
			await n8n.api.deactivate(AUTO_ID);
			await camera.setColor('808080');
		}
		expect(await triggerLeftovers(stack)).toEqual(NO_LEFTOVERS);
	});

	test('with Camera Reader set to ffmpeg, the image’s ffmpeg reads the camera', async () => {
		const { n8n } = stack;
		const logged = n8n.logs().length;
		await n8n.api.activate(FFMPEG_ID);
		try {
			expect(await waitForPublication(n8n, FFMPEG_ID)).toMatchObject({ status: 'published' });
			const streamId = await activeStream();
			expect(await readerChoice(logged)).toBe('Camera reader: ffmpeg (set in the options)');
			expect(triggerProcesses()).toEqual(['publisher', 'reader ffmpeg']);
			const [answer] = await waitFor(
				'an answer about the camera',
				async () => {
					const calls = await answeredCalls(stack, streamId);
					return calls.length ? calls : undefined;
				},
				30_000,
				250,
			);
			expect(answer.responseText).toMatch(/^No\./);
		} finally {
			await n8n.api.deactivate(FFMPEG_ID);
		}
		expect(await triggerLeftovers(stack)).toEqual(NO_LEFTOVERS);
	});

	test('the data volume keeps workflows, executions and the owner across a restart of n8n', async () => {
		const { n8n } = stack;
		await n8n.stopServer();
		await n8n.start();
		const workflows = await n8n.api.public<{ data: Array<{ id: string }> }>('GET', '/workflows');
		expect(workflows.data.map((w) => w.id).sort()).toEqual([AUTO_ID, FFMPEG_ID].sort());
		expect(await n8n.api.executions(AUTO_ID, false)).toHaveLength(1);
	});
});
