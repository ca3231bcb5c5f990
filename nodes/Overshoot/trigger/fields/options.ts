// The trigger's "Options" collection: settings most users never touch, so the node stays short.

import type { INodeProperties } from 'n8n-workflow';

import { cameraReaderOption, maxTokensOption, notPulled, publishOptions, snapshotQualityOption, systemPromptOption } from '../../shared/fields/options';

/** "Skip Questions While Nothing Changes" belongs to the clock; "When the Picture Changes" does it by itself. */
const onTheClock = { show: { '/askWhen': ['interval'] } };

/** The trigger's Options collection. */
export const triggerOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Ask At Least Every (Seconds)',
			name: 'askAtLeastEverySeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'With "Skip Questions While Nothing Changes": ask anyway after this long, so slow changes are not missed',
			displayOptions: onTheClock,
		},
		{
			displayName: 'Attach Snapshot',
			name: 'snapshot',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the frame the model looked at as a JPEG in the binary property "snapshot"',
		},
		{
			displayName: 'Camera Frozen After (Seconds)',
			name: 'frozenAfterSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 10,
			description: 'When no new picture arrived for this long, questions pause (nothing is paid) and the camera is reconnected',
			displayOptions: notPulled,
		},
		cameraReaderOption,
		{
			displayName: 'Change Sensitivity',
			name: 'changeSensitivity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 50,
			description:
				'With "When the Picture Changes" or "Skip Questions While Nothing Changes": 100 reacts to any visible change, 50 to a person entering, 0 only to lights on/off',
		},
		{
			displayName: 'Give Up After Camera Down (Minutes)',
			name: 'giveUpAfterMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 1440, numberPrecision: 1 },
			default: 5,
			description:
				'Reconnecting is automatic. If the camera (or the connection to Overshoot) stays down longer than this, the trigger reports an error: n8n then runs the Error Workflow and retries activation later.',
		},
		maxTokensOption,
		{
			displayName: 'One Run at a Time',
			name: 'oneRunAtATime',
			type: 'boolean',
			default: true,
			description:
				'Whether to skip matches while the previous run of this workflow is still going. Keeps slow workflows (e.g. sending a message) from piling up runs.',
		},
		{
			displayName: 'Settle Delay (Milliseconds)',
			name: 'settleMs',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10000 },
			default: 100, // WATCHER_DEFAULTS.askWhen.settleMs (test/unit/trigger-node.test.ts keeps them equal)
			description:
				'With "When the Picture Changes": how long after the changed picture arrived the question is sent, so Overshoot already has that picture. Raise it if alerts describe the scene just before the change.',
			displayOptions: { show: { '/askWhen': ['change'] } },
		},
		{
			displayName: 'Skip Questions While Nothing Changes',
			name: 'changeGating',
			type: 'boolean',
			default: false,
			description: 'Whether to ask only when the picture changed since the last question. Saves cost on quiet cameras.',
			displayOptions: onTheClock,
		},
		snapshotQualityOption,

		systemPromptOption,
		...publishOptions,
	],
};
