// Removes the tarball directory the global setup created (and only that one).
import fs from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
	const dir = process.env.OVS_PACK_DIR;
	if (!dir) return;
	await fs.rm(dir, { recursive: true, force: true });
	delete process.env.OVS_PACK_DIR;
	delete process.env.OVS_PACKAGE_TARBALL;
}
