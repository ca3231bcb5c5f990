// Shared e2e fixtures: the credentials the example workflows reference, the examples themselves,
// and small workflows.

import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowJson } from '../../harness/n8n';
import { NODE_TYPE } from '../../harness/n8n';
import { REPO_ROOT } from '../../harness/paths';

// The credentials live in the harness, which the benchmarks and the demo share with the tests.
import { EXAMPLE_CREDENTIAL } from '../../harness/example-credentials';
export {
	EXAMPLE_CAMERA_CREDENTIAL,
	EXAMPLE_CREDENTIAL,
	overshootCredential,
} from '../../harness/example-credentials';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Every workflow in examples/, by file name, in file-name order. */
export function exampleWorkflows(): Array<{ file: string; workflow: WorkflowJson }> {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson,
		}));
}

const MANUAL_START = {
	id: 'e2e-manual',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
/** Fires every second once the workflow is active: exercises activation and execution read-back. */
const SCHEDULE_START = {
	id: 'e2e-schedule',
	name: 'Start',
	type: 'n8n-nodes-base.scheduleTrigger',
	typeVersion: 1.2,
	position: [0, 0],
	parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } },
};

/** Manual Trigger (or, `scheduled`, a 1 s Schedule Trigger) → Overshoot (Model → List). */
export function listModelsWorkflow(scheduled = false): WorkflowJson {
	return {
		name: scheduled ? 'e2e: list models every second' : 'e2e: list models',
		nodes: [
			scheduled ? SCHEDULE_START : MANUAL_START,
			{
				id: 'e2e-list',
				name: 'List Models',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'model', operation: 'list' },
				credentials: { overshootApi: EXAMPLE_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: 'List Models', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A stream id the emulator has never seen: Get answers 404. */
export const UNKNOWN_STREAM_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Manual Trigger → Overshoot (Stream → Get) of an unknown stream, twice: "Get Fails" stops the
 * run with the API's error; with `continueOnError` the node outputs an error item instead.
 */
export function getUnknownStreamWorkflow(continueOnError: boolean): WorkflowJson {
	return {
		name: `e2e: get an unknown stream${continueOnError ? ' (continue on error)' : ''}`,
		nodes: [
			MANUAL_START,
			{
				id: 'e2e-get',
				name: 'Get Stream',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'stream', operation: 'get', streamId: UNKNOWN_STREAM_ID },
				credentials: { overshootApi: EXAMPLE_CREDENTIAL },
				...(continueOnError ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'Get Stream', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export function example(file: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

/** The trigger node of examples/trigger-video-file.json. */
export const TRIGGER_EXAMPLE_NODE = 'Watch Sample Video';

/**
 * examples/trigger-video-file.json ("Is the scene red?", fires when the answer becomes yes) with
 * its source switched to an RTSP camera (and, optionally, another credential, and parameters merged
 * over the trigger's, `options` merged too).
 */
export function onCamera(
	cameraUrl: string,
	id: string,
	credential = EXAMPLE_CREDENTIAL,
	overrides: Record<string, unknown> = {},
): WorkflowJson {
	const workflow = example('trigger-video-file.json');
	const nodes = (
		workflow.nodes as Array<{
			name: string;
			parameters: Record<string, unknown>;
			credentials?: unknown;
		}>
	).map((node) => {
		if (node.name !== TRIGGER_EXAMPLE_NODE) return node;
		const { videoPath, loop, ...parameters } = node.parameters;
		(void videoPath, void loop);
		const options = { ...(parameters.options as object), ...(overrides.options as object) };
		return {
			...node,
			parameters: { ...parameters, source: 'rtsp', cameraUrl, ...overrides, options },
			credentials: { overshootApi: credential },
		};
	});
	return { ...workflow, id, name: `${workflow.name} (e2e camera)`, nodes, active: false };
}
