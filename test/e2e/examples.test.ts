// Every example workflow that starts with a Manual Trigger runs in a real n8n against the
// emulator, finishes with status success, and its last node outputs the keys examples/README.md
// promises. The expectations live in the table below; the test fails when an example has no row
// (so a new example cannot go unchecked) and when a row names a missing example.

import fs from 'node:fs';
import path from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../support/emulator-process';
import { nodeItems, runError, startN8n, type N8nInstance, type WorkflowJson } from '../support/n8n';
import { REPO_ROOT } from '../support/paths';
import { overshootCredential } from './fixtures';

interface Expectation {
	/** Node whose output is checked; defaults to the node that ran last. */
	node?: string;
	/** Keys every output item of that node must have (examples/README.md, "Outputs" column). */
	keys: string[];
}

/** file in examples/ → what its run must produce. Keep in step with examples/README.md. */
const EXPECTED: Record<string, Expectation> = {};

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

function manualExamples(): Array<{ file: string; workflow: WorkflowJson }> {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson }))
		.filter(({ workflow }) => (workflow.nodes as Array<{ type: string }>).some((n) => n.type === MANUAL_TRIGGER));
}

const examples = manualExamples();

test('every manual-trigger example has an expectation row, and every row an example', () => {
	expect(Object.keys(EXPECTED).sort()).toEqual(examples.map((e) => e.file));
});

describe('examples run in n8n against the emulator', () => {
	let emulator: EmulatorProcess;
	let n8n: N8nInstance;
	const ids = new Map<string, string>();

	beforeAll(async () => {
		if (examples.length === 0) return;
		emulator = await startEmulatorProcess({ withLivekit: true });
		n8n = await startN8n();
		await n8n.importCredentials([overshootCredential(emulator.url)]);
		const imported = await n8n.importWorkflows(examples.map((e) => e.workflow));
		examples.forEach((e, i) => ids.set(e.file, imported[i]));
	});

	afterAll(async () => {
		await Promise.all([n8n?.stop(), emulator?.stop()]);
	});

	if (examples.length === 0) {
		test.skip('no example starts with a Manual Trigger yet', () => undefined);
		return;
	}

	test.each(examples.map((e) => e.file))('%s', async (file) => {
		const run = await n8n.execute(ids.get(file)!);
		expect({ status: run.status, error: runError(run) }).toEqual({ status: 'success', error: undefined });
		const expected = EXPECTED[file];
		if (!expected) return; // reported by the table test above
		const node = expected.node ?? run.data.resultData.lastNodeExecuted!;
		const items = nodeItems(run, node);
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(Object.keys(item)).toEqual(expect.arrayContaining(expected.keys));
	});
});
