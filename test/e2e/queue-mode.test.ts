// The Overshoot Trigger in n8n's queue mode, as users scale n8n: a main (`n8n start`,
// EXECUTIONS_MODE=queue) and an `n8n worker`, each with the packed package installed in its own
// user folder the way n8n installs community packages, sharing a throwaway PostgreSQL (n8n's
// database) and Redis (the queue), both started by harness/ on loopback. The camera is a
// GStreamer RTSP server, the Overshoot API the emulator with a real livekit-server.
//
// What must hold:
// - the trigger runs on the main only: one stream (the emulator lists them), the camera reader and
//   publisher under the main, nothing under the worker, also after the worker restarts;
// - every match becomes exactly one execution, run by the worker (its log names each one; the
//   main's names none), with the snapshot intact: the workflow's Extract From File node, on the
//   worker, reads the JPEG out of n8n's binary store (default mode in queue mode: `database`);
// - a worker restart mid-run loses nothing: matches that arrive while it is down wait in Redis and
//   run once it is back, and every later match runs too;
// - "Test this trigger" with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true runs the trigger's test
//   listen on the worker (n8n 2.40's WorkflowRunner enqueues manual runs then): it returns the
//   first match with its snapshot and leaves no stream and no process behind on the worker.

import { packedTarball, type N8nInstance, type WorkflowJson } from '../../harness/n8n';
import type { Execution } from '../../harness/n8n-api';
import { watchProcessesBelow } from '../../harness/proc-tree';
import { startRtspServer, type RtspServer } from '../../harness/rtsp';
import {
	binaryBytes,
	executionItem,
	meanRgb,
	startTriggerStack,
	waitForPublication,
	type TriggerStack,
} from '../../harness/trigger-stack';
import { waitFor } from '../../harness/wait';
import {
	EXAMPLE_CREDENTIAL,
	onCamera,
	overshootCredential,
	TRIGGER_EXAMPLE_NODE as SAMPLE_TRIGGER_NODE,
} from './fixtures';

const WORKFLOW_ID = 'ovsE2eQueueCam01';
const EXTRACT_NODE = 'Read Snapshot';

/**
 * The camera example, firing on every "Yes" (no cooldown, no skipped matches) so each match must
 * become one execution, plus a node that reads the snapshot's bytes where the execution runs.
 */
function queueWorkflow(cameraUrl: string): WorkflowJson {
	const workflow = onCamera(cameraUrl, WORKFLOW_ID, EXAMPLE_CREDENTIAL, {
		fire: 'everyMatch',
		cooldownSeconds: 0,
		options: { oneRunAtATime: false },
	});
	const extract = {
		id: 'e2e-queue-extract',
		name: EXTRACT_NODE,
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1,
		position: [520, 0],
		parameters: {
			operation: 'binaryToPropery',
			binaryPropertyName: 'snapshot',
			destinationKey: 'jpeg_base64',
		},
	};
	return {
		...workflow,
		name: `${workflow.name} (queue mode)`,
		nodes: [...workflow.nodes, extract],
		connections: {
			...workflow.connections,
			Match: { main: [[{ node: EXTRACT_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/** Execution ids a worker's log says it ran ("Worker started execution 12 (job 12)"). */
function executionsRunBy(instance: N8nInstance): string[] {
	return [...instance.logs().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
}

/** The JPEG the worker read out of the binary store, from the Extract From File node's output. */
async function snapshotReadOnWorker(
	execution: Execution,
): Promise<{ jpeg: Buffer; rgb: [number, number, number] }> {
	const base64 = executionItem(execution, EXTRACT_NODE)?.json.jpeg_base64;
	if (typeof base64 !== 'string')
		throw new Error(`execution ${execution.id}: ${EXTRACT_NODE} produced no snapshot bytes`);
	const jpeg = Buffer.from(base64, 'base64');
	return { jpeg, rgb: await meanRgb(jpeg) };
}

const isRed = ([r, g, b]: [number, number, number]) => r > 200 && g < 60 && b < 60;

describe('queue mode: main + worker on PostgreSQL and Redis', () => {
	let camera: RtspServer;
	let stack: TriggerStack;
	let worker: N8nInstance;

	beforeAll(async () => {
		camera = await startRtspServer({ color: '808080', width: 320, height: 240, fps: 10 });
		stack = await startTriggerStack({
			tarball: packedTarball(),
			credentials: (url) => [overshootCredential(url)],
			workflows: [queueWorkflow(camera.url)],
			// The setting n8n 2.40 recommends for queue mode (it warns without it): manual runs go to workers too.
			queueMode: { workers: 1, mainEnv: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' } },
		});
		[worker] = stack.workers;
	});

	afterAll(async () => {
		await stack?.stop();
		await camera?.stop();
	});

	const activeStreams = async () =>
		(await stack.emulatorState()).streams.filter((s) => s.state === 'active').map((s) => s.id);
	const yesAnswers = async (streamId: string) =>
		(await stack.chatCalls()).filter(
			(c) =>
				c.streamIds.includes(streamId) && c.status === 200 && /^Yes/.test(c.responseText ?? ''),
		);
	const finished = async () =>
		(await stack.n8n.api.executions(WORKFLOW_ID)).filter(
			(e) => e.stoppedAt !== null && e.status !== 'running' && e.status !== 'new',
		);

	test('the trigger runs on the main, every match runs once on the worker with its snapshot, and a worker restart loses nothing', async () => {
		const { n8n } = stack;
		await n8n.api.activate(WORKFLOW_ID);
		expect(await waitForPublication(n8n, WORKFLOW_ID)).toMatchObject({
			status: 'published',
			triggers: [{ status: 'activated' }],
		});

		// One stream, created by the main; the media processes live under the main only.
		const [streamId, ...more] = await activeStreams();
		expect(more).toEqual([]);
		expect(
			watchProcessesBelow(n8n.serverPid()!)
				.map((p) => p.role)
				.sort(),
		).toEqual(['publisher', 'reader']);
		expect(watchProcessesBelow(worker.serverPid()!)).toEqual([]);

		await camera.setColor('ff0000');
		await waitFor(
			'two executions on the worker',
			async () => ((await finished()).length >= 2 ? true : undefined),
			40_000,
			500,
		);

		// The worker goes away mid-run (SIGTERM: n8n finishes what it runs, then exits) ...
		await worker.stopServer();
		const yesWhileDown = (await yesAnswers(streamId)).length;
		await waitFor(
			'two matches while the worker is down',
			async () => ((await yesAnswers(streamId)).length >= yesWhileDown + 2 ? true : undefined),
			20_000,
			250,
		);
		expect(await activeStreams()).toEqual([streamId]); // the trigger on the main went on watching
		// ... and comes back: what waited in Redis runs, and so does every match after.
		await worker.startWorker();
		expect(watchProcessesBelow(worker.serverPid()!)).toEqual([]);
		const yesWhenBack = (await yesAnswers(streamId)).length;
		await waitFor(
			'two more matches after the worker is back',
			async () => ((await yesAnswers(streamId)).length >= yesWhenBack + 2 ? true : undefined),
			20_000,
			250,
		);

		// End on a "No" so that no "Yes" is in flight when the workflow is deactivated.
		await camera.setColor('808080');
		const grayAtMs = Date.now();
		await waitFor(
			'a "No" after the scene went gray',
			async () => {
				const calls = (await stack.chatCalls()).filter(
					(c) => c.streamIds.includes(streamId) && c.atMs > grayAtMs + 500,
				);
				return calls.some((c) => /^No/.test(c.responseText ?? '')) ? true : undefined;
			},
			20_000,
			250,
		);
		await n8n.api.deactivate(WORKFLOW_ID);
		await waitFor(
			'the stream to be deleted',
			async () => ((await activeStreams()).length === 0 ? true : undefined),
			15_000,
			250,
		);

		const matches = await yesAnswers(streamId);
		const executions = await waitFor(
			`${matches.length} finished executions`,
			async () => {
				const done = await finished();
				return done.length >= matches.length ? done : undefined;
			},
			60_000,
			500,
		);

		// Exactly one execution per match: as many as there were "Yes" answers, each about a different question.
		expect(executions).toHaveLength(matches.length);
		expect(executions.map((e) => ({ status: e.status, mode: e.mode }))).toEqual(
			executions.map(() => ({ status: 'success', mode: 'trigger' })),
		);
		const asked = executions.map(
			(e) =>
				executionItem(e, SAMPLE_TRIGGER_NODE)?.json as {
					stream_id: string;
					timing: { asked_at: string };
				},
		);
		expect(new Set(asked.map((a) => a.timing.asked_at)).size).toBe(executions.length);
		expect(new Set(asked.map((a) => a.stream_id))).toEqual(new Set([streamId]));
		// Each execution is one of the answers: asked when the emulator received that question.
		const askedMs = asked.map((a) => Date.parse(a.timing.asked_at)).sort((x, y) => x - y);
		const receivedMs = matches.map((c) => c.atMs).sort((x, y) => x - y);
		askedMs.forEach((ms, i) => expect(Math.abs(ms - receivedMs[i])).toBeLessThan(1000));

		// Every one ran on the worker (in one of its two lives), none on the main, none twice.
		const ran = executionsRunBy(worker);
		expect([...ran].sort()).toEqual(executions.map((e) => e.id).sort());
		expect(executionsRunBy(n8n)).toEqual([]);

		// The snapshot reached the worker intact: a JPEG of the red scene (asked before it turned gray).
		for (const execution of executions) {
			const { jpeg, rgb } = await snapshotReadOnWorker(execution);
			expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
			const askedAt = Date.parse(
				(executionItem(execution, SAMPLE_TRIGGER_NODE)?.json as { timing: { asked_at: string } })
					.timing.asked_at,
			);
			if (askedAt < grayAtMs)
				expect({ id: execution.id, red: isRed(rgb) }).toEqual({ id: execution.id, red: true });
		}
		expect(executionItem(executions[0], SAMPLE_TRIGGER_NODE)?.binary?.snapshot.id).toMatch(
			/^database:/,
		);

		// One stream in the whole run; nothing left on either instance.
		expect((await stack.emulatorState()).creates).toBe(1);
		expect(watchProcessesBelow(n8n.serverPid()!)).toEqual([]);
		expect(watchProcessesBelow(worker.serverPid()!)).toEqual([]);
	});

	/** Everything the worker's manual runs left: active streams, and media processes under the worker. */
	const workerLeftovers = async () => ({
		activeStreams: await activeStreams(),
		processes: watchProcessesBelow(worker.serverPid()!).map((p) => p.role),
	});
	const nothingLeft = () =>
		waitFor(
			'the test listen to tear down',
			async () => {
				const l = await workerLeftovers();
				return l.activeStreams.length + l.processes.length === 0 ? l : undefined;
			},
			15_000,
			250,
		).catch(workerLeftovers);

	test('"Test this trigger" runs its test listen on the worker (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true) and returns the first match with its snapshot', async () => {
		const { n8n } = stack;
		const createsBefore = (await stack.emulatorState()).creates;
		await camera.setColor('ff0000');
		try {
			const executionId = await n8n.api.runManually(WORKFLOW_ID, SAMPLE_TRIGGER_NODE);
			const execution = await waitFor(
				'the manual execution to finish',
				async () => {
					const e = await n8n.api.execution(executionId);
					return e.stoppedAt !== null && e.status !== 'running' && e.status !== 'new'
						? e
						: undefined;
				},
				60_000,
				500,
			);
			expect({ status: execution.status, mode: execution.mode }).toEqual({
				status: 'success',
				mode: 'manual',
			});
			expect(executionItem(execution, SAMPLE_TRIGGER_NODE)?.json).toMatchObject({
				event: 'match',
				fired: true,
				answer: expect.stringMatching(/^Yes/),
			});
			// "Execute step" runs the trigger alone; its snapshot, written by the worker, is what the editor shows.
			const snapshot = executionItem(execution, SAMPLE_TRIGGER_NODE)!.binary!.snapshot;
			expect(snapshot.id).toMatch(/^database:/);
			const jpeg = await binaryBytes(n8n, snapshot);
			expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
			expect(isRed(await meanRgb(jpeg))).toBe(true);
			// The worker ran it, trigger included: its stream was the only one, and it is gone.
			expect(executionsRunBy(worker)).toContain(executionId);
			expect(executionsRunBy(n8n)).toEqual([]);
			expect((await stack.emulatorState()).creates).toBe(createsBefore + 1);
			expect(await nothingLeft()).toEqual({ activeStreams: [], processes: [] });
		} finally {
			await camera.setColor('808080');
		}
	});

	test('stopping a test listen that is still waiting deletes its stream and stops its processes on the worker', async () => {
		const { n8n } = stack;
		const executionId = await n8n.api.runManually(WORKFLOW_ID, SAMPLE_TRIGGER_NODE);
		// The scene is gray: the trigger on the worker asks, hears "No" and keeps listening.
		await waitFor(
			'the test listen to run on the worker',
			async () => {
				const l = await workerLeftovers();
				return l.activeStreams.length === 1 && l.processes.length === 2 ? true : undefined;
			},
			30_000,
			250,
		);
		await n8n.api.stopExecution(executionId);
		expect(await nothingLeft()).toEqual({ activeStreams: [], processes: [] });
		const execution = await waitFor(
			'the stopped execution to be recorded',
			async () => {
				const e = await n8n.api.execution(executionId);
				return e.stoppedAt !== null ? e : undefined;
			},
			30_000,
			500,
		);
		expect(execution.status).toBe('canceled');
	});
});
