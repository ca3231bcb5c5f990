// Settings most users never touch, kept in each node's "Options" collection so the node stays
// short. These are the ones the trigger and Check → Run Once both offer.

import type { INodeProperties } from 'n8n-workflow';

import { numberField, QUESTION_NUMBERS, VIDEO_NUMBERS } from '../numbers';

/** Fields that shape the published video; meaningless when Overshoot pulls the camera itself. */
/** A node's "Options" collection (the same header in every node and operation). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

export const notPulled = { hide: { '/source': ['pulledCamera'] } };

export const systemPromptOption: INodeProperties = {
	displayName: 'System Prompt',
	name: 'systemPrompt',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder: 'You watch a security camera. Answer in one short sentence.',
	description: 'Standing instructions sent before the prompt (tone, answer format, what to ignore)',
};

export const maxTokensOption: INodeProperties = numberField(QUESTION_NUMBERS.maxTokens);

export const snapshotQualityOption: INodeProperties = numberField(QUESTION_NUMBERS.snapshotQuality);

export const publishOptions: INodeProperties[] = [
	numberField(VIDEO_NUMBERS.publishWidth, { displayOptions: notPulled }),
	numberField(VIDEO_NUMBERS.publishHeight, { displayOptions: notPulled }),
	numberField(VIDEO_NUMBERS.publishFps, { displayOptions: notPulled }),
];

/** Which program reads an RTSP camera on this host (watch/sources/rtsp-reader.ts). */
export const cameraReaderOption: INodeProperties = {
	displayName: 'Camera Reader',
	name: 'cameraReader',
	type: 'options',
	default: 'auto',
	options: [
		{
			name: 'Automatic',
			value: 'auto',
			description: 'GStreamer when it is installed on the n8n host, otherwise ffmpeg',
		},
		{
			name: 'GStreamer',
			value: 'gstreamer',
			description:
				'Lowest delay (about 0.1 s less than ffmpeg). Needs the GStreamer packages on the n8n host.',
		},
		{
			name: 'FFmpeg',
			value: 'ffmpeg',
			description: 'Always use ffmpeg, e.g. if a camera works with ffmpeg but not with GStreamer',
		},
	],
	description:
		'The program on the n8n host that connects to the camera and unpacks its video. Both give the same picture; GStreamer passes each picture on about 0.1 s sooner. Install it with: apt-get install gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-base gstreamer1.0-libav.',
	displayOptions: { show: { '/source': ['rtsp'] } },
};
