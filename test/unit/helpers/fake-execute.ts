// A small fake IExecuteFunctions for the action node's unit tests. It reads parameters from
// plain objects, and fails the test when the code asks for a parameter the node description
// does not show for the current resource/operation (catches name typos between the
// description and execute), and records every HTTP request the node makes.

import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { Overshoot } from '../../../nodes/Overshoot/Overshoot.node';

export interface ScriptedResponse {
	statusCode: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Responder = (
	req: IHttpRequestOptions,
) => ScriptedResponse | Error | Promise<ScriptedResponse | Error>;

export interface FakeOptions {
	/** Parameters for every item, or one object per item. */
	params: IDataObject | IDataObject[];
	items?: INodeExecutionData[];
	binaries?: Record<string, Buffer>;
	respond?: Responder | ScriptedResponse[];
	continueOnFail?: boolean;
	credentials?: { apiKey: string; baseUrl: string };
	/** An Overshoot Camera credential selected on the node. */
	camera?: { username?: string; password?: string };
	/** The node's typeVersion (default 1: the workflows saved before Model Choice existed). */
	typeVersion?: number;
}

export const NODE: INode = {
	id: 'node-1',
	name: 'Overshoot',
	type: 'n8n-nodes-overshoot.overshoot',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Where the node version is kept in resolved values: n8n's own displayOptions key. */
const VERSION = '@version';

/** n8n's `_cnd` conditions, the ones a version check uses. */
function conditionHolds(allowed: unknown, value: unknown): boolean {
	const cnd = (allowed as { _cnd?: Record<string, number> } | null)?._cnd;
	if (!cnd) return allowed === value;
	const v = Number(value);
	return Object.entries(cnd).every(([op, x]) =>
		op === 'eq'
			? v === x
			: op === 'not'
				? v !== x
				: op === 'gte'
					? v >= x
					: op === 'lte'
						? v <= x
						: op === 'gt'
							? v > x
							: op === 'lt'
								? v < x
								: false,
	);
}

function matchesShow(
	show: Record<string, unknown[] | undefined> | undefined,
	values: IDataObject,
): boolean {
	if (!show) return true;
	return Object.entries(show).every(([key, allowed]) => {
		const v = values[key === VERSION ? VERSION : key.replace(/^\//, '')];
		return (allowed ?? []).some((a) => conditionHolds(a, v));
	});
}

/**
 * Parameter values with defaults filled in for every property visible with these values, for a
 * node of `typeVersion` (kept under '@version', as n8n's displayOptions name it).
 */
export function resolveParams(
	properties: INodeProperties[],
	given: IDataObject,
	typeVersion = 1,
): IDataObject {
	const values: IDataObject = { ...given, [VERSION]: typeVersion };
	// Twice: a default (e.g. resource → operation) can make more properties visible.
	for (let pass = 0; pass < 3; pass++) {
		for (const p of properties) {
			if (values[p.name] !== undefined) continue;
			if (matchesShow(p.displayOptions?.show as never, values)) values[p.name] = p.default as never;
		}
	}
	return values;
}

function visibleProperty(
	properties: INodeProperties[],
	name: string,
	values: IDataObject,
): INodeProperties | undefined {
	return properties.find(
		(p) => p.name === name && matchesShow(p.displayOptions?.show as never, values),
	);
}

/** Fails when `path` (e.g. 'options', 'media.items') is not a visible parameter of the node. */
export function assertKnownParameter(
	properties: INodeProperties[],
	path: string,
	values: IDataObject,
): void {
	const [top, sub] = path.split('.');
	const prop = visibleProperty(properties, top, values);
	if (!prop)
		throw new Error(
			`execute() read parameter "${path}" which the description does not show here (resource=${values.resource}, operation=${values.operation})`,
		);
	if (
		sub &&
		prop.type === 'fixedCollection' &&
		!(prop.options ?? []).some((o) => 'name' in o && o.name === sub)
	) {
		throw new Error(`execute() read "${path}" but "${top}" has no "${sub}" group`);
	}
}

export interface FakeRun {
	ctx: IExecuteFunctions;
	requests: IHttpRequestOptions[];
	readParams: string[];
	run(): Promise<INodeExecutionData[]>;
}

/** The parameters n8n would save / hand the node: the resolved values without the version key. */
export function withoutVersion(values: IDataObject): IDataObject {
	const { [VERSION]: _version, ...rest } = values;
	void _version;
	return rest;
}

export function fakeExecute(options: FakeOptions): FakeRun {
	const node = new Overshoot();
	const properties = node.description.properties;
	const perItem = Array.isArray(options.params) ? options.params : undefined;
	const items = options.items ?? (perItem ?? [options.params]).map(() => ({ json: {} }));
	const requests: IHttpRequestOptions[] = [];
	const readParams: string[] = [];
	const scripted = Array.isArray(options.respond) ? [...options.respond] : undefined;
	const responder: Responder =
		typeof options.respond === 'function'
			? options.respond
			: () =>
					scripted?.shift() ?? { statusCode: 500, body: { detail: 'no scripted response left' } };
	const credentials = options.credentials ?? {
		apiKey: 'ovs-test-key-123456',
		baseUrl: 'https://api.example.test/v1',
	};

	const nodeJson: INode = {
		...NODE,
		typeVersion: options.typeVersion ?? NODE.typeVersion,
		...(options.camera
			? { credentials: { overshootCameraApi: { id: 'cam', name: 'Camera' } } }
			: {}),
	};
	const ctx = {
		getNode: () => nodeJson,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async (type: string) => {
			if (type === 'overshootCameraApi' && options.camera) return { ...options.camera };
			if (type !== 'overshootApi') throw new Error(`unexpected credential ${type}`);
			return { ...credentials };
		},
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			opts?: { extractValue?: boolean },
		) {
			const given = perItem ? perItem[itemIndex] : (options.params as IDataObject);
			const values = resolveParams(properties, given, nodeJson.typeVersion);
			assertKnownParameter(properties, name, values);
			readParams.push(name);
			const [top, sub] = name.split('.');
			let value: unknown = values[top];
			if (sub) value = (value as IDataObject | undefined)?.[sub];
			if (value === undefined) value = fallback;
			if (
				opts?.extractValue &&
				value &&
				typeof value === 'object' &&
				'value' in (value as IDataObject)
			) {
				value = (value as IDataObject).value;
			}
			return value;
		},
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, req: IHttpRequestOptions) => {
				if (credentialType !== 'overshootApi')
					throw new Error(`unexpected credential ${credentialType}`);
				requests.push(req);
				const res = await responder(req);
				if (res instanceof Error) throw res;
				return {
					statusCode: res.statusCode,
					headers: res.headers ?? {},
					body: res.body,
					statusMessage: '',
				};
			},
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const buf = options.binaries?.[property];
				if (!buf) throw new Error(`no binary ${property} on item ${itemIndex}`);
				return buf;
			},
		},
	} as unknown as IExecuteFunctions;

	return {
		ctx,
		requests,
		readParams,
		run: async () => (await node.execute.call(ctx))[0],
	};
}

export function binaryItem(field: string, mimeType: string, fileName = 'file'): INodeExecutionData {
	const meta: IBinaryData = { data: '', mimeType, fileName };
	return { json: {}, binary: { [field]: meta } };
}

export const STREAM_ID = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';
export const OTHER_STREAM_ID = '0b8d9c1e-2f3a-4b5c-8d6e-7f8091a2b3c4';

/** A minimal OpenAI-shaped chat completion. */
export function chatResponse(content: string, extra: IDataObject = {}): ScriptedResponse {
	return {
		statusCode: 200,
		body: {
			id: 'cmpl-1',
			object: 'chat.completion',
			created: 1777600120,
			model: 'google/gemma-4-26B-A4B-it',
			choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 300, completion_tokens: 5, total_tokens: 305 },
			...extra,
		},
	};
}
