// A model catalogue that shares no id with anything we ship: the emulator serves it (option
// `models`, or `--catalog <file>` for the emulator as a program) to prove that the nodes and every
// example work against any contract-faithful server, whatever models it serves (docs/overshoot-api.md
// §2.1, §5: never hard-code ids). Each id family of the contract's capability rule is present:
// hosted (`owner/model`, take clips), `gemini-*` (images and clips), `claude-*` / `gpt-*` (images
// only), plus one not ready and one bare id of unknown capability.

import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorModel } from '../../emulator/models';
import { REPO_ROOT } from '../../harness/paths';

export const FOREIGN_CATALOG: EmulatorModel[] = [
	{ id: 'zz-test-lab/Seer-Omni-3B', status: 'loading' },
	{ id: 'Acme-Vision/Argus-9B-Instruct' },
	{ id: 'acme-vision/argus-2B' },
	{ id: 'gemini-0.1-test-flash' },
	{ id: 'claude-test-0-00000000', video: false },
	{ id: 'gpt-0.0-test', video: false },
	{ id: 'seer-test-passthrough', video: false },
];

/** What the contract-faithful choice is for this catalogue (checked by the tests). */
export const FOREIGN_AUTOMATIC = {
	image: 'Acme-Vision/Argus-9B-Instruct',
	video: 'Acme-Vision/Argus-9B-Instruct',
};

/** Folders whose files must not name any catalogue id. */
export const SHIPPED_DIRS = ['nodes', 'examples', 'credentials'];

function filesBelow(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? filesBelow(p) : [p];
	});
}

/** Catalogue ids that appear in a shipped file (should be none), as `id in file`. */
export function catalogIdsInShippedFiles(catalog: EmulatorModel[] = FOREIGN_CATALOG): string[] {
	const hits: string[] = [];
	for (const file of SHIPPED_DIRS.flatMap((d) => filesBelow(path.join(REPO_ROOT, d)))) {
		const text = fs.readFileSync(file, 'utf8');
		for (const m of catalog)
			if (text.includes(m.id)) hits.push(`${m.id} in ${path.relative(REPO_ROOT, file)}`);
	}
	return hits;
}

/** Writes the catalogue for the emulator's `--catalog` and returns the file's path. */
export function writeCatalog(dir: string, catalog: EmulatorModel[] = FOREIGN_CATALOG): string {
	const file = path.join(dir, 'catalog.json');
	fs.writeFileSync(file, JSON.stringify(catalog, null, 2));
	return file;
}
