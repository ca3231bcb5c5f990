// The bad-input catalogue: what a careless user can type, paste or wire into the Overshoot node,
// each case a node of ONE real workflow run once in a real n8n (with the packed package) against
// the emulator as its own process. Every case node has "Continue On Fail", so its output item is
// the error exactly as the user sees it. For each case the table gives the exact message, the
// field it names, and the requests the emulator must have received for it (none where the input
// is refused); afterwards no stream, room or process may be left.

import fs from 'node:fs';
import path from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulator-process';
import { makeColorVideo, makeTempDir, type TempDir } from '../../harness/media';
import {
	nodeItems,
	startN8n,
	type Credential,
	type N8nInstance,
	type RunData,
} from '../../harness/n8n';
import { freePort } from '../../harness/processes';
import type { ProcInfo } from '../../harness/proc-tree';
import {
	BAD_CREDENTIALS,
	catalogueWorkflow,
	cases,
	env,
	NOTHING_SENT,
	type Case,
} from './bad-input-cases';
import { overshootCredential } from './fixtures';

interface RequestRecord {
	method: string;
	path: string;
	status: number;
}

describe('the bad-input catalogue in a real n8n', () => {
	let emulator: EmulatorProcess;
	let n8n: N8nInstance;
	let media: TempDir;
	let list: Case[];
	let run: RunData;
	let leftovers: ProcInfo[];
	let requests: RequestRecord[];
	const started = Date.now();

	beforeAll(async () => {
		media = await makeTempDir('ovs-bad-input-');
		env.dir = media.dir;
		env.outside = path.join(media.dir, '..', 'outside.mp4');
		env.symlink = path.join(media.dir, 'linked.mp4');
		env.deadPort = await freePort();
		await makeColorVideo({ dir: media.dir, name: 'a.mp4', colors: ['ff0000'], segmentS: 1 });
		// A link inside the allowed folder to a file outside it.
		fs.symlinkSync('/etc/hostname', env.symlink);
		// OVS_CATALOGUE_ONLY=<regex> runs a subset (while working on one case).
		const only = process.env.OVS_CATALOGUE_ONLY
			? new RegExp(process.env.OVS_CATALOGUE_ONLY)
			: undefined;
		list = cases().filter((c) => !only || only.test(c.name));
		emulator = await startEmulatorProcess({ withLivekit: true });
		n8n = await startN8n({ env: { N8N_RESTRICT_FILE_ACCESS_TO: media.dir } });
		const good = overshootCredential(emulator.url);
		const bad: Credential[] = Object.entries(BAD_CREDENTIALS).map(([key, patch]) => ({
			id: `bad-${key}`,
			name: `Bad: ${key}`,
			type: 'overshootApi',
			data: {
				...good.data,
				...patch,
				...('baseUrl' in patch ? { baseUrl: patch.baseUrl.replace('EMULATOR', emulator.url) } : {}),
			},
		}));
		await n8n.importCredentials([good, ...bad]);
		const [id] = await n8n.importWorkflows([catalogueWorkflow(list)]);
		({ run, leftovers } = await n8n.executeWithProcesses(id, 240_000));
		requests = (await (
			await fetch(`${emulator.url}/_emulator/requests`)
		).json()) as RequestRecord[];
	});

	afterAll(async () => {
		await Promise.all([n8n?.stop(), emulator?.stop(), media?.cleanup()]);
		// For the report: how long the whole catalogue took (one n8n, one execution).
		console.log(
			`bad-input catalogue: ${list?.length ?? 0} cases in ${Math.round((Date.now() - started) / 1000)} s`,
		);
	});

	it('has at least 35 cases, each its own node', () => {
		expect(cases().length).toBeGreaterThanOrEqual(35);
		expect(new Set(list.map((c) => c.name)).size).toBe(list.length);
	});

	test.each(cases().map((c) => [c.name, c] as const))('%s', (_name, declared) => {
		const c = list.find((x) => x.name === declared.name);
		if (!c) return; // left out by OVS_CATALOGUE_ONLY
		const items = nodeItems(run, c.name);
		expect(items).toHaveLength(1);
		const item = items[0];
		if ('ok' in c.expect) {
			expect(item.error).toBeUndefined();
			expect(item).toMatchObject(c.expect.ok);
			return;
		}
		if (typeof c.expect.message === 'string') expect(item.error).toBe(c.expect.message);
		else expect(item.error).toMatch(c.expect.message);
		if (c.expect.field)
			expect(item.description).toBe(`Fix the "${c.expect.field}" parameter. ${NOTHING_SENT}`);
	});

	it('the emulator received exactly the requests the cases that reach it send, and nothing for refused input', () => {
		const expected = list.flatMap((c) => c.requests ?? []).sort();
		// The stream the dead-camera Check opened has an id nobody knows in advance.
		const got = requests.map((r) =>
			`${r.method} ${r.path.replace(/^\/v1(beta)?/, '')}`.replace(
				/^DELETE \/streams\/(?!00000000-)[0-9a-f-]{36}$/,
				'DELETE /streams/*',
			),
		);
		expect(got.sort()).toEqual(expected);
	});

	it('the 1 MB and the unicode prompt were each sent once and answered', async () => {
		const calls = (await (await fetch(`${emulator.url}/_emulator/chat-calls`)).json()) as Array<{
			status: number;
		}>;
		expect(calls.map((c) => c.status)).toEqual([200, 200]);
	});

	it('nothing is left: no active stream, no open room, no reader or publisher process', async () => {
		const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
			streams: Array<{ state: string }>;
			openRooms: string[];
		};
		expect(state.streams.filter((s) => s.state !== 'ended')).toEqual([]);
		expect(state.openRooms).toEqual([]);
		expect(leftovers.map((p) => `${p.pid} ${p.comm}`)).toEqual([]);
	});
});
