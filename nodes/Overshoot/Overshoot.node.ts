// The Overshoot action node: its description and a router. Each operation lives in
// actions/<resource>/<operation>.ts; this file only runs them once per input item.

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { OvershootClient } from './api/client';
import { buildProperties, findOperation } from './actions';
import { errorItem, toNodeError } from './shared/errors';
import { AUTOMATIC_BY_DEFAULT_FROM, CAMERA_LOGIN_FROM_CREDENTIAL_FROM } from './shared/model';
import { nodeMethods, OVERSHOOT_ICON } from './shared/node-parts';
import { createN8nTransport } from './shared/transport';

export class Overshoot implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Overshoot',
		name: 'overshoot',
		icon: OVERSHOOT_ICON,
		group: ['transform'],
		// 1.1: Model Choice defaults to Automatic; 1.2: Stream → Create takes a pulled camera's login
		// from the Overshoot Camera credential (both rules: shared/model.ts).
		version: [1, AUTOMATIC_BY_DEFAULT_FROM, CAMERA_LOGIN_FROM_CREDENTIAL_FROM],
		defaultVersion: CAMERA_LOGIN_FROM_CREDENTIAL_FROM,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Ask vision-language models about live video streams and images with Overshoot',
		defaults: { name: 'Overshoot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// The key's test: a node-side function (see shared/api-credential-test.ts for why).
			{ name: 'overshootApi', required: true, testedBy: 'overshootApiTest' },
			{
				// A camera that needs a login: Check → Run Once (RTSP, pulled camera) and Stream →
				// Create (a camera or playlist Overshoot pulls). Only these have such Source values.
				name: 'overshootCameraApi',
				required: false,
				testedBy: 'overshootCameraApiTest',
				displayOptions: {
					show: { resource: ['check', 'stream'], source: ['rtsp', 'pulledCamera', 'hls'] },
				},
			},
		],
		properties: buildProperties(),
	};

	methods = nodeMethods();

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		// A credential the transport refuses (a file: Base URL, ...) fails each item like any other
		// input error, so Continue On Fail still gives one error item per input item.
		const setup = await createN8nTransport(this).then(
			(t) => ({ ...t, client: new OvershootClient(t.transport) }),
			(error: unknown) => ({ error, secrets: [] as string[] }),
		);
		const secrets = setup.secrets;

		for (let i = 0; i < items.length; i++) {
			try {
				if ('error' in setup) throw setup.error;
				const client = setup.client;
				const resource = this.getNodeParameter('resource', i) as string;
				const operation = this.getNodeParameter('operation', i) as string;
				const op = findOperation(resource, operation);
				if (!op)
					throw new NodeOperationError(
						this.getNode(),
						`Unknown operation "${operation}" for resource "${resource}"`,
						{ itemIndex: i },
					);
				if ('executeItems' in op) {
					for (const item of await op.executeItems(this, i, client))
						out.push({ ...item, pairedItem: { item: i } });
				} else {
					const result = await op.execute(this, i, client);
					const list: IDataObject[] = Array.isArray(result) ? result : [result];
					for (const json of list) out.push({ json, pairedItem: { item: i } });
				}
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, i, secrets);
				if (this.continueOnFail()) {
					out.push({ json: errorItem(nodeError), pairedItem: { item: i } });
					continue;
				}
				throw nodeError;
			}
		}
		return [out];
	}
}
