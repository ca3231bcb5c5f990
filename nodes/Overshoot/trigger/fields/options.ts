// The trigger's "Options" collection: settings most users never touch, so the node stays short.

import type { INodeProperties } from 'n8n-workflow';

import { numberField, VIDEO_NUMBERS } from '../../shared/numbers';
import { CHANGE_NUMBERS, ASK_NUMBERS } from '../numbers';

import {
	cameraReaderOption,
	maxTokensOption,
	notPulled,
	optionsCollection,
	publishOptions,
	snapshotQualityOption,
	systemPromptOption,
} from '../../shared/fields/options';

/** "Skip Questions While Nothing Changes" belongs to the clock; "When the Picture Changes" does it by itself. */
const onTheClock = { show: { '/askWhen': ['interval'] } };

/** The trigger's Options collection. */
export const triggerOptions: INodeProperties = optionsCollection([
	numberField(CHANGE_NUMBERS.askAtLeastEverySeconds, { displayOptions: onTheClock }),
	{
		displayName: 'Attach Snapshot',
		name: 'snapshot',
		type: 'boolean',
		default: true,
		description:
			'Whether to attach the frame the model looked at as a JPEG in the binary property "snapshot"',
	},
	numberField(VIDEO_NUMBERS.frozenAfterSeconds, { displayOptions: notPulled }),
	cameraReaderOption,
	numberField(CHANGE_NUMBERS.changeSensitivity),
	numberField(VIDEO_NUMBERS.giveUpAfterMinutes),
	maxTokensOption,
	{
		displayName: 'One Run at a Time',
		name: 'oneRunAtATime',
		type: 'boolean',
		default: true,
		description:
			'Whether to skip matches while the previous run of this workflow is still going. Keeps slow workflows (e.g. sending a message) from piling up runs.',
	},
	numberField(ASK_NUMBERS.settleMs, { displayOptions: { show: { '/askWhen': ['change'] } } }),
	{
		displayName: 'Skip Questions While Nothing Changes',
		name: 'changeGating',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask only when the picture changed since the last question. Saves cost on quiet cameras.',
		displayOptions: onTheClock,
	},
	snapshotQualityOption,

	systemPromptOption,
	...publishOptions,
]);
