// Where the pictures come from. Shared by the trigger and the action node's Check operation, so
// both speak about cameras and files in the same words. Parameter names are saved in users'
// workflows: never rename them.

import type { INodeProperties } from 'n8n-workflow';

import { numberField, SOURCE_NUMBERS } from '../numbers';

export type SourceKind = 'rtsp' | 'videoFile' | 'imageFiles' | 'pulledCamera';

export const sourceFields: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		default: 'rtsp',
		options: [
			{
				name: 'Camera Pulled by Overshoot',
				value: 'pulledCamera',
				description:
					'Overshoot connects to an internet-reachable RTSP camera or HLS playlist itself. Nothing runs on this n8n host; private addresses (192.168.x, 10.x, localhost) are refused.',
			},
			{
				name: 'Image Files',
				value: 'imageFiles',
				description: 'A folder (or pattern) of JPEG/PNG images, played as a slideshow',
			},
			{
				name: 'RTSP Camera',
				value: 'rtsp',
				description:
					'An IP camera or NVR on a network this n8n host can reach. n8n reads it (with GStreamer or ffmpeg) and sends it to Overshoot.',
			},
			{
				name: 'Video File',
				value: 'videoFile',
				description:
					'A video file on this n8n host, played in real time (for testing a prompt, or recorded footage)',
			},
		],
	},
	{
		displayName: 'Camera URL',
		name: 'cameraUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'rtsp://192.168.1.20:554/stream1',
		description:
			'The RTSP address of the camera, without user name or password. Put the login into the Camera credential above so it stays out of the workflow.',
		hint: 'Most cameras offer a smaller "sub stream" (e.g. /stream2): it is plenty for a 640×360 picture and saves CPU',
		displayOptions: { show: { source: ['rtsp'] } },
	},
	{
		displayName: 'Camera URL',
		name: 'pulledCameraUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'rtsp://camera.example.com:554/live or https://example.com/live.m3u8',
		description:
			'An rtsp:// or rtsps:// camera, or an http(s):// HLS playlist (.m3u8), reachable from the internet. The login, if any, goes into the Camera credential.',
		displayOptions: { show: { source: ['pulledCamera'] } },
	},
	{
		displayName: 'Video File Path',
		name: 'videoPath',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/home/node/.n8n-files/driveway.mp4',
		description:
			'Full path of a video file on the n8n host (any format ffmpeg reads: mp4, mkv, mov, …). It must be inside a folder n8n may read (N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files).',
		displayOptions: { show: { source: ['videoFile'] } },
	},
	{
		displayName: 'Images Folder or Pattern',
		name: 'imagePath',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/home/node/.n8n-files/frames or /home/node/.n8n-files/frames/*.jpg',
		description:
			'A folder (all .jpg/.jpeg/.png files in it, in name order) or a pattern such as /data/frames/*.jpg. It must be inside a folder n8n may read (N8N_RESTRICT_FILE_ACCESS_TO).',
		displayOptions: { show: { source: ['imageFiles'] } },
	},
	numberField(SOURCE_NUMBERS.imagesPerSecond, {
		displayOptions: { show: { source: ['imageFiles'] } },
	}),
	{
		displayName: 'Loop',
		name: 'loop',
		type: 'boolean',
		default: true,
		description:
			'Whether to start again from the beginning at the end. Without looping, watching stops when the file (or the last image) has been played.',
		displayOptions: { show: { source: ['videoFile', 'imageFiles'] } },
	},
];
