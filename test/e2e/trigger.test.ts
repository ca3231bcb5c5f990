// The Overshoot Trigger in a real n8n 2.40.7 (`n8n start`, package installed from the tarball),
// against the emulator as its own process with a real livekit-server, watching a GStreamer RTSP
// camera: an example trigger workflow is activated through the public API, the camera's scene
// changes from gray to red, and the one execution that follows is read back through the API with
// its snapshot, whose pixels must be red. Deactivation must leave no stream, room, camera reader
// or publisher process behind; a rejected API key must fail activation with the cause and leave
// nothing running.
//
// The workflow is examples/trigger-video-file.json ("Is the scene red?", fire on becoming "Yes")
// with its source switched to the camera. camera-alert.json cannot be used as is: its condition is
// the JSON field `person_present`, which the emulator (colours, not people) never produces.
//
// n8n 2.40 publishes workflows through an outbox by default: `POST …/activate` answers 200 once
// the publication is queued and the trigger starts right after; an activation error then shows in
// `GET /rest/workflows/{id}/publication-status`. With N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false
// activation is synchronous and an error is the API's answer (400). Both are checked.

import { FOREIGN_AUTOMATIC, writeCatalog } from '../support/foreign-catalog';
import { makeTempDir, type TempDir } from '../../harness/media';
import { packedTarball, type Credential } from '../../harness/n8n';
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
import { expectQuietOnGray, expectRedSnapshot } from '../support/trigger-checks';
import { waitFor } from '../../harness/wait';
import { onCamera, overshootCredential, TRIGGER_EXAMPLE_NODE as TRIGGER_NODE } from './fixtures';

const BAD_CREDENTIAL = { id: 'ovsE2eBadKey01', name: 'Overshoot (rejected key)' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CAUSE = 'Overshoot API error 401: Invalid API key';

function credentials(url: string): Credential[] {
	return [
		overshootCredential(url),
		// The emulator rejects (401) any key that contains "invalid".
		{
			...BAD_CREDENTIAL,
			type: 'overshootApi',
			data: { apiKey: 'ovs-invalid-key', baseUrl: `${url}/v1` },
		},
	];
}

describe('n8n 2.40 defaults (publication service)', () => {
	let camera: RtspServer;
	let stack: TriggerStack;
	let goodId: string;
	let badId: string;
	let catalogDir: TempDir;

	beforeAll(async () => {
		camera = await startRtspServer({ color: '808080', width: 320, height: 240, fps: 10 });
		// The example names no model: on a catalogue that shares no id with us it picks one itself.
		catalogDir = await makeTempDir('ovs-catalog-');
		stack = await startTriggerStack({
			tarball: packedTarball(),
			credentials,
			emulatorArgs: ['--catalog', writeCatalog(catalogDir.dir)],
			workflows: [
				onCamera(camera.url, 'ovsE2eTrigCam01'),
				onCamera(camera.url, 'ovsE2eTrigBad01', BAD_CREDENTIAL),
			],
		});
		[goodId, badId] = stack.workflowIds;
	});

	afterAll(async () => {
		await stack?.stop();
		await camera?.stop();
		await catalogDir?.cleanup();
	});

	/** Chat calls the trigger made about a stream, oldest first. */
	const callsFor = async (streamId: string) =>
		(await stack.chatCalls()).filter((c) => c.streamIds.includes(streamId));

	test('activated on n8n start, the trigger stays quiet on a gray scene and fires once with a red snapshot when it turns red', async () => {
		const { n8n } = stack;
		await n8n.api.activate(goodId);
		try {
			// Published = trigger() resolved: the stream exists and frames flow; it then asks every 2 s.
			expect(await waitForPublication(n8n, goodId)).toMatchObject({
				status: 'published',
				triggers: [{ status: 'activated' }],
			});
			const active = (await stack.emulatorState()).streams.filter((s) => s.state === 'active');
			expect(active).toHaveLength(1);
			const streamId = active[0].id;
			// One camera reader and one room publisher, each in its own process.
			expect(
				watchProcessesBelow(n8n.serverPid()!)
					.map((p) => p.role)
					.sort(),
			).toEqual(['publisher', 'reader']);

			await expectQuietOnGray(stack, goodId, streamId, 3);

			await camera.setColor('ff0000');
			const [execution] = await n8n.api.waitForExecutions(goodId, 1, 30_000);
			expect({ status: execution.status, mode: execution.mode }).toEqual({
				status: 'success',
				mode: 'trigger',
			});

			const item = executionItem(execution, TRIGGER_NODE);
			expect(item?.json).toMatchObject({
				event: 'match',
				fired: true,
				matched: true,
				stream_id: streamId,
				condition: { kind: 'yes', matched: true },
			});
			expect(item!.json.answer).toMatch(/^Yes/);
			expect(item!.json.model).toBe(FOREIGN_AUTOMATIC.image); // Automatic, the same for the whole activation
			expect(new Set((await callsFor(streamId)).map((c) => c.model))).toEqual(
				new Set([FOREIGN_AUTOMATIC.image]),
			);
			expect(item!.json.stream_id).toMatch(UUID);
			expect(executionItem(execution, 'Match')?.json.stream_id).toBe(streamId); // it ran the rest of the workflow

			await expectRedSnapshot(n8n, item!.binary?.snapshot);

			// "Only when it becomes true": the scene stays red, the model keeps saying yes, no second run.
			const asked = (await callsFor(streamId)).length;
			await waitFor(
				'two more answers about the red scene',
				async () => ((await callsFor(streamId)).length >= asked + 2 ? true : undefined),
				15_000,
				250,
			);
			expect((await callsFor(streamId)).slice(-1)[0].responseText).toMatch(/^Yes/);
			expect(await n8n.api.executions(goodId, false)).toHaveLength(1);
		} finally {
			await n8n.api.deactivate(goodId);
			await camera.setColor('808080');
		}
		expect(await triggerLeftovers(stack)).toEqual(NO_LEFTOVERS);
	});

	test('a rejected API key: activation is accepted, the publication fails with the cause, nothing keeps running', async () => {
		const { n8n } = stack;
		const createsBefore = (await stack.emulatorState()).creates;

		const res = await n8n.api.publicResponse('POST', `/workflows/${badId}/activate`, {});
		expect(res.status).toBe(200);

		const publication = await waitForPublication(n8n, badId);
		expect(publication).toMatchObject({
			status: 'failed',
			liveVersionId: null,
			triggers: [{ status: 'failed' }],
		});
		expect(publication.triggers[0].errorMessage).toContain(CAUSE);
		expect((await stack.emulatorState()).creates).toBe(createsBefore);
		expect(await n8n.api.executions(badId, false)).toEqual([]);
		expect(await triggerLeftovers(stack)).toEqual(NO_LEFTOVERS);
		await n8n.api.deactivate(badId);
	});
});

describe('synchronous activation (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false)', () => {
	let stack: TriggerStack;

	beforeAll(async () => {
		stack = await startTriggerStack({
			tarball: packedTarball(),
			credentials,
			// Nothing is ever published: the key is refused before a camera would be opened.
			workflows: [onCamera('rtsp://127.0.0.1:9/cam', 'ovsE2eTrigBad02', BAD_CREDENTIAL)],
			env: { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' },
		});
	});

	afterAll(async () => {
		await stack?.stop();
	});

	test('a rejected API key fails activation with HTTP 400 and the cause, and leaves nothing running', async () => {
		const [id] = stack.workflowIds;
		const res = await stack.n8n.api.publicResponse('POST', `/workflows/${id}/activate`, {});

		expect(res.status).toBe(400);
		expect((res.body as { message?: string }).message).toContain(CAUSE);
		expect(
			(await stack.n8n.api.public<{ active: boolean }>('GET', `/workflows/${id}`)).active,
		).toBe(false);
		expect((await stack.emulatorState()).creates).toBe(0);
		expect(await triggerLeftovers(stack)).toEqual(NO_LEFTOVERS);
	});
});
