// Settings most users never touch, in one "Options" collection so the node stays short.

import type { INodeProperties } from 'n8n-workflow';

/** Fields that shape the published video; meaningless when Overshoot pulls the camera itself. */
const notPulled = { hide: { '/source': ['pulledCamera'] } };
/** "Skip Questions While Nothing Changes" belongs to the clock; "When the Picture Changes" does it by itself. */
const onTheClock = { show: { '/askWhen': ['interval'] } };

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

/** The trigger's Options collection. */
export const triggerOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Ask At Least Every (Seconds)',
			name: 'askAtLeastEverySeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'With "Skip Questions While Nothing Changes": ask anyway after this long, so slow changes are not missed',
			displayOptions: onTheClock,
		},
		{
			displayName: 'Attach Snapshot',
			name: 'snapshot',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the frame the model looked at as a JPEG in the binary property "snapshot"',
		},
		{
			displayName: 'Camera Frozen After (Seconds)',
			name: 'frozenAfterSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 10,
			description: 'When no new picture arrived for this long, questions pause (nothing is paid) and the camera is reconnected',
			displayOptions: notPulled,
		},
		cameraReaderOption,
		{
			displayName: 'Change Sensitivity',
			name: 'changeSensitivity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 50,
			description:
				'With "When the Picture Changes" or "Skip Questions While Nothing Changes": 100 reacts to any visible change, 50 to a person entering, 0 only to lights on/off',
		},
		{
			displayName: 'Give Up After Camera Down (Minutes)',
			name: 'giveUpAfterMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 1440, numberPrecision: 1 },
			default: 5,
			description:
				'Reconnecting is automatic. If the camera (or the connection to Overshoot) stays down longer than this, the trigger reports an error: n8n then runs the Error Workflow and retries activation later.',
		},
		maxTokensOption,
		{
			displayName: 'One Run at a Time',
			name: 'oneRunAtATime',
			type: 'boolean',
			default: true,
			description:
				'Whether to skip matches while the previous run of this workflow is still going. Keeps slow workflows (e.g. sending a message) from piling up runs.',
		},
		{
			displayName: 'Settle Delay (Milliseconds)',
			name: 'settleMs',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10000 },
			default: 100, // WATCHER_DEFAULTS.askWhen.settleMs (test/unit/trigger-node.test.ts keeps them equal)
			description:
				'With "When the Picture Changes": how long after the changed picture arrived the question is sent, so Overshoot already has that picture. Raise it if alerts describe the scene just before the change.',
			displayOptions: { show: { '/askWhen': ['change'] } },
		},
		{
			displayName: 'Skip Questions While Nothing Changes',
			name: 'changeGating',
			type: 'boolean',
			default: false,
			description: 'Whether to ask only when the picture changed since the last question. Saves cost on quiet cameras.',
			displayOptions: onTheClock,
		},
		snapshotQualityOption,

		systemPromptOption,
		...publishOptions,
	],
};
