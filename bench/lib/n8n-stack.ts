// A real n8n 2.40.7 with this package, for the benchmarks that measure triggers inside n8n:
// builds dist/ and packs it (so the current code is measured), then harness/trigger-stack.ts
// (emulator + livekit-server as their own process, `n8n start`). Everything is stopped by ctx.defer.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { overshootCredential } from '../../harness/example-credentials';
import { TRIGGER_TYPE, type Credential, type WorkflowJson } from '../../harness/n8n';
import { packPackage } from '../../harness/n8n-package';
import {
	startTriggerStack,
	waitForPublication,
	type TriggerStack,
} from '../../harness/trigger-stack';
import { ROOT } from './root';
import type { BenchContext } from './types';
import { TEST_MODEL } from '../../emulator/models';

const exec = promisify(execFile);
export const TRIGGER_NODE = 'Watch';
export const MODEL = TEST_MODEL;

/** Why n8n cannot run here, or undefined when it can. */
export function n8nMissing(): string | undefined {
	const cache = process.env.OVS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-overshoot');
	if (!fs.existsSync(path.join(cache, 'n8n-2.40.7', '.complete')))
		return 'n8n 2.40.7 is not installed (scripts/install-n8n.sh)';
	return undefined;
}

/** A folder removed after the benchmark (videos live here; n8n may read it). */
export function tempDir(ctx: BenchContext, prefix: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	ctx.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

export interface TriggerSpec {
	id: string;
	/** A looping video file, or (`cameraUrl`) an RTSP camera. */
	videoPath?: string;
	cameraUrl?: string;
	/** An `overshootApi` credential other than the example one. */
	credential?: { id: string; name: string };
	prompt: string;
	askEverySeconds: number;
	condition: string;
	conditionText?: string;
	oneRunAtATime: boolean;
}

/** Video-file (looping) or RTSP-camera trigger (640×360 at 5 fps, cooldown 0, every match) → No Op. */
export function triggerWorkflow(s: TriggerSpec): WorkflowJson {
	return {
		id: s.id,
		name: `bench ${s.id}`,
		active: false,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					...(s.cameraUrl
						? { source: 'rtsp', cameraUrl: s.cameraUrl }
						: { source: 'videoFile', videoPath: s.videoPath, loop: true }),
					model: { __rl: true, mode: 'id', value: MODEL },
					prompt: s.prompt,
					askEverySeconds: s.askEverySeconds,
					condition: s.condition,
					...(s.conditionText ? { conditionText: s.conditionText } : {}),
					fire: 'everyMatch',
					cooldownSeconds: 0,
					matchesInARow: 1,
					options: {
						publishWidth: 640,
						publishHeight: 360,
						publishFps: 5,
						maxTokens: 64,
						oneRunAtATime: s.oneRunAtATime,
					},
				},
				credentials: {
					overshootApi: s.credential ?? { id: 'ovsExampleCred01', name: 'Overshoot account' },
				},
			},
			{
				id: crypto.randomUUID(),
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: { [TRIGGER_NODE]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Plain n8n Webhook (POST, answers on receipt) → No Op: the baseline for "event → execution start". */
export function webhookWorkflow(id: string, webhookPath: string): WorkflowJson {
	const webhookId = crypto.randomUUID();
	return {
		id,
		name: `bench ${id}`,
		active: false,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: crypto.randomUUID(),
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Builds dist/, packs it and starts the stack with `workflows` imported (none activated yet); `env`: more for n8n. The stack carries the tarball. */
export async function n8nStack(
	ctx: BenchContext,
	workflows: WorkflowJson[],
	fileDir: string,
	extraCredentials: (emulatorUrl: string) => Credential[] = () => [],
	env: Record<string, string> = {},
): Promise<TriggerStack & { tarball: string }> {
	ctx.log('npm run build + npm pack');
	await exec('npm', ['run', 'build'], { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
	const packDir = tempDir(ctx, 'ovs-bench-pack-');
	const tarball = await packPackage(packDir);
	const stack = await startTriggerStack({
		tarball,
		credentials: (url) => [overshootCredential(url), ...extraCredentials(url)],
		workflows,
		fileAccess: [fileDir],
		env,
		onStep: (step) => ctx.log(step),
	});
	ctx.defer(() => stack.stop());
	return { ...stack, tarball };
}

/** Activates a workflow and waits until its trigger really started; deactivated after the benchmark. */
export async function activate(ctx: BenchContext, stack: TriggerStack, id: string): Promise<void> {
	await stack.n8n.api.activate(id);
	// Deactivating lets the trigger delete its stream while the emulator still runs (bounded).
	ctx.defer(() =>
		Promise.race([
			stack.n8n.api.deactivate(id).catch(() => undefined),
			new Promise((r) => setTimeout(r, 15_000)),
		]).then(() => undefined),
	);
	const status = await waitForPublication(stack.n8n, id);
	if (status.status !== 'published')
		throw new Error(`workflow ${id} did not start: ${JSON.stringify(status)}`);
}

/** The emulator's pid (it runs as `node …/cli.js --port N`), found in /proc; undefined if not found. */
export function emulatorPid(emulatorUrl: string): number | undefined {
	const port = new URL(emulatorUrl).port;
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
			if (cmd.some((a) => a.endsWith(path.join('emulator', 'cli.js'))) && cmd.includes(port))
				return Number(name);
		} catch {
			// gone meanwhile
		}
	}
	return undefined;
}
