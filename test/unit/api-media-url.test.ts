// ovs:// URL building and the validation that runs before any request.
import { InputError } from '../../nodes/Overshoot/api/errors';
import {
	clipQuery,
	frameQuery,
	MEDIA_FIELDS,
	mediaPart,
	mediaUrl,
	type ClipRef,
	type FrameRef,
} from '../../nodes/Overshoot/api/media-url';

const ID = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';

function inputError(fn: () => unknown): InputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError');
}

describe('frame references', () => {
	it.each<[FrameRef, string]>([
		[{ kind: 'latest' }, 'frame_index=-1'],
		[{ kind: 'index', index: 523 }, 'frame_index=523'],
		[{ kind: 'index', index: -2 }, 'frame_index=-2'],
		[{ kind: 'time', timestampMs: 12000 }, 'timestamp_ms=12000'],
		[{ kind: 'time', timestampMs: 12000, toleranceMs: 250 }, 'timestamp_ms=12000&tolerance_ms=250'],
		[
			{ kind: 'offset', offsetMs: -5000, direction: 'backward' },
			'offset_ms=-5000&direction=backward',
		],
		[{ kind: 'offset', offsetMs: -5000, direction: 'nearest' }, 'offset_ms=-5000'],
		[{ kind: 'offset', offsetMs: 0 }, 'offset_ms=0'],
	])('%j → %s', (ref, query) => {
		expect(frameQuery(ref)).toBe(query);
	});

	it.each<[FrameRef, string]>([
		[{ kind: 'index', index: 1.5 }, MEDIA_FIELDS.frameIndex],
		[{ kind: 'index', index: Number.NaN }, MEDIA_FIELDS.frameIndex],
		[{ kind: 'time', timestampMs: -1 }, MEDIA_FIELDS.time],
		[{ kind: 'time', timestampMs: 10, toleranceMs: 0 }, MEDIA_FIELDS.tolerance],
		[{ kind: 'offset', offsetMs: 2.5 }, MEDIA_FIELDS.offset],
		[{ kind: 'offset', offsetMs: -1, direction: 'sideways' as never }, MEDIA_FIELDS.direction],
		[{ kind: 'bogus' } as never, 'Frame'],
	])('rejects %j naming "%s"', (ref, field) => {
		const error = inputError(() => frameQuery(ref));
		expect(error.field).toBe(field);
		expect(error.message.toLowerCase()).toContain(field.toLowerCase());
	});
});

describe('clip references', () => {
	it.each<[ClipRef, string]>([
		[{ kind: 'lastSeconds', seconds: 10 }, 'start_offset_ms=-10000'],
		[{ kind: 'lastSeconds', seconds: 2.5, maxFps: 2 }, 'start_offset_ms=-2500&max_fps=2'],
		[{ kind: 'range', start: { kind: 'offset', offsetMs: -10000 } }, 'start_offset_ms=-10000'],
		[
			{
				kind: 'range',
				start: { kind: 'time', timestampMs: 10000 },
				end: { kind: 'time', timestampMs: 15000 },
				maxFps: 4,
			},
			'start_timestamp_ms=10000&end_timestamp_ms=15000&max_fps=4',
		],
		[
			{ kind: 'range', start: { kind: 'index', index: -30 }, end: { kind: 'index', index: -1 } },
			'start_frame_index=-30&end_frame_index=-1',
		],
		[
			{
				kind: 'range',
				start: { kind: 'offset', offsetMs: -30000 },
				end: { kind: 'index', index: 523 },
			},
			'start_offset_ms=-30000&end_frame_index=523',
		],
		// Different scales (from the live edge vs. from the start of the buffer) are not compared.
		[
			{
				kind: 'range',
				start: { kind: 'offset', offsetMs: 0 },
				end: { kind: 'offset', offsetMs: -5000 },
			},
			'start_offset_ms=0&end_offset_ms=-5000',
		],
	])('%j → %s', (ref, query) => {
		expect(clipQuery(ref)).toBe(query);
	});

	it.each<[ClipRef, string]>([
		[{ kind: 'lastSeconds', seconds: 0 }, MEDIA_FIELDS.seconds],
		[{ kind: 'lastSeconds', seconds: -3 }, MEDIA_FIELDS.seconds],
		[{ kind: 'lastSeconds', seconds: 601 }, MEDIA_FIELDS.seconds],
		[{ kind: 'lastSeconds', seconds: 5, maxFps: -1 }, MEDIA_FIELDS.maxFps],
		[{ kind: 'lastSeconds', seconds: 5, maxFps: 0 }, MEDIA_FIELDS.maxFps],
		[{ kind: 'lastSeconds', seconds: 5, maxFps: 61 }, MEDIA_FIELDS.maxFps],
		[{ kind: 'lastSeconds', seconds: 'abc' as never }, MEDIA_FIELDS.seconds],
		[
			{
				kind: 'range',
				start: { kind: 'time', timestampMs: 5000 },
				end: { kind: 'time', timestampMs: 5000 },
			},
			MEDIA_FIELDS.clipEnd,
		],
		[
			{
				kind: 'range',
				start: { kind: 'time', timestampMs: 9000 },
				end: { kind: 'time', timestampMs: 1000 },
			},
			MEDIA_FIELDS.clipEnd,
		],
		[
			{
				kind: 'range',
				start: { kind: 'offset', offsetMs: -1000 },
				end: { kind: 'offset', offsetMs: -5000 },
			},
			MEDIA_FIELDS.clipEnd,
		],
		[
			{ kind: 'range', start: { kind: 'index', index: -5 }, end: { kind: 'index', index: -30 } },
			MEDIA_FIELDS.clipEnd,
		],
		[
			{ kind: 'range', start: { kind: 'time', timestampMs: -1 } },
			`${MEDIA_FIELDS.clipStart} ${MEDIA_FIELDS.anchorTime}`,
		],
		[
			{ kind: 'range', start: { kind: 'index', index: 0.5 } },
			`${MEDIA_FIELDS.clipStart} ${MEDIA_FIELDS.anchorIndex}`,
		],
		[
			{
				kind: 'range',
				start: { kind: 'offset', offsetMs: -1000 },
				end: { kind: 'offset', offsetMs: 1.5 },
			},
			`${MEDIA_FIELDS.clipEnd} ${MEDIA_FIELDS.anchorOffset}`,
		],
		[{ kind: 'range', start: { kind: 'bogus' } as never }, MEDIA_FIELDS.clipStart],
		[{ kind: 'bogus' } as never, 'Clip'],
	])('rejects %j naming "%s"', (ref, field) => {
		const error = inputError(() => clipQuery(ref));
		expect(error.field).toBe(field);
		expect(error.message.toLowerCase()).toContain(field.toLowerCase());
	});
});

describe('stream ids and content parts', () => {
	it('builds a frame URL in an image_url part and a clip URL in a video_url part', () => {
		expect(mediaPart({ type: 'frame', streamId: ID, frame: { kind: 'latest' } })).toEqual({
			type: 'image_url',
			image_url: { url: `ovs://streams/${ID}?frame_index=-1` },
		});
		expect(
			mediaPart({ type: 'clip', streamId: ID, clip: { kind: 'lastSeconds', seconds: 5 } }),
		).toEqual({
			type: 'video_url',
			video_url: { url: `ovs://streams/${ID}?start_offset_ms=-5000` },
		});
	});

	it('normalises the stream id (trim, lower case)', () => {
		expect(
			mediaUrl({ type: 'frame', streamId: `  ${ID.toUpperCase()} `, frame: { kind: 'latest' } }),
		).toBe(`ovs://streams/${ID}?frame_index=-1`);
	});

	it.each([[''], ['   '], ['not-a-uuid'], [`${ID}x`], [undefined]])(
		'rejects stream id %j naming "Stream ID"',
		(id) => {
			const error = inputError(() =>
				mediaUrl({ type: 'frame', streamId: id as never, frame: { kind: 'latest' } }),
			);
			expect(error.field).toBe('Stream ID');
			expect(error.message).toMatch(/Stream ID/);
		},
	);
});
