#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only <key>]`: compiles the project (tsc → .build/, which
// includes bench/) and runs the benchmark harness. Type errors in files other than bench/ are
// reported but do not stop the run (other work may be in progress); errors in bench/, harness/
// or emulator/ (what the harness runs) do.
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
	if (/^(bench|harness|emulator)\//m.test(out) || tsc.error) {
		console.error('bench: the harness does not compile');
		process.exit(1);
	}
	console.error('bench: type errors outside bench/ (above); running anyway');
}
const run = spawnSync(process.execPath, [path.join(root, '.build', 'bench', 'run.js'), ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(run.status ?? 1);
