// The checkout root, whether this runs from source (ts) or compiled into .build/.
// (harness/paths.ts's REPO_ROOT points at .build/ when compiled, so it is not used here.)
import fs from 'node:fs';
import path from 'node:path';

function findRoot(): string {
	let dir = __dirname;
	while (path.dirname(dir) !== dir) {
		if (path.basename(dir) !== '.build' && fs.existsSync(path.join(dir, 'package.json')))
			return dir;
		dir = path.dirname(dir);
	}
	throw new Error(`no package.json above ${__dirname}`);
}

export const ROOT = findRoot();
