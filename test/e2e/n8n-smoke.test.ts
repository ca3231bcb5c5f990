// A real n8n 2.40.7 with the packed package installed as a community package runs
// Manual Trigger → Overshoot (Model → List) against the emulator, a separate process; then, on a
// running instance, loads both nodes and runs the node from an activated (scheduled) workflow.
// The tests share one instance and run in order.

import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulator-process';
import {
	NODE_TYPE,
	nodeItems,
	runError,
	startN8n,
	TRIGGER_TYPE,
	type N8nInstance,
} from '../../harness/n8n';
import { getUnknownStreamWorkflow, listModelsWorkflow, overshootCredential } from './fixtures';

/** The emulator refuses (401) every key that contains "invalid". */
const REJECTED_CREDENTIAL = (url: string) => ({
	id: 'ovsE2eBadKey01',
	name: 'Overshoot (rejected key)',
	type: 'overshootApi',
	data: { apiKey: 'ovs-invalid-key', baseUrl: `${url}/v1` },
});

let emulator: EmulatorProcess;
let n8n: N8nInstance;
let workflowId: string;
let scheduledId: string;
let failingId: string;
let continuingId: string;

beforeAll(async () => {
	emulator = await startEmulatorProcess();
	n8n = await startN8n();
	await n8n.importCredentials([
		overshootCredential(emulator.url),
		REJECTED_CREDENTIAL(emulator.url),
	]);
	[workflowId, scheduledId, failingId, continuingId] = await n8n.importWorkflows([
		listModelsWorkflow(),
		listModelsWorkflow(true),
		getUnknownStreamWorkflow(false),
		getUnknownStreamWorkflow(true),
	]);
});

afterAll(async () => {
	await Promise.all([n8n?.stop(), emulator?.stop()]);
});

test('n8n execute runs Model → List against the emulator and outputs one item per ready model', async () => {
	const expected = (await (await fetch(`${emulator.url}/v1/models`)).json()) as {
		data: Array<{ id: string; status: string }>;
	};
	const readyIds = expected.data.filter((m) => m.status === 'ready').map((m) => m.id);
	expect(readyIds.length).toBeGreaterThan(0);

	const run = await n8n.execute(workflowId);

	expect({ status: run.status, error: runError(run) }).toEqual({
		status: 'success',
		error: undefined,
	});
	const items = nodeItems(run, 'List Models');
	expect(items.map((i) => i.id)).toEqual(readyIds);
	expect(items.every((i) => i.ready === true)).toBe(true);
});

test('an API error stops the run with the server\'s message and what to do; with "continue" it becomes an error item', async () => {
	const failed = await n8n.execute(failingId);
	expect(failed.status).toBe('error');
	const error = runError(failed) ?? '';
	expect(error).toMatch(/^Get Stream: /);
	expect(error).toMatch(/404/);
	expect(error).toMatch(/Stream not found/i);
	expect(error).not.toContain('ovs-test-key');

	const continued = await n8n.execute(continuingId);
	expect(continued.status).toBe('success');
	const [item] = nodeItems(continued, 'Get Stream');
	expect(String(item.error)).toMatch(/404/);
});

test('n8n start loads both nodes and both credential types, and logs no load failure', async () => {
	await n8n.start();
	const nodes = await n8n.api.nodeTypeNames();
	expect(nodes).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_TYPE]));
	const credentials = await n8n.api.credentialTypeNames();
	expect(credentials).toEqual(expect.arrayContaining(['overshootApi', 'overshootCameraApi']));
	expect(n8n.loadErrors()).toEqual([]);
});

test('the editor\'s credential "Test" (POST /rest/credentials/test) passes for a good key on a v1-only server, fails for a refused key, and creates nothing', async () => {
	const control = async (method: string, path: string, body?: unknown) =>
		(
			await fetch(`${emulator.url}/_emulator${path}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			})
		).json() as Promise<{
			creates: number;
			faultsPending: number;
		}>;
	// A server with only the v1 endpoints: every billing route answers 404 (and the fault counts any use).
	await control('POST', '/faults', {
		status: 404,
		method: 'GET',
		path: '/billing',
		times: 100,
		body: { detail: 'Not Found' },
	});
	const before = await control('GET', '/state');
	const test = (credential: {
		id: string;
		name: string;
		type: string;
		data: Record<string, string>;
	}) =>
		n8n.api.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: credential,
		});
	try {
		const good = await test(overshootCredential(emulator.url) as never);
		expect(good).toEqual({
			status: 'OK',
			message: expect.stringMatching(/^Overshoot accepted the API key \(\d+ models? ready\)\.$/),
		});
		const bad = await test(REJECTED_CREDENTIAL(emulator.url));
		expect(bad).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/rejected this API key \(401\)/),
		});
		expect(JSON.stringify(bad)).not.toContain('ovs-invalid-key');
		const after = await control('GET', '/state');
		expect({
			creates: after.creates,
			billingCalls: before.faultsPending - after.faultsPending,
		}).toEqual({ creates: before.creates, billingCalls: 0 });
	} finally {
		await control('DELETE', '/faults');
	}
});

test('an activated workflow runs the node, and its executions are read back over the public API', async () => {
	await n8n.api.activate(scheduledId);
	try {
		const [first] = await n8n.api.waitForExecutions(scheduledId, 1, 30_000);
		expect({ status: first.status, mode: first.mode }).toEqual({
			status: 'success',
			mode: 'trigger',
		});
		expect(nodeItems({ data: first.data! }, 'List Models').length).toBeGreaterThan(0);
	} finally {
		await n8n.api.deactivate(scheduledId);
	}
});
