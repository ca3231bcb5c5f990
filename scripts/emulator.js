#!/usr/bin/env node
// `npm run emulator [-- flags]`: builds the dev tree if the emulator CLI is missing or older than
// its sources, then runs it in this process (the CLI handles SIGTERM/SIGINT itself).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, '.build', 'emulator', 'cli.js');
const sources = [path.join(root, 'emulator'), path.join(root, 'harness')];

function newestSourceMs() {
	let newest = 0;
	for (const dir of sources) {
		if (!fs.existsSync(dir)) continue;
		for (const f of fs.readdirSync(dir))
			if (f.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(dir, f)).mtimeMs);
	}
	return newest;
}

if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newestSourceMs()) {
	console.error('emulator: building (npm run build:dev) ...');
	// tsc still emits when unrelated files have type errors, so judge by the output, not the exit code.
	const r = spawnSync('npm', ['run', '--silent', 'build:dev'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	if (!fs.existsSync(cli)) {
		console.error(`emulator: build failed (exit ${r.status}); ${cli} is missing`);
		process.exit(1);
	}
}
require(cli);
