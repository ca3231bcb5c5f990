// Runs the Overshoot action node's execute() the way n8n does, against the real emulator over
// real HTTP: a small fake IExecuteFunctions whose httpRequestWithAuthentication applies the
// credential's own `authenticate` definition, sends the request with fetch and reports results
// and failures in n8n's shapes (full response, ignoreHttpStatusErrors, NodeApiError wrapping a
// connection error).

import {
	NodeApiError,
	Workflow,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { OvershootApi } from '../../credentials/OvershootApi.credentials';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { assertKnownParameter, NODE, resolveParams } from '../unit/helpers/fake-execute';
import { TEST_MODEL } from '../../emulator/models';

const expressionHost = new Workflow({
	nodes: [{ id: '1', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	} as never,
});

/** Resolves a credential expression ('=Bearer {{$credentials.apiKey}}') like n8n does. */
export function resolveCredentialExpression(expression: string, credentials: IDataObject): string {
	return String(
		expressionHost.expression.getParameterValue(expression, null, 0, 0, 'N', [], 'internal', {
			$credentials: credentials,
		} as never),
	);
}

export interface Credentials {
	apiKey: string;
	baseUrl: string;
}

function authHeaders(credentials: Credentials): Record<string, string> {
	const headers = new OvershootApi().authenticate.properties.headers ?? {};
	return Object.fromEntries(
		Object.entries(headers).map(([k, v]) => [
			k,
			resolveCredentialExpression(String(v), credentials as never),
		]),
	);
}

/** n8n's httpRequestWithAuthentication, reduced to what the node uses, over real HTTP. */
export async function n8nHttp(
	credentials: Credentials,
	options: IHttpRequestOptions,
): Promise<unknown> {
	const url = new URL(options.url, options.baseURL);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = {
		...(options.headers as Record<string, string>),
		...authHeaders(credentials),
	};
	let body: string | undefined;
	if (options.body !== undefined && options.method !== 'GET') {
		body = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	}
	const timeout = AbortSignal.timeout(options.timeout ?? 300_000);
	const signal = options.abortSignal
		? AbortSignal.any([options.abortSignal as AbortSignal, timeout])
		: timeout;
	let res: Response;
	try {
		res = await fetch(url, { method: options.method ?? 'GET', headers, body, signal });
	} catch (error) {
		// n8n: axios rejects, the helper wraps it in NodeApiError (cause = the axios error).
		const cause = (error as { cause?: { code?: string } }).cause;
		const code = timeout.aborted ? 'ECONNABORTED' : (cause?.code ?? 'ECONNRESET');
		const axiosLike = Object.assign(new Error(`${code}: ${(error as Error).message}`), {
			isAxiosError: true,
			code,
			name: 'AxiosError',
		});
		throw new NodeApiError(NODE, axiosLike as unknown as JsonObject);
	}
	const text = await res.text();
	const isJson = /json/i.test(res.headers.get('content-type') ?? '');
	const parsed = isJson && text ? JSON.parse(text) : text;
	if (!options.ignoreHttpStatusErrors && res.status >= 400) {
		throw new NodeApiError(NODE, {
			message: `Request failed with status code ${res.status}`,
			httpCode: String(res.status),
		} as JsonObject);
	}
	if (!options.returnFullResponse) return parsed;
	const responseHeaders: Record<string, string> = {};
	res.headers.forEach((value, key) => (responseHeaders[key] = value));
	return {
		body: parsed,
		headers: responseHeaders,
		statusCode: res.status,
		statusMessage: res.statusText,
	};
}

export interface RunOptions {
	credentials: Credentials;
	/** One parameter object for every item, or one per item. */
	params: IDataObject | IDataObject[];
	items?: INodeExecutionData[];
	binaries?: Record<string, Buffer>;
	continueOnFail?: boolean;
	/** The node's typeVersion (default 1; examples give their own). */
	typeVersion?: number;
}

export function executeContext(options: RunOptions): IExecuteFunctions {
	const properties = new Overshoot().description.properties;
	const perItem = Array.isArray(options.params) ? options.params : undefined;
	const items = options.items ?? (perItem ?? [options.params]).map(() => ({ json: {} }));
	const node: INode = { ...NODE, typeVersion: options.typeVersion ?? NODE.typeVersion };
	return {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async () => ({ ...options.credentials }),
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			opts?: { extractValue?: boolean },
		) {
			const values = resolveParams(
				properties,
				perItem ? perItem[itemIndex] : (options.params as IDataObject),
				node.typeVersion,
			);
			assertKnownParameter(properties, name, values);
			const [top, sub] = name.split('.');
			let value: unknown = values[top];
			if (sub) value = (value as IDataObject | undefined)?.[sub];
			if (value === undefined) value = fallback;
			if (opts?.extractValue && value && typeof value === 'object' && 'value' in value)
				value = (value as IDataObject).value;
			return value;
		},
		helpers: {
			httpRequestWithAuthentication: async (type: string, req: IHttpRequestOptions) => {
				if (type !== 'overshootApi') throw new Error(`unexpected credential type ${type}`);
				return n8nHttp(options.credentials, req);
			},
			getBinaryDataBuffer: async (_itemIndex: number, property: string) => {
				const buf = options.binaries?.[property];
				if (!buf) throw new Error(`no binary data "${property}"`);
				return buf;
			},
		},
	} as unknown as IExecuteFunctions;
}

/** Runs the node once over all items; resolves with its single output. */
export async function runNode(options: RunOptions): Promise<INodeExecutionData[]> {
	const [out] = await new Overshoot().execute.call(executeContext(options));
	return out;
}

export function imageItem(field: string, mimeType: string): INodeExecutionData {
	const meta: IBinaryData = { data: '', mimeType, fileName: 'snapshot.png' };
	return { json: {}, binary: { [field]: meta } };
}

export const MODEL = TEST_MODEL;
export const modelParam = (id = MODEL) => ({ mode: 'list', value: id });
