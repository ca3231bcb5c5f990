// The "Media" list of Chat → Complete: each entry is a frame, a clip or an input image, chosen
// from menus rather than written as ovs:// URLs. Display names match the field names that
// api/media-url.ts puts in its errors, so a validation message points at the field to fix.

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../api/errors';
import {
	MEDIA_FIELDS,
	mediaPart,
	type ClipAnchor,
	type ClipRef,
	type Direction,
	type FrameRef,
	type MediaRef,
} from '../../api/media-url';
import type { ContentPart } from '../../api/types';
import { text } from '../../api/validate';
import { BINARY_FIELD, binaryImageDataUrl } from './binary-image';
import { STREAM_ID_FIELD } from '../params';
import { numberField, type NumberParam } from '../../shared/numbers';
import { MEDIA_NUMBERS } from './numbers';

const FRAME_KINDS = ['latestFrame', 'frameIndex', 'frameTime', 'frameOffset'];
const CLIP_KINDS = ['lastSeconds', 'clipRange'];
const STREAM_KINDS = [...FRAME_KINDS, ...CLIP_KINDS];

const show = (kind: string[], extra: Record<string, string[]> = {}) => ({
	show: { kind, ...extra },
});

const mediaFields: INodeProperties[] = [
	{
		displayName: 'Media',
		name: 'kind',
		type: 'options',
		default: 'latestFrame',
		options: [
			{
				name: 'Clip Between Two Points',
				value: 'clipRange',
				description: 'A video clip with a chosen start and end',
			},
			{
				name: 'Clip of the Last Seconds',
				value: 'lastSeconds',
				description: 'A video clip ending now, e.g. the last 10 seconds',
			},
			{
				name: 'Frame at Offset From Now',
				value: 'frameOffset',
				description: 'One frame some time ago, e.g. 5 seconds back',
			},
			{
				name: 'Frame at Stream Time',
				value: 'frameTime',
				description: 'One frame at a stream-clock time (ms since the first frame)',
			},
			{
				name: 'Frame by Index',
				value: 'frameIndex',
				description: 'One frame by its index; negative counts back from the newest (-1 = newest)',
			},
			{
				name: 'Image From Input Binary',
				value: 'binaryImage',
				description: 'An image in a binary field of the input item; no stream needed',
			},
			{
				name: 'Latest Frame',
				value: 'latestFrame',
				description: 'The newest frame of a stream: the cheapest way to ask what is happening now',
			},
		],
		description: 'What to show the model',
	},
	{
		displayName: STREAM_ID_FIELD,
		name: 'streamId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
		description: 'The ID returned by Stream → Create',
		displayOptions: show(STREAM_KINDS),
	},
	numberField(MEDIA_NUMBERS.frameIndex, { displayOptions: show(['frameIndex']) }),
	numberField(MEDIA_NUMBERS.timeMs, { displayOptions: show(['frameTime']) }),
	numberField(MEDIA_NUMBERS.offsetMs, { displayOptions: show(['frameOffset']) }),
	numberField(MEDIA_NUMBERS.toleranceMs, { displayOptions: show(['frameTime', 'frameOffset']) }),
	{
		displayName: MEDIA_FIELDS.direction,
		name: 'direction',
		type: 'options',
		default: 'nearest',
		options: [
			{
				name: 'Backward',
				value: 'backward',
				description: 'Prefer the frame before the target time',
			},
			{ name: 'Forward', value: 'forward', description: 'Prefer the frame after the target time' },
			{ name: 'Nearest', value: 'nearest', description: 'The closest frame either side' },
		],
		description: 'Which neighbour to use when no frame sits exactly at the target time',
		displayOptions: show(['frameTime', 'frameOffset']),
	},
	numberField(MEDIA_NUMBERS.seconds, { displayOptions: show(['lastSeconds']) }),
	{
		displayName: MEDIA_FIELDS.clipStart,
		name: 'startBy',
		type: 'options',
		default: 'offset',
		options: [
			{ name: 'Frame Index', value: 'index' },
			{ name: 'Offset From Now', value: 'offset' },
			{ name: 'Stream Time', value: 'time' },
		],
		description: 'How the start of the clip is given',
		displayOptions: show(['clipRange']),
	},
	numberField(MEDIA_NUMBERS.startOffsetMs, {
		displayOptions: show(['clipRange'], { startBy: ['offset'] }),
	}),
	numberField(MEDIA_NUMBERS.startTimeMs, {
		displayOptions: show(['clipRange'], { startBy: ['time'] }),
	}),
	numberField(MEDIA_NUMBERS.startFrameIndex, {
		displayOptions: show(['clipRange'], { startBy: ['index'] }),
	}),
	{
		displayName: MEDIA_FIELDS.clipEnd,
		name: 'endBy',
		type: 'options',
		default: 'now',
		options: [
			{ name: 'Frame Index', value: 'index' },
			{ name: 'Now (Live Edge)', value: 'now' },
			{ name: 'Offset From Now', value: 'offset' },
			{ name: 'Stream Time', value: 'time' },
		],
		description: 'How the end of the clip is given. The end is exclusive.',
		displayOptions: show(['clipRange']),
	},
	numberField(MEDIA_NUMBERS.endOffsetMs, {
		displayOptions: show(['clipRange'], { endBy: ['offset'] }),
	}),
	numberField(MEDIA_NUMBERS.endTimeMs, {
		displayOptions: show(['clipRange'], { endBy: ['time'] }),
	}),
	numberField(MEDIA_NUMBERS.endFrameIndex, {
		displayOptions: show(['clipRange'], { endBy: ['index'] }),
	}),
	numberField(MEDIA_NUMBERS.maxFps, { displayOptions: show(CLIP_KINDS) }),
	{
		displayName: BINARY_FIELD,
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		description:
			'Name of the binary field of the input item that holds the image (PNG, JPEG, GIF or WebP)',
		displayOptions: show(['binaryImage']),
	},
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		placeholder: 'e.g. Front door camera:',
		description:
			'Optional text placed just before this media, so the prompt can refer to it (useful with several cameras)',
	},
];

export const mediaProperty: INodeProperties = {
	displayName: 'Media',
	name: 'media',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add Media',
	description:
		'Frames, clips or images to ask about, in order. Several streams can be mixed in one question.',
	options: [{ displayName: 'Media Item', name: 'items', values: mediaFields }],
};

function anchor(by: unknown, index: number, timeMs: number, offsetMs: number): ClipAnchor {
	if (by === 'index') return { kind: 'index', index };
	if (by === 'time') return { kind: 'time', timestampMs: timeMs };
	return { kind: 'offset', offsetMs };
}

function snap(entry: IDataObject): { toleranceMs?: number; direction?: Direction } {
	const tolerance = entry.toleranceMs;
	return {
		toleranceMs:
			tolerance === undefined || tolerance === 0 || tolerance === ''
				? undefined
				: (tolerance as number),
		direction: (entry.direction as Direction | undefined) ?? undefined,
	};
}

/** An entry's number, or its row's default when the entry does not set it (media-url checks it). */
const numberIn = (entry: IDataObject, row: NumberParam) =>
	(entry[row.key] ?? row.default) as number;

/** One media entry → a typed reference (validated later by media-url). */
export function toMediaRef(entry: IDataObject): MediaRef {
	const N = MEDIA_NUMBERS;
	const kind = (entry.kind as string | undefined) ?? 'latestFrame';
	const streamId = entry.streamId as string;
	const maxFps =
		entry.maxFps === undefined || entry.maxFps === '' ? undefined : (entry.maxFps as number);
	let frame: FrameRef | undefined;
	let clip: ClipRef | undefined;
	switch (kind) {
		case 'latestFrame':
			frame = { kind: 'latest' };
			break;
		case 'frameIndex':
			frame = { kind: 'index', index: numberIn(entry, N.frameIndex) };
			break;
		case 'frameTime':
			frame = { kind: 'time', timestampMs: numberIn(entry, N.timeMs), ...snap(entry) };
			break;
		case 'frameOffset':
			frame = { kind: 'offset', offsetMs: numberIn(entry, N.offsetMs), ...snap(entry) };
			break;
		case 'lastSeconds':
			clip = { kind: 'lastSeconds', seconds: numberIn(entry, N.seconds), maxFps };
			break;
		case 'clipRange': {
			const start = anchor(
				entry.startBy ?? 'offset',
				numberIn(entry, N.startFrameIndex),
				numberIn(entry, N.startTimeMs),
				numberIn(entry, N.startOffsetMs),
			);
			const endBy = entry.endBy ?? 'now';
			const end =
				endBy === 'now'
					? undefined
					: anchor(
							endBy,
							numberIn(entry, N.endFrameIndex),
							numberIn(entry, N.endTimeMs),
							numberIn(entry, N.endOffsetMs),
						);
			clip = { kind: 'range', start, end, maxFps };
			break;
		}
		default:
			throw new InputError('Media', `Unknown media kind "${kind}".`);
	}
	return frame ? { type: 'frame', streamId, frame } : { type: 'clip', streamId, clip: clip! };
}

export interface MediaContent {
	parts: ContentPart[];
	/** Streams asked about, in first-mention order. */
	streamIds: string[];
}

function isPart(value: unknown): value is ContentPart {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as ContentPart).type === 'string' &&
		!(value instanceof Error)
	);
}

function streamIdOf(part: ContentPart): string | undefined {
	const url =
		part.type === 'image_url'
			? part.image_url.url
			: part.type === 'video_url'
				? part.video_url.url
				: '';
	return /^ovs:\/\/streams\/([^?]+)/.exec(url)?.[1];
}

async function readOne(
	ctx: IExecuteFunctions,
	itemIndex: number,
	entry: IDataObject,
): Promise<ContentPart> {
	if (entry.kind !== 'binaryImage') return mediaPart(toMediaRef(entry));
	const url = await binaryImageDataUrl(ctx, itemIndex, (entry.binaryProperty as string) ?? 'data');
	return { type: 'image_url', image_url: { url } };
}

/** Reads every media entry of the item, validating each before any request is sent. */
export async function readMedia(ctx: IExecuteFunctions, itemIndex: number): Promise<MediaContent> {
	const entries = (ctx.getNodeParameter('media.items', itemIndex, []) as IDataObject[]) ?? [];
	const parts: ContentPart[] = [];
	const streamIds: string[] = [];
	for (const [n, entry] of entries.entries()) {
		const label = text(entry.label, 'Label').trim();
		const part = await readOne(ctx, itemIndex, entry).catch((error: unknown) => error);
		if (!isPart(part)) {
			// With several entries, say which one is wrong.
			if (part instanceof InputError && entries.length > 1) {
				throw new InputError(part.field, `Media item ${n + 1}: ${part.message}`);
			}
			throw part;
		}
		const id = streamIdOf(part);
		if (id && !streamIds.includes(id)) streamIds.push(id);
		if (label) parts.push({ type: 'text', text: label });
		parts.push(part);
	}
	return { parts, streamIds };
}
