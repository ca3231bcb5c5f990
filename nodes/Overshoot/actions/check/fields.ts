// Check → Run Once: the trigger's source and question fields (same names, so a user moving from
// the trigger to a scheduled check finds the same words), plus how long to record.

import type { INodeProperties } from 'n8n-workflow';

import {
	cameraReaderOption,
	maxTokensOption,
	optionsCollection,
	publishOptions,
	snapshotQualityOption,
	systemPromptOption,
} from '../../shared/fields/options';
import {
	clipMaxFpsField,
	modelFields,
	promptField,
	responseFormatFields,
} from '../../shared/fields/question';
import { sourceFields } from '../../shared/fields/source';
import { numberField } from '../../shared/numbers';
import { CHECK_NUMBERS } from './numbers';

export const checkProperties: INodeProperties[] = [
	...sourceFields,
	numberField(CHECK_NUMBERS.recordSeconds),
	...modelFields,
	promptField,
	{
		displayName: 'Look At',
		name: 'lookAt',
		type: 'options',
		noDataExpression: true,
		default: 'lastSeconds',
		options: [
			{
				name: 'Latest Frame',
				value: 'latestFrame',
				description: 'One picture: the last frame recorded. Cheapest.',
			},
			{
				name: 'Recorded Clip',
				value: 'lastSeconds',
				description: 'The whole recording as a clip. Needed for motion.',
			},
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
			description:
				'Whether to attach the last recorded frame as a JPEG in the binary property "snapshot"',
		},
		cameraReaderOption,
		numberField(CHECK_NUMBERS.firstFrameTimeoutSeconds),
		maxTokensOption,
		snapshotQualityOption,
		systemPromptOption,
		...publishOptions,
	]),
];
