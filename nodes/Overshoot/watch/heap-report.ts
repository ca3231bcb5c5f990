// Opt-in memory diagnostics of the publisher process, for soak runs (bench/soak.ts) and for users
// chasing memory: with OVERSHOOT_HEAP_REPORT_DIR set in n8n's environment, every publisher process
// appends its V8 heap statistics and process.memoryUsage() to `<dir>/publisher-<pid>.jsonl` every
// few seconds, and writes a heap snapshot there on SIGUSR2. Unset (the default), nothing runs:
// no timer, no signal handler, no file.

import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

export const HEAP_REPORT_ENV = 'OVERSHOOT_HEAP_REPORT_DIR';
const EVERY_MS = 5000;

export interface HeapReportLine {
	atMs: number;
	pid: number;
	heap: v8.HeapInfo;
	memory: NodeJS.MemoryUsage;
}

/** Starts the report when the variable names a folder; returns the file, or undefined when off. */
export function startHeapReport(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const dir = env[HEAP_REPORT_ENV];
	if (!dir) return undefined;
	const file = path.join(dir, `publisher-${process.pid}.jsonl`);
	const write = () => {
		const line: HeapReportLine = {
			atMs: Date.now(),
			pid: process.pid,
			heap: v8.getHeapStatistics(),
			memory: process.memoryUsage(),
		};
		// Diagnostics must never take the publisher down: a full disk loses lines, not frames.
		fs.appendFile(file, `${JSON.stringify(line)}\n`, () => undefined);
	};
	write();
	setInterval(write, EVERY_MS).unref();
	process.on('SIGUSR2', () => {
		try {
			// Under another name until complete: whoever waits for the file gets it whole.
			const name = path.join(dir, `publisher-${process.pid}-${Date.now()}.heapsnapshot`);
			fs.renameSync(v8.writeHeapSnapshot(`${name}.partial`), name);
		} catch {
			// as above
		}
	});
	return file;
}
