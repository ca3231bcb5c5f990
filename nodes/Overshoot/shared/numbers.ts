// One table per family of numeric parameters: key, display name, limits, default and
// description, defined once. The n8n field (`numberField`), the reader's validation
// (`readNumber`) and its error message (which names the display name) all come from the row.
//
// Limits: `min`/`max` are what the editor offers and what new input is held to. Where a reader
// once accepted more than its field offered, the row keeps that wider range in `accepts`, so a
// saved workflow that ran (e.g. with a value set by an expression) never starts failing. Ranges
// the engine or the client also check are theirs (watch/options.ts WATCHER_LIMITS, api/media-url.ts
// MEDIA_LIMITS), spread into the row, so the editor never offers what the engine refuses.

import type { INodeProperties } from 'n8n-workflow';

import { MEDIA_LIMITS } from '../api/media-url';
import { integer, within } from '../api/validate';
import { WATCHER_LIMITS } from '../watch/options';
import type { ParamReader } from './param-reader';

export interface NumberParam {
	/** The parameter's name in saved workflows. */
	key: string;
	displayName: string;
	default: number;
	/** None: any number (e.g. a frame index, negative from the newest frame). */
	min?: number;
	max?: number;
	/** Decimal places the editor offers. */
	precision?: number;
	/** Whole numbers only: readers refuse 1.5 (and say so). */
	whole?: boolean;
	/** What readers accept, where wider than min..max (saved workflows that ran keep running). */
	accepts?: { min: number; max: number };
	description: string;
}

/** The n8n field of a row; `extra` adds what is not a number's business (displayOptions, ...). */
export function numberField(
	param: NumberParam,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	const typeOptions: INodeProperties['typeOptions'] = {};
	if (param.min !== undefined) typeOptions.minValue = param.min;
	if (param.max !== undefined) typeOptions.maxValue = param.max;
	if (param.precision !== undefined) typeOptions.numberPrecision = param.precision;
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the rule wants a number literal; the default is the row's (test/unit/description-snapshot.test.ts pins every one)
	const field: INodeProperties = {
		displayName: param.displayName,
		name: param.key,
		type: 'number',
		default: param.default,
		description: param.description,
	};
	if (Object.keys(typeOptions).length) field.typeOptions = typeOptions;
	return { ...field, ...extra };
}

/** Checks a value against a row's accepted range (whole rows: `integer`'s checks); the error names the display name. */
export function checkNumber(value: unknown, param: NumberParam): number {
	const { min, max } = param.accepts ?? param;
	if (param.whole) return integer(value, param.displayName, { min, max });
	return within(
		value,
		param.displayName,
		min ?? -Number.MAX_SAFE_INTEGER,
		max ?? Number.MAX_SAFE_INTEGER,
	);
}

/** Reads and checks a row's parameter (missing: its default). */
export function readNumber(read: ParamReader, param: NumberParam): number {
	return checkNumber(read(param.key, param.default), param);
}

/**
 * The same knob in another node, under the name that node's saved workflows use: the row's
 * display name, default and accepted range (offered whole in the editor), with `as` for what
 * differs there: key and description, and anything else only with a comment at the use saying why.
 */
export function sameKnob(
	param: NumberParam,
	as: Partial<NumberParam> & Pick<NumberParam, 'key' | 'description'>,
): NumberParam {
	const { min, max } = param.accepts ?? param;
	return { ...param, min, max, accepts: undefined, ...as };
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
		description:
			'Width in pixels of the video sent to Overshoot. 640×360 is plenty for most questions and keeps CPU low.',
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
		description:
			'Frames per second sent to Overshoot. 5 catches a person walking by; raise it only for fast motion.',
	},
	frozenAfterSeconds: {
		key: 'frozenAfterSeconds',
		displayName: 'Camera Frozen After (Seconds)',
		default: 10,
		min: 1,
		max: 3600,
		description:
			'When no new picture arrived for this long, questions pause (nothing is paid) and the camera is reconnected',
	},
	giveUpAfterMinutes: {
		key: 'giveUpAfterMinutes',
		displayName: 'Give Up After Camera Down (Minutes)',
		default: 5,
		min: 0.1,
		max: 1440,
		precision: 1,
		description:
			'Reconnecting is automatic. If the camera (or the connection to Overshoot) stays down longer than this, the trigger reports an error: n8n then runs the Error Workflow and retries activation later.',
	},
} satisfies Record<string, NumberParam>;

/** What is asked and how the answer comes back (the trigger and Check → Run Once). */
export const QUESTION_NUMBERS = {
	/** Readers accept down to 0.1 s, as they always did (saved workflows set by expression); the editor offers 0.5 s and up. Chat's Seconds is this knob (actions/chat/numbers.ts). */
	clipSeconds: {
		key: 'clipSeconds',
		displayName: 'Clip Length (Seconds)',
		default: 5,
		min: 0.5,
		max: MEDIA_LIMITS.maxClipSeconds,
		precision: 1,
		accepts: { min: 0.1, max: MEDIA_LIMITS.maxClipSeconds },
		description: 'How many seconds of video, ending now, each question is about',
	},
	/** Readers accept 0.01–60 (the client's cap, api/media-url.ts), as they always did; the editor offers 0.1–30. Chat's Max FPS is this knob (actions/chat/numbers.ts). */
	clipMaxFps: {
		key: 'clipMaxFps',
		displayName: 'Max FPS',
		default: 1,
		min: 0.1,
		max: 30,
		precision: 1,
		accepts: { min: 0.01, max: MEDIA_LIMITS.maxFps },
		description:
			'At most this many frames per second of the clip are shown to the model. Fewer frames are cheaper and faster.',
	},
	/** Chat → Complete's Max Tokens is this knob with Chat's own default and no upper limit (actions/chat/numbers.ts). */
	maxTokens: {
		key: 'maxTokens',
		displayName: 'Max Tokens',
		default: 200,
		...WATCHER_LIMITS.maxTokens,
		whole: true,
		description: 'Upper limit for the length of the answer. Short answers are faster and cheaper.',
	},
	snapshotQuality: {
		key: 'snapshotQuality',
		displayName: 'Snapshot Quality',
		default: 80,
		...WATCHER_LIMITS.snapshotQuality,
		description: 'JPEG quality of the snapshot (1–100)',
	},
} satisfies Record<string, NumberParam>;
