#!/usr/bin/env node
// `npm run chaos [-- --short]`: compiles the project (tsc → .build/, which
// includes chaos/) and runs the chaos harness (chaos/run.ts). Type errors in files other than chaos/ are
// reported but do not stop the run (other work may be in progress); errors in chaos/ do.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', '.build'], {
	cwd: root,
	encoding: 'utf8',
});
if (tsc.status !== 0) {
	const out = `${tsc.stdout}${tsc.stderr}`;
	process.stderr.write(out);
	if (/^(chaos|harness|emulator)\//m.test(out) || tsc.error) {
		console.error('chaos: the harness does not compile');
		process.exit(1);
	}
	console.error('chaos: type errors outside chaos/ (above); running anyway');
}
const run = spawnSync(process.execPath, [path.join(root, '.build', 'chaos', 'run.js'), ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(run.status ?? 1);
