// The stream ledger on a real file: a session records the stream it owns, forgets it once
// deleted, and the next session on the same ledger ends what a crashed run left open (before
// creating its own stream, so the crashed run's ghost does not hold a slot of the key's cap).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OvershootClient } from '../../nodes/Overshoot/api/client';
import { OvershootApiError } from '../../nodes/Overshoot/api/errors';
import { FileStreamLedger } from '../../nodes/Overshoot/watch/stream-ledger';
import { StreamSession } from '../../nodes/Overshoot/watch/stream-session';
import { triggerStreamLedger } from '../../nodes/Overshoot/trigger/stream-ledger-file';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-ledger-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function scriptedClient(deleteFails = new Set<string>()) {
	const calls: string[] = [];
	const client = {
		createStream: jest.fn(async () => {
			const id = `stream-${++n}`;
			calls.push(`create ${id}`);
			return {
				id,
				state: 'active',
				publish: { type: 'livekit', url: 'ws://x', token: 't' },
				expires_at_ms: Date.now() + 300_000,
				ttl_seconds: 300,
			};
		}),
		keepalive: jest.fn(async (id: string) => ({
			id,
			expires_at_ms: Date.now() + 600_000,
			ttl_seconds: 600,
			stream_time_ms: 0,
		})),
		deleteStream: jest.fn(async (id: string) => {
			calls.push(`delete ${id}`);
			if (deleteFails.has(id)) throw new OvershootApiError(500, 'boom', 'later');
			return { id, deleted: true };
		}),
	};
	return { client: client as unknown as OvershootClient, calls };
}
const entriesIn = (file: string) =>
	fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
const settle = () => new Promise((r) => setTimeout(r, 50));

test('a session records its stream while it runs and removes the record once deleted', async () => {
	const file = path.join(dir, 'ledger.json');
	const { client } = scriptedClient();
	const s = new StreamSession(
		client,
		{ onStreamLost: 'fail', ledger: new FileStreamLedger(file) },
		{ onFatal: jest.fn() },
	);
	const created = await s.open();
	await settle();
	expect(entriesIn(file)).toEqual([{ streamId: created.id, expiresAtMs: created.expires_at_ms }]);
	expect(fs.statSync(file).mode & 0o777).toBe(0o600);
	await s.end();
	await settle();
	expect(fs.existsSync(file)).toBe(false);
});

test('the next run ends the streams a crashed run left open, before it creates its own', async () => {
	const file = path.join(dir, 'ledger.json');
	const crashed = scriptedClient();
	const first = new StreamSession(
		crashed.client,
		{ onStreamLost: 'fail', ledger: new FileStreamLedger(file) },
		{ onFatal: jest.fn() },
	);
	const ghost = await first.open();
	await settle();
	// "Crash": the first run is never ended; a new process reads the same file.
	const next = scriptedClient();
	const s = new StreamSession(
		next.client,
		{ onStreamLost: 'fail', ledger: new FileStreamLedger(file) },
		{ onFatal: jest.fn() },
	);
	const created = await s.open();
	expect(next.calls).toEqual([`delete ${ghost.id}`, `create ${created.id}`]);
	await settle();
	expect(entriesIn(file).map((e: { streamId: string }) => e.streamId)).toEqual([created.id]);
	await s.end();
	await first.end(); // test hygiene only: stops its keepalive loop
});

test('a leftover that cannot be deleted now stays for the next activation; expired ones are dropped', async () => {
	const file = path.join(dir, 'ledger.json');
	fs.writeFileSync(
		file,
		JSON.stringify([
			{ streamId: 'stuck', expiresAtMs: Date.now() + 60_000 },
			{ streamId: 'expired', expiresAtMs: Date.now() - 1 },
			{ nonsense: true },
		]),
	);
	const { client, calls } = scriptedClient(new Set(['stuck']));
	const s = new StreamSession(
		client,
		{ onStreamLost: 'fail', ledger: new FileStreamLedger(file) },
		{ onFatal: jest.fn() },
	);
	const created = await s.open();
	expect(calls).toEqual(['delete stuck', `create ${created.id}`]);
	await settle();
	expect(
		entriesIn(file)
			.map((e: { streamId: string }) => e.streamId)
			.sort(),
	).toEqual([created.id, 'expired', 'stuck'].sort());
	expect(await new FileStreamLedger(file).leftovers()).toEqual(
		expect.not.arrayContaining([expect.objectContaining({ streamId: 'expired' })]),
	);
	await s.end();
});

test('an unreadable ledger never stops the session', async () => {
	const file = path.join(dir, 'ledger.json');
	fs.writeFileSync(file, '{not json');
	const { client, calls } = scriptedClient();
	const s = new StreamSession(
		client,
		{ onStreamLost: 'fail', ledger: new FileStreamLedger(file) },
		{ onFatal: jest.fn() },
	);
	const created = await s.open();
	expect(calls).toEqual([`create ${created.id}`]);
	await s.end();
});

test("each trigger has its own file in n8n's folder; a test run never shares the active run's", () => {
	const env = { N8N_USER_FOLDER: dir };
	const files = ['wf/1', 'wf 2'].flatMap((wf) =>
		[false, true].map(
			(manual) =>
				(triggerStreamLedger(wf, 'node-1', manual, env) as unknown as { file: string }).file,
		),
	);
	expect(new Set(files).size).toBe(4);
	for (const f of files) expect(path.dirname(f)).toBe(path.join(dir, '.n8n', 'overshoot-streams'));
	expect(triggerStreamLedger(undefined, 'node-1', false, env)).toBeUndefined();
});
