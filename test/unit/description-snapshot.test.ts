// The safety net for users' saved workflows: a saved workflow stores node and credential names,
// parameter names and only the values that differ from their defaults, so a renamed parameter, a
// changed default, a removed option value or a moved displayOptions condition silently changes
// what a saved workflow does. This test snapshots everything a saved workflow depends on (and the
// texts the editor shows) of every node and credential, as the build emits them, into
// test/unit/snapshots/descriptions.json, which is committed and read in review.
//
// When it fails: if the change is meant (a new field, a new option, a new text), re-record with
// `OVS_UPDATE_DESCRIPTIONS=1 npx jest --selectProjects unit test/unit/description-snapshot.test.ts`
// and review the JSON diff. If it changes a name or a default of an existing parameter, the
// change needs a new node version instead (ARCHITECTURE.md, "Versioning rule").
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { OvershootApi } from '../../credentials/OvershootApi.credentials';
import { OvershootCameraApi } from '../../credentials/OvershootCameraApi.credentials';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';

const SNAPSHOT = path.join(__dirname, 'snapshots', 'descriptions.json');
const root = path.resolve(__dirname, '..', '..');

/** Plain JSON with object keys sorted (key order inside an object means nothing; array order does). */
function normalize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalize);
	if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[key];
			if (v !== undefined) out[key] = normalize(v);
		}
		return out;
	}
	return value;
}

interface Classes {
	Overshoot: new () => { description: unknown; methods?: Record<string, Record<string, unknown>> };
	OvershootTrigger: new () => {
		description: unknown;
		methods?: Record<string, Record<string, unknown>>;
	};
	OvershootApi: new () => object;
	OvershootCameraApi: new () => object;
}

/** What a saved workflow and the editor see of every node (all versions: one description lists them) and credential. */
function describeAll(classes: Classes): unknown {
	const node = (Type: Classes['Overshoot']) => {
		const instance = new Type();
		// Method names are referenced by the description (listSearch, credential tests).
		const methods = Object.fromEntries(
			Object.entries(instance.methods ?? {}).map(([kind, fns]) => [kind, Object.keys(fns).sort()]),
		);
		return { description: instance.description, methods };
	};
	return normalize({
		nodes: { Overshoot: node(classes.Overshoot), OvershootTrigger: node(classes.OvershootTrigger) },
		credentials: {
			OvershootApi: { ...new classes.OvershootApi() },
			OvershootCameraApi: { ...new classes.OvershootCameraApi() },
		},
	});
}

const fromSources = describeAll({ Overshoot, OvershootTrigger, OvershootApi, OvershootCameraApi });

describe('node and credential descriptions (what saved workflows depend on)', () => {
	it('match the committed snapshot', () => {
		const text = `${JSON.stringify(fromSources, null, '\t')}\n`;
		if (process.env.OVS_UPDATE_DESCRIPTIONS === '1') writeFileSync(SNAPSHOT, text);
		expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(SNAPSHOT, 'utf8')));
	});

	// The trigger, Check and Stream → Create (from 1.2) refuse logins in URLs (the camera credential
	// holds them): no placeholder or description may teach `rtsp://user:password@…`.
	it('teach no login inside a URL', () => {
		const texts: string[] = [];
		const collect = (v: unknown, key = ''): void => {
			if (typeof v === 'string' && ['placeholder', 'description', 'hint', 'default'].includes(key))
				texts.push(v);
			else if (Array.isArray(v)) v.forEach((x) => collect(x, key));
			else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
		};
		collect(fromSources);
		expect(texts.length).toBeGreaterThan(100);
		expect(texts.filter((t) => /[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i.test(t))).toEqual([]);
	});

	// `npm test` builds dist/ first (OVS_BUILT=1): the package n8n loads must describe the same nodes.
	const built = process.env.OVS_BUILT === '1' ? it : it.skip;
	built('are the same in the built package (dist/)', () => {
		const load = (file: string) => require(path.join(root, 'dist', file)) as Record<string, never>;
		const fromDist = describeAll({
			Overshoot: load('nodes/Overshoot/Overshoot.node.js').Overshoot,
			OvershootTrigger: load('nodes/Overshoot/OvershootTrigger.node.js').OvershootTrigger,
			OvershootApi: load('credentials/OvershootApi.credentials.js').OvershootApi,
			OvershootCameraApi: load('credentials/OvershootCameraApi.credentials.js').OvershootCameraApi,
		});
		expect(fromDist).toEqual(fromSources);
	});
});
