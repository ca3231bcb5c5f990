// Settings most users never touch, kept in each node's "Options" collection so the node stays
// short. These are the ones the trigger and Check → Run Once both offer.

import type { INodeProperties } from 'n8n-workflow';

/** Fields that shape the published video; meaningless when Overshoot pulls the camera itself. */
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

export const maxTokensOption: INodeProperties = {
	displayName: 'Max Tokens',
	name: 'maxTokens',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 32768 },
	default: 200,
	description: 'Upper limit for the length of the answer. Short answers are faster and cheaper.',
};

export const snapshotQualityOption: INodeProperties = {
	displayName: 'Snapshot Quality',
	name: 'snapshotQuality',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: 80,
	description: 'JPEG quality of the snapshot (1–100)',
};

export const publishOptions: INodeProperties[] = [
	{
		displayName: 'Video Width',
		name: 'publishWidth',
		type: 'number',
		typeOptions: { minValue: 64, maxValue: 3840 },
		default: 640,
		description: 'Width in pixels of the video sent to Overshoot. 640×360 is plenty for most questions and keeps CPU low.',
		displayOptions: notPulled,
	},
	{
		displayName: 'Video Height',
		name: 'publishHeight',
		type: 'number',
		typeOptions: { minValue: 64, maxValue: 2160 },
		default: 360,
		description: 'Height in pixels of the video sent to Overshoot',
		displayOptions: notPulled,
	},
	{
		displayName: 'Video FPS',
		name: 'publishFps',
		type: 'number',
		typeOptions: { minValue: 0.5, maxValue: 30, numberPrecision: 1 },
		default: 5,
		description: 'Frames per second sent to Overshoot. 5 catches a person walking by; raise it only for fast motion.',
		displayOptions: notPulled,
	},
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
			description: 'Lowest delay (about 0.1 s less than ffmpeg). Needs the GStreamer packages on the n8n host.',
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
