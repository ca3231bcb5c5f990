// n8n parameters → the engine's typed options, for what the trigger and Check → Run Once share:
// the source, the published video and the question. Pure (no n8n context): the node hands in a
// reader, tests hand in a plain object. Field names in errors are the display names the user sees.

import { InputError } from '../api/errors';
import type { ModelChoice } from '../api/models';
import type { CameraSource } from '../api/types';
import { jsonSchemaObject } from '../api/json';
import { cameraUrl, text } from '../api/validate';
import type { MediaSpec, OutputFormat } from '../watch/options';
import {
	checkNumber,
	QUESTION_NUMBERS,
	readNumber,
	SOURCE_NUMBERS,
	VIDEO_NUMBERS,
} from './numbers';
import { asRtspReader, type RtspReaderPreference } from '../watch/sources/rtsp-reader';
import type { SourceKind } from './fields/source';
import type { ParamReader } from './param-reader';

export interface CameraLogin {
	username?: string;
	password?: string;
}

/** Where frames come from, before the sources module turns it into a FrameSource. */
export type SourceParams =
	| { kind: 'rtsp'; url: string; login: CameraLogin; reader: RtspReaderPreference }
	| { kind: 'videoFile'; path: string; loop: boolean }
	| { kind: 'imageFiles'; pattern: string; imagesPerSecond: number; loop: boolean }
	| { kind: 'pulledCamera' };

export interface VideoParams {
	width: number;
	height: number;
	fps: number;
	/** No frame for this long → the source is restarted (and questions pause meanwhile). */
	stallSeconds: number;
	/** Down for longer than this → fatal. */
	maxDownSeconds: number;
}

/** A text parameter; `field` (the display name) is what an error names. */
export function str(read: ParamReader, name: string, field = name): string {
	return text(read(name, ''), field);
}

export function bool(read: ParamReader, name: string, fallback: boolean): boolean {
	const v = read(name, fallback);
	return typeof v === 'boolean' ? v : fallback;
}

/** Reads the "options" collection as its own reader, so every field is read the same way. */
export function optionsReader(read: ParamReader): ParamReader {
	const options = (read('options', {}) ?? {}) as Record<string, unknown>;
	return (name, fallback) => (options[name] === undefined ? fallback : options[name]);
}

/** Puts the camera credential into a URL's userinfo (for cameras Overshoot pulls itself). */
export function withLogin(url: string, login: CameraLogin): string {
	if (!login.username && !login.password) return url;
	const u = new URL(url);
	u.username = encodeURIComponent(login.username ?? '');
	u.password = encodeURIComponent(login.password ?? '');
	return u.toString();
}

function readCameraReader(opts: ParamReader): RtspReaderPreference {
	const value = opts('cameraReader', 'auto');
	const reader = asRtspReader(value);
	if (reader) return reader;
	throw new InputError(
		'Camera Reader',
		`Camera Reader must be Automatic, GStreamer or ffmpeg (got ${JSON.stringify(value)}).`,
	);
}

function readSource(read: ParamReader, login: CameraLogin): SourceParams {
	const kind = str(read, 'source') as SourceKind;
	switch (kind) {
		case 'rtsp': {
			const { url } = cameraUrl(read('cameraUrl', ''), 'Camera URL', ['rtsp']);
			return { kind, url, login, reader: readCameraReader(optionsReader(read)) };
		}
		case 'videoFile': {
			const path = str(read, 'videoPath', 'Video File Path').trim();
			if (!path)
				throw new InputError(
					'Video File Path',
					'Video File Path is empty: enter the full path of a video file on the n8n host.',
				);
			return { kind, path, loop: bool(read, 'loop', true) };
		}
		case 'imageFiles': {
			const pattern = str(read, 'imagePath', 'Images Folder or Pattern').trim();
			if (!pattern)
				throw new InputError(
					'Images Folder or Pattern',
					'Images Folder or Pattern is empty: enter a folder or a pattern such as /data/frames/*.jpg.',
				);
			return {
				kind,
				pattern,
				loop: bool(read, 'loop', true),
				imagesPerSecond: readNumber(read, SOURCE_NUMBERS.imagesPerSecond),
			};
		}
		case 'pulledCamera':
			return { kind };
		default:
			throw new InputError('Source', `Unknown Source ${JSON.stringify(kind)}.`);
	}
}

export function readPulledCamera(read: ParamReader, login: CameraLogin): CameraSource {
	const { type, url } = cameraUrl(read('pulledCameraUrl', ''), 'Camera URL', ['rtsp', 'hls']);
	return { type, url: withLogin(url, login) };
}

/** `clipSeconds` given: the clip length is fixed by the caller (Check: the recorded length). */
function readMedia(read: ParamReader, clipSeconds?: number): MediaSpec {
	if (str(read, 'lookAt') !== 'lastSeconds') return { kind: 'latestFrame' };
	const seconds = clipSeconds ?? readNumber(read, QUESTION_NUMBERS.clipSeconds);
	return { kind: 'lastSeconds', seconds, maxFps: readNumber(read, QUESTION_NUMBERS.clipMaxFps) };
}

function readOutput(read: ParamReader): OutputFormat {
	const format = str(read, 'responseFormat') || 'text';
	if (format === 'jsonObject') return { kind: 'jsonObject' };
	if (format === 'jsonSchema') {
		return { kind: 'jsonSchema', schema: jsonSchemaObject(read('jsonSchema', ''), 'JSON Schema') };
	}
	return { kind: 'text' };
}

/** The question part, shared with the Check operation. */
export function readQuestion(read: ParamReader, model: string | ModelChoice, clipSeconds?: number) {
	const opts = optionsReader(read);
	const systemPrompt = str(opts, 'systemPrompt', 'System Prompt');
	// Not set: none is sent (the model's own limit applies).
	const maxTokens = opts(QUESTION_NUMBERS.maxTokens.key, undefined);
	return {
		model,
		prompt: str(read, 'prompt', 'Prompt'),
		systemPrompt: systemPrompt.trim() ? systemPrompt : undefined,
		media: readMedia(read, clipSeconds),
		output: readOutput(read),
		maxTokens:
			maxTokens === undefined || maxTokens === ''
				? undefined
				: checkNumber(maxTokens, QUESTION_NUMBERS.maxTokens),
	};
}

export function readVideo(read: ParamReader): VideoParams {
	const opts = optionsReader(read);
	return {
		width: readNumber(opts, VIDEO_NUMBERS.publishWidth),
		height: readNumber(opts, VIDEO_NUMBERS.publishHeight),
		fps: readNumber(opts, VIDEO_NUMBERS.publishFps),
		stallSeconds: readNumber(opts, VIDEO_NUMBERS.frozenAfterSeconds),
		maxDownSeconds: readNumber(opts, VIDEO_NUMBERS.giveUpAfterMinutes) * 60,
	};
}

export function readSourceParams(read: ParamReader, login: CameraLogin = {}): SourceParams {
	return readSource(read, login);
}
