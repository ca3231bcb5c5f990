// The emulator's own ovs:// grammar and resolver (docs/overshoot-api.md §3), independent of the client.
import { MediaError } from '../../emulator/errors';
import { FrameStore } from '../../emulator/frames';
import {
	parseOvsUrl,
	resolveImage,
	resolveSegment,
	sample,
	snap,
	type ImageRef,
	type SegmentRef,
} from '../../emulator/media-url';

const ID = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';
const px = new Uint8Array(4);

/** A store with `n` frames 100 ms apart (stream clock 0, 100, …), optionally evicting the first ones. */
function window(n: number, maxFrames = 10_000) {
	const store = new FrameStore({ retentionMs: 3_600_000, maxFrames, maxBytes: 1e9 });
	const t0 = Date.now() - n * 100;
	for (let i = 0; i < n; i++) store.add(px, 1, 1, t0 + i * 100);
	return { frames: store.retained(), nextIndex: store.nextIndex };
}

function code(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof MediaError) return `${error.status} ${error.code}`;
		throw error;
	}
	return 'ok';
}

describe('parseOvsUrl', () => {
	it('parses image anchors with defaults', () => {
		expect(parseOvsUrl(`ovs://streams/${ID}?frame_index=-1`, 'image_url')).toEqual({
			type: 'image',
			streamId: ID,
			anchor: { kind: 'index', value: -1 },
			toleranceMs: 100,
			direction: 'nearest',
		});
		const r = parseOvsUrl(
			`ovs://streams/${ID}?offset_ms=-5000&direction=backward&tolerance_ms=250`,
			'image_url',
		) as ImageRef;
		expect(r.anchor).toEqual({ kind: 'offset', value: -5000 });
		expect(r.direction).toBe('backward');
		expect(r.toleranceMs).toBe(250);
	});

	it('parses segments with mixed anchor kinds and max_fps', () => {
		const r = parseOvsUrl(
			`ovs://streams/${ID}?start_offset_ms=-30000&end_frame_index=523&max_fps=2.5`,
			'video_url',
		) as SegmentRef;
		expect(r).toEqual({
			type: 'video',
			streamId: ID,
			start: { kind: 'offset', value: -30000 },
			end: { kind: 'index', value: 523 },
			maxFps: 2.5,
		});
		expect(
			(parseOvsUrl(`ovs://streams/${ID}?start_frame_index=-30`, 'video_url') as SegmentRef).maxFps,
		).toBe(1);
	});

	it.each([
		['not the ovs form', 'ovs://stream/abc?frame_index=1', 'image_url', '400 stream_url_invalid'],
		['host form', 'ovs:streams/abc?frame_index=1', 'image_url', '400 stream_url_invalid'],
		[
			'duplicate key',
			`ovs://streams/${ID}?frame_index=1&frame_index=2`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'two image anchors',
			`ovs://streams/${ID}?frame_index=1&timestamp_ms=2`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'missing anchor',
			`ovs://streams/${ID}?tolerance_ms=5`,
			'image_url',
			'400 query_param_invalid',
		],
		['no query', `ovs://streams/${ID}`, 'image_url', '400 query_param_invalid'],
		[
			'unknown key',
			`ovs://streams/${ID}?frame_index=1&foo=2`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'segment key on an image',
			`ovs://streams/${ID}?start_frame_index=1`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'not an integer',
			`ovs://streams/${ID}?frame_index=1.5`,
			'image_url',
			'400 query_param_invalid',
		],
		['empty value', `ovs://streams/${ID}?frame_index=`, 'image_url', '400 query_param_invalid'],
		['no =', `ovs://streams/${ID}?frame_index`, 'image_url', '400 query_param_invalid'],
		[
			'tolerance 0',
			`ovs://streams/${ID}?timestamp_ms=5&tolerance_ms=0`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'bad direction',
			`ovs://streams/${ID}?timestamp_ms=5&direction=up`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'negative timestamp',
			`ovs://streams/${ID}?timestamp_ms=-5`,
			'image_url',
			'400 query_param_invalid',
		],
		[
			'two starts',
			`ovs://streams/${ID}?start_frame_index=1&start_offset_ms=-5`,
			'video_url',
			'400 query_param_invalid',
		],
		[
			'two ends',
			`ovs://streams/${ID}?start_frame_index=1&end_frame_index=5&end_offset_ms=0`,
			'video_url',
			'400 query_param_invalid',
		],
		['no start', `ovs://streams/${ID}?end_frame_index=5`, 'video_url', '400 query_param_invalid'],
		[
			'max_fps 0',
			`ovs://streams/${ID}?start_frame_index=1&max_fps=0`,
			'video_url',
			'400 query_param_invalid',
		],
		[
			'max_fps text',
			`ovs://streams/${ID}?start_frame_index=1&max_fps=fast`,
			'video_url',
			'400 query_param_invalid',
		],
		[
			'image key on a video',
			`ovs://streams/${ID}?frame_index=1`,
			'video_url',
			'400 query_param_invalid',
		],
	] as const)('rejects %s', (_name, url, part, expected) => {
		expect(code(() => parseOvsUrl(url, part))).toBe(expected);
	});
});

describe('resolveImage', () => {
	const img = (q: string) => parseOvsUrl(`ovs://streams/${ID}?${q}`, 'image_url') as ImageRef;
	const strict = { strictEviction: true };
	const lax = { strictEviction: false };

	it('resolves absolute and relative frame indices', () => {
		const w = window(10);
		expect(resolveImage(img('frame_index=-1'), w, strict).index).toBe(9);
		expect(resolveImage(img('frame_index=-3'), w, strict).index).toBe(7);
		expect(resolveImage(img('frame_index=4'), w, strict).index).toBe(4);
	});

	it('future index: frame_not_yet_produced', () => {
		expect(code(() => resolveImage(img('frame_index=10'), window(10), strict))).toBe(
			'409 frame_not_yet_produced',
		);
		expect(code(() => resolveImage(img('frame_index=0'), window(0), lax))).toBe(
			'409 frame_not_yet_produced',
		);
		expect(code(() => resolveImage(img('frame_index=-1'), window(0), lax))).toBe(
			'404 segment_empty',
		);
	});

	it('evicted index: 410 in strict (v1beta) mode, clamped to the oldest in v1 mode', () => {
		const w = window(10, 4); // retains 6..9
		expect(w.frames[0].index).toBe(6);
		expect(code(() => resolveImage(img('frame_index=2'), w, strict))).toBe('410 frame_evicted');
		expect(resolveImage(img('frame_index=2'), w, lax).index).toBe(6);
		expect(resolveImage(img('frame_index=-1'), w, strict).index).toBe(9);
	});

	it('time anchors snap within tolerance, then by direction', () => {
		const w = window(10); // stream ms 0..900
		expect(resolveImage(img('timestamp_ms=430'), w, strict).index).toBe(4);
		expect(resolveImage(img('timestamp_ms=460'), w, strict).index).toBe(5);
		expect(resolveImage(img('offset_ms=-200'), w, strict).index).toBe(7); // 900-200
		expect(resolveImage(img('offset_ms=300'), w, strict).index).toBe(3); // oldest + 300
		expect(
			resolveImage(img('timestamp_ms=5000&direction=backward&tolerance_ms=1'), w, strict).index,
		).toBe(9);
		expect(
			code(() =>
				resolveImage(img('timestamp_ms=5000&direction=forward&tolerance_ms=1'), w, strict),
			),
		).toBe('404 segment_empty');
	});

	it('snap rules', () => {
		const w = window(3).frames; // 0,100,200
		expect(snap(w, 150, 10, 'forward')?.index).toBe(2);
		expect(snap(w, 150, 10, 'backward')?.index).toBe(1);
		expect(snap(w, 150, 60, 'forward')?.index).toBe(1); // both inside tolerance: closest, ties → earlier
		expect(snap(w, 190, 5, 'nearest')?.index).toBe(2);
	});
});

describe('resolveSegment', () => {
	const seg = (q: string) => parseOvsUrl(`ovs://streams/${ID}?${q}`, 'video_url') as SegmentRef;

	it('samples at max_fps from the live edge backwards, end exclusive', () => {
		const w = window(50); // 0..4900 ms
		expect(resolveSegment(seg('start_offset_ms=-5000'), w).map((f) => f.index)).toEqual([
			9, 19, 29, 39, 49,
		]);
		expect(
			resolveSegment(seg('start_frame_index=10&end_frame_index=20&max_fps=10'), w).map(
				(f) => f.index,
			),
		).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
		expect(
			resolveSegment(seg('start_timestamp_ms=1000&end_timestamp_ms=1500&max_fps=100'), w).map(
				(f) => f.index,
			),
		).toEqual([10, 11, 12, 13, 14]);
		expect(resolveSegment(seg('start_frame_index=-3&max_fps=100'), w).map((f) => f.index)).toEqual([
			47, 48, 49,
		]);
	});

	it('clamps evicted starts, rejects inverted and empty ranges and future starts', () => {
		const w = window(20, 5); // retains 15..19
		expect(resolveSegment(seg('start_frame_index=0&max_fps=100'), w).map((f) => f.index)).toEqual([
			15, 16, 17, 18, 19,
		]);
		expect(code(() => resolveSegment(seg('start_frame_index=10&end_frame_index=5'), w))).toBe(
			'400 segment_invalid',
		);
		expect(code(() => resolveSegment(seg('start_offset_ms=-100&end_offset_ms=-200'), w))).toBe(
			'400 segment_invalid',
		);
		expect(code(() => resolveSegment(seg('start_frame_index=2&end_frame_index=5'), w))).toBe(
			'404 segment_empty',
		);
		expect(code(() => resolveSegment(seg('start_frame_index=25'), w))).toBe(
			'409 frame_not_yet_produced',
		);
		expect(code(() => resolveSegment(seg('start_offset_ms=-1000'), window(0)))).toBe(
			'404 segment_empty',
		);
	});

	it('sample() always includes the newest frame', () => {
		const w = window(7).frames;
		expect(sample(w, 2.5).map((f) => f.index)).toEqual([2, 6]);
	});
});
