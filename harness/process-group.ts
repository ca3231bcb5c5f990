// Programs that spawn children of their own (n8n starts task runners) run in their own process
// group, so stopping them kills the whole group. Being a group leader also shields them from a
// Ctrl-C or `timeout` aimed at jest, so on Linux they get a parent-death signal (setpriv) as well:
// if the jest process dies without stopping them, the kernel kills them.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { watchProcessesInGroup, type ProcInfo } from './proc-tree';

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = process.platform === 'linux' && fs.existsSync(SETPRIV);

export interface GroupProcess {
	proc: ChildProcess;
	/** Everything the process wrote (stdout and stderr interleaved), trimmed to the last 1 MB. */
	output: () => string;
	stdout: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
	stop: (graceMs?: number) => Promise<void>;
}

const MAX_CAPTURE = 1_000_000;

export function spawnGroup(cmd: string, args: string[], opts: SpawnOptions = {}): GroupProcess {
	const [file, argv] = hasSetpriv
		? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', cmd, ...args]]
		: [cmd, args];
	const proc = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: true });
	let all = '';
	let out = '';
	const keep = (s: string) => (s.length > MAX_CAPTURE ? s.slice(-MAX_CAPTURE) : s);
	proc.stdout?.on('data', (chunk: Buffer) => {
		all = keep(all + chunk.toString());
		out = keep(out + chunk.toString());
	});
	proc.stderr?.on('data', (chunk: Buffer) => {
		all = keep(all + chunk.toString());
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		proc.once('exit', (code, signal) => resolve({ code, signal }));
		proc.once('error', () => resolve({ code: null, signal: null }));
	});
	const signalGroup = (signal: NodeJS.Signals) => {
		if (proc.pid === undefined) return;
		try {
			process.kill(-proc.pid, signal);
		} catch {
			// The group is already gone.
		}
	};
	const stop = async (graceMs = 5000) => {
		const running = proc.exitCode === null && proc.signalCode === null;
		if (running) signalGroup('SIGTERM');
		const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
		// Children that outlived their leader (a task runner mid-shutdown) go too.
		signalGroup('SIGKILL');
	};
	return { proc, output: () => all, stdout: () => out, exited, stop };
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	output: string;
	/** Trigger processes (readers, publishers) of the command's group alive when it exited (killed right after). */
	leftovers: ProcInfo[];
}

/** Runs a command to completion; kills its group and rejects when it takes longer than `timeoutMs`. */
export async function runGroup(
	cmd: string,
	args: string[],
	opts: SpawnOptions & { timeoutMs: number; name?: string; track?: Set<GroupProcess> },
): Promise<RunResult> {
	const { timeoutMs, name = cmd, track, ...spawnOpts } = opts;
	const child = spawnGroup(cmd, args, spawnOpts);
	// The owner may stop everything while this still runs (a test timed out): it sees it in `track`.
	track?.add(child);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void child.stop(2000);
	}, timeoutMs);
	const { code, signal } = await child.exited;
	clearTimeout(timer);
	// Readers and publishers stay in the command's group even once orphaned: what outlived it.
	const leftovers = child.proc.pid === undefined ? [] : watchProcessesInGroup(child.proc.pid);
	await child.stop(0);
	track?.delete(child);
	if (timedOut)
		throw new Error(
			`${name} did not finish within ${timeoutMs} ms:\n${child.output().slice(-4000)}`,
		);
	return { code, signal, stdout: child.stdout(), output: child.output(), leftovers };
}
