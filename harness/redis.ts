// A throwaway Redis (Debian's `redis-server`) for n8n's queue: on a free 127.0.0.1 port, no
// persistence, its working folder a temp dir of its own; in a process group of ours with a
// parent-death signal, so nothing outlives the test.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnGroup, type GroupProcess } from './process-group';
import { freePort } from './processes';
import { waitFor } from './wait';

export const REDIS_BIN = process.env.OVS_REDIS_BIN ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 20_000;

export interface Redis {
	host: string;
	port: number;
	/** n8n's queue settings for this server. */
	n8nEnv: Record<string, string>;
	output: () => string;
	stop: () => Promise<void>;
}

export function redisInstalled(): boolean {
	return fs.existsSync(REDIS_BIN);
}

export async function startRedis(): Promise<Redis> {
	if (!redisInstalled())
		throw new Error(
			`${REDIS_BIN} is missing: run scripts/install-system.sh (Debian package redis-server)`,
		);
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ovs-redis-'));
	const port = await freePort();
	let server: GroupProcess | undefined;
	const stop = async () => {
		await server?.stop(5000);
		await fsp.rm(dir, { recursive: true, force: true });
	};
	try {
		const args = [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--logfile',
			'',
		];
		const started = spawnGroup(REDIS_BIN, args, { cwd: dir });
		server = started;
		await waitFor(
			'redis-server to accept connections',
			() => {
				if (started.proc.exitCode !== null) throw new Error('redis-server exited');
				return /Ready to accept connections/i.test(started.output());
			},
			START_TIMEOUT_MS,
			50,
		).catch((error: Error) => {
			throw new Error(
				`redis-server did not start: ${error.message}\n${started.output().slice(-4000)}`,
			);
		});
		return {
			host: '127.0.0.1',
			port,
			n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
			output: started.output,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
