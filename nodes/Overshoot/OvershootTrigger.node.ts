// The Overshoot Trigger: watches a camera or video with a vision-language model and starts the
// workflow when the answer matches. A thin adapter: parameters → watch/ engine (trigger/setup.ts),
// engine events → emit/emitError (trigger/run.ts). No native module is loaded at import time.

import type {
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeMethods, OVERSHOOT_ICON } from './shared/node-parts';
import { triggerProperties } from './trigger/properties';
import { setUpTrigger } from './trigger/setup';
import { LATEST_TRIGGER_VERSION, TRIGGER_VERSIONS } from './trigger/versions';

export class OvershootTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Overshoot Trigger',
		name: 'overshootTrigger',
		icon: OVERSHOOT_ICON,
		group: ['trigger'],
		// What each version changes: trigger/versions.ts (1.1: Model Choice defaults to Automatic,
		// shared/model.ts; 2: When to Ask defaults to When the Picture Changes).
		version: TRIGGER_VERSIONS,
		defaultVersion: LATEST_TRIGGER_VERSION,
		subtitle: '={{"when: " + $parameter["prompt"]}}',
		description:
			'Starts the workflow when a vision-language model sees something on a camera or in a video',
		eventTriggerDescription: 'Waiting for the model to see a match',
		activationMessage:
			'Watching started. Each match starts an execution with the answer and a snapshot.',
		defaults: { name: 'Overshoot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Literal objects: n8n's lint rules read them (shared/node-parts.ts has the methods they name).
		credentials: [
			{ name: 'overshootApi', required: true, testedBy: 'overshootApiTest' },
			{
				name: 'overshootCameraApi',
				required: false,
				testedBy: 'overshootCameraApiTest',
				displayOptions: { show: { source: ['rtsp', 'pulledCamera'] } },
			},
		],
		triggerPanel: {
			header: 'Watching the video for a match',
			executionsHelp: {
				inactive:
					'<b>While building your workflow</b>, click "Execute step": the trigger opens the video, asks the question every few seconds and shows the first match (turn on "Emit Every Answer (for Tuning)" to see the first answer instead).<br /><br /><b>Once you are happy</b>, publish the workflow: every match then starts an execution in the background.',
				active:
					'<b>The workflow is active</b>: every match starts an execution, shown in the executions list.<br /><br />To test changes, deactivate the workflow first: a camera stream is opened once per listener.',
			},
			activationHint:
				'Once published, the video is watched continuously and every match starts an execution.',
		},
		properties: triggerProperties,
	};

	methods = nodeMethods();

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const run = await setUpTrigger(this);
		if (this.getMode() === 'manual') {
			// n8n calls manualTriggerFunction, then waits for the first emit and closes.
			return { closeFunction: run.close, manualTriggerFunction: async () => await run.start() };
		}
		// Active: fail activation now (with the reason) if the stream or the source cannot start.
		await run.start();
		return { closeFunction: run.close };
	}
}
