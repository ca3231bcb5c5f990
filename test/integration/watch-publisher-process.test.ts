// PublisherProcess against a real livekit-server: frames cross the pipe into a child process and
// reach a viewer; a killed child is restarted with a fresh token and frames flow again; close()
// leaves no process and no participant; the child inherits none of n8n's secrets; its opt-in heap
// report (for soak runs) writes only when asked.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEAP_REPORT_ENV, type HeapReportLine } from '../../nodes/Overshoot/watch/heap-report';
import { PublisherProcess } from '../../nodes/Overshoot/watch/publisher-process';
import type { PublisherStatus } from '../../nodes/Overshoot/watch/publisher-types';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { descendants } from '../../harness/proc-tree';
import { waitFor } from '../../harness/wait';
import { ColourSource, livekitToken, near, participantsIn, Viewer } from './watch-helpers';

let lk: LivekitServer;
beforeAll(async () => {
	lk = await startLivekit();
});
afterAll(async () => {
	await lk?.stop();
});

const alive = (pid: number) =>
	fs.existsSync(`/proc/${pid}`) &&
	!/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

test('frames reach the room from the child; a killed child is restarted; close() leaves nothing running', async () => {
	const room = 'pub-process';
	let tokensIssued = 0;
	const freshTarget = async () => (
		tokensIssued++,
		{ url: lk.url, token: await livekitToken(lk.apiKey, lk.apiSecret, room, 'camera', true) }
	);
	const statuses: PublisherStatus[] = [];
	const fatal = jest.fn();
	const source = new ColourSource([200, 30, 30], { fps: 10 });
	process.env.N8N_ENCRYPTION_KEY = 'must-not-reach-the-child';
	const publisher = new PublisherProcess(
		{
			width: source.width,
			height: source.height,
			fps: source.fps,
			giveUpAfterMs: 60_000,
			retryInitialMs: 300,
			retryMaxMs: 2000,
		},
		{ freshTarget, onStatus: (s) => statuses.push(s), onFatal: fatal },
	);
	const viewer = new Viewer();
	const pids: number[] = [];
	try {
		await publisher.connect(await freshTarget());
		expect(statuses.map((s) => s.kind)).toEqual(['connected']);
		const first = publisher.pid!;
		pids.push(first);
		expect(descendants(process.pid).map((p) => p.pid)).toContain(first);
		const env = fs.readFileSync(`/proc/${first}/environ`, 'utf8').split('\0');
		expect(env).toContain('MALLOC_ARENA_MAX=2');
		expect(env.join('\n')).not.toContain('must-not-reach-the-child');

		source.start({
			frame: (f) => publisher.publish(f),
			status: () => undefined,
			fatal: () => undefined,
		});
		await viewer.join(lk.url, await livekitToken(lk.apiKey, lk.apiSecret, room, 'viewer', false));
		await waitFor(
			'red frames at the viewer',
			() => viewer.latest && near(viewer.latest.rgb, [200, 30, 30]),
			20_000,
		);

		// A native crash in the child: n8n's process lives on and the publisher comes back by itself.
		const issuedBefore = tokensIssued;
		process.kill(first, 'SIGKILL');
		await waitFor(
			'a new publisher process',
			() => publisher.isLive && publisher.pid !== undefined && publisher.pid !== first,
			30_000,
			100,
		);
		pids.push(publisher.pid!);
		expect(tokensIssued).toBeGreaterThan(issuedBefore);
		expect(statuses.map((s) => s.kind)).toEqual(
			expect.arrayContaining(['reconnecting', 'reconnected']),
		);
		source.colour = [20, 40, 220];
		await waitFor(
			'blue frames from the new process',
			() => viewer.latest && near(viewer.latest.rgb, [20, 40, 220]),
			30_000,
		);
		expect(publisher.stats.rejoins).toBeGreaterThanOrEqual(1);
		expect(publisher.stats.published).toBeGreaterThan(1);
		expect(fatal).not.toHaveBeenCalled();
	} finally {
		delete process.env.N8N_ENCRYPTION_KEY;
		await source.stop();
		const t0 = Date.now();
		await publisher.close();
		await publisher.close(); // idempotent
		expect(Date.now() - t0).toBeLessThan(10_000);
		await viewer.leave();
	}
	for (const pid of pids) expect(alive(pid)).toBe(false);
	await waitFor(
		'no participant left',
		async () => (await participantsIn(lk, room)).length === 0,
		15_000,
		300,
	);
	expect(
		publisher.publish({
			data: new Uint8Array(source.width * source.height * 1.5),
			width: source.width,
			height: source.height,
			format: 'I420',
			seq: 0,
			capturedAtMs: Date.now(),
		}),
	).toBe(false);
});

test('a refused connect rejects with the reason and leaves no process', async () => {
	const publisher = new PublisherProcess(
		{ width: 64, height: 64, fps: 5, connectTimeoutMs: 3000 },
		{ freshTarget: () => null, onFatal: jest.fn() },
	);
	const before = descendants(process.pid).length;
	await expect(publisher.connect({ url: lk.url, token: 'not-a-token' })).rejects.toThrow(
		/401|invalid authorization/,
	);
	expect(publisher.pid).toBeUndefined();
	await waitFor('the child to be gone', () => descendants(process.pid).length <= before, 5000, 100);
	await publisher.close();
});

test('opt-in heap report: with OVERSHOOT_HEAP_REPORT_DIR the child writes its V8 heap statistics and a snapshot on SIGUSR2; without it, nothing', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-heap-report-'));
	const room = 'pub-heap-report';
	const target = async () => ({
		url: lk.url,
		token: await livekitToken(lk.apiKey, lk.apiSecret, room, 'camera', true),
	});
	const open = async () => {
		const publisher = new PublisherProcess(
			{ width: 64, height: 64, fps: 5 },
			{ freshTarget: target, onFatal: jest.fn() },
		);
		await publisher.connect(await target());
		return publisher;
	};
	try {
		const plain = await open();
		const plainPid = plain.pid!;
		await plain.close();
		process.env[HEAP_REPORT_ENV] = dir;
		const reporting = await open();
		const pid = reporting.pid!;
		try {
			const file = path.join(dir, `publisher-${pid}.jsonl`);
			const line = await waitFor(
				'a heap report line',
				() =>
					fs.existsSync(file)
						? (JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]) as HeapReportLine)
						: undefined,
				10_000,
				100,
			);
			expect(line.pid).toBe(pid);
			expect(line.heap.used_heap_size).toBeGreaterThan(1024 * 1024);
			expect(line.memory.rss).toBeGreaterThan(line.heap.used_heap_size);
			process.kill(pid, 'SIGUSR2');
			const snapshot = await waitFor(
				'a heap snapshot',
				() =>
					fs
						.readdirSync(dir)
						.find((f) => f.startsWith(`publisher-${pid}-`) && f.endsWith('.heapsnapshot')),
				30_000,
				200,
			);
			// Complete once it has its name; the process lives on and publishes.
			expect(
				JSON.parse(fs.readFileSync(path.join(dir, snapshot), 'utf8')).snapshot.meta,
			).toBeDefined();
			expect(reporting.isLive).toBe(true);
		} finally {
			await reporting.close();
		}
		expect(fs.readdirSync(dir).some((f) => f.includes(String(plainPid)))).toBe(false);
	} finally {
		delete process.env[HEAP_REPORT_ENV];
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
