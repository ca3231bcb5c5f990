// The Overshoot emulator as a separate program (`.build/emulator/cli.js`, compiled by
// `npm run build:dev`), the way n8n reaches it in e2e tests and the demo: over HTTP on loopback.

import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';
import { spawnGroup, type GroupProcess } from './process-group';
import { freePort } from './processes';

export const EMULATOR_CLI = path.join(REPO_ROOT, '.build', 'emulator', 'cli.js');

export interface EmulatorProcess {
	/** e.g. `http://127.0.0.1:40123`; the API lives under `${url}/v1`. */
	url: string;
	output: () => string;
	stop: () => Promise<void>;
}

export function emulatorBuilt(): boolean {
	return fs.existsSync(EMULATOR_CLI);
}

export async function startEmulatorProcess(
	opts: { withLivekit?: boolean; args?: string[]; timeoutMs?: number } = {},
): Promise<EmulatorProcess> {
	if (!emulatorBuilt()) throw new Error(`${EMULATOR_CLI} is missing: run npm run build:dev`);
	const port = await freePort();
	const args = [
		EMULATOR_CLI,
		'--port',
		String(port),
		...(opts.withLivekit ? ['--with-livekit'] : []),
		...(opts.args ?? []),
	];
	const child: GroupProcess = spawnGroup(process.execPath, args, { cwd: REPO_ROOT });
	const timeoutMs = opts.timeoutMs ?? 60_000;
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void child.exited.then(() => (exited = true));
	for (;;) {
		const match = /emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output());
		if (match) return { url: match[1], output: child.output, stop: () => child.stop(5000) };
		if (exited || Date.now() > deadline) {
			await child.stop(0);
			throw new Error(
				`emulator ${exited ? 'exited' : `not ready within ${timeoutMs} ms`}:\n${child.output().slice(-4000)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}
