// Which processes descend from a pid, read from /proc (Linux): tests and the demo use it to prove
// that a deactivated trigger left no ffmpeg behind under n8n.

import fs from 'node:fs';

export interface ProcInfo {
	pid: number;
	ppid: number;
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
		const [state, ppid] = stat.slice(close + 2).split(' ');
		if (state === 'Z') return undefined; // a zombie is gone, only not yet reaped
		const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return { pid, ppid: Number(ppid), comm, cmdline };
	} catch {
		return undefined; // exited while we looked
	}
}

/** Every living process below `root` (children, grandchildren, ...), not `root` itself. */
export function descendants(root: number): ProcInfo[] {
	const all = fs
		.readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => read(Number(name)))
		.filter((p): p is ProcInfo => p !== undefined);
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

/** ffmpeg processes below `root`. */
export function ffmpegBelow(root: number): ProcInfo[] {
	return descendants(root).filter((p) => p.comm === 'ffmpeg');
}
