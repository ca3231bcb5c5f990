// Check → Run Once's own numeric parameters (the rule: shared/numbers.ts, where the ones it shares
// with the trigger are).

import { MEDIA_LIMITS } from '../../api/media-url';
import type { NumberParam } from '../../shared/numbers';
import { WATCHER_DEFAULTS, WATCHER_LIMITS } from '../../watch/options';

export const CHECK_NUMBERS = {
	/**
	 * Checked by the engine (watch/one-shot.ts, which names it by this display name): anything
	 * above 0 up to a clip's length, since the recording is the clip "Recorded Clip" shows.
	 */
	recordSeconds: {
		key: 'recordSeconds',
		displayName: 'Record For (Seconds)',
		default: 5,
		min: 1,
		max: MEDIA_LIMITS.maxClipSeconds,
		description:
			'How long the video is sent to Overshoot before the question is asked. The stream is deleted right after the answer.',
	},
	/** The engine's default and range (watch/options.ts), which checks it again. */
	firstFrameTimeoutSeconds: {
		key: 'firstFrameTimeoutSeconds',
		displayName: 'First Frame Timeout (Seconds)',
		default: WATCHER_DEFAULTS.limits.firstFrameTimeoutSeconds,
		...WATCHER_LIMITS.firstFrameTimeoutSeconds,
		description: 'How long to wait for the first picture to reach Overshoot before giving up',
	},
} satisfies Record<string, NumberParam>;
