// ffmpeg as a frame-producing child: its fixed leading arguments and the raw-output arguments
// every source ends with. Spawning, cutting frames and stopping are MediaProcess's job.

import { MediaProcess, type MediaExit, type MediaProcessOptions } from './media-process';

export type FfmpegExit = MediaExit;

export interface FfmpegProcessOptions extends Omit<
	MediaProcessOptions,
	'command' | 'frameFd' | 'env'
> {
	ffmpegPath: string;
}

/**
 * The arguments every raw-frame ffmpeg run ends with: scale/letterbox to W×H, I420 on stdout.
 * `fps` set: ffmpeg's fps filter paces the output (files: latency does not matter there).
 * `fps` undefined: every decoded frame passes through and a FramePacer picks them (live cameras:
 * the fps filter holds each frame back until it sees the next slot's, ~200 ms at 5 of 15 fps).
 */
export function rawOutputArgs(width: number, height: number, fps?: number): string[] {
	const fit = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`;
	const rate = fps === undefined ? ['-fps_mode', 'passthrough'] : [];
	const vf = fps === undefined ? fit : `fps=${fps},${fit}`;
	// flush_packets: write each frame to the pipe as soon as it is encoded instead of holding its
	// tail in the 32 KiB I/O buffer until the next frame (one frame of latency saved).
	return [
		'-an',
		'-vf',
		vf,
		...rate,
		'-pix_fmt',
		'yuv420p',
		'-flush_packets',
		'1',
		'-f',
		'rawvideo',
		'pipe:1',
	];
}

export class FfmpegProcess extends MediaProcess {
	constructor(opts: FfmpegProcessOptions) {
		const { ffmpegPath, args, ...rest } = opts;
		super({
			...rest,
			command: ffmpegPath,
			args: ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args],
			frameFd: 1,
		});
	}
}
