// The one entry point the watcher uses: options in, a FrameSource out.

import type { FrameSource } from '../frame';
import type { WatchLogger } from '../logger';
import { ImageFilesSource, type ImageFilesSettings } from './image-files-source';
import type { ImageSelection } from './image-list';
import { allowAllPaths, type AssertPathAllowed } from './options';
import { RtspSource, type RtspSourceOptions } from './rtsp-source';
import { VideoFileSource, type VideoFileSourceOptions } from './video-file-source';

export type SourceOptions =
	| ({ kind: 'rtsp' } & RtspSourceOptions)
	| ({ kind: 'videoFile' } & Omit<VideoFileSourceOptions, 'assertPathAllowed'>)
	| ({ kind: 'imageFiles' } & ImageSelection & Omit<ImageFilesSettings, 'assertPathAllowed'>);

/**
 * @param assertPathAllowed throws (or rejects) for a path the host does not allow; the n8n
 *   adapter passes n8n's file-access restriction. Applied to the video file, the image
 *   directory or glob base, and every image. Default: everything is allowed.
 * @param logger where a camera says which reader it chose and why (unless `options` has its own).
 */
export function createSource(
	options: SourceOptions,
	assertPathAllowed: AssertPathAllowed = allowAllPaths,
	logger?: WatchLogger,
): FrameSource {
	switch (options.kind) {
		case 'rtsp':
			return new RtspSource({ logger, ...options });
		case 'videoFile':
			return new VideoFileSource({ ...options, assertPathAllowed });
		case 'imageFiles':
			return new ImageFilesSource({ ...options, assertPathAllowed });
		default:
			throw new Error(`unknown source kind: ${(options as { kind: unknown }).kind}`);
	}
}

export { RtspSource, type RtspSourceOptions } from './rtsp-source';
export { RTSP_READERS, type RtspReader, type RtspReaderPreference } from './rtsp-reader';
export { VideoFileSource, type VideoFileSourceOptions } from './video-file-source';
export {
	ImageFilesSource,
	type ImageFilesSourceOptions,
	type ImageFilesSettings,
} from './image-files-source';
export type { ImageSelection } from './image-list';
export { SourceError } from './source-error';
export type { AssertPathAllowed } from './options';
export type { BackoffOptions } from '../../api/backoff';
export {
	DEFAULT_MAX_DOWN_MS,
	DEFAULT_START_TIMEOUT_MS,
	DEFAULT_STALL_TIMEOUT_MS,
	type SupervisorTimings,
} from './supervisor';
