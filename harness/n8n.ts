// A real n8n 2.40.7 (Node 24) in a throwaway user folder, with this package installed as a
// community package. CLI helpers (import, execute) start a short-lived n8n process each; `start()`
// runs `n8n start` for triggers and the HTTP APIs, `startWorker()` runs `n8n worker` (queue mode:
// give it the main's database, Redis and encryption key). `stop()` kills every process group it
// started and deletes the folder. Where n8n runs is a launcher's job: on the host (`startN8n`) or
// inside the Docker image (test/support/image-n8n.ts).

import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { N8nApi } from './n8n-api';
import { assertN8nInstalled, N8N_BIN, n8nEnv, NODE24_BIN, type N8nEnvOptions } from './n8n-env';
import { parseRunOutput, type RunData } from './n8n-output';
import { installPackageLikeN8n, verifyRuntimeDeps } from './n8n-package';
import { spawnGroup, runGroup, type GroupProcess, type RunResult } from './process-group';
import { freePort } from './processes';
import type { ProcInfo } from './proc-tree';

export { nodeItems, runError, type RunData } from './n8n-output';

export const NODE_TYPE = 'n8n-nodes-overshoot.overshoot';
export const TRIGGER_TYPE = 'n8n-nodes-overshoot.overshootTrigger';

export interface StartN8nOptions {
	/** Path of the `npm pack` tarball; defaults to the one the e2e global setup packed. */
	packageTarball?: string;
	/** Extra environment for every n8n process of this instance. */
	env?: Record<string, string>;
	/** Port for `n8n start` (the demo prefers 5678) or a worker's health server; default: a free one. */
	port?: number;
	/** Another instance's key: queue-mode mains and workers must share it (credentials in the shared DB). */
	encryptionKey?: string;
}

export interface Credential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

const CLI_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 90_000;

/** A program to run: `cmd args` with exactly `env`. */
export interface Command {
	cmd: string;
	args: string[];
	env: NodeJS.ProcessEnv;
}

/** Where and how an instance runs `n8n <args>`. */
export interface N8nLauncher {
	/** A host folder n8n can read, for files to import (`--input=`). */
	readonly filesDir: string;
	/** A path below `filesDir` as n8n sees it. */
	pathForN8n(hostPath: string): string;
	/** The command that runs `n8n <args>` with these settings (harness/n8n-env.ts). */
	command(args: string[], settings: Omit<N8nEnvOptions, 'userFolder'>): Command;
	/** Removes what the launcher made; called once every n8n process has exited. */
	dispose(): Promise<void>;
}

/** n8n on this host: Node 24 and the cached n8n (scripts/install-n8n.sh), in `userFolder`. */
export function hostLauncher(userFolder: string): N8nLauncher {
	return {
		filesDir: userFolder,
		pathForN8n: (hostPath) => hostPath,
		command: (args, settings) => ({
			cmd: NODE24_BIN,
			args: [N8N_BIN, ...args],
			env: n8nEnv({ ...settings, userFolder }),
		}),
		dispose: () => fs.rm(userFolder, { recursive: true, force: true, maxRetries: 3 }),
	};
}

export class N8nInstance {
	readonly baseUrl: string;
	readonly api: N8nApi;
	private server?: GroupProcess;
	private serverCommand = 'start';
	private readonly running = new Set<GroupProcess>();
	/** `n8n start` processes killed by crash(): their logs, and their group's orphans to clean up. */
	private readonly crashed: GroupProcess[] = [];
	/** CLI runs and servers stopped earlier (a restarted worker keeps its first life's log). */
	private pastLogs: string[] = [];

	constructor(
		readonly launcher: N8nLauncher,
		readonly port: number,
		readonly encryptionKey: string,
		private readonly extraEnv: Record<string, string>,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.api = new N8nApi(this.baseUrl);
	}

	/** Runs one n8n CLI command to completion (own task-runner port: `start` may be running). */
	async cli(args: string[], timeoutMs = CLI_TIMEOUT_MS): Promise<RunResult> {
		const {
			cmd,
			args: argv,
			env,
		} = this.launcher.command(args, {
			encryptionKey: this.encryptionKey,
			port: await freePort(),
			brokerPort: await freePort(),
			extra: this.extraEnv,
		});
		const result = await runGroup(cmd, argv, {
			env,
			cwd: this.launcher.filesDir,
			timeoutMs,
			name: `n8n ${args[0]}`,
			track: this.running,
		});
		this.pastLogs.push(`$ n8n ${args.join(' ')}\n${result.output}`);
		return result;
	}

	/** `n8n import:credentials`: plain `data` is encrypted with the instance key by the importer. */
	async importCredentials(credentials: Credential[]): Promise<void> {
		await this.importFile('import:credentials', 'credentials', credentials);
	}

	/** `n8n import:workflow`; gives the workflow an id when it has none and returns it. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? crypto.randomBytes(8).toString('hex');
		await this.importFile('import:workflow', 'workflow', { ...workflow, id });
		return id;
	}

	/** Several workflows in one `n8n import:workflow --separate` (one n8n boot); returns their ids. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<string[]> {
		const withIds = workflows.map((w) => ({
			...w,
			id: w.id ?? crypto.randomBytes(8).toString('hex'),
		}));
		const dir = await fs.mkdtemp(path.join(this.launcher.filesDir, 'workflows-'));
		try {
			await Promise.all(
				withIds.map((w, i) =>
					fs.writeFile(path.join(dir, `${i}.json`), JSON.stringify(w, null, 2)),
				),
			);
			await fs.chmod(dir, 0o755);
			const result = await this.cli([
				'import:workflow',
				'--separate',
				`--input=${this.launcher.pathForN8n(dir)}`,
			]);
			if (result.code !== 0)
				throw new Error(
					`n8n import:workflow failed (exit ${result.code}):\n${result.output.slice(-4000)}`,
				);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
		return withIds.map((w) => w.id);
	}

	/** `n8n execute --id --rawOutput`: the run data, also for failed runs (check `status`). */
	async execute(workflowId: string, timeoutMs = CLI_TIMEOUT_MS): Promise<RunData> {
		return (await this.executeWithProcesses(workflowId, timeoutMs)).run;
	}

	/** `execute`, plus what of the CLI's process group was still alive when it exited. */
	async executeWithProcesses(
		workflowId: string,
		timeoutMs = CLI_TIMEOUT_MS,
	): Promise<{ run: RunData; leftovers: ProcInfo[] }> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		const run = parseRunOutput(result.stdout) ?? parseRunOutput(result.output);
		if (!run)
			throw new Error(
				`n8n execute printed no run data (exit ${result.code}):\n${result.output.slice(-4000)}`,
			);
		return { run, leftovers: result.leftovers };
	}

	/** `n8n start`, resolved once `/healthz/readiness` answers 200 (DB connected, migrated). */
	async start(): Promise<void> {
		await this.launch('start', {});
	}

	/**
	 * `n8n worker` (queue mode), resolved once its health server's `/healthz/readiness` answers 200
	 * (database and Redis connected). The health server listens on this instance's port.
	 */
	async startWorker(): Promise<void> {
		await this.launch('worker', {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(this.port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
	}

	private async launch(
		command: 'start' | 'worker',
		commandEnv: Record<string, string>,
	): Promise<void> {
		if (this.server) throw new Error(`n8n ${this.serverCommand} is already running`);
		const { cmd, args, env } = this.launcher.command([command], {
			encryptionKey: this.encryptionKey,
			port: this.port,
			brokerPort: await freePort(),
			extra: { ...this.extraEnv, ...commandEnv },
		});
		const server = spawnGroup(cmd, args, { env, cwd: this.launcher.filesDir });
		this.server = server;
		this.serverCommand = command;
		const deadline = Date.now() + START_TIMEOUT_MS;
		let exited = false;
		void server.exited.then(() => (exited = true));
		while (!(await this.ready())) {
			if (exited || Date.now() > deadline) {
				await this.stopServer();
				throw new Error(
					`n8n ${command} ${exited ? 'exited' : `not ready within ${START_TIMEOUT_MS} ms`}:\n${server.output().slice(-4000)}`,
				);
			}
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	/** The pid of `n8n start` or `n8n worker` (its trigger children, e.g. ffmpeg, are its descendants). */
	serverPid(): number | undefined {
		return this.server?.proc.pid;
	}

	/** Everything every n8n process of this instance printed so far. */
	logs(): string {
		const crashed = this.crashed.map((s) => `$ n8n start (killed)\n${s.output()}`);
		return [
			...this.pastLogs,
			...crashed,
			this.server ? `$ n8n ${this.serverCommand}\n${this.server.output()}` : '',
		].join('\n');
	}

	/** Log lines in which n8n reports a community package or node it could not load. */
	loadErrors(): string[] {
		return this.logs()
			.split('\n')
			.filter((line) =>
				/Failed to load|failed to load|Unknown credential name|Cannot find module|is not installed/i.test(
					line,
				),
			);
	}

	/**
	 * SIGKILL to `n8n start` alone, as the OOM killer or a power cut would do it: no shutdown, no
	 * closeFunction. Its children are left to notice by themselves. Resolves with the process group
	 * id (where orphans can still be found) once n8n is gone; `start()` may then run it again on
	 * the same user folder and database, as a restart would.
	 */
	async crash(): Promise<number> {
		const server = this.server;
		if (!server?.proc.pid) throw new Error('n8n is not running');
		this.server = undefined;
		this.crashed.push(server);
		process.kill(server.proc.pid, 'SIGKILL');
		await server.exited;
		return server.proc.pid;
	}

	/** Stops `n8n start` / `n8n worker` (SIGTERM: n8n shuts down gracefully; SIGKILL after 10 s). */
	async stopServer(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		await server?.stop(10_000);
		if (server) this.pastLogs.push(`$ n8n ${this.serverCommand}\n${server.output()}`);
	}

	/** Stops `n8n start` and any CLI command still running, then what the launcher made (the user folder). */
	async stop(): Promise<void> {
		await Promise.all([
			this.stopServer(),
			...[...this.running, ...this.crashed].map((p) => p.stop(2000)),
		]);
		await this.launcher.dispose();
	}

	private async ready(): Promise<boolean> {
		try {
			const res = await fetch(`${this.baseUrl}/healthz/readiness`, {
				signal: AbortSignal.timeout(2000),
			});
			return res.ok;
		} catch {
			return false;
		}
	}

	private async importFile(command: string, stem: string, content: unknown): Promise<void> {
		const file = path.join(
			this.launcher.filesDir,
			`${stem}-${crypto.randomBytes(4).toString('hex')}.json`,
		);
		await fs.writeFile(file, JSON.stringify(content, null, 2), { mode: 0o644 });
		try {
			const result = await this.cli([command, `--input=${this.launcher.pathForN8n(file)}`]);
			if (result.code !== 0)
				throw new Error(
					`n8n ${command} failed (exit ${result.code}):\n${result.output.slice(-4000)}`,
				);
		} finally {
			await fs.rm(file, { force: true });
		}
	}
}

export function randomEncryptionKey(): string {
	return crypto.randomBytes(24).toString('hex');
}

/** The tarball the e2e global setup packed (`OVS_PACKAGE_TARBALL`). */
export function packedTarball(): string {
	const tarball = process.env.OVS_PACKAGE_TARBALL;
	if (!tarball)
		throw new Error(
			'OVS_PACKAGE_TARBALL is not set: run e2e tests through jest (global setup packs the package)',
		);
	return tarball;
}

export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	assertN8nInstalled();
	const userFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'ovs-n8n-'));
	try {
		const packageDir = await installPackageLikeN8n(
			options.packageTarball ?? packedTarball(),
			userFolder,
		);
		await verifyRuntimeDeps(packageDir);
		return new N8nInstance(
			hostLauncher(userFolder),
			options.port ?? (await freePort()),
			options.encryptionKey ?? randomEncryptionKey(),
			options.env ?? {},
		);
	} catch (error) {
		await fs.rm(userFolder, { recursive: true, force: true });
		throw error;
	}
}
