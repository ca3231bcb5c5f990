// `npm run emulator -- --with-livekit`: builds if needed, prints the ready line, serves, and on
// SIGTERM ends its streams, stops its livekit-server, disposes rtc-node and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { rawClient } from '../../emulator/http-test-client';
import { waitFor } from '../../harness/wait';
import { REPO_ROOT } from '../../harness/paths';

let proc: ChildProcess | undefined;

afterAll(async () => {
	if (proc && proc.exitCode === null && proc.signalCode === null) {
		proc.kill('SIGKILL');
		await new Promise((r) => proc!.once('exit', r));
	}
});

const listening = (port: number) =>
	new Promise<boolean>((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		s.once('connect', () => (s.destroy(), resolve(true)));
		s.once('error', () => resolve(false));
	});

it('starts with its own livekit-server, serves, and shuts everything down on SIGTERM', async () => {
	proc = spawn(
		process.execPath,
		[
			path.join(REPO_ROOT, 'scripts', 'emulator.js'),
			'--port',
			'0',
			'--with-livekit',
			'--ttl',
			'30',
		],
		{
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let out = '';
	proc.stdout!.on('data', (c) => (out += c));
	proc.stderr!.on('data', (c) => (out += c));
	const m = await waitFor(
		'the ready line',
		async () =>
			/emulator listening on (http:\/\/127\.0\.0\.1:\d+) \(livekit ws:\/\/127\.0\.0\.1:(\d+)\)/.exec(
				out,
			),
		50_000,
		100,
	).catch((e) => {
		throw new Error(`${e.message}\n${out}`);
	});
	const call = rawClient(m[1]);
	const lkPort = Number(m[2]);
	const created = await call('POST', '/v1/streams');
	expect(created.body.publish.url).toBe(`ws://127.0.0.1:${lkPort}`);
	await waitFor(
		'the gateway to join',
		async () =>
			(await call('GET', '/_emulator/state', { key: null })).body.streams[0]?.ingestConnected,
		15_000,
		100,
	);

	const exited = new Promise<number | null>((r) => proc!.once('exit', (code) => r(code)));
	proc.kill('SIGTERM');
	const code = await Promise.race([
		exited,
		new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
	]);
	expect(code).toBe(0);
	expect(await listening(lkPort)).toBe(false);
}, 90_000);
