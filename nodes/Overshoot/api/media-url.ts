// Friendly frame and clip references → ovs:// URLs (docs/overshoot-api.md §3). Users pick "latest frame"
// or "last 10 seconds"; nobody writes query strings by hand. Everything is validated here, before
// any request, with errors that name the field.

import { InputError } from './errors';
import type { ContentPart } from './types';
import { integer, positive, streamId as checkStreamId } from './validate';

export type Direction = 'nearest' | 'forward' | 'backward';

export type FrameRef =
	| { kind: 'latest' }
	/** Lifetime index; negative counts back from the newest frame (-1 = newest). */
	| { kind: 'index'; index: number }
	/** Stream-clock milliseconds since the stream's first frame. */
	| { kind: 'time'; timestampMs: number; toleranceMs?: number; direction?: Direction }
	/** Negative: milliseconds back from the live edge; 0 or more: forward from the oldest retained frame. */
	| { kind: 'offset'; offsetMs: number; toleranceMs?: number; direction?: Direction };

export type ClipAnchor =
	| { kind: 'index'; index: number }
	| { kind: 'time'; timestampMs: number }
	| { kind: 'offset'; offsetMs: number };

export type ClipRef =
	| { kind: 'lastSeconds'; seconds: number; maxFps?: number }
	/** `end` omitted = up to the live edge. End is exclusive. */
	| { kind: 'range'; start: ClipAnchor; end?: ClipAnchor; maxFps?: number };

export type MediaRef =
	| { type: 'frame'; streamId: string; frame: FrameRef }
	| { type: 'clip'; streamId: string; clip: ClipRef };

const DIRECTIONS: Direction[] = ['nearest', 'forward', 'backward'];

/**
 * The limits this package holds media references to, before any request; the nodes' fields offer
 * these (shared/numbers.ts, actions/chat/numbers.ts) and the engine checks them too (watch/options.ts).
 */
export const MEDIA_LIMITS = {
	/** Stream-clock times count from the stream's first frame. */
	minTimeMs: 0,
	/** A clip is at most 10 minutes, the history a stream keeps (the emulator's 600 s). */
	maxClipSeconds: 600,
	/** Frames per second sampled from a clip: more than any source publishes. */
	maxFps: 60,
} as const;

/**
 * The names errors give each field. The action node uses the same strings as display names, so
 * a message points at the field to fix. (n8n's lint wants title case, hence "Milliseconds".)
 */
export const MEDIA_FIELDS = {
	frameIndex: 'Frame Index',
	time: 'Time (Milliseconds)',
	offset: 'Offset (Milliseconds)',
	tolerance: 'Tolerance (Milliseconds)',
	direction: 'Direction',
	seconds: 'Seconds',
	maxFps: 'Max FPS',
	clipStart: 'Clip Start',
	clipEnd: 'Clip End',
	anchorIndex: 'Frame Index',
	anchorTime: 'Time (Milliseconds)',
	anchorOffset: 'Offset (Milliseconds)',
} as const;

function query(params: Array<[string, number | string | undefined]>): string {
	return params
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
		.join('&');
}

function snapParams(ref: {
	toleranceMs?: number;
	direction?: Direction;
}): Array<[string, number | string | undefined]> {
	const tolerance =
		ref.toleranceMs === undefined
			? undefined
			: integer(ref.toleranceMs, MEDIA_FIELDS.tolerance, { min: 1 });
	if (ref.direction !== undefined && !DIRECTIONS.includes(ref.direction)) {
		throw new InputError(
			MEDIA_FIELDS.direction,
			`Direction must be one of ${DIRECTIONS.join(', ')} (got "${ref.direction}").`,
		);
	}
	return [
		['tolerance_ms', tolerance],
		['direction', ref.direction && ref.direction !== 'nearest' ? ref.direction : undefined],
	];
}

export function frameQuery(ref: FrameRef): string {
	switch (ref.kind) {
		case 'latest':
			return 'frame_index=-1';
		case 'index':
			return query([['frame_index', integer(ref.index, MEDIA_FIELDS.frameIndex)]]);
		case 'time':
			return query([
				[
					'timestamp_ms',
					integer(ref.timestampMs, MEDIA_FIELDS.time, { min: MEDIA_LIMITS.minTimeMs }),
				],
				...snapParams(ref),
			]);
		case 'offset':
			return query([['offset_ms', integer(ref.offsetMs, MEDIA_FIELDS.offset)], ...snapParams(ref)]);
		default:
			throw new InputError('Frame', `Unknown frame reference ${JSON.stringify(ref)}.`);
	}
}

function anchorParam(prefix: 'start' | 'end', anchor: ClipAnchor, field: string): [string, number] {
	switch (anchor.kind) {
		case 'index':
			return [
				`${prefix}_frame_index`,
				integer(anchor.index, `${field} ${MEDIA_FIELDS.anchorIndex}`),
			];
		case 'time':
			return [
				`${prefix}_timestamp_ms`,
				integer(anchor.timestampMs, `${field} ${MEDIA_FIELDS.anchorTime}`, {
					min: MEDIA_LIMITS.minTimeMs,
				}),
			];
		case 'offset':
			return [
				`${prefix}_offset_ms`,
				integer(anchor.offsetMs, `${field} ${MEDIA_FIELDS.anchorOffset}`),
			];
		default:
			throw new InputError(
				field,
				`Unknown ${field.toLowerCase()} anchor ${JSON.stringify(anchor)}.`,
			);
	}
}

/** Rejects ranges whose end is not after their start, when both ends are on the same scale. */
function checkOrder(start: ClipAnchor, end: ClipAnchor) {
	if (start.kind !== end.kind) return;
	const value = (a: ClipAnchor) =>
		a.kind === 'index' ? a.index : a.kind === 'time' ? a.timestampMs : a.offsetMs;
	const [s, e] = [value(start), value(end)];
	// Negative indices and offsets count from the live edge, non-negative ones from the stream's
	// start: two ends on different scales cannot be compared here.
	if (start.kind !== 'time' && s < 0 !== e < 0) return;
	if (e <= s)
		throw new InputError(
			MEDIA_FIELDS.clipEnd,
			`${MEDIA_FIELDS.clipEnd} (${e}) must be after ${MEDIA_FIELDS.clipStart} (${s}); the end is exclusive.`,
		);
}

export function clipQuery(ref: ClipRef): string {
	const maxFps =
		ref.maxFps === undefined
			? undefined
			: positive(ref.maxFps, MEDIA_FIELDS.maxFps, { max: MEDIA_LIMITS.maxFps });
	if (ref.kind === 'lastSeconds') {
		const seconds = positive(ref.seconds, MEDIA_FIELDS.seconds, {
			max: MEDIA_LIMITS.maxClipSeconds,
		});
		return query([
			['start_offset_ms', -Math.round(seconds * 1000)],
			['max_fps', maxFps],
		]);
	}
	if (ref.kind !== 'range')
		throw new InputError('Clip', `Unknown clip reference ${JSON.stringify(ref)}.`);
	const params: Array<[string, number | undefined]> = [
		anchorParam('start', ref.start, MEDIA_FIELDS.clipStart),
	];
	if (ref.end) {
		checkOrder(ref.start, ref.end);
		params.push(anchorParam('end', ref.end, MEDIA_FIELDS.clipEnd));
	}
	params.push(['max_fps', maxFps]);
	return query(params);
}

export function mediaUrl(ref: MediaRef): string {
	const id = checkStreamId(ref.streamId);
	const q = ref.type === 'frame' ? frameQuery(ref.frame) : clipQuery(ref.clip);
	return `ovs://streams/${id}?${q}`;
}

/** A chat content part: frames go in image_url, clips in video_url (the contract requires it). */
export function mediaPart(ref: MediaRef): ContentPart {
	const url = mediaUrl(ref);
	return ref.type === 'frame'
		? { type: 'image_url', image_url: { url } }
		: { type: 'video_url', video_url: { url } };
}
