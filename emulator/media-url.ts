// The `ovs://` stream media grammar (docs/overshoot-api.md §3), parsed and resolved independently of the
// client's own builder so the emulator checks the contract rather than echoing our assumptions.
// Errors carry v1beta codes/statuses; errors.ts maps them to v1's 422 where v1 differs.

import { MediaError } from './errors';
import type { StoredFrame } from './frames';

export type Direction = 'nearest' | 'forward' | 'backward';

export type Anchor =
	| { kind: 'index'; value: number }
	/** Stream-clock ms (ms since the first frame). */
	| { kind: 'timestamp'; value: number }
	/** Negative: back from the newest frame; non-negative: forward from the oldest retained frame. */
	| { kind: 'offset'; value: number };

export interface ImageRef {
	type: 'image';
	streamId: string;
	anchor: Anchor;
	toleranceMs: number;
	direction: Direction;
}

export interface SegmentRef {
	type: 'video';
	streamId: string;
	start: Anchor;
	end?: Anchor;
	maxFps: number;
}

export type MediaRef = ImageRef | SegmentRef;

export const DEFAULT_TOLERANCE_MS = 100;
export const DEFAULT_MAX_FPS = 1;
/** Upper bound on frames one segment resolves to (undocumented upstream; bounds analysis cost). */
export const MAX_SEGMENT_FRAMES = 300;

const URL_RE = /^ovs:\/\/streams\/([^/?#\s]+)(?:\?([^#\s]*))?$/;
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const IMAGE_KEYS = new Set([
	'frame_index',
	'timestamp_ms',
	'offset_ms',
	'tolerance_ms',
	'direction',
]);
const VIDEO_KEYS = new Set([
	'start_frame_index',
	'start_timestamp_ms',
	'start_offset_ms',
	'end_frame_index',
	'end_timestamp_ms',
	'end_offset_ms',
	'max_fps',
]);

export function isOvsUrl(url: string): boolean {
	return /^ovs:/i.test(url.trim());
}

const badQuery = (msg: string) => new MediaError('query_param_invalid', msg, 400);

function parseInt10(key: string, raw: string, min?: number): number {
	if (!INT_RE.test(raw)) throw badQuery(`${key} must be an integer, got "${raw}"`);
	const n = Number(raw);
	if (!Number.isSafeInteger(n)) throw badQuery(`${key} is out of range`);
	if (min !== undefined && n < min) throw badQuery(`${key} must be >= ${min}`);
	return n;
}

function parseQuery(query: string, allowed: Set<string>): Map<string, string> {
	const params = new Map<string, string>();
	if (query === '') return params;
	for (const pair of query.split('&')) {
		const eq = pair.indexOf('=');
		if (eq <= 0) throw badQuery(`malformed query parameter "${pair}" (expected key=value)`);
		let key: string;
		let value: string;
		try {
			key = decodeURIComponent(pair.slice(0, eq));
			value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
		} catch {
			throw badQuery(`malformed percent-encoding in "${pair}"`);
		}
		if (!allowed.has(key)) throw badQuery(`unknown query parameter "${key}"`);
		if (params.has(key)) throw badQuery(`duplicate query parameter "${key}"`);
		if (value === '') throw badQuery(`query parameter "${key}" has no value`);
		params.set(key, value);
	}
	return params;
}

function anchorFrom(
	params: Map<string, string>,
	prefix: '' | 'start_' | 'end_',
	role: string,
): Anchor | undefined {
	const found: Anchor[] = [];
	const idx = params.get(`${prefix}frame_index`);
	if (idx !== undefined)
		found.push({ kind: 'index', value: parseInt10(`${prefix}frame_index`, idx) });
	const ts = params.get(`${prefix}timestamp_ms`);
	if (ts !== undefined)
		found.push({ kind: 'timestamp', value: parseInt10(`${prefix}timestamp_ms`, ts, 0) });
	const off = params.get(`${prefix}offset_ms`);
	if (off !== undefined)
		found.push({ kind: 'offset', value: parseInt10(`${prefix}offset_ms`, off) });
	if (found.length > 1) {
		throw badQuery(
			`only one ${role} anchor is allowed (${prefix}frame_index, ${prefix}timestamp_ms or ${prefix}offset_ms)`,
		);
	}
	return found[0];
}

/** Parses one `ovs://` URL for an `image_url` (one frame) or `video_url` (segment) part. */
export function parseOvsUrl(url: string, part: 'image_url' | 'video_url'): MediaRef {
	const m = URL_RE.exec(url.trim());
	if (!m)
		throw new MediaError(
			'stream_url_invalid',
			'Stream media URL must look like ovs://streams/<stream_id>?<query>',
			400,
		);
	const streamId = m[1];
	const query = m[2] ?? '';
	if (part === 'image_url') {
		const params = parseQuery(query, IMAGE_KEYS);
		const anchor = anchorFrom(params, '', 'frame');
		if (!anchor)
			throw badQuery('image_url needs exactly one of frame_index, timestamp_ms or offset_ms');
		const tol = params.get('tolerance_ms');
		const toleranceMs =
			tol === undefined ? DEFAULT_TOLERANCE_MS : parseInt10('tolerance_ms', tol, 1);
		const dir = params.get('direction') ?? 'nearest';
		if (dir !== 'nearest' && dir !== 'forward' && dir !== 'backward') {
			throw badQuery(`direction must be nearest, forward or backward, got "${dir}"`);
		}
		return { type: 'image', streamId, anchor, toleranceMs, direction: dir };
	}
	const params = parseQuery(query, VIDEO_KEYS);
	const start = anchorFrom(params, 'start_', 'start');
	if (!start)
		throw badQuery(
			'video_url needs exactly one of start_frame_index, start_timestamp_ms or start_offset_ms',
		);
	const end = anchorFrom(params, 'end_', 'end');
	let maxFps = DEFAULT_MAX_FPS;
	const fps = params.get('max_fps');
	if (fps !== undefined) {
		if (!FLOAT_RE.test(fps)) throw badQuery(`max_fps must be a number, got "${fps}"`);
		maxFps = Number(fps);
		if (!(maxFps > 0) || !Number.isFinite(maxFps)) throw badQuery('max_fps must be > 0');
	}
	return { type: 'video', streamId, start, end, maxFps };
}

// ---------------------------------------------------------------------------------------------
// Resolution against a stream's retained frames

export interface FrameWindow {
	/** Retained frames, oldest first, contiguous lifetime indices. */
	frames: readonly StoredFrame[];
	/** Next lifetime index (= frames ever received). */
	nextIndex: number;
}

export interface ResolveMode {
	/** v1beta: an exact image lookup of an evicted index is 410 `frame_evicted`; v1 clamps to the oldest frame. */
	strictEviction: boolean;
}

const notYet = (i: number, last: number) =>
	new MediaError(
		'frame_not_yet_produced',
		`Frame ${i} has not been produced yet (last frame index ${last})`,
		409,
	);
const empty = (what: string) =>
	new MediaError('segment_empty', `No retained frames matched ${what}`, 404);

/** Resolves a time anchor to a stream-clock target in ms (frames must be non-empty). */
function targetMs(
	anchor: Anchor & { kind: 'timestamp' | 'offset' },
	frames: readonly StoredFrame[],
): number {
	if (anchor.kind === 'timestamp') return anchor.value;
	return anchor.value < 0
		? frames[frames.length - 1].streamMs + anchor.value
		: frames[0].streamMs + anchor.value;
}

/** First position in `frames` whose streamMs >= ms (frames.length if none). */
function lowerBound(frames: readonly StoredFrame[], ms: number): number {
	let lo = 0;
	let hi = frames.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (frames[mid].streamMs < ms) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Snapping rule (our choice, §16): a frame within `toleranceMs` of the target counts as "at" the
 * target and the closest such frame wins (ties: the earlier one). With none inside the tolerance,
 * `direction` picks the neighbour: forward = the next later frame, backward = the previous one,
 * nearest = the closer of the two. No frame in that direction → `segment_empty`.
 */
export function snap(
	frames: readonly StoredFrame[],
	target: number,
	toleranceMs: number,
	direction: Direction,
): StoredFrame | undefined {
	const i = lowerBound(frames, target);
	const after = frames[i];
	const before = i > 0 ? frames[i - 1] : undefined;
	const dAfter = after ? after.streamMs - target : Infinity;
	const dBefore = before ? target - before.streamMs : Infinity;
	if (Math.min(dAfter, dBefore) <= toleranceMs) return dBefore <= dAfter ? before : after;
	if (direction === 'forward') return after;
	if (direction === 'backward') return before;
	return dBefore <= dAfter ? before : after;
}

export function resolveImage(ref: ImageRef, win: FrameWindow, mode: ResolveMode): StoredFrame {
	const { frames, nextIndex } = win;
	const last = nextIndex - 1;
	const a = ref.anchor;
	if (a.kind === 'index') {
		if (nextIndex === 0) {
			if (a.value >= 0) throw notYet(a.value, last);
			throw empty(`frame_index=${a.value} (the stream has no frames yet)`);
		}
		const idx = a.value >= 0 ? a.value : nextIndex + a.value;
		if (idx > last) throw notYet(idx, last);
		if (frames.length === 0) {
			if (mode.strictEviction)
				throw new MediaError('frame_evicted', `Frame ${idx} has been evicted from retention`, 410);
			throw empty(`frame_index=${a.value} (no frames are retained)`);
		}
		const first = frames[0].index;
		if (idx < first) {
			if (mode.strictEviction) {
				if (idx < 0) throw empty(`frame_index=${a.value} (only ${nextIndex} frames exist)`);
				throw new MediaError(
					'frame_evicted',
					`Frame ${idx} has been evicted (oldest retained frame is ${first})`,
					410,
				);
			}
			return frames[0]; // v1: clamp up to the oldest retained frame and succeed
		}
		return frames[idx - first];
	}
	if (frames.length === 0)
		throw empty(
			`${a.kind === 'timestamp' ? 'timestamp_ms' : 'offset_ms'}=${a.value} (no frames are retained)`,
		);
	const frame = snap(frames, targetMs(a, frames), ref.toleranceMs, ref.direction);
	if (!frame)
		throw empty(
			`${a.kind === 'timestamp' ? 'timestamp_ms' : 'offset_ms'}=${a.value} with direction=${ref.direction}`,
		);
	return frame;
}

/** Converts an anchor to a lifetime index bound (start inclusive / end exclusive). */
function indexBound(anchor: Anchor, win: FrameWindow): number {
	if (anchor.kind === 'index')
		return anchor.value >= 0 ? anchor.value : win.nextIndex + anchor.value;
	const pos = lowerBound(win.frames, targetMs(anchor, win.frames));
	return pos < win.frames.length ? win.frames[pos].index : win.nextIndex;
}

export function resolveSegment(ref: SegmentRef, win: FrameWindow): StoredFrame[] {
	const { frames, nextIndex } = win;
	const { start, end } = ref;
	if (start.kind === 'index' && start.value >= 0 && start.value >= nextIndex)
		throw notYet(start.value, nextIndex - 1);
	const needsFrames = start.kind !== 'index' || (end !== undefined && end.kind !== 'index');
	if (frames.length === 0) {
		if (needsFrames || nextIndex === 0) throw empty('the segment (no frames are retained)');
	}
	// End at or before start → segment_invalid, compared in the anchors' own domain when both match.
	if (end) {
		const timeKinds = start.kind !== 'index' && end.kind !== 'index';
		if (timeKinds && frames.length > 0) {
			const s = targetMs(start as Anchor & { kind: 'timestamp' | 'offset' }, frames);
			const e = targetMs(end as Anchor & { kind: 'timestamp' | 'offset' }, frames);
			if (e <= s)
				throw new MediaError(
					'segment_invalid',
					`Segment end (${e} ms) is at or before its start (${s} ms)`,
					400,
				);
		} else if (frames.length > 0 || (start.kind === 'index' && end.kind === 'index')) {
			const s = indexBound(start, win);
			const e = indexBound(end, win);
			if (e <= s)
				throw new MediaError(
					'segment_invalid',
					`Segment end (frame ${e}) is at or before its start (frame ${s})`,
					400,
				);
		}
	}
	if (frames.length === 0) throw empty('the segment (no frames are retained)');
	const first = frames[0].index;
	const lo = Math.max(indexBound(start, win), first);
	const hi = Math.min(end ? indexBound(end, win) : nextIndex, nextIndex); // end exclusive; default live edge
	if (hi <= lo) throw empty('the segment');
	return sample(frames.slice(lo - first, hi - first), ref.maxFps);
}

/**
 * Downsamples to at most `maxFps`, walking back from the newest frame so the live edge is always
 * included (a "did anything just happen" window must see the latest frame). A 5 % slack absorbs
 * frame-timing jitter.
 */
export function sample(frames: readonly StoredFrame[], maxFps: number): StoredFrame[] {
	const interval = 1000 / maxFps;
	const out: StoredFrame[] = [];
	let lastMs = Infinity;
	for (let i = frames.length - 1; i >= 0 && out.length < MAX_SEGMENT_FRAMES; i--) {
		if (frames[i].streamMs <= lastMs - interval * 0.95) {
			out.push(frames[i]);
			lastMs = frames[i].streamMs;
		}
	}
	return out.reverse();
}
