#!/usr/bin/env node
// `npm test [-- <jest args>]`: installs whatever is missing (scripts/setup.sh: system packages,
// livekit-server, n8n, node_modules; a no-op when present), builds `dist/` (packed for the e2e
// tests) and `.build/` (the emulator CLI), then runs jest once over all projects.
//
// The output ends with exactly one line, "N passed, N failed[, N skipped]": jest prints its own
// summary and the --forceExit notice after our reporter's line, so that line is held back and
// printed last. A build step that fails counts as one failed check (the tests still run, on what
// tsc emitted), so the exit code and the last line agree. Only Node built-ins are used here:
// this runs before node_modules exists.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;
// Far below CI's 90 minutes: a hung test must not eat the whole budget.
const JEST_BUDGET_MS = Number(process.env.OVS_TEST_BUDGET_MIN ?? 50) * 60_000;

function step(name, cmd, args) {
	const started = Date.now();
	process.stdout.write(`\n▶ ${name}\n`);
	const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
	const ok = res.status === 0;
	process.stdout.write(
		`◀ ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
	);
	return ok;
}

function finish(passed, failed, skipped, code) {
	const tail = skipped ? `, ${skipped} skipped` : '';
	process.stdout.write(`${passed} passed, ${failed} failed${tail}\n`);
	process.exit(code);
}

function runJest(args) {
	return new Promise((resolve) => {
		const started = Date.now();
		process.stdout.write(`\n▶ jest ${args.join(' ')}\n`);
		const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
		const env = { ...process.env, OVS_BUILT: '1' };
		const child = spawn(process.execPath, [jestBin, ...args], {
			cwd: root,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let summary;
		let partial = '';
		child.stdout.on('data', (chunk) => {
			const lines = (partial + chunk.toString()).split('\n');
			partial = lines.pop();
			for (const line of lines) {
				const m = SUMMARY.exec(line);
				if (m) summary = m;
				else process.stdout.write(`${line}\n`);
			}
		});
		child.stderr.pipe(process.stderr);
		const watchdog = setTimeout(() => {
			process.stderr.write(`\njest ran longer than ${JEST_BUDGET_MS / 60_000} min; killing it\n`);
			child.kill('SIGKILL');
		}, JEST_BUDGET_MS);
		child.on('close', (code, signal) => {
			clearTimeout(watchdog);
			if (partial && !SUMMARY.test(partial)) process.stdout.write(partial);
			else if (partial) summary = SUMMARY.exec(partial);
			process.stdout.write(
				`◀ jest: exit ${code ?? signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
			);
			resolve({ code: code ?? 1, summary });
		});
	});
}

async function main() {
	const extra = process.argv.slice(2);
	if (
		process.env.OVS_SKIP_SETUP !== '1' &&
		!step('setup (installs what is missing)', 'bash', ['scripts/setup.sh'])
	) {
		process.stdout.write('\nset-up failed; no tests ran\n');
		return finish(0, 1, 0, 1);
	}
	const buildFailures = ['build', 'build:dev'].filter(
		(script) => !step(`npm run ${script}`, 'npm', ['run', script]),
	).length;
	// --runInBand: two cores, and real media is CPU heavy. --forceExit: rtc-node keeps the
	// process alive until dispose(), which a failed test may not reach.
	const { code, summary } = await runJest(['--runInBand', '--forceExit', ...extra]);
	if (buildFailures) process.stdout.write(`\n${buildFailures} build step(s) failed (see above)\n`);
	if (!summary) {
		process.stdout.write('\njest ended without a summary (crashed or was killed)\n');
		return finish(0, 1 + buildFailures, 0, 1);
	}
	const [, passed, failed, skipped] = summary;
	const totalFailed = Number(failed) + buildFailures;
	finish(Number(passed), totalFailed, Number(skipped ?? 0), code !== 0 || totalFailed > 0 ? 1 : 0);
}

main();
