// `npm run demo`: the Overshoot Trigger firing on a sample video, in a real n8n, against the local
// Overshoot emulator (with a real livekit-server). Makes the video, installs the packed package
// into a throwaway n8n, imports the examples, activates examples/trigger-video-file.json and
// prints a live log until the trigger has fired twice (or --minutes pass). Everything it started
// is stopped on exit, on Ctrl-C and on errors. --keep-running keeps n8n up until Ctrl-C.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OWNER } from '../harness/n8n-api';
import { packPackage } from '../harness/n8n-package';
import type { Credential, WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/paths';
import { descendants, watchProcessesBelow } from '../harness/proc-tree';
import { makeLoadingDockVideo } from '../harness/scene-video';
import { startTriggerStack, type TriggerStack } from '../harness/trigger-stack';
import { waitFor } from '../harness/wait';
import { watchLive } from './demo-watch';

const SAMPLES_DIR = '/tmp/overshoot-samples';
const VIDEO = path.join(SAMPLES_DIR, 'scene.mp4');
const WORKFLOW_ID = 'ovsExTrigVideo01';
const TRIGGER_NODE = 'Watch Sample Video';
const OUTPUT_DIR = path.resolve('demo-output');
const USAGE = 'usage: npm run demo [-- --keep-running] [--fires N (2)] [--minutes M (3)]';

const print = (line = '') => process.stdout.write(`${line}\n`);

function parseArgs(argv: string[]) {
	const args = { keepRunning: false, fires: 2, minutes: 3 };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--keep-running') args.keepRunning = true;
		else if (a === '--fires' || a === '--minutes') {
			const n = Number(argv[++i]);
			if (!(n > 0)) throw new Error(`${a} needs a positive number\n${USAGE}`);
			args[a === '--fires' ? 'fires' : 'minutes'] = n;
		} else throw new Error(`unknown argument ${a}\n${USAGE}`);
	}
	return args;
}

/** 5678 (n8n's usual port) when nothing listens there, else any free port. */
function pickPort(): Promise<number> {
	const tryListen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			const srv = net.createServer().once('error', reject);
			srv.listen(port, '127.0.0.1', () =>
				srv.close(() => resolve((srv.address() as net.AddressInfo | null)?.port ?? port)),
			);
		});
	return tryListen(5678).catch(() => tryListen(0));
}

function examples(): WorkflowJson[] {
	const dir = path.join(REPO_ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as WorkflowJson);
}

function credentials(emulatorUrl: string): Credential[] {
	return [
		{
			id: 'ovsExampleCred01',
			name: 'Overshoot account',
			type: 'overshootApi',
			data: { apiKey: 'ovs-demo-key', baseUrl: `${emulatorUrl}/v1` },
		},
		// camera-alert.json names a camera login; a placeholder lets it open without a warning.
		{
			id: 'ovsExampleCam01',
			name: 'Front door camera login',
			type: 'overshootCameraApi',
			data: { username: 'viewer', password: 'change-me' },
		},
	];
}

async function main(): Promise<number> {
	const args = parseArgs(process.argv.slice(2));
	const abort = new AbortController();
	let stack: TriggerStack | undefined;
	let firstSignalAt = 0;
	let finish!: (reason: string) => void;
	const finished = new Promise<string>((resolve) => (finish = resolve));

	// Ctrl-C: a clean stop. npm forwards the terminal's SIGINT too, so a second one within 2 s is
	// the same keypress; a later one means "now": every process we started is killed at once.
	const onSignal = (signal: string) => {
		if (firstSignalAt && Date.now() - firstSignalAt > 2000) {
			print('\nSecond interrupt: killing everything the demo started.');
			for (const p of descendants(process.pid)) safeKill(p.pid);
			process.exit(130);
		}
		if (!firstSignalAt) print(`\n${signal}: stopping n8n, the emulator and livekit-server ...`);
		firstSignalAt ||= Date.now();
		abort.abort();
		finish(`interrupted (${signal})`);
	};
	process.on('SIGINT', () => onSignal('Ctrl-C'));
	process.on('SIGTERM', () => onSignal('SIGTERM'));

	print('Overshoot demo: the Overshoot Trigger in a real n8n 2.40.7, watching a sample video,');
	print(
		'asking a (local, emulated) vision model "Is the scene red?" and starting a workflow when it becomes yes.',
	);
	print();
	try {
		print(
			`• sample video  ${VIDEO}: 8 s empty loading dock (gray), then 6 s a red truck; it loops`,
		);
		await makeLoadingDockVideo({ file: VIDEO });
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-demo-pack-'));
		try {
			print('• packing      n8n-nodes-overshoot (npm pack of dist/)');
			const tarball = await packPackage(packDir);
			const port = await pickPort();
			const started = startTriggerStack({
				tarball,
				credentials,
				workflows: examples(),
				activate: [WORKFLOW_ID],
				fileAccess: [SAMPLES_DIR],
				port,
				onStep: (step) => print(`• ${step}`),
				signal: abort.signal,
			});
			stack = await started;
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
		const { n8n } = stack;
		print();
		print(`n8n is running at ${n8n.baseUrl}  (log in as ${OWNER.email} / ${OWNER.password})`);
		print(
			`Active workflow: ${n8n.baseUrl}/workflow/${WORKFLOW_ID}  (all ${examples().length} examples are imported)`,
		);
		print(
			`The trigger asks every 2 s and fires when the answer becomes "Yes" (cooldown 10 s). Snapshots go to ${path.relative(process.cwd(), OUTPUT_DIR)}/.`,
		);
		print();

		const live = watchLive({
			stack,
			workflowId: WORKFLOW_ID,
			triggerNode: TRIGGER_NODE,
			outputDir: OUTPUT_DIR,
			print,
			onExecution: (count) => {
				if (count >= args.fires && !args.keepRunning) finish(`the trigger fired ${count} times`);
				if (count === args.fires && args.keepRunning)
					print(
						`Fired ${count} times. --keep-running: n8n stays up at ${n8n.baseUrl}; press Ctrl-C to stop.`,
					);
			},
		});
		const timer = args.keepRunning
			? undefined
			: setTimeout(
					() => finish(`no ${args.fires} executions within ${args.minutes} min (stopping anyway)`),
					args.minutes * 60_000,
				);
		const reason = await finished;
		clearTimeout(timer);
		await live.stop();
		print(`Done: ${reason}.`);
		return (await cleanUp(stack)) && !reason.startsWith('no ') ? 0 : 1;
	} catch (error) {
		if (abort.signal.aborted) print('Stopped during set-up.');
		else print(`\nDemo failed: ${(error as Error).message}`);
		if (stack) await cleanUp(stack);
		return abort.signal.aborted ? 130 : 1;
	}
}

/** Deactivates, proves the trigger left nothing behind, stops everything; true when all is clean. */
async function cleanUp(stack: TriggerStack): Promise<boolean> {
	print('Cleaning up: deactivating the workflow ...');
	let clean = true;
	try {
		await stack.n8n.api.deactivate(WORKFLOW_ID);
		// n8n 2.40 unpublishes in the background: give the trigger's teardown a bounded moment.
		const look = async () => {
			const state = await stack.emulatorState();
			return {
				streams: state.streams.filter((s) => s.state === 'active').length,
				rooms: state.openRooms.length,
				processes: watchProcessesBelow(stack.n8n.serverPid() ?? -1).length,
			};
		};
		const left = await waitFor(
			'the trigger to stop',
			async () => {
				const l = await look();
				return l.streams + l.rooms + l.processes === 0 ? l : undefined;
			},
			15_000,
			250,
		).catch(look);
		print(
			`  emulator: ${left.streams} active streams, ${left.rooms} open LiveKit rooms; trigger processes under n8n: ${left.processes}`,
		);
		clean = left.streams + left.rooms + left.processes === 0;
	} catch (error) {
		print(`  could not deactivate cleanly: ${(error as Error).message}`);
		clean = false;
	}
	await stack.stop();
	const left = descendants(process.pid);
	for (const p of left) safeKill(p.pid);
	print(
		left.length === 0
			? '  n8n, the emulator and livekit-server stopped; no process left behind.'
			: `  killed ${left.length} leftover processes: ${left.map((p) => p.comm).join(', ')}`,
	);
	return clean && left.length === 0;
}

function safeKill(pid: number) {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		print(`demo: ${(error as Error).message}`);
		process.exit(1);
	},
);
