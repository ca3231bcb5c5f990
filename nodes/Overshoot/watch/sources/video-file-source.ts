// A video file played in real time (ffmpeg -re), optionally looping. A non-looping file that
// reaches its end reports `ended`; a broken or missing file is fatal (retrying cannot fix it).

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { frameByteLength, type FrameSink, type FrameSource } from '../frame';
import { classifyExit } from './classify';
import { FfmpegProcess, rawOutputArgs } from './ffmpeg-process';
import { allowAllPaths, checkOutputSize, type AssertPathAllowed } from './options';
import { Supervisor, type AttemptHandlers, type SupervisorTimings } from './supervisor';

export interface VideoFileSourceOptions extends SupervisorTimings {
	path: string;
	loop: boolean;
	width: number;
	height: number;
	fps: number;
	ffmpegPath?: string;
	assertPathAllowed?: AssertPathAllowed;
}

export class VideoFileSource implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	readonly subject: string;
	private readonly file: string;
	private readonly supervisor: Supervisor;

	constructor(private readonly opts: VideoFileSourceOptions) {
		checkOutputSize(opts.width, opts.height, opts.fps, true);
		if (!opts.path) throw new Error('No video file path was given');
		this.width = opts.width;
		this.height = opts.height;
		this.fps = opts.fps;
		this.file = path.resolve(opts.path);
		this.subject = `Video file "${this.file}"`;
		this.supervisor = new Supervisor({
			stallTimeoutMs: opts.stallTimeoutMs,
			startTimeoutMs: opts.startTimeoutMs,
			maxDownMs: opts.maxDownMs,
			backoff: opts.backoff,
			resetBackoffAfterMs: opts.resetBackoffAfterMs,
			width: opts.width,
			height: opts.height,
			fps: opts.fps,
			launch: (handlers) => this.launch(handlers),
			prepare: () => this.prepare(),
			format: 'I420',
			describe: `${this.file}${opts.loop ? ' (looping)' : ''} → ${opts.width}×${opts.height} @ ${opts.fps} fps`,
			subject: this.subject,
		});
	}

	ffmpegArgs(): string[] {
		return [
			'-re',
			...(this.opts.loop ? ['-stream_loop', '-1'] : []),
			// "file:" keeps ffmpeg from reading the path as an option ("-x") or another protocol
			// ("http:", "concat:"), which would bypass the file-access check.
			'-i',
			`file:${this.file}`,
			...rawOutputArgs(this.width, this.height, this.fps),
		];
	}

	start(sink: FrameSink): void {
		this.supervisor.start(sink);
	}

	stop(): Promise<void> {
		return this.supervisor.stop();
	}

	private async prepare(): Promise<void> {
		await (this.opts.assertPathAllowed ?? allowAllPaths)(this.file);
		const info = await stat(this.file).catch(() => undefined);
		if (!info) throw new Error('file not found');
		if (!info.isFile()) throw new Error('not a file (a directory?)');
	}

	private launch(handlers: AttemptHandlers): FfmpegProcess {
		const ffmpegPath = this.opts.ffmpegPath || 'ffmpeg';
		return new FfmpegProcess({
			ffmpegPath,
			args: this.ffmpegArgs(),
			frameBytes: frameByteLength('I420', this.width, this.height),
			onFrame: handlers.frame,
			onExit: (exit) => {
				if (exit.code === 0 && !exit.stoppedByUs && !this.opts.loop)
					return handlers.end({ kind: 'ended' });
				const verdict = classifyExit(exit, 'file', ffmpegPath);
				handlers.end({ kind: 'failed', ...verdict, detail: exit.stderr[exit.stderr.length - 1] });
			},
		});
	}
}
