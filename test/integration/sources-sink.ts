// A FrameSink that records everything, with bounded waits, for the source integration tests.

import { readdirSync, readFileSync } from 'node:fs';
import type { Frame, FrameSink, SourceStatus } from '../../nodes/Overshoot/watch/frame';

export interface Recorder extends FrameSink {
	frames: Frame[];
	statuses: (SourceStatus & { atMs: number })[];
	fatals: Error[];
	/** Resolves with the first value `probe` returns that is not undefined; rejects after `timeoutMs`. */
	waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T>;
	/** Every message the source produced (statuses and errors), for "no password anywhere" checks. */
	allText(): string;
}

export function recorder(): Recorder {
	const r: Recorder = {
		frames: [],
		statuses: [],
		fatals: [],
		frame: (f) => void r.frames.push(f),
		status: (s) => void r.statuses.push({ ...s, atMs: Date.now() }),
		fatal: (e) => void r.fatals.push(e),
		async waitFor(what, timeoutMs, probe) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const v = probe();
				if (v !== undefined) return v;
				if (Date.now() > deadline) {
					const seen = JSON.stringify({
						frames: r.frames.length,
						statuses: r.statuses,
						fatals: r.fatals.map((e) => e.message),
					});
					throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${seen}`);
				}
				await new Promise((res) => setTimeout(res, 20));
			}
		},
		allText: () =>
			JSON.stringify(r.statuses) +
			'\n' +
			r.fatals.map((e) => `${e.message}\n${e.stack}`).join('\n'),
	};
	return r;
}

/** Live processes whose argv contains `needle` (ffmpeg runs we might have leaked). */
export function processesMatching(needle: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
			if (cmdline.includes(needle) && Number(entry) !== process.pid) pids.push(Number(entry));
		} catch {
			// exited while we looked
		}
	}
	return pids;
}

/** Our own children that exited but were never reaped. */
export function zombieChildren(): number[] {
	const zombies: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state === 'Z' && Number(ppid) === process.pid) zombies.push(Number(entry));
		} catch {
			// exited while we looked
		}
	}
	return zombies;
}
