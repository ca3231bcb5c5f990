// One table per family of numeric parameters: key, display name, limits, default and
// description, defined once. The n8n field (`numberField`), the reader's validation
// (`readNumber`) and its error message (which names the display name) all come from the row.
//
// Limits: `min`/`max` are what the editor offers and what new input is held to. Where a reader
// once accepted more than its field offered, the row keeps that wider range in `accepts`, so a
// saved workflow that ran (e.g. with a value set by an expression) never starts failing.

import type { INodeProperties } from 'n8n-workflow';

import { within } from '../api/validate';
import type { ParamReader } from './param-reader';

export interface NumberParam {
	/** The parameter's name in saved workflows. */
	key: string;
	displayName: string;
	default: number;
	min: number;
	max?: number;
	/** Decimal places the editor offers. */
	precision?: number;
	/** What readers accept, where wider than min..max (saved workflows that ran keep running). */
	accepts?: { min: number; max: number };
	description: string;
}

/** The n8n field of a row; `extra` adds what is not a number's business (displayOptions, ...). */
export function numberField(param: NumberParam, extra: Partial<INodeProperties> = {}): INodeProperties {
	const typeOptions: INodeProperties['typeOptions'] = { minValue: param.min };
	if (param.max !== undefined) typeOptions.maxValue = param.max;
	if (param.precision !== undefined) typeOptions.numberPrecision = param.precision;
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the rule wants a number literal; the default is the row's (test/unit/description-snapshot.test.ts pins every one)
	return { displayName: param.displayName, name: param.key, type: 'number', typeOptions, default: param.default, description: param.description, ...extra };
}

/** Reads and checks a row's parameter (missing: its default); the error names the display name. */
export function readNumber(read: ParamReader, param: NumberParam): number {
	const { min, max } = param.accepts ?? { min: param.min, max: param.max ?? Number.MAX_SAFE_INTEGER };
	return within(read(param.key, param.default), param.displayName, min, max);
}

/** Where frames come from. */
export const SOURCE_NUMBERS = {
	imagesPerSecond: {
		key: 'imagesPerSecond',
		displayName: 'Images per Second',
		default: 1,
		min: 0.01,
		max: 30,
		precision: 2,
		description: 'How fast the slideshow advances. 1 shows each image for one second.',
	},
} satisfies Record<string, NumberParam>;

/** The video published into the stream's room, and when the source counts as frozen or down. */
export const VIDEO_NUMBERS = {
	publishWidth: {
		key: 'publishWidth',
		displayName: 'Video Width',
		default: 640,
		min: 64,
		max: 3840,
		description: 'Width in pixels of the video sent to Overshoot. 640×360 is plenty for most questions and keeps CPU low.',
	},
	publishHeight: {
		key: 'publishHeight',
		displayName: 'Video Height',
		default: 360,
		min: 64,
		max: 2160,
		description: 'Height in pixels of the video sent to Overshoot',
	},
	publishFps: {
		key: 'publishFps',
		displayName: 'Video FPS',
		default: 5,
		min: 0.5,
		max: 30,
		precision: 1,
		description: 'Frames per second sent to Overshoot. 5 catches a person walking by; raise it only for fast motion.',
	},
	frozenAfterSeconds: {
		key: 'frozenAfterSeconds',
		displayName: 'Camera Frozen After (Seconds)',
		default: 10,
		min: 1,
		max: 3600,
		description: 'When no new picture arrived for this long, questions pause (nothing is paid) and the camera is reconnected',
	},
	giveUpAfterMinutes: {
		key: 'giveUpAfterMinutes',
		displayName: 'Give Up After Camera Down (Minutes)',
		default: 5,
		min: 0.1,
		max: 1440,
		precision: 1,
		description: 'Reconnecting is automatic. If the camera (or the connection to Overshoot) stays down longer than this, the trigger reports an error: n8n then runs the Error Workflow and retries activation later.',
	},
} satisfies Record<string, NumberParam>;

/** What is asked and how the answer comes back (the trigger and Check → Run Once). */
export const QUESTION_NUMBERS = {
	/** Readers accept down to 0.1 s, as they always did (saved workflows set by expression); the editor offers 0.5 s and up. */
	clipSeconds: {
		key: 'clipSeconds',
		displayName: 'Clip Length (Seconds)',
		default: 5,
		min: 0.5,
		max: 600,
		precision: 1,
		accepts: { min: 0.1, max: 600 },
		description: 'How many seconds of video, ending now, each question is about',
	},
	/** Readers accept 0.01–60 (the API's own cap is 60, api/media-url.ts), as they always did; the editor offers 0.1–30. */
	clipMaxFps: {
		key: 'clipMaxFps',
		displayName: 'Max FPS',
		default: 1,
		min: 0.1,
		max: 30,
		precision: 1,
		accepts: { min: 0.01, max: 60 },
		description: 'At most this many frames per second of the clip are shown to the model. Fewer frames are cheaper and faster.',
	},
	/** Chat → Complete has its own default (256, actions/chat/complete.ts): defaults are part of saved workflows. */
	maxTokens: {
		key: 'maxTokens',
		displayName: 'Max Tokens',
		default: 200,
		min: 1,
		max: 32768,
		description: 'Upper limit for the length of the answer. Short answers are faster and cheaper.',
	},
	snapshotQuality: {
		key: 'snapshotQuality',
		displayName: 'Snapshot Quality',
		default: 80,
		min: 1,
		max: 100,
		description: 'JPEG quality of the snapshot (1–100)',
	},
} satisfies Record<string, NumberParam>;
