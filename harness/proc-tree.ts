// Which processes descend from a pid, read from /proc (Linux): tests and the demo use it to prove
// that a deactivated trigger left no ffmpeg behind under n8n.

import fs from 'node:fs';

export interface ProcInfo {
	pid: number;
	ppid: number;
	/** Process group: survives the parent's death, so orphans of a killed n8n can still be found. */
	pgrp: number;
	/** The executable's short name (`/proc/<pid>/comm`), e.g. `ffmpeg`. */
	comm: string;
	cmdline: string;
}

function read(pid: number): ProcInfo | undefined {
	try {
		// stat is "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = stat.lastIndexOf(')');
		const comm = stat.slice(stat.indexOf('(') + 1, close);
		const [state, ppid, pgrp] = stat.slice(close + 2).split(' ');
		if (state === 'Z') return undefined; // a zombie is gone, only not yet reaped
		const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return { pid, ppid: Number(ppid), pgrp: Number(pgrp), comm, cmdline };
	} catch {
		return undefined; // exited while we looked
	}
}

function allProcesses(): ProcInfo[] {
	return fs
		.readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => read(Number(name)))
		.filter((p): p is ProcInfo => p !== undefined);
}

/** Every living process below `root` (children, grandchildren, ...), not `root` itself. */
export function descendants(root: number): ProcInfo[] {
	const all = allProcesses();
	const found: ProcInfo[] = [];
	const parents = new Set([root]);
	// Parents can have higher pids than their children (pid wrap), so repeat until nothing is added.
	for (let added = true; added; ) {
		added = false;
		for (const p of all) {
			if (parents.has(p.ppid) && !parents.has(p.pid)) {
				parents.add(p.pid);
				found.push(p);
				added = true;
			}
		}
	}
	return found;
}

export type WatchProcessRole = 'reader' | 'publisher';

/** What a process a trigger started is for: the camera/video reader (ffmpeg or GStreamer) or its room publisher. */
export function watchProcessRole(p: ProcInfo): WatchProcessRole | undefined {
	if (p.comm === 'ffmpeg' || p.comm.startsWith('gst-launch')) return 'reader';
	if (p.cmdline.includes('publisher-child')) return 'publisher';
	return undefined;
}

const withRole = (processes: ProcInfo[]) =>
	processes.flatMap((p) => {
		const role = watchProcessRole(p);
		return role ? [{ ...p, role }] : [];
	});

/** The processes triggers started below `root` (n8n's task runners and the like are not theirs). */
export function watchProcessesBelow(root: number): (ProcInfo & { role: WatchProcessRole })[] {
	return withRole(descendants(root));
}

/** The trigger processes in process group `pgrp`, also those whose parent died (orphans). */
export function watchProcessesInGroup(pgrp: number): (ProcInfo & { role: WatchProcessRole })[] {
	return withRole(allProcesses().filter((p) => p.pgrp === pgrp));
}
