#!/usr/bin/env node
// `node scripts/run-harness.js <bench|chaos> [args…]`, behind `npm run bench [-- --quick]
// [-- --only <key>]` and `npm run chaos [-- --short]`: compiles the project (tsc → .build/, which
// includes bench/, chaos/, harness/ and emulator/) and runs that harness's run.ts with the args.
// Type errors in other files are reported but do not stop the run (other work may be in
// progress); errors in the harness itself, harness/ or emulator/ (what it runs) do.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const HARNESSES = ['bench', 'chaos'];
const [name, ...args] = process.argv.slice(2);
if (!HARNESSES.includes(name)) {
	console.error(`usage: node scripts/run-harness.js <${HARNESSES.join('|')}> [args…]`);
	process.exit(2);
}
const root = path.resolve(__dirname, '..');
const tsc = spawnSync(
	process.execPath,
	[require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', '.build'],
	{
		cwd: root,
		encoding: 'utf8',
	},
);
if (tsc.status !== 0) {
	const out = `${tsc.stdout}${tsc.stderr}`;
	process.stderr.write(out);
	if (new RegExp(`^(${name}|harness|emulator)/`, 'm').test(out) || tsc.error) {
		console.error(`${name}: the harness does not compile`);
		process.exit(1);
	}
	console.error(`${name}: type errors outside ${name}/ (above); running anyway`);
}
const run = spawnSync(process.execPath, [path.join(root, '.build', name, 'run.js'), ...args], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(run.status ?? 1);
