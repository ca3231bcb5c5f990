// Check → Run Once: the trigger's source and question fields (same names, so a user moving from
// the trigger to a scheduled check finds the same words), plus how long to record.

import type { INodeProperties } from 'n8n-workflow';

import { cameraReaderOption, maxTokensOption, optionsCollection, publishOptions, snapshotQualityOption, systemPromptOption } from '../../shared/fields/options';
import { clipMaxFpsField, modelFields, promptField, responseFormatFields } from '../../shared/fields/question';
import { sourceFields } from '../../shared/fields/source';

/** Display name shared with watch/one-shot.ts, so its validation error names this field. */
export const RECORD_FIELD = 'Record For (Seconds)';

export const checkProperties: INodeProperties[] = [
	...sourceFields,
	{
		displayName: RECORD_FIELD,
		name: 'recordSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 600 },
		default: 5,
		description: 'How long the video is sent to Overshoot before the question is asked. The stream is deleted right after the answer.',
	},
	...modelFields,
	promptField,
	{
		displayName: 'Look At',
		name: 'lookAt',
		type: 'options',
		noDataExpression: true,
		default: 'lastSeconds',
		options: [
			{ name: 'Latest Frame', value: 'latestFrame', description: 'One picture: the last frame recorded. Cheapest.' },
			{ name: 'Recorded Clip', value: 'lastSeconds', description: 'The whole recording as a clip. Needed for motion.' },
		],
	},
	clipMaxFpsField,
	...responseFormatFields,
	optionsCollection([
		{
			displayName: 'Attach Snapshot',
			name: 'snapshot',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the last recorded frame as a JPEG in the binary property "snapshot"',
		},
		cameraReaderOption,
		{
			displayName: 'First Frame Timeout (Seconds)',
			name: 'firstFrameTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 30,
			description: 'How long to wait for the first picture to reach Overshoot before giving up',
		},
		maxTokensOption,
		snapshotQualityOption,
		systemPromptOption,
		...publishOptions,
	]),
];
