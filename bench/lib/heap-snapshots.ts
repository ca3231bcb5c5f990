// Heap snapshots of a running process, for the soak's investigation mode (OVS_SOAK_SNAPSHOTS=<dir>):
// SIGUSR2 makes n8n main write one (NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 --diagnostic-dir)
// and the publisher process too (its opt-in heap report, watch/heap-report.ts); scripts/heap-diff.js
// compares two. A snapshot pauses the process for seconds and raises its RSS, so a run that takes
// them measures what grows, not how fast RSS grows.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../../harness/wait';
import { ROOT } from './root';

const exec = promisify(execFile);

/** The file name of a snapshot `pid` writes: n8n main's (Node's own naming) or the publisher's. */
export const snapshotOf = (pid: number) => (file: string) =>
	file.endsWith('.heapsnapshot') &&
	(file.startsWith(`publisher-${pid}-`) || (file.startsWith('Heap.') && file.includes(`.${pid}.`)));

/** Signals `pid` and resolves with the path of the complete new snapshot in `dir`. */
export async function takeSnapshot(pid: number, dir: string, timeoutMs = 180_000): Promise<string> {
	const mine = snapshotOf(pid);
	const before = new Set(fs.readdirSync(dir).filter(mine));
	process.kill(pid, 'SIGUSR2');
	let lastSize = -1;
	return waitFor(
		`a heap snapshot of pid ${pid}`,
		() => {
			const file = fs.readdirSync(dir).find((f) => mine(f) && !before.has(f));
			if (!file) return undefined;
			// Node writes its file in place: complete once its size holds still for a poll.
			const size = fs.statSync(path.join(dir, file)).size;
			const done = size > 0 && size === lastSize;
			lastSize = size;
			return done ? path.join(dir, file) : undefined;
		},
		timeoutMs,
		2000,
	);
}

/** scripts/heap-diff.js over two snapshots; its table is also written to `out`. */
export async function diffSnapshots(before: string, after: string, out: string): Promise<string> {
	const { stdout } = await exec(
		process.execPath,
		[
			'--max-old-space-size=8192',
			path.join(ROOT, 'scripts', 'heap-diff.js'),
			before,
			after,
			'--top',
			'30',
		],
		{ maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
	);
	fs.writeFileSync(out, stdout);
	return stdout;
}
