// Packing this project and installing the tarball into an n8n user folder the way n8n 2.40's
// community-package installer does (CommunityPackagesService.downloadPackage): untar into
// `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies, `npm install` with the
// same flags inside the package dir, and record it in `.n8n/nodes/package.json` (`installed-nodes`).

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

export async function installPackageLikeN8n(tarball: string, userFolder: string): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	await fs.mkdir(packageDir, { recursive: true });
	await exec('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { timeout: 60_000 });

	const packageJsonPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		await fs.readFile(packageJsonPath, 'utf8'),
	) as Record<string, unknown> & { version: string };
	void devDependencies, void peerDependencies, void optionalDependencies;
	await fs.writeFile(packageJsonPath, JSON.stringify(packageJson, null, 2));

	// The system npm does the install, as n8n's executeNpmCommand uses whatever npm is on PATH.
	// The npm cache makes repeated installs of rtc-node and sharp take a few seconds.
	const flags = ['--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'];
	await exec('npm', ['install', ...flags], { cwd: packageDir, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });

	const ledger = { name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: packageJson.version } };
	await fs.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2));
	return packageDir;
}

/**
 * Requires the native runtime dependencies from inside the installed package under the Node 24
 * n8n runs on: a missing platform binary shows up here, not as a node that silently fails to load.
 */
export async function verifyRuntimeDeps(packageDir: string): Promise<void> {
	const script = "require('sharp'); require('@livekit/rtc-node'); process.exit(0)";
	await exec(NODE24_BIN, ['-e', script], { cwd: packageDir, timeout: 60_000 });
}
