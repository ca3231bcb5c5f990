// Runs the Overshoot steps of every examples/*.json workflow against the emulator, in the
// workflow's own order, with its own parameters (expressions of the one form the examples use,
// $('Node').item.json.field, are resolved from earlier outputs). The real-n8n e2e tests run the
// same files in n8n; this catches broken parameters long before that. Trigger examples and
// Check (which needs local media and LiveKit) are covered by trigger-*.test.ts and the e2e tests.
// The emulator serves a catalogue that shares no model id with anything we ship
// (test/support/foreign-catalog.ts): the examples must run unchanged on any catalogue.
import fs from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { startEmulator, type Emulator } from '../../emulator/server';
import {
	catalogIdsInShippedFiles,
	FOREIGN_AUTOMATIC,
	FOREIGN_CATALOG,
} from '../support/foreign-catalog';
import { imageItem, runNode, type Credentials } from './action-harness';

const DIR = path.join(__dirname, '..', '..', 'examples');
const files = fs.readdirSync(DIR).filter((f) => {
	if (!f.endsWith('.json')) return false;
	const text = fs.readFileSync(path.join(DIR, f), 'utf8');
	return text.includes('n8n-nodes-base.manualTrigger') && !text.includes('"resource": "check"');
});

interface WfNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: IDataObject;
	credentials?: IDataObject;
}
interface Wf {
	id: string;
	nodes: WfNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

function order(wf: Wf): WfNode[] {
	const start = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
	const out: WfNode[] = [];
	for (
		let name: string | undefined = start.name;
		name;
		name = wf.connections[name]?.main[0]?.[0]?.node
	) {
		out.push(wf.nodes.find((n) => n.name === name)!);
	}
	return out;
}

function resolve(value: unknown, outputs: Record<string, INodeExecutionData[]>): unknown {
	if (typeof value === 'string') {
		const m = /^=\{\{ \$\('([^']+)'\)\.item\.json\.(\w+) \}\}$/.exec(value);
		if (m) return outputs[m[1]][0].json[m[2]];
		if (value.startsWith('=')) throw new Error(`unsupported expression in example: ${value}`);
		return value;
	}
	if (Array.isArray(value)) return value.map((v) => resolve(v, outputs));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, outputs)]));
	return value;
}

let emulator: Emulator;
let creds: Credentials;
beforeAll(async () => {
	emulator = await startEmulator({ models: FOREIGN_CATALOG });
	creds = { apiKey: 'ovs-example-key', baseUrl: emulator.baseUrl };
});
afterAll(async () => emulator?.close());

test('the catalogue shares no model id with nodes/, examples/ or credentials/', () => {
	expect(catalogIdsInShippedFiles()).toEqual([]);
});

describe.each(files)('examples/%s', (file) => {
	it('runs, and leaves no stream behind', async () => {
		const wf = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Wf;
		const outputs: Record<string, INodeExecutionData[]> = {};
		let binary: Buffer | undefined;
		for (const node of order(wf).slice(1)) {
			if (node.type === 'n8n-nodes-base.code') {
				binary = Buffer.from(
					/const png = '([^']+)'/.exec(String(node.parameters.jsCode))![1],
					'base64',
				);
				outputs[node.name] = [imageItem('data', 'image/png')];
				continue;
			}
			expect(node.type).toBe('n8n-nodes-overshoot.overshoot');
			expect(node.credentials).toEqual({
				overshootApi: { id: 'ovsExampleCred01', name: 'Overshoot account' },
			});
			const params = resolve(node.parameters, outputs) as IDataObject;
			outputs[node.name] = await runNode({
				credentials: creds,
				typeVersion: node.typeVersion,
				params,
				items: binary ? [imageItem('data', 'image/png')] : undefined,
				binaries: binary ? { data: binary } : undefined,
			});
			expect(outputs[node.name].length).toBeGreaterThan(0);
		}
		const state = await emulator.control.state();
		expect(state.streams.filter((s) => s.state === 'active')).toEqual([]);
		if (file === 'chat-complete-image.json') {
			expect(String(outputs['Ask About Snapshot'][0].json.answer).toLowerCase()).toContain('red');
			expect(outputs['Ask About Snapshot'][0].json.model).toBe(FOREIGN_AUTOMATIC.image); // Automatic, and says which
		}
		if (file === 'chat-scheduled-check.json')
			expect(outputs['Check Snapshot'][0].json.json).toMatchObject({ red: true });
		if (file === 'stream-delete.json')
			expect(outputs['Delete Again'][0].json).toMatchObject({ deleted: true }); // 200 inside the tombstone window, 404 (already_ended) after it
	});
});
