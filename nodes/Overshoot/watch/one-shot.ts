// "Every hour, check the parking lot": open a stream, publish N seconds of the camera, ask one
// question about that clip (or the last frame), return the answer with a snapshot, and always
// delete the stream — whatever fails, and when the caller aborts.

import { abortableSleep, type OvershootClient } from '../api/client';
import { InputError } from '../api/errors';
import { ModelSelection, type ModelChoice } from '../api/models';
import { positive } from '../api/validate';
import { buildChatRequest, mediaNeeds, readAnswer, type AskedAnswer } from './asker';
import type { FrameSource } from './frame';
import { FrameRing } from './frame-ring';
import { silentLogger, type WatchLogger } from './logger';
import { resolveWatcherOptions, type MediaSpec, type OutputFormat, type QuestionSpec } from './options';
import type { FramePublisher } from './publisher';
import { PublisherProcess } from './publisher-process';
import { encodeSnapshot, type Snapshot } from './snapshot';
import { StreamSession } from './stream-session';
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
	snapshot?: Snapshot;
}

export async function runCheck(options: CheckOptions, deps: CheckDeps): Promise<CheckResult> {
	const publishSeconds = positive(options.publishSeconds, 'Record For (Seconds)', { max: 600 });
	const media: MediaSpec = options.media ?? { kind: 'lastSeconds', seconds: publishSeconds, maxFps: 1 };
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
		publish: { connectTimeoutSeconds: options.connectTimeoutSeconds, maxBitrateKbps: options.maxBitrateKbps },
		limits: { firstFrameTimeoutSeconds: options.firstFrameTimeoutSeconds },
	});
	if (!resolved.cameraSource && !deps.createSource) throw new InputError('Source', 'A camera source is required.');
	const logger = deps.logger ?? silentLogger;
	const signal = deps.signal;
	const ring = new FrameRing(2);
	let fatal: Error | undefined;
	const onFatal = (error: Error) => (fatal ??= error);
	const models = new ModelSelection(deps.client, resolved.model, mediaNeeds(resolved.media));
	signal?.throwIfAborted();
	await models.current({ signal }); // no stream is paid for when no model can answer
	const session = new StreamSession(deps.client, { cameraSource: resolved.cameraSource, onStreamLost: 'fail' }, { logger, onFatal });
	let source: FrameSource | undefined;
	let publisher: FramePublisher | undefined;
	const stopAll = () => void session.end(); // an abort mid-create still deletes the stream
	signal?.addEventListener('abort', stopAll, { once: true });
	try {
		signal?.throwIfAborted();
		const created = await session.open();
		if (!resolved.cameraSource) {
			if (!created.publish) throw new Error('The Overshoot stream has no publish target');
			source = deps.createSource!({ logger });
			publisher = new PublisherProcess(
				{ width: source.width, height: source.height, fps: source.fps, maxBitrateKbps: resolved.publish.maxBitrateKbps, connectTimeoutMs: resolved.publish.connectTimeoutSeconds * 1000, giveUpAfterMs: publishSeconds * 1000 },
				{ freshTarget: () => session.latestPublish(), onFatal, logger },
			);
			await publisher.connect(created.publish);
			const pub = publisher;
			source.start({ frame: (f) => (ring.push(f), pub.publish(f)), status: () => undefined, fatal: onFatal });
		}
		await abortableSleep(publishSeconds * 1000, signal);
		if (fatal) throw fatal;
		await deps.client.waitForFirstFrame(created.id, { signal, timeoutMs: resolved.limits.firstFrameTimeoutSeconds * 1000 });
		const spec: QuestionSpec = resolved;
		const frame = ring.newest();
		const { request, media: mediaRef } = buildChatRequest(spec, created.id);
		const askedAtMs = Date.now();
		const { model, result: response } = await models.run((id) => deps.client.chat({ ...request, model: id }, { signal, timeoutMs: 120_000 }), { signal });
		const answeredAtMs = Date.now();
		const read = readAnswer(response, resolved.output);
		const snapshot = frame && resolved.snapshot.enabled ? await encodeSnapshot(frame, { quality: resolved.snapshot.quality }) : undefined;
		return {
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
		};
	} finally {
		signal?.removeEventListener('abort', stopAll);
		await source?.stop().catch((e: Error) => logger.warn('Stopping the source failed', { message: e.message }));
		await publisher?.close();
		await session.end();
	}
}
