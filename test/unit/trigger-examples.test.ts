// The trigger/check examples use only parameters the nodes have, with values that validate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';
import { readModelChoice } from '../../nodes/Overshoot/shared/model';
import { AUTOMATIC } from '../../nodes/Overshoot/api/models';
import { readTriggerConfig } from '../../nodes/Overshoot/trigger/parameters';
import { resolveParams } from './helpers/fake-execute';
import { resolveWatcherOptions } from '../../nodes/Overshoot/watch/options';

const load = (name: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8')) as {
		nodes: Array<{
			type: string;
			typeVersion: number;
			parameters: IDataObject;
			credentials?: IDataObject;
		}>;
	};

/** getNodeParameter over resolved values (with n8n's extractValue for resource locators). */
function reader(values: IDataObject) {
	return (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => {
		const value = values[name] === undefined ? fallback : values[name];
		return options?.extractValue && value && typeof value === 'object' && 'value' in value
			? (value as IDataObject).value
			: value;
	};
}

function unknownNames(properties: INodeProperties[], params: IDataObject): string[] {
	const names = new Set(properties.map((p) => p.name));
	const bad = Object.keys(params).filter((k) => !names.has(k));
	const options = params.options as IDataObject | undefined;
	if (options) {
		const inner = new Set(
			properties
				.filter((p) => p.name === 'options')
				.flatMap((p) => (p.options ?? []).map((o) => ('name' in o ? o.name : ''))),
		);
		bad.push(
			...Object.keys(options)
				.filter((k) => !inner.has(k))
				.map((k) => `options.${k}`),
		);
	}
	return bad;
}

describe.each(['trigger-video-file.json', 'camera-alert.json', 'incident-alert.json'])(
	'%s',
	(file) => {
		const node = load(file).nodes.find((n) => n.type === 'n8n-nodes-overshoot.overshootTrigger')!;
		it('uses known parameters that validate', () => {
			expect(unknownNames(new OvershootTrigger().description.properties, node.parameters)).toEqual(
				[],
			);
			// As n8n hands them to the node: saved values plus the defaults of this node version.
			const values = resolveParams(
				new OvershootTrigger().description.properties,
				node.parameters,
				node.typeVersion,
			);
			const read = reader(values);
			expect(readModelChoice(read)).toEqual(AUTOMATIC); // examples never name a model
			const config = readTriggerConfig(
				read,
				readModelChoice(read),
				{ username: 'u', password: 'p' },
				node.typeVersion,
			);
			expect(() => resolveWatcherOptions(config.watcher)).not.toThrow();
			expect(JSON.stringify(node)).not.toMatch(/rtsp:\/\/[^/]*@/); // no login in a URL
			expect(node.credentials).toHaveProperty('overshootApi');
		});
	},
);

test('incident-alert.json: a version-2 trigger asking on change, firing on start and clear, branching on incident.state', () => {
	const workflow = load('incident-alert.json') as unknown as {
		nodes: Array<{ name: string; type: string; typeVersion: number; parameters: IDataObject }>;
		connections: IDataObject;
	};
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-overshoot.overshootTrigger')!;
	const read = (name: string, fallback?: unknown) =>
		trigger.parameters[name] === undefined ? fallback : trigger.parameters[name];
	const options = resolveWatcherOptions(
		readTriggerConfig(read, { kind: 'automatic' }, {}, trigger.typeVersion).watcher,
	);
	expect(options).toMatchObject({
		askWhen: { mode: 'change' },
		fire: { mode: 'incident', clearAfter: 2 },
	});
	expect(JSON.stringify(workflow.nodes)).toContain('$json.incident.state');
	expect(Object.keys(workflow.connections)).toEqual(
		expect.arrayContaining(['Loading Dock Camera', 'Started or Cleared?']),
	);
});

test('check-once.json uses the Check operation with known parameters', () => {
	const node = load('check-once.json').nodes.find(
		(n) => n.type === 'n8n-nodes-overshoot.overshoot',
	)!;
	expect(node.parameters).toMatchObject({ resource: 'check', operation: 'run' });
	expect(unknownNames(new Overshoot().description.properties, node.parameters)).toEqual([]);
});

describe('Model Choice and node versions (saved workflows keep their behaviour)', () => {
	const examples = [
		'camera-alert.json',
		'chat-complete-image.json',
		'chat-scheduled-check.json',
		'check-once.json',
		'trigger-video-file.json',
	];

	it.each([
		// The trigger's version 2 (When to Ask: trigger/versions.ts) keeps 1.1's Automatic.
		[
			'action node',
			new Overshoot().description,
			{ resource: 'chat', operation: 'complete' },
			[1, 1.1, 1.2],
		],
		['trigger', new OvershootTrigger().description, {}, [1, 1.1, 2]],
	])(
		'%s: version 1 defaults to Specific Model, 1.1 on to Automatic; the newest is what new nodes get',
		(_name, description, base, versions) => {
			expect(description.version).toEqual(versions);
			expect(description.defaultVersion).toBe(Math.max(...versions));
			expect(resolveParams(description.properties, base, 1).modelChoice).toBe('fixed');
			for (const v of versions.slice(1))
				expect(resolveParams(description.properties, base, v).modelChoice).toBe('automatic');
			// A version 1 node saved with its model keeps asking that model.
			const v1 = resolveParams(
				description.properties,
				{ ...base, model: { __rl: true, mode: 'id', value: 'x/y' } },
				1,
			);
			expect(readModelChoice(reader(v1))).toEqual({ kind: 'fixed', id: 'x/y' });
		},
	);

	it.each(examples)('%s: every Overshoot node is its newest version and names no model', (file) => {
		for (const node of load(file).nodes.filter((n) => n.type.startsWith('n8n-nodes-overshoot.'))) {
			expect(node.typeVersion).toBe(
				node.type === 'n8n-nodes-overshoot.overshootTrigger' ? 1.1 : 1.2,
			);
			expect(node.parameters).not.toHaveProperty('model');
		}
	});
});
