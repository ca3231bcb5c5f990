// Starting and stopping the real servers the tests use, with bounded waits and no orphans.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

export interface Started {
	proc: ChildProcess;
	/** Everything the process wrote, for failure messages. */
	output: () => string;
	stop: () => Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks; closed again before returning). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export async function waitForPort(
	port: number,
	timeoutMs: number,
	host = '127.0.0.1',
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const ok = await new Promise<boolean>((resolve) => {
			const sock = net.connect(port, host);
			sock.once('connect', () => (sock.destroy(), resolve(true)));
			sock.once('error', () => (sock.destroy(), resolve(false)));
		});
		if (ok) return;
		if (Date.now() > deadline)
			throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Kills a process (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited. */
export function killProcess(proc: ChildProcess, graceMs = 3000): Promise<void> {
	if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
		proc.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		proc.kill('SIGTERM');
	});
}

/**
 * Spawns a long-running process and waits until `ready` matches its output (or the port listens).
 * Rejects with the captured output if it exits or takes longer than `timeoutMs`.
 */
export async function startProcess(
	cmd: string,
	args: string[],
	opts: SpawnOptions & { ready?: RegExp; port?: number; timeoutMs?: number; name?: string } = {},
): Promise<Started> {
	const { ready, port, timeoutMs = 30_000, name = cmd, ...spawnOpts } = opts;
	const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
	let out = '';
	const append = (chunk: Buffer) => {
		out += chunk.toString();
		if (out.length > 200_000) out = out.slice(-100_000);
	};
	proc.stdout?.on('data', append);
	proc.stderr?.on('data', append);
	const stop = () => killProcess(proc);
	const exited = new Promise<never>((_, reject) =>
		proc.once('exit', (code, signal) =>
			reject(new Error(`${name} exited early (${code ?? signal}):\n${out.slice(-4000)}`)),
		),
	);
	exited.catch(() => undefined);
	const readiness = (async () => {
		if (port !== undefined) await waitForPort(port, timeoutMs);
		if (ready) {
			const deadline = Date.now() + timeoutMs;
			while (!ready.test(out)) {
				if (Date.now() > deadline)
					throw new Error(`${name} not ready within ${timeoutMs} ms:\n${out.slice(-4000)}`);
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	})();
	try {
		await Promise.race([readiness, exited]);
	} catch (error) {
		await stop();
		throw error;
	}
	return { proc, output: () => out, stop };
}
