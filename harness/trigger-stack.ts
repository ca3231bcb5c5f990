// Everything an Overshoot Trigger needs to run for real, in one call: the emulator as its own
// process (with a real livekit-server), a real n8n 2.40.7 with the packed package installed,
// credentials and workflows imported, `n8n start` up, chosen workflows activated through the
// public API. Used by test/e2e/trigger.test.ts and the demo (demo/demo.ts); benchmarks may
// reuse it. With `queueMode`, n8n runs as users scale it: a main in EXECUTIONS_MODE=queue and
// `n8n worker`s, each with the package installed in its own user folder, sharing a throwaway
// PostgreSQL and Redis (test/e2e/queue-mode.test.ts). `stop()` deactivates, stops n8n (workers,
// then the main), the database and Redis, then the emulator (which stops its livekit-server).

import sharp from 'sharp';
import type { ChatRecord } from '../emulator/chat';
import type { EmulatorState } from '../emulator/control';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';
import type { Execution } from './n8n-api';
import {
	startN8n,
	type Credential,
	type N8nInstance,
	type StartN8nOptions,
	type WorkflowJson,
} from './n8n';
import { startPostgres, type Postgres } from './postgres';
import { watchProcessesBelow } from './proc-tree';
import { startRedis, type Redis } from './redis';
import { waitFor } from './wait';

export interface TriggerStackOptions {
	/** `npm pack` tarball of this package, installed into an n8n on this host. */
	tarball?: string;
	/** Starts the n8n instead (e.g. inside the Docker image, test/support/image-n8n.ts). */
	startN8n?: (options: StartN8nOptions) => Promise<N8nInstance>;
	/** Credentials to import; gets the emulator's URL (the API lives under `${url}/v1`). */
	credentials: (emulatorUrl: string) => Credential[];
	workflows: WorkflowJson[];
	/** Workflow ids to activate once n8n is up (activation failure rejects). */
	activate?: string[];
	/** Folders the trigger may read files from (`N8N_RESTRICT_FILE_ACCESS_TO`). */
	fileAccess?: string[];
	/** More arguments for the emulator program (e.g. `--catalog <file>`). */
	emulatorArgs?: string[];
	/** The emulator starts a livekit-server of its own (default); false when `emulatorArgs` name one (`--livekit-url`) the caller restarts. */
	withLivekit?: boolean;
	/** n8n's port; default a free one. */
	port?: number;
	/** More environment for n8n, main and workers (e.g. `N8N_USE_WORKFLOW_PUBLICATION_SERVICE`). */
	env?: Record<string, string>;
	/** Queue mode: PostgreSQL + Redis + this many `n8n worker`s (at least 1) next to the main. */
	queueMode?: { workers: number; mainEnv?: Record<string, string> };
	/** Called between steps, for a progress log. */
	onStep?: (step: string) => void;
	/** Aborting stops whatever already runs (e.g. Ctrl-C in the demo) and rejects. */
	signal?: AbortSignal;
}

export interface TriggerStack {
	emulator: EmulatorProcess;
	/** The main (`n8n start`): the public API, triggers. */
	n8n: N8nInstance;
	/** Queue mode's `n8n worker`s (none otherwise). */
	workers: N8nInstance[];
	/** Ids of `workflows`, in order. */
	workflowIds: string[];
	emulatorState(): Promise<EmulatorState>;
	chatCalls(): Promise<ChatRecord[]>;
	/** Deactivates what is still active (bounded), stops n8n and the emulator. Idempotent. */
	stop(): Promise<void>;
}

async function getJson<T>(url: string): Promise<T> {
	const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
	if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
	return (await res.json()) as T;
}

export async function startTriggerStack(o: TriggerStackOptions): Promise<TriggerStack> {
	const step = o.onStep ?? (() => undefined);
	let emulator: EmulatorProcess | undefined;
	let n8n: N8nInstance | undefined;
	const workers: N8nInstance[] = [];
	let postgres: Postgres | undefined;
	let redis: Redis | undefined;
	const active = new Set<string>();
	// Safe to call more than once (each part's stop is idempotent): an abort during start stops
	// what exists, and the start, once its current step returns, stops what came up meanwhile.
	const stopAll = async () => {
		// Deactivating first lets the trigger delete its stream while the emulator still runs;
		// n8n's own shutdown would close it too, but without telling us how it went.
		for (const id of active)
			await Promise.race([
				n8n?.api.deactivate(id).catch(() => undefined),
				new Promise((r) => setTimeout(r, 15_000)),
			]);
		active.clear();
		await Promise.all(workers.map((w) => w.stop()));
		await n8n?.stop();
		await Promise.all([postgres?.stop(), redis?.stop()]);
		await emulator?.stop();
	};
	let stopping: Promise<void> | undefined;
	const stop = () => (stopping ??= stopAll());
	const onAbort = () => void stopAll();
	o.signal?.addEventListener('abort', onAbort, { once: true });
	const checkAbort = () => {
		if (o.signal?.aborted) throw new Error('aborted');
	};
	try {
		checkAbort();
		step('starting the Overshoot emulator and livekit-server');
		emulator = await startEmulatorProcess({
			withLivekit: o.withLivekit ?? true,
			args: o.emulatorArgs,
		});
		checkAbort();
		let env: Record<string, string> = {
			...(o.fileAccess?.length ? { N8N_RESTRICT_FILE_ACCESS_TO: o.fileAccess.join(';') } : {}),
			...o.env,
		};
		if (o.queueMode) {
			step('starting PostgreSQL and Redis for queue mode');
			postgres = await startPostgres();
			redis = await startRedis();
			env = { EXECUTIONS_MODE: 'queue', ...postgres.n8nEnv, ...redis.n8nEnv, ...env };
			checkAbort();
		}
		step(
			o.startN8n ? 'preparing n8n' : 'installing the packed package into a fresh n8n user folder',
		);
		n8n = await (o.startN8n ?? startN8n)({
			packageTarball: o.tarball,
			env: { ...env, ...o.queueMode?.mainEnv },
			port: o.port,
		});
		const key = n8n.encryptionKey;
		if (o.queueMode)
			step(
				`installing the packed package for ${o.queueMode.workers} worker(s), each in its own user folder`,
			);
		// One by one: a failed install must not leave an installed sibling nobody stops.
		for (let i = 0; i < (o.queueMode?.workers ?? 0); i++)
			workers.push(await startN8n({ packageTarball: o.tarball, env, encryptionKey: key }));
		checkAbort();
		step('importing credentials and workflows');
		await n8n.importCredentials(o.credentials(emulator.url));
		const workflowIds = await n8n.importWorkflows(o.workflows);
		checkAbort();
		step(`starting n8n on ${n8n.baseUrl}`);
		// Workers boot alongside the main: the imports above have migrated the shared database.
		if (workers.length) step(`and ${workers.length} n8n worker(s)`);
		await Promise.all([n8n.start(), ...workers.map((w) => w.startWorker())]);
		checkAbort();
		for (const id of o.activate ?? []) {
			step(`activating workflow ${id}`);
			await n8n.api.activate(id);
			active.add(id);
			// Without the publication service, activate() answers only once the trigger started.
			if (o.env?.N8N_USE_WORKFLOW_PUBLICATION_SERVICE === 'false') continue;
			const status = await waitForPublication(n8n, id);
			if (status.status !== 'published')
				throw new Error(`workflow ${id} did not start: ${JSON.stringify(status)}`);
			checkAbort();
		}
		o.signal?.removeEventListener('abort', onAbort);
		const emu = emulator;
		const instance = n8n;
		return {
			emulator: emu,
			n8n: instance,
			workers,
			workflowIds,
			emulatorState: () => getJson<EmulatorState>(`${emu.url}/_emulator/state`),
			chatCalls: () => getJson<ChatRecord[]>(`${emu.url}/_emulator/chat-calls`),
			stop,
		};
	} catch (error) {
		o.signal?.removeEventListener('abort', onAbort);
		await stopAll();
		throw error;
	}
}

/** `GET /rest/workflows/{id}/publication-status` (n8n ≥ 2.40 with its publication service). */
export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/**
 * n8n 2.40 publishes through an outbox: `POST /api/v1/workflows/{id}/activate` answers once the
 * publication is queued, and the trigger starts (or fails) right after, in the background. This
 * waits for that outcome, which is where an activation error's message ends up.
 */
export async function waitForPublication(
	n8n: N8nInstance,
	workflowId: string,
	timeoutMs = 60_000,
): Promise<PublicationStatus> {
	return waitFor(
		`the publication of workflow ${workflowId}`,
		async () => {
			const status = await n8n.api.rest<PublicationStatus>(
				'GET',
				`/rest/workflows/${workflowId}/publication-status`,
			);
			return status.status === 'in_progress' ? undefined : status;
		},
		timeoutMs,
		250,
	);
}

/** Item `index` of the first output of `node` in an execution read with `includeData=true`. */
export function executionItem(
	execution: Execution,
	node: string,
	index = 0,
): { json: Record<string, unknown>; binary?: Record<string, BinaryRef> } | undefined {
	const run = execution.data?.resultData.runData[node]?.[0];
	const item = run?.data?.main?.[0]?.[index];
	return item as { json: Record<string, unknown>; binary?: Record<string, BinaryRef> } | undefined;
}

/** What n8n stores for a binary property in filesystem mode (`id` names the file). */
export interface BinaryRef {
	id?: string;
	mimeType: string;
	fileName?: string;
	fileSize?: string;
	data?: string;
}

/** A snapshot's bytes: through n8n's binary-data endpoint, or inline (base64) when n8n kept it in memory. */
export async function binaryBytes(n8n: N8nInstance, ref: BinaryRef): Promise<Buffer> {
	if (ref.id) return (await n8n.api.binary(ref.id)).data;
	if (ref.data) return Buffer.from(ref.data, 'base64');
	throw new Error(`binary property has neither id nor data: ${JSON.stringify(ref)}`);
}

/**
 * Mean R, G, B (0–255) of the central half (by width and height) of an encoded image: the trigger
 * letterboxes a 4:3 camera into 16:9 with black bars, which would pull a full-frame mean down.
 */
export async function meanRgb(image: Buffer): Promise<[number, number, number]> {
	const { width = 0, height = 0 } = await sharp(image).metadata();
	const region = {
		left: Math.floor(width / 4),
		top: Math.floor(height / 4),
		width: Math.max(1, Math.floor(width / 2)),
		height: Math.max(1, Math.floor(height / 2)),
	};
	const { channels } = await sharp(await sharp(image).extract(region).toBuffer())
		.removeAlpha()
		.stats();
	return [channels[0].mean, channels[1].mean, channels[2].mean];
}

/** What a torn-down trigger leaves: nothing. */
export const NO_LEFTOVERS = { activeStreams: [], openRooms: [], processes: [] };

/** Active streams, open rooms and the trigger's processes under n8n, once all are gone (or after 15 s). */
export async function triggerLeftovers(stack: TriggerStack) {
	const pid = stack.n8n.serverPid()!;
	const look = async () => {
		const state = await stack.emulatorState();
		return {
			activeStreams: state.streams.filter((s) => s.state === 'active').map((s) => s.id),
			openRooms: state.openRooms,
			processes: watchProcessesBelow(pid).map((p) => `${p.pid} ${p.role} ${p.comm}`),
		};
	};
	const clean = (l: Awaited<ReturnType<typeof look>>) =>
		l.activeStreams.length + l.openRooms.length + l.processes.length === 0;
	return waitFor(
		'the trigger to tear down',
		async () => {
			const l = await look();
			return clean(l) ? l : undefined;
		},
		15_000,
		250,
	).catch(look);
}
