// CPU and memory of a process tree, read straight from /proc so the numbers are the kernel's,
// not an estimate. CPU covers the root, its live descendants and the children it already reaped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let clkTck: number | undefined;
function ticksPerSecond(): number {
	if (clkTck === undefined) {
		try {
			clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
		} catch {
			clkTck = 100;
		}
	}
	return clkTck;
}

interface Stat {
	ppid: number;
	/** utime + stime of the process itself, ticks. */
	own: number;
	/** cutime + cstime: children it has waited for, ticks. */
	reaped: number;
}

function readStat(pid: number): Stat | undefined {
	let text: string;
	try {
		text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// comm (field 2) may contain spaces and parentheses: split after the last ')'.
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	// f[0] is field 3 (state); field n is f[n - 3].
	return {
		ppid: Number(f[1]),
		own: Number(f[11]) + Number(f[12]),
		reaped: Number(f[13]) + Number(f[14]),
	};
}

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
	const byParent = new Map<number, number[]>();
	for (const name of fs.readdirSync('/proc')) {
		const pid = Number(name);
		if (!Number.isInteger(pid)) continue;
		const st = readStat(pid);
		if (!st) continue;
		const list = byParent.get(st.ppid) ?? [];
		list.push(pid);
		byParent.set(st.ppid, list);
	}
	const out: number[] = [];
	const queue = [root];
	while (queue.length) {
		for (const child of byParent.get(queue.shift()!) ?? []) {
			out.push(child);
			queue.push(child);
		}
	}
	return out;
}

/** CPU seconds used so far by `root` and everything under it (live or already reaped). */
export function treeCpuSeconds(root: number): number {
	const rootStat = readStat(root);
	if (!rootStat) return NaN;
	let ticks = rootStat.own + rootStat.reaped;
	for (const pid of descendants(root)) {
		const st = readStat(pid);
		if (st) ticks += st.own + st.reaped;
	}
	return ticks / ticksPerSecond();
}

/** CPU seconds of one process only (no children). */
export function ownCpuSeconds(pid: number): number {
	const st = readStat(pid);
	return st ? st.own / ticksPerSecond() : NaN;
}

/** Resident set size in MB (VmRSS), or NaN when the process is gone. */
export function rssMb(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : NaN;
	} catch {
		return NaN;
	}
}

/**
 * RSS of `root` and every live descendant, MB: the trigger's pipeline spans n8n's process, the
 * publisher process and the decoder, and memory must not hide in any of them.
 */
export function treeRssMb(root: number): number {
	return [root, ...descendants(root)].reduce((sum, pid) => sum + (rssMb(pid) || 0), 0);
}

/** A process's command name ("node", "ffmpeg", "gst-launch-1.0"), or undefined once it is gone. */
export function commOf(pid: number): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return undefined;
	}
}

/** The command name of every process in the tree, for reports ("node", "ffmpeg"). */
export function treeNames(root: number): string[] {
	return [root, ...descendants(root)].map((pid) => commOf(pid) ?? '?');
}

/**
 * CPU seconds per command name in the tree (root counted with its reaped children). The root is
 * named `<comm> (root)` so that n8n's side and a child of the same program (the publisher
 * process is node too) are told apart.
 */
export function treeCpuByName(root: number): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [pid, cpu] of treeCpuByPid(root)) {
		const comm = commOf(pid);
		if (comm === undefined) continue;
		const name = pid === root ? `${comm} (root)` : comm;
		out[name] = (out[name] ?? 0) + cpu;
	}
	return out;
}

/** CPU seconds so far of every live process in the tree (root with its reaped children), by pid. */
export function treeCpuByPid(root: number): Map<number, number> {
	const out = new Map<number, number>();
	for (const pid of [root, ...descendants(root)]) {
		const st = readStat(pid);
		if (st) out.set(pid, (st.own + (pid === root ? st.reaped : 0)) / ticksPerSecond());
	}
	return out;
}

/**
 * CPU seconds the whole machine has spent busy so far (every core; /proc/stat's first line minus
 * idle and iowait): the difference over a window ÷ seconds is how many cores were in use, by
 * every process, ours or not.
 */
export function machineBusySeconds(): number {
	const fields = fs
		.readFileSync('/proc/stat', 'utf8')
		.split('\n')[0]
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	// user nice system idle iowait irq softirq steal (guest is already counted in user).
	const [user, nice, system, , , irq, softirq, steal] = fields;
	return (user + nice + system + irq + softirq + (steal ?? 0)) / ticksPerSecond();
}
