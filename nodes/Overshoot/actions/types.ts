// What every operation module provides. The router (../index.ts) adds the resource/operation
// displayOptions, so an operation lists only its own fields.

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import type { OvershootClient } from '../api/client';

interface OperationBase {
	/** Parameter value, e.g. 'renewLease'. Stable: saved in users' workflows. */
	value: string;
	name: string;
	/** Shown in the nodes panel, e.g. 'Renew a stream lease'. */
	action: string;
	description: string;
	properties: INodeProperties[];
}

/**
 * One request for one input item. Most operations return JSON (one object, or several, e.g.
 * Model → List); an operation that also returns binary data (Check's snapshot) returns items.
 */
export type OperationDefinition = OperationBase &
	(
		| {
				execute(
					ctx: IExecuteFunctions,
					itemIndex: number,
					client: OvershootClient,
				): Promise<IDataObject | IDataObject[]>;
		  }
		| {
				executeItems(
					ctx: IExecuteFunctions,
					itemIndex: number,
					client: OvershootClient,
				): Promise<INodeExecutionData[]>;
		  }
	);

export interface ResourceDefinition {
	/** Parameter value, e.g. 'stream'. Stable: saved in users' workflows. */
	value: string;
	name: string;
	description: string;
	/** The operation chosen when the resource is picked. */
	defaultOperation: string;
	operations: OperationDefinition[];
}
