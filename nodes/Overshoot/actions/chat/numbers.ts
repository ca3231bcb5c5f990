// Chat → Complete's numeric parameters, one table per family (the rule: shared/numbers.ts). The
// media rows give the field and the default; api/media-url.ts checks the values (whole numbers,
// MEDIA_LIMITS) and names the field in its errors by the same display names (MEDIA_FIELDS).

import { MEDIA_FIELDS, MEDIA_LIMITS } from '../../api/media-url';
import { QUESTION_NUMBERS, sameKnob, type NumberParam } from '../../shared/numbers';

const STREAM_TIME = "Stream-clock milliseconds since the stream's first frame";
const clipStart = (name: string) => `${MEDIA_FIELDS.clipStart} ${name}`;
const clipEnd = (name: string) => `${MEDIA_FIELDS.clipEnd} ${name}`;

/** One media entry: a frame (by index, time or offset) or a clip (the last seconds, or between two anchors). */
export const MEDIA_NUMBERS = {
	frameIndex: {
		key: 'frameIndex',
		displayName: MEDIA_FIELDS.frameIndex,
		default: -1,
		description:
			'Lifetime frame index. Negative counts back from the newest frame: -1 is the newest, -2 the one before.',
	},
	timeMs: {
		key: 'timeMs',
		displayName: MEDIA_FIELDS.time,
		default: 0,
		min: MEDIA_LIMITS.minTimeMs,
		description: STREAM_TIME,
	},
	offsetMs: {
		key: 'offsetMs',
		displayName: MEDIA_FIELDS.offset,
		default: -1000,
		description:
			'Negative: milliseconds back from the newest frame (-5000 = 5 s ago). Zero or positive: forward from the oldest frame still kept.',
	},
	/** 0 is "not set" (the server's default); a value that is set is at least 1 ms (api/media-url.ts). */
	toleranceMs: {
		key: 'toleranceMs',
		displayName: MEDIA_FIELDS.tolerance,
		default: 0,
		min: 0,
		description: 'How far from the target time a frame may be. 0 uses the server default (100 ms).',
	},
	/**
	 * The trigger's Clip Length (same default, same accepted range), saved as `seconds` since Chat's
	 * first version. The editor offered 0 and no upper limit, which media-url always refused.
	 */
	seconds: sameKnob(QUESTION_NUMBERS.clipSeconds, {
		key: 'seconds',
		displayName: MEDIA_FIELDS.seconds,
		description: `Length of the clip that ends now, in seconds (at most ${MEDIA_LIMITS.maxClipSeconds})`,
	}),
	startOffsetMs: {
		key: 'startOffsetMs',
		displayName: clipStart(MEDIA_FIELDS.anchorOffset),
		default: -10000,
		description:
			'Negative: milliseconds back from now (-10000 = 10 s ago). Zero or positive: forward from the oldest frame still kept.',
	},
	startTimeMs: {
		key: 'startTimeMs',
		displayName: clipStart(MEDIA_FIELDS.anchorTime),
		default: 0,
		min: MEDIA_LIMITS.minTimeMs,
		description: STREAM_TIME,
	},
	startFrameIndex: {
		key: 'startFrameIndex',
		displayName: clipStart(MEDIA_FIELDS.anchorIndex),
		default: -30,
		description:
			'Lifetime frame index; negative counts back from the newest frame (-30 = the last 30 frames)',
	},
	endOffsetMs: {
		key: 'endOffsetMs',
		displayName: clipEnd(MEDIA_FIELDS.anchorOffset),
		default: -5000,
		description:
			'Negative: milliseconds back from now. Zero or positive counts from the oldest frame still kept, so use a negative value for "until N ms ago".',
	},
	endTimeMs: {
		key: 'endTimeMs',
		displayName: clipEnd(MEDIA_FIELDS.anchorTime),
		default: 5000,
		min: MEDIA_LIMITS.minTimeMs,
		description: STREAM_TIME,
	},
	endFrameIndex: {
		key: 'endFrameIndex',
		displayName: clipEnd(MEDIA_FIELDS.anchorIndex),
		default: -1,
		description: 'Lifetime frame index; negative counts back from the newest frame',
	},
	/**
	 * The trigger's Max FPS (same default, same accepted range), saved as `maxFps` and with two
	 * decimals since Chat's first version. The editor offered 0, which media-url always refused.
	 */
	maxFps: sameKnob(QUESTION_NUMBERS.clipMaxFps, {
		key: 'maxFps',
		displayName: MEDIA_FIELDS.maxFps,
		precision: 2,
		description: `Frames per second sampled from the clip (at most ${MEDIA_LIMITS.maxFps}). Cost grows with the number of frames, so keep it low.`,
	}),
} satisfies Record<string, NumberParam>;

/** The question's options. */
export const COMPLETE_NUMBERS = {
	/**
	 * The trigger's and Check's Max Tokens with Chat's own default: 256 since Chat's first version,
	 * 200 there (defaults are part of saved workflows, so neither changes), and without their upper
	 * limit (the engine's 32768): Chat never had one, so a saved workflow asking for more keeps
	 * running and the model's own limit applies.
	 */
	maxTokens: sameKnob(QUESTION_NUMBERS.maxTokens, {
		key: 'maxTokens',
		default: 256,
		max: undefined,
		description:
			'The most tokens the answer may use (sent as max_completion_tokens). Short answers are faster and cheaper.',
	}),
	temperature: {
		key: 'temperature',
		displayName: 'Temperature',
		default: 0.2,
		min: 0,
		max: 2,
		precision: 2,
		description: 'Randomness of the answer: 0 is the most repeatable',
	},
	timeoutSeconds: {
		key: 'timeoutSeconds',
		displayName: 'Timeout (Seconds)',
		default: 120,
		min: 1,
		whole: true,
		description: 'How long to wait for the answer before failing',
	},
} satisfies Record<string, NumberParam>;
