// The trigger/check examples use only parameters the nodes have, with values that validate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';
import { readTriggerConfig } from '../../nodes/Overshoot/trigger/parameters';
import { resolveWatcherOptions } from '../../nodes/Overshoot/watch/options';

const load = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8')) as { nodes: Array<{ type: string; parameters: IDataObject; credentials?: IDataObject }> };

function unknownNames(properties: INodeProperties[], params: IDataObject): string[] {
	const names = new Set(properties.map((p) => p.name));
	const bad = Object.keys(params).filter((k) => !names.has(k));
	const options = params.options as IDataObject | undefined;
	if (options) {
		const inner = new Set(properties.filter((p) => p.name === 'options').flatMap((p) => (p.options ?? []).map((o) => ('name' in o ? o.name : ''))));
		bad.push(...Object.keys(options).filter((k) => !inner.has(k)).map((k) => `options.${k}`));
	}
	return bad;
}

describe.each(['trigger-video-file.json', 'camera-alert.json'])('%s', (file) => {
	const node = load(file).nodes.find((n) => n.type === 'n8n-nodes-overshoot.overshootTrigger')!;
	it('uses known parameters that validate', () => {
		expect(unknownNames(new OvershootTrigger().description.properties, node.parameters)).toEqual([]);
		const read = (name: string, fallback?: unknown) => (node.parameters[name] === undefined ? fallback : node.parameters[name]);
		const config = readTriggerConfig(read, String((node.parameters.model as IDataObject).value), { username: 'u', password: 'p' });
		expect(() => resolveWatcherOptions(config.watcher)).not.toThrow();
		expect(JSON.stringify(node)).not.toMatch(/rtsp:\/\/[^/]*@/); // no login in a URL
		expect(node.credentials).toHaveProperty('overshootApi');
	});
});

test('check-once.json uses the Check operation with known parameters', () => {
	const node = load('check-once.json').nodes.find((n) => n.type === 'n8n-nodes-overshoot.overshoot')!;
	expect(node.parameters).toMatchObject({ resource: 'check', operation: 'run' });
	expect(unknownNames(new Overshoot().description.properties, node.parameters)).toEqual([]);
});
