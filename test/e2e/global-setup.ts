// Packs this package once per jest run for every e2e test (they install the tarball into their
// own n8n). `npm test` has built `dist/` already (OVS_BUILT=1); a bare `jest` run builds here.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packPackage } from '../../harness/n8n-package';
import { REPO_ROOT } from '../../harness/paths';

export default async function globalSetup(): Promise<void> {
	if (process.env.OVS_PACKAGE_TARBALL) return;
	if (process.env.OVS_BUILT !== '1')
		execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, timeout: 300_000 });
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ovs-pack-'));
	process.env.OVS_PACKAGE_TARBALL = await packPackage(dir);
	process.env.OVS_PACK_DIR = dir;
}
