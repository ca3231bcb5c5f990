// A throwaway PostgreSQL cluster of the test's own: `initdb` into a temp folder, the postmaster in
// the foreground on a free 127.0.0.1 port (no Unix socket, no system service), password login.
// It runs in a process group of ours with a parent-death signal, so a killed jest cannot leave a
// daemonised postmaster behind (which `pg_ctl start` would). PostgreSQL refuses to run as root:
// as root both initdb and the postmaster run as Debian's `postgres` user (or `nobody`), switched
// to by setpriv (no su/runuser fork in between, so the signal reaches the postmaster itself).

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnGroup, type GroupProcess } from './process-group';
import { freePort } from './processes';
import { waitFor } from './wait';

const exec = promisify(execFile);

/** Debian 12's PostgreSQL 15 (scripts/install-system.sh installs `postgresql`). */
export const PG_BIN_DIR = process.env.OVS_PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const START_TIMEOUT_MS = 30_000;

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** n8n's database settings for this cluster. */
	n8nEnv: Record<string, string>;
	output: () => string;
	/** Fast shutdown (SIGINT), SIGKILL after a grace; deletes the cluster's folder. */
	stop: () => Promise<void>;
}

export function postgresInstalled(): boolean {
	return (
		fs.existsSync(path.join(PG_BIN_DIR, 'initdb')) &&
		fs.existsSync(path.join(PG_BIN_DIR, 'postgres'))
	);
}

/** Who runs the cluster: ourselves, or as root an unprivileged account (uid, gid). */
async function clusterUser(): Promise<{ uid: number; gid: number } | undefined> {
	if (process.getuid?.() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		try {
			const [uid, gid] = await Promise.all(
				['-u', '-g'].map(async (flag) => Number((await exec('id', [flag, name])).stdout.trim())),
			);
			return { uid, gid };
		} catch {
			// no such account: try the next one
		}
	}
	throw new Error(
		'running as root and neither a "postgres" nor a "nobody" account exists to run PostgreSQL as',
	);
}

function asUser(
	user: { uid: number; gid: number } | undefined,
	cmd: string,
	args: string[],
): [string, string[]] {
	return user
		? [
				'setpriv',
				[
					'--reuid',
					String(user.uid),
					'--regid',
					String(user.gid),
					'--clear-groups',
					'--',
					cmd,
					...args,
				],
			]
		: [cmd, args];
}

export async function startPostgres(): Promise<Postgres> {
	if (!postgresInstalled())
		throw new Error(
			`PostgreSQL is not installed in ${PG_BIN_DIR}: run scripts/install-system.sh (Debian package postgresql)`,
		);
	const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'ovs-pg-'));
	const user = await clusterUser();
	let server: GroupProcess | undefined;
	const stop = async () => {
		// SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for clients to disconnect).
		if (server?.proc.pid !== undefined && server.proc.exitCode === null)
			process.kill(server.proc.pid, 'SIGINT');
		await server?.stop(10_000);
		await fsp.rm(root, { recursive: true, force: true, maxRetries: 3 });
	};
	try {
		const dataDir = path.join(root, 'data');
		const pwFile = path.join(root, 'pw');
		const password = crypto.randomBytes(12).toString('hex');
		await fsp.writeFile(pwFile, password, { mode: 0o600 });
		if (user) await Promise.all([root, pwFile].map((p) => fsp.chown(p, user.uid, user.gid)));
		const dbUser = 'n8n';
		const [initCmd, initArgs] = asUser(user, path.join(PG_BIN_DIR, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			dbUser,
			`--pwfile=${pwFile}`,
			'--auth=scram-sha-256',
			'-E',
			'UTF8',
			'--locale=C',
			'--no-sync',
		]);
		await exec(initCmd, initArgs, { cwd: root, timeout: 120_000 });
		const port = await freePort();
		const [cmd, args] = asUser(user, path.join(PG_BIN_DIR, 'postgres'), [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			// A test database: durability buys nothing and costs the shared machine disk flushes.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		]);
		server = spawnGroup(cmd, args, { cwd: root });
		const started = server;
		await waitFor(
			'PostgreSQL to accept connections',
			() => {
				if (started.proc.exitCode !== null || started.proc.signalCode !== null)
					throw new Error(`postgres exited:\n${started.output().slice(-4000)}`);
				return /ready to accept connections/.test(started.output());
			},
			START_TIMEOUT_MS,
			100,
		).catch((error: Error) => {
			throw new Error(
				`PostgreSQL did not start: ${error.message}\n${started.output().slice(-4000)}`,
			);
		});
		const database = 'postgres';
		return {
			host: '127.0.0.1',
			port,
			database,
			user: dbUser,
			password,
			n8nEnv: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(port),
				DB_POSTGRESDB_DATABASE: database,
				DB_POSTGRESDB_USER: dbUser,
				DB_POSTGRESDB_PASSWORD: password,
			},
			output: () => started.output(),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
