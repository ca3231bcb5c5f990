// Shared e2e fixtures: the credential every example workflow references, and small workflows.

import type { Credential, WorkflowJson } from '../support/n8n';
import { NODE_TYPE } from '../support/n8n';

/** The id and name `examples/*.json` use, so imported examples find their credential. */
export const EXAMPLE_CREDENTIAL = { id: 'ovsExampleCred01', name: 'Overshoot account' };

export function overshootCredential(emulatorUrl: string): Credential {
	return { ...EXAMPLE_CREDENTIAL, type: 'overshootApi', data: { apiKey: 'ovs-test-key', baseUrl: `${emulatorUrl}/v1` } };
}

/** Manual Trigger → Overshoot (Model → List). */
export function listModelsWorkflow(): WorkflowJson {
	return {
		name: 'e2e: list models',
		nodes: [
			{ id: 'e2e-manual', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'e2e-list',
				name: 'List Models',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'model', operation: 'list' },
				credentials: { overshootApi: EXAMPLE_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: 'List Models', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
