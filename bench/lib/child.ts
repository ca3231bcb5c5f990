// Starting a benchmark child (a compiled script under bench/children) with bounded waits and no orphans.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { killProcess } from '../../harness/processes';
import type { ChildMessage } from './ipc';

export interface Child {
	proc: ChildProcess;
	pid: number;
	events: Array<{ name: string; data: Record<string, unknown>; atMs: number }>;
	/** Waits for an event by name (or the first matching `test`), bounded. */
	waitEvent(
		name: string,
		timeoutMs: number,
		test?: (data: Record<string, unknown>) => boolean,
	): Promise<Record<string, unknown>>;
	command(name: string, data?: Record<string, unknown>): void;
	/** Asks the child to stop and resolves with its result (SIGKILL after `timeoutMs`). */
	stop(timeoutMs?: number): Promise<Record<string, unknown>>;
	output(): string;
}

export async function startChild(
	script: string,
	args: Record<string, string | number>,
	opts: { timeoutMs?: number; execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Child> {
	const file = path.join(__dirname, '..', 'children', `${script}.js`);
	const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
	const proc = fork(file, argv, {
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		execArgv: opts.execArgv ?? [],
		env: { ...process.env, ...opts.env },
	});
	let out = '';
	const append = (c: Buffer) => {
		out += c.toString();
		if (out.length > 100_000) out = out.slice(-50_000);
	};
	proc.stdout?.on('data', append);
	proc.stderr?.on('data', append);
	const events: Child['events'] = [];
	let result: Record<string, unknown> | undefined;
	let failure: string | undefined;
	const waiters = new Set<() => void>();
	const wake = () => waiters.forEach((w) => w());
	proc.on('message', (m: ChildMessage) => {
		if (m.type === 'event') events.push({ name: m.name, data: m.data, atMs: Date.now() });
		else if (m.type === 'ready')
			events.push({ name: 'ready', data: m.info ?? {}, atMs: Date.now() });
		else if (m.type === 'result') result = m.data;
		else if (m.type === 'error') failure = m.message;
		wake();
	});
	proc.on('exit', wake);
	const until = <T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> =>
		new Promise((resolve, reject) => {
			const test = () => {
				const v = check();
				if (v !== undefined) return done(() => resolve(v));
				if (failure) return done(() => reject(new Error(`${script}: ${failure}`)));
				if (proc.exitCode !== null || proc.signalCode !== null)
					return done(() =>
						reject(
							new Error(
								`${script} exited (${proc.exitCode ?? proc.signalCode}) before ${what}:\n${out.slice(-3000)}`,
							),
						),
					);
			};
			const timer = setTimeout(
				() =>
					done(() =>
						reject(new Error(`${script}: no ${what} within ${timeoutMs} ms:\n${out.slice(-3000)}`)),
					),
				timeoutMs,
			);
			const done = (f: () => void) => {
				clearTimeout(timer);
				waiters.delete(test);
				f();
			};
			waiters.add(test);
			test();
		});
	const child: Child = {
		proc,
		pid: proc.pid!,
		events,
		waitEvent: (name, timeoutMs, test) =>
			until(
				`event ${name}`,
				timeoutMs,
				() => events.find((e) => e.name === name && (!test || test(e.data)))?.data,
			),
		command: (name, data) => proc.connected && proc.send({ type: 'command', name, data }),
		stop: async (timeoutMs = 20_000) => {
			if (proc.connected) proc.send({ type: 'stop' });
			try {
				return await until('result', timeoutMs, () => result);
			} finally {
				await killProcess(proc, 3000);
			}
		},
		output: () => out,
	};
	try {
		await child.waitEvent('ready', opts.timeoutMs ?? 30_000);
	} catch (error) {
		await killProcess(proc, 1000);
		throw error;
	}
	return child;
}
