// The rule "never ask about frames the source did not produce", for clips. The LiveKit video
// track sends black frames of its own until the first real one (an independent subscriber saw 9
// cross the room while the package published none), so a clip of the last N seconds that reaches
// back before the source's first frame would show the model a dark, empty scene.

import type { MediaSpec } from './options';

/** Clip lengths are sent in tenths of a second (the smallest clip the options accept). */
const CLIP_STEP_SECONDS = 0.1;

/**
 * A clip of the last N seconds, cut to the time the source has actually been delivering: before
 * its first frame the room carries only the video track's own black frames, which must never be
 * asked about (they read as "an empty, dark scene").
 */
export function clipWithinSource(
	media: MediaSpec,
	deliveringSinceMs: number | undefined,
	nowMs = Date.now(),
): MediaSpec {
	if (media.kind !== 'lastSeconds' || deliveringSinceMs === undefined) return media;
	const delivering =
		Math.floor((nowMs - deliveringSinceMs) / 1000 / CLIP_STEP_SECONDS) * CLIP_STEP_SECONDS;
	const seconds = Math.max(
		CLIP_STEP_SECONDS,
		Math.min(media.seconds, Number(delivering.toFixed(1))),
	);
	return seconds === media.seconds ? media : { ...media, seconds };
}
