// n8n killed with SIGKILL (as the OOM killer or a power cut would) while an Overshoot Trigger is
// active, then started again on the same user folder and database, as a restart would. Nothing
// calls closeFunction. The trigger's camera reader and publisher processes must not outlive n8n,
// and the restarted trigger must end the stream the dead one left open — it is billed and holds a
// slot of the key's stream cap — instead of leaving it open until its lease runs out (300 s here).
// And when the cap is full anyway (other workflows hold every slot), activating the trigger still
// succeeds: it says in n8n's log why it waits, and starts watching as soon as a slot frees.

import { packedTarball } from '../../harness/n8n';
import { watchProcessesInGroup } from '../../harness/proc-tree';
import { startRtspServer, type RtspServer } from '../../harness/rtsp';
import { startTriggerStack, type TriggerStack } from '../../harness/trigger-stack';
import { waitFor } from '../../harness/wait';
import { onCamera, overshootCredential } from './fixtures';

const WORKFLOW_ID = 'ovsE2eCrash01';

describe('n8n killed with an active trigger, then restarted', () => {
	let camera: RtspServer;
	let stack: TriggerStack;

	beforeAll(async () => {
		camera = await startRtspServer({ color: '808080', width: 320, height: 240, fps: 10 });
		stack = await startTriggerStack({
			tarball: packedTarball(),
			credentials: (url) => [overshootCredential(url)],
			workflows: [onCamera(camera.url, WORKFLOW_ID)],
			activate: [WORKFLOW_ID],
		});
	});

	afterAll(async () => {
		await stack?.stop();
		await camera?.stop();
	});

	const activeStreams = async () =>
		(await stack.emulatorState()).streams.filter((s) => s.state === 'active').map((s) => s.id);

	test('no trigger process outlives n8n, and the restarted trigger ends the stream the killed one left open', async () => {
		const [ghost, ...others] = await activeStreams();
		expect({ ghost: typeof ghost, others }).toEqual({ ghost: 'string', others: [] });

		const group = await stack.n8n.crash();
		// The reader and the publisher see their parent go (closed pipes, IPC disconnect) and exit.
		const orphans = await waitFor(
			"the killed n8n's trigger processes to exit",
			async () => (watchProcessesInGroup(group).length === 0 ? [] : undefined),
			15_000,
			250,
		).catch(() => watchProcessesInGroup(group).map((p) => `${p.pid} ${p.role} ${p.comm}`));
		expect(orphans).toEqual([]);
		expect(await activeStreams()).toEqual([ghost]); // nobody ended it: n8n died

		await stack.n8n.start(); // n8n re-activates its active workflows at startup
		const [replacement] = await waitFor(
			'the restarted trigger to have one new stream',
			async () => {
				const ids = await activeStreams();
				return ids.length === 1 && ids[0] !== ghost ? ids : undefined;
			},
			90_000,
			500,
		);
		const ended = (await stack.emulatorState()).streams.find((s) => s.id === ghost);
		// Deleted by the new activation, long before its lease would have run out.
		expect({ state: ended?.state, endReason: ended?.endReason }).toEqual({
			state: 'ended',
			endReason: 'deleted',
		});
		expect(ended!.expiresAtMs).toBeGreaterThan(Date.now() + 60_000);
		expect(replacement).not.toBe(ghost);
		expect(stack.n8n.logs()).toMatch(/Ending 1 Overshoot stream\(s\) an earlier run left open/);
	});

	test('the stream cap is full when the trigger is activated: activation succeeds, the log says why it waits, and it watches once a slot frees', async () => {
		await stack.n8n.api.deactivate(WORKFLOW_ID);
		await waitFor(
			'the trigger to end its stream',
			async () => (await activeStreams()).length === 0,
			20_000,
			250,
		);
		const api = (method: string, p: string) =>
			fetch(`${stack.emulator.url}/v1${p}`, {
				method,
				headers: { authorization: 'Bearer ovs-test-key', 'content-type': 'application/json' },
				body: method === 'POST' ? '{}' : undefined,
				signal: AbortSignal.timeout(10_000),
			});
		const held: string[] = [];
		try {
			for (let i = 0; i < 5; i++)
				held.push(((await (await api('POST', '/streams')).json()) as { id: string }).id);
			expect((await api('POST', '/streams')).status).toBe(429); // the cap (5 per key) is full

			await stack.n8n.api.activate(WORKFLOW_ID); // resolves: n8n activates workflows one at a time, none may block it
			await waitFor(
				'the trigger to log why it waits',
				async () =>
					/Waiting for a free stream \(attempt 1, next in \d+ s\): Overshoot refused a new one: Concurrent stream limit reached \(5 active streams per API key\)/.test(
						stack.n8n.logs(),
					),
				20_000,
				250,
			);
			expect(await activeStreams()).toEqual(held);

			const calls = (await stack.chatCalls()).length;
			await api('DELETE', `/streams/${held.shift()}`);
			const mine = await waitFor(
				'the trigger to take the freed slot',
				async () => (await activeStreams()).find((id) => !held.includes(id)),
				45_000,
				250,
			);
			await waitFor(
				'a question about its stream',
				async () => (await stack.chatCalls()).slice(calls).some((c) => c.streamIds.includes(mine)),
				45_000,
				250,
			);
		} finally {
			for (const id of held) await api('DELETE', `/streams/${id}`);
		}
	});
});
