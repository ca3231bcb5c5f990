// Packing this project and installing the tarball into an n8n user folder the way n8n 2.40's
// community-package installer does (scripts/install-community-package.sh says how).

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { NODE24_BIN } from './n8n-env';
import { REPO_ROOT } from './paths';

const exec = promisify(execFile);

export const PACKAGE_NAME = 'n8n-nodes-overshoot';

/** `npm pack` of the built `dist/` into `destDir`; returns the tarball's absolute path. */
export async function packPackage(destDir: string): Promise<string> {
	await fs.mkdir(destDir, { recursive: true });
	const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: REPO_ROOT,
		timeout: 120_000,
		maxBuffer: 16 * 1024 * 1024,
	});
	const [info] = JSON.parse(stdout) as Array<{ filename: string }>;
	return path.join(destDir, info.filename);
}

/**
 * scripts/install-community-package.sh (also what the Docker image runs): the package folder it
 * installed into `<userFolder>/.n8n/nodes`. It runs the npm on PATH, as n8n's executeNpmCommand
 * does; the npm cache makes repeated installs of rtc-node and sharp take a few seconds.
 */
export async function installPackageLikeN8n(tarball: string, userFolder: string): Promise<string> {
	const script = path.join(REPO_ROOT, 'scripts', 'install-community-package.sh');
	const { stdout } = await exec('bash', [script, tarball, path.join(userFolder, '.n8n', 'nodes')], {
		timeout: 300_000,
		maxBuffer: 16 * 1024 * 1024,
	});
	return stdout.trim().split('\n').pop()!;
}

/**
 * Requires the native runtime dependencies from inside the installed package under the Node 24
 * n8n runs on: a missing platform binary shows up here, not as a node that silently fails to load.
 */
export async function verifyRuntimeDeps(packageDir: string): Promise<void> {
	const script = "require('sharp'); require('@livekit/rtc-node'); process.exit(0)";
	await exec(NODE24_BIN, ['-e', script], { cwd: packageDir, timeout: 60_000 });
}
