// SourceParams (what the user set) → the sources module's options, plus the checks that must
// fail activation at once (a path n8n may not read, a missing file) rather than minutes later.

import { stat } from 'node:fs/promises';
import path from 'node:path';

import { InputError } from '../api/errors';
import type { SourceOptions } from '../watch/sources';
import { assertFileAllowed, type FileAccessHelpers } from './file-access';
import type { SourceParams, VideoParams } from './parameters';

export const VIDEO_PATH_FIELD = 'Video File Path';
export const IMAGE_PATH_FIELD = 'Images Folder or Pattern';

const GLOB_CHARS = /[*?[\]{}]/;

/** ffmpeg's yuv420p output needs even sizes; say so in the node's words. */
function even(value: number, field: string): number {
	if (!Number.isInteger(value) || value % 2 !== 0)
		throw new InputError(field, `${field} must be an even whole number of pixels (got ${value}).`);
	return value;
}

export function toSourceOptions(
	source: SourceParams,
	video: VideoParams,
): SourceOptions | undefined {
	const timings = {
		stallTimeoutMs: video.stallSeconds * 1000,
		maxDownMs: video.maxDownSeconds * 1000,
	};
	switch (source.kind) {
		case 'rtsp':
			return {
				kind: 'rtsp',
				url: source.url,
				username: source.login.username || undefined,
				password: source.login.password || undefined,
				reader: source.reader,
				width: even(video.width, 'Video Width'),
				height: even(video.height, 'Video Height'),
				fps: video.fps,
				...timings,
			};
		case 'videoFile':
			return {
				kind: 'videoFile',
				path: source.path,
				loop: source.loop,
				width: even(video.width, 'Video Width'),
				height: even(video.height, 'Video Height'),
				fps: video.fps,
				...timings,
			};
		case 'imageFiles': {
			const selection = GLOB_CHARS.test(source.pattern)
				? { glob: source.pattern }
				: { directory: source.pattern };
			return {
				kind: 'imageFiles',
				...selection,
				fps: source.imagesPerSecond,
				loop: source.loop,
				width: video.width,
				height: video.height,
			};
		}
		case 'pulledCamera':
			return undefined; // Overshoot pulls the camera itself: nothing runs here
	}
}

/** The folder a glob starts from: everything before the first segment with a wildcard. */
export function globBase(pattern: string): string {
	const parts = pattern.split('/');
	const first = parts.findIndex((p) => GLOB_CHARS.test(p));
	return parts.slice(0, first < 0 ? parts.length : first).join('/') || '/';
}

/**
 * Checks that must fail activation (or the Check operation) before anything starts. The sources
 * check each file again when they open it (files can change), through `pathGuard` below.
 */
export async function checkSourceFiles(
	source: SourceParams,
	helpers: FileAccessHelpers = {},
): Promise<void> {
	if (source.kind === 'videoFile') {
		const resolved = await assertFileAllowed(source.path, VIDEO_PATH_FIELD, helpers);
		const info = await stat(resolved).catch(() => undefined);
		if (!info)
			throw new InputError(
				VIDEO_PATH_FIELD,
				`${VIDEO_PATH_FIELD}: there is no file "${source.path}" on the n8n host.`,
			);
		if (!info.isFile())
			throw new InputError(
				VIDEO_PATH_FIELD,
				`${VIDEO_PATH_FIELD}: "${source.path}" is a folder, not a video file.`,
			);
	}
	if (source.kind === 'imageFiles') {
		const isGlob = GLOB_CHARS.test(source.pattern);
		const folder = isGlob ? globBase(source.pattern) : source.pattern;
		if (!path.isAbsolute(folder))
			throw new InputError(
				IMAGE_PATH_FIELD,
				`${IMAGE_PATH_FIELD} must be a full path starting with "/" (got "${source.pattern}").`,
			);
		const resolved = await assertFileAllowed(folder, IMAGE_PATH_FIELD, helpers);
		const info = await stat(resolved).catch(() => undefined);
		if (!info)
			throw new InputError(
				IMAGE_PATH_FIELD,
				`${IMAGE_PATH_FIELD}: there is no folder "${folder}" on the n8n host.`,
			);
		if (!info.isDirectory())
			throw new InputError(
				IMAGE_PATH_FIELD,
				`${IMAGE_PATH_FIELD}: "${folder}" is not a folder. Give a folder, or a pattern such as ${folder}/*.jpg.`,
			);
	}
}

/** The check the sources apply to every file they open (video, image folder, each image). */
export function pathGuard(
	source: SourceParams,
	helpers: FileAccessHelpers = {},
): (p: string) => Promise<void> {
	const field = source.kind === 'imageFiles' ? IMAGE_PATH_FIELD : VIDEO_PATH_FIELD;
	return async (p) => {
		await assertFileAllowed(p, field, helpers);
	};
}
