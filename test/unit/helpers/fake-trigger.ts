// A fake ITriggerFunctions that behaves like n8n 2.40's TriggerContext where the trigger can
// tell: parameters with the description's defaults (hidden ones fall back), credentials only when
// selected on the node, prepareBinaryData returning IBinaryData with the bytes kept for checks,
// createDeferredPromise, and — in manual mode — emit/emitError swapped *after* trigger() returns,
// as packages/core/src/execution-engine/triggers-and-pollers.ts does.

import type {
	IBinaryData,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';

import { OvershootTrigger } from '../../../nodes/Overshoot/OvershootTrigger.node';
import { resolveParams, withoutVersion } from './fake-execute';

export interface FakeTriggerOptions {
	params: IDataObject;
	mode?: 'manual' | 'trigger';
	credentials?: { apiKey: string; baseUrl: string };
	camera?: { username?: string; password?: string };
	/** Real HTTP (integration) or a scripted answer (unit). */
	http?: (options: IHttpRequestOptions) => Promise<unknown>;
	/** When set, donePromise of each emit resolves after this many ms (a "run"). */
	runMs?: number;
	/** The node's typeVersion (default 1). */
	typeVersion?: number;
}

export interface Emitted {
	items: INodeExecutionData[];
	hadDonePromise: boolean;
}

export interface FakeTrigger {
	ctx: ITriggerFunctions;
	emitted: Emitted[];
	errors: Error[];
	logs: Array<{ level: string; message: string; meta?: unknown }>;
	/** The bytes behind each prepared binary, by its id. */
	binaries: Map<string, Buffer>;
	node: INode;
}

export function fakeTrigger(options: FakeTriggerOptions): FakeTrigger {
	const properties = new OvershootTrigger().description.properties;
	const typeVersion = options.typeVersion ?? 1;
	const values = withoutVersion(resolveParams(properties, options.params, typeVersion));
	const node: INode = {
		id: 'trigger-1',
		name: 'Overshoot Trigger',
		type: 'n8n-nodes-overshoot.overshootTrigger',
		typeVersion,
		position: [0, 0],
		parameters: values as INode['parameters'],
		credentials: {
			overshootApi: { id: '1', name: 'Overshoot account' },
			...(options.camera ? { overshootCameraApi: { id: '2', name: 'Camera' } } : {}),
		},
	};
	const emitted: Emitted[] = [];
	const errors: Error[] = [];
	const logs: FakeTrigger['logs'] = [];
	const binaries = new Map<string, Buffer>();
	let binaryId = 0;
	const log = (level: string) => (message: string, meta?: unknown) =>
		void logs.push({ level, message, meta });
	const ctx = {
		getNode: () => node,
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getWorkflow: () => ({ id: 'wf-1', name: 'Test', active: options.mode !== 'manual' }),
		getNodeParameter(name: string, fallback?: unknown, opts?: { extractValue?: boolean }) {
			let value: unknown = values[name];
			if (value === undefined) {
				if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
				value = fallback;
			}
			if (opts?.extractValue && value && typeof value === 'object' && 'value' in value)
				value = (value as IDataObject).value;
			return value;
		},
		async getCredentials(type: string) {
			if (type === 'overshootApi' && options.credentials) return { ...options.credentials };
			if (type === 'overshootCameraApi' && options.camera) return { ...options.camera };
			throw new Error(`Node "${node.name}" does not have any credentials of type "${type}" set`);
		},
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		emit(
			data: INodeExecutionData[][],
			_response?: unknown,
			done?: { resolve: (v: unknown) => void },
		) {
			emitted.push({ items: data[0], hadDonePromise: done !== undefined });
			if (done) setTimeout(() => done.resolve({}), options.runMs ?? 0);
		},
		emitError(error: Error) {
			errors.push(error);
		},
		helpers: {
			createDeferredPromise<T>() {
				let resolve!: (v: T) => void;
				let reject!: (e: Error) => void;
				const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
				return { promise, resolve, reject };
			},
			async prepareBinaryData(
				data: Buffer,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> {
				const id = `mem:${++binaryId}`;
				binaries.set(id, data);
				return {
					id,
					data: '',
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
					fileSize: String(data.length),
				} as IBinaryData;
			},
			// n8n 2.40 evaluates the credential's expression only while trigger() runs, but the
			// watcher calls Overshoot long after: the trigger must never use this helper (a real
			// n8n answers "No bridge acquired for this context"), so the fake refuses it outright.
			async httpRequestWithAuthentication() {
				throw new Error('No bridge acquired for this context. Call acquire() first.');
			},
			// The trigger authenticates itself through the plain helper with its own Bearer header.
			async httpRequest(req: IHttpRequestOptions) {
				if (!options.http) throw new Error('no HTTP in this test');
				return options.http(req);
			},
		},
	} as unknown as ITriggerFunctions;
	return { ctx, emitted, errors, logs, binaries, node };
}

/**
 * Runs trigger() as n8n does for the mode: in manual mode, after trigger() returns, emit and
 * emitError are replaced by a one-shot resolver/rejecter of the test run, and
 * manualTriggerFunction is awaited.
 */
export async function runTrigger(
	fake: FakeTrigger,
): Promise<{ response: ITriggerResponse; firstEmit?: Promise<INodeExecutionData[][]> }> {
	const response = await new OvershootTrigger().trigger.call(fake.ctx);
	if (fake.ctx.getMode() !== 'manual') return { response };
	const ctx = fake.ctx as unknown as {
		emit: ITriggerFunctions['emit'];
		emitError: ITriggerFunctions['emitError'];
	};
	const originalEmit = ctx.emit;
	const originalError = ctx.emitError;
	const firstEmit = new Promise<INodeExecutionData[][]>((resolve, reject) => {
		ctx.emit = (data, r, d) => (originalEmit.call(fake.ctx, data, r, d), resolve(data));
		ctx.emitError = (error, r) => (originalError.call(fake.ctx, error, r), reject(error));
	});
	firstEmit.catch(() => undefined);
	if (response.manualTriggerFunction) await response.manualTriggerFunction();
	return { response, firstEmit };
}
