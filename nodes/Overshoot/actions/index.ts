// Builds the node's properties from the resource definitions and finds the operation to run.
// Resource/operation values are stable public names (they are saved in users' workflows).

import type { INodeProperties } from 'n8n-workflow';
import type { OperationDefinition, ResourceDefinition } from './types';
import * as registry from './resources';

export const resources: ResourceDefinition[] = (
	Object.values(registry) as ResourceDefinition[]
).sort((a, b) => a.name.localeCompare(b.name));

function withDisplay(
	property: INodeProperties,
	resource: string,
	operation: string,
): INodeProperties {
	const show = {
		...(property.displayOptions?.show ?? {}),
		resource: [resource],
		operation: [operation],
	};
	return { ...property, displayOptions: { ...property.displayOptions, show } };
}

export function buildProperties(): INodeProperties[] {
	const resourceProperty: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map((r) => ({ name: r.name, value: r.value, description: r.description })),
		default: 'chat',
	};
	const operationProperties: INodeProperties[] = resources.map(({ defaultOperation, ...r }) => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [r.value] } },
		options: [...r.operations]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((o) => ({ name: o.name, value: o.value, action: o.action, description: o.description })),
		default: defaultOperation,
	}));
	const fields = resources.flatMap((r) =>
		r.operations.flatMap((o) => o.properties.map((p) => withDisplay(p, r.value, o.value))),
	);
	return [resourceProperty, ...operationProperties, ...fields];
}

export function findOperation(
	resource: string,
	operation: string,
): OperationDefinition | undefined {
	return resources.find((r) => r.value === resource)?.operations.find((o) => o.value === operation);
}
