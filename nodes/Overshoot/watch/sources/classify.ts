// Turns how ffmpeg ended into a reason a person can act on, and into "worth retrying or not".
// The patterns are ffmpeg 5's messages (libavformat rtsp/tcp/file, measured on Debian 12).

import type { MediaExit } from './media-process';

export type SourceKind = 'rtsp' | 'file';

export interface Classified {
	/** Human reason naming the cause; never contains credentials. */
	reason: string;
	/** False when repeating the same command cannot succeed (missing ffmpeg, bad password, wrong path). */
	retryable: boolean;
}

interface Rule {
	test: RegExp;
	rtsp?: Classified;
	file?: Classified;
}

const RULES: Rule[] = [
	{
		test: /401 Unauthorized|authorization failed/i,
		rtsp: {
			reason: 'the camera rejected the username/password (401 Unauthorized)',
			retryable: false,
		},
	},
	{
		test: /403 Forbidden/i,
		rtsp: { reason: 'the camera refused access for this user (403 Forbidden)', retryable: false },
	},
	{
		test: /404 Not Found|Stream not found/i,
		rtsp: {
			reason: 'path not found: the camera has no stream at this URL path (404 Not Found)',
			retryable: false,
		},
	},
	{
		test: /Unrecognized option|Option not found/i,
		rtsp: {
			reason:
				'this ffmpeg does not support an option the trigger needs (ffmpeg 5 or newer is required)',
			retryable: false,
		},
		file: {
			reason:
				'this ffmpeg does not support an option the trigger needs (ffmpeg 5 or newer is required)',
			retryable: false,
		},
	},
	{
		test: /Connection refused/i,
		rtsp: {
			reason:
				'connection refused: nothing is listening at that address and port (camera offline or wrong port)',
			retryable: true,
		},
	},
	{
		test: /timed out/i,
		rtsp: { reason: 'connection timed out: the camera stopped answering', retryable: true },
	},
	{
		test: /No route to host|Network is unreachable/i,
		rtsp: {
			reason: 'the camera is unreachable on the network (no route to host)',
			retryable: true,
		},
	},
	{
		test: /Name or service not known|name resolution|nodename nor servname|Name does not resolve/i,
		rtsp: { reason: "the camera's host name could not be resolved (DNS)", retryable: true },
	},
	{
		test: /Connection reset by peer|Broken pipe|End of file/i,
		rtsp: { reason: 'the camera closed the connection unexpectedly', retryable: true },
	},
	{
		test: /No such file or directory/i,
		rtsp: {
			reason: 'the camera URL could not be opened (no such file or directory): check the URL',
			retryable: false,
		},
		file: { reason: 'file not found', retryable: false },
	},
	{
		test: /Permission denied/i,
		file: { reason: 'permission denied reading the file', retryable: false },
	},
	{
		test: /Server returned 5\d\d/i,
		rtsp: { reason: 'the camera reported an internal error (5xx)', retryable: true },
	},
	{
		test: /Invalid data found when processing input/i,
		rtsp: {
			reason:
				'invalid data: the camera sent something ffmpeg cannot read as video (is this an RTSP video stream?)',
			retryable: true,
		},
		file: { reason: 'invalid data: the file is not a video ffmpeg can read', retryable: false },
	},
	{
		test: /does not contain any stream|matches no streams|no video stream/i,
		rtsp: { reason: 'the camera stream has no video track', retryable: true },
		file: { reason: 'the file has no video stream', retryable: false },
	},
];

export function ffmpegMissingMessage(ffmpegPath: string): string {
	return (
		`ffmpeg was not found (looked for "${ffmpegPath}"). The Overshoot Trigger decodes cameras and video files with ffmpeg: ` +
		'install it (Debian/Ubuntu: apt-get install ffmpeg) or set the ffmpeg path option to the ffmpeg binary.'
	);
}

/** The first rule whose pattern appears in `text` (also used for GStreamer's network messages). */
export function classifyText(text: string, kind: SourceKind): Classified | undefined {
	for (const rule of RULES) {
		const verdict = rule[kind];
		if (verdict && rule.test.test(text)) return verdict;
	}
	return undefined;
}

export function classifyExit(exit: MediaExit, kind: SourceKind, ffmpegPath: string): Classified {
	const spawnError = exit.spawnError;
	if (spawnError) {
		if (spawnError.code === 'ENOENT')
			return { reason: ffmpegMissingMessage(ffmpegPath), retryable: false };
		if (spawnError.code === 'EACCES')
			return {
				reason: `ffmpeg at "${ffmpegPath}" is not executable (permission denied)`,
				retryable: false,
			};
		return { reason: `ffmpeg could not be started: ${spawnError.message}`, retryable: false };
	}
	const known = classifyText(exit.stderr.join('\n'), kind);
	if (known) return known;
	// Measured: when the server drops the connection ffmpeg sees EOF and exits 0.
	if (exit.code === 0) {
		return kind === 'rtsp'
			? { reason: 'the camera ended the stream', retryable: true }
			: { reason: 'the video ended', retryable: true };
	}
	const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
	const last = exit.stderr[exit.stderr.length - 1];
	return { reason: `ffmpeg ${how}${last ? `: ${last}` : ''}`, retryable: kind === 'rtsp' };
}
