// The node description: stable names, menus built from the resource registry, and every
// property reachable only where it belongs.
import type { INodeProperties } from 'n8n-workflow';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { findOperation, resources } from '../../nodes/Overshoot/actions';

const description = new Overshoot().description;

function optionValues(p: INodeProperties | undefined): unknown[] {
	return (p?.options ?? []).map((o) => ('value' in o ? o.value : undefined));
}

describe('Overshoot node description', () => {
	it('keeps its public names', () => {
		expect(description.name).toBe('overshoot');
		expect(description.displayName).toBe('Overshoot');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.map((c) => [c.name, c.required])).toEqual([
			['overshootApi', true],
			['overshootCameraApi', false],
		]);
	});

	it('offers exactly the action resources and operations', () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		// `check` is another engineer's resource (one line in actions/resources.ts); allowed, not required.
		expect(optionValues(resource).filter((v) => v !== 'check')).toEqual([
			'chat',
			'model',
			'stream',
		]);
		const ops = Object.fromEntries(
			description.properties
				.filter((p) => p.name === 'operation')
				.map((p) => [p.displayOptions?.show?.resource?.[0], optionValues(p)]),
		);
		delete ops.check;
		expect(ops).toEqual({
			chat: ['complete'],
			model: ['list'],
			stream: ['create', 'delete', 'get', 'renewLease'],
		});
	});

	it('gives every operation an action text and every property a default', () => {
		for (const p of description.properties.filter((x) => x.name === 'operation')) {
			for (const o of p.options ?? []) expect('action' in o && o.action).toBeTruthy();
		}
		for (const p of description.properties) expect(p).toHaveProperty('default');
	});

	it('shows each operation field only for its resource and operation', () => {
		for (const r of resources) {
			for (const o of r.operations) {
				expect(findOperation(r.value, o.value)).toBe(o);
				const fields = description.properties.filter(
					(p) =>
						o.properties.some((q) => q.name === p.name) &&
						p.displayOptions?.show?.operation?.includes(o.value),
				);
				for (const f of fields) expect(f.displayOptions?.show?.resource).toEqual([r.value]);
			}
		}
		expect(findOperation('stream', 'nope')).toBeUndefined();
	});

	it('has a model picker loaded from /models', () => {
		const model = description.properties.find((p) => p.name === 'model');
		expect(model?.type).toBe('resourceLocator');
		expect(new Overshoot().methods.listSearch.searchModels).toBeInstanceOf(Function);
	});
});
