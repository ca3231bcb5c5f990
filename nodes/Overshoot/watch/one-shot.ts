// "Every hour, check the parking lot": open a stream, publish N seconds of the camera, ask one
// question about that clip (or the last frame), return the answer with a snapshot, and always
// delete the stream — whatever fails, and when the caller aborts.

import { abortableSleep, type OvershootClient } from '../api/client';
import { InputError } from '../api/errors';
import { ModelSelection, type ModelChoice } from '../api/models';
import { MEDIA_LIMITS } from '../api/media-url';
import { positive } from '../api/validate';
import { buildChatRequest, mediaNeeds, readAnswer, type AskedAnswer } from './asker';
import { clipWithinSource } from './source-clip';
import type { FrameSource } from './frame';
import { FrameRing } from './frame-ring';
import { silentLogger, type WatchLogger } from './logger';
import {
	resolveWatcherOptions,
	type MediaSpec,
	type OutputFormat,
	type QuestionSpec,
} from './options';
import type { FramePublisher } from './publisher-types';
import { PublisherProcess } from './publisher-process';
import { encodeSnapshot, type Snapshot } from './snapshot';
import { StreamSession } from './stream-session';
import { engineStopPhases, runTeardown } from './teardown';
import type { SourceContext } from './watcher';

export interface CheckOptions {
	/** A model id, or a choice (Automatic: resolved before the stream is created). */
	model: string | ModelChoice;
	prompt: string;
	systemPrompt?: string;
	/** Default: the whole published clip (`lastSeconds` = publishSeconds, 1 fps). */
	media?: MediaSpec;
	output?: OutputFormat;
	maxTokens?: number;
	/** How long to publish before asking. */
	publishSeconds: number;
	cameraSource?: import('../api/types').CameraSource;
	snapshot?: { enabled?: boolean; quality?: number };
	connectTimeoutSeconds?: number;
	firstFrameTimeoutSeconds?: number;
	maxBitrateKbps?: number;
}

export interface CheckDeps {
	client: OvershootClient;
	createSource?: (context: SourceContext) => FrameSource;
	logger?: WatchLogger;
	signal?: AbortSignal;
}

/** The answer (as the asker reports it, without the raw frame), what was published, the snapshot. */
export interface CheckResult extends Omit<AskedAnswer, 'frame'> {
	framesPublished: number;
	/** True only when the delete was confirmed (or the stream had already ended). */
	streamDeleted: boolean;
	/** Why the stream may still exist (and be billed until its lease runs out). */
	streamDeleteError?: string;
	snapshot?: Snapshot;
}

/** The source produced no frame while recording: nothing was asked, nothing about it billed. */
export class SourceSilentError extends Error {
	constructor(subject: string, seconds: number, cause: string | undefined) {
		super(
			`${subject} delivered no frame in ${seconds} s${cause ? `: ${cause}` : ''}. Nothing was asked, so no question was billed.`,
		);
		this.name = 'SourceSilentError';
	}
}

export async function runCheck(options: CheckOptions, deps: CheckDeps): Promise<CheckResult> {
	// The recording is the clip ("Recorded Clip"), so it is held to a clip's length.
	const publishSeconds = positive(options.publishSeconds, 'Record For (Seconds)', {
		max: MEDIA_LIMITS.maxClipSeconds,
	});
	const media: MediaSpec = options.media ?? {
		kind: 'lastSeconds',
		seconds: publishSeconds,
		maxFps: 1,
	};
	// Same validation as the watcher (field names as the user sees them).
	const resolved = resolveWatcherOptions({
		model: options.model,
		prompt: options.prompt,
		systemPrompt: options.systemPrompt,
		media,
		output: options.output,
		maxTokens: options.maxTokens,
		condition: { kind: 'always' },
		cameraSource: options.cameraSource,
		snapshot: options.snapshot,
		publish: {
			connectTimeoutSeconds: options.connectTimeoutSeconds,
			maxBitrateKbps: options.maxBitrateKbps,
		},
		limits: { firstFrameTimeoutSeconds: options.firstFrameTimeoutSeconds },
	});
	if (!resolved.cameraSource && !deps.createSource)
		throw new InputError('Source', 'A camera source is required.');
	const logger = deps.logger ?? silentLogger;
	const signal = deps.signal;
	signal?.throwIfAborted();
	// Built before the (billed) stream exists, so a camera URL or file it refuses costs nothing.
	const source = resolved.cameraSource ? undefined : deps.createSource!({ logger });
	const ring = new FrameRing(2);
	let firstFrameAtMs: number | undefined;
	let lastTrouble: string | undefined;
	let fatal: Error | undefined;
	const onFatal = (error: Error) => (fatal ??= error);
	const models = new ModelSelection(deps.client, resolved.model, mediaNeeds(resolved.media));
	const session = new StreamSession(
		deps.client,
		{ cameraSource: resolved.cameraSource, onStreamLost: 'fail' },
		{ logger, onFatal },
	);
	let publisher: FramePublisher | undefined;
	const stopAll = () => void session.end(); // an abort mid-create still deletes the stream
	signal?.addEventListener('abort', stopAll, { once: true });
	let outcome: { result: Omit<CheckResult, 'streamDeleted'> } | { error: unknown };
	try {
		await models.current({ signal }); // no stream is paid for when no model can answer
		const created = await session.open();
		if (source) {
			if (!created.publish) throw new Error('The Overshoot stream has no publish target');
			publisher = new PublisherProcess(
				{
					width: source.width,
					height: source.height,
					fps: source.fps,
					maxBitrateKbps: resolved.publish.maxBitrateKbps,
					connectTimeoutMs: resolved.publish.connectTimeoutSeconds * 1000,
					giveUpAfterMs: publishSeconds * 1000,
				},
				{ freshTarget: () => session.latestPublish(), onFatal, logger },
			);
			await publisher.connect(created.publish);
			const pub = publisher;
			source.start({
				frame: (f) => {
					firstFrameAtMs ??= f.capturedAtMs;
					ring.push(f);
					pub.publish(f);
				},
				status: (s) => {
					if (s.kind === 'interrupted') lastTrouble = s.reason;
				},
				fatal: onFatal,
			});
		}
		await abortableSleep(publishSeconds * 1000, signal);
		// A source that was slow to start (an RTSP handshake takes a second or more) would leave the
		// recording short of Record For: top it up, so the clip holds that much of the source's own
		// frames (less than Record For again at most, as the first frame came before the deadline).
		const shortByMs =
			firstFrameAtMs === undefined ? 0 : firstFrameAtMs + publishSeconds * 1000 - Date.now();
		if (shortByMs > 0 && !fatal) await abortableSleep(shortByMs, signal);
		if (fatal) throw fatal;
		// The room is never empty (the video track sends black frames of its own): only frames the
		// source produced count.
		if (source && ring.totalReceived === 0)
			throw new SourceSilentError(source.subject ?? 'The source', publishSeconds, lastTrouble);
		await deps.client.waitForFirstFrame(created.id, {
			signal,
			timeoutMs: resolved.limits.firstFrameTimeoutSeconds * 1000,
		});
		const spec: QuestionSpec = {
			...resolved,
			media: clipWithinSource(resolved.media, firstFrameAtMs),
		};
		const frame = ring.newest();
		const { request, media: mediaRef } = buildChatRequest(spec, created.id);
		const askedAtMs = Date.now();
		const { model, result: response } = await models.run(
			(id) => deps.client.chat({ ...request, model: id }, { signal, timeoutMs: 120_000 }),
			{ signal },
		);
		const answeredAtMs = Date.now();
		const read = readAnswer(response, resolved.output);
		const snapshot =
			frame && resolved.snapshot.enabled
				? await encodeSnapshot(frame, { quality: resolved.snapshot.quality })
				: undefined;
		outcome = {
			result: {
				answer: read.answer,
				json: read.json,
				jsonError: read.jsonError,
				usage: response.usage,
				model: response.model ?? model,
				streamId: created.id,
				media: mediaRef,
				askedAtMs,
				answeredAtMs,
				framesPublished: publisher?.stats.published ?? 0,
				snapshot,
			},
		};
	} catch (error) {
		outcome = { error };
	} finally {
		signal?.removeEventListener('abort', stopAll);
		// The question is answered or abandoned: the rest stops at once (teardown.ts).
		await runTeardown(engineStopPhases({ source, publisher, session }), logger);
	}
	const undeleted = session.undeletedStreams();
	const left = undeleted.length
		? `The stream ${undeleted.map((u) => u.streamId).join(', ')} could not be deleted (${undeleted[0].reason}); it stays billed until its lease runs out, within ${session.leaseSeconds} s.`
		: undefined;
	if ('error' in outcome) {
		if (left && outcome.error instanceof Error) outcome.error.message += ` ${left}`;
		throw outcome.error;
	}
	return { ...outcome.result, streamDeleted: !left, ...(left ? { streamDeleteError: left } : {}) };
}
