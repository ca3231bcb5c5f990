// Wires the engine together: source → (publisher, frame ring, change gate); session lease;
// asker → condition → match gate (or incident gate) → onMatch(event + snapshot). Knows nothing of n8n.
// "When the Picture Changes": every frame goes through the change gate, and the first changed
// frame wakes the asker (ask-schedule.ts decides the moment).
// Teardown (stop or fatal) always runs every step, each bounded: stop asking (abort in-flight),
// then at once stop the source (kills ffmpeg), leave the room and delete the stream.
// A fatal condition (source or room down too long, stream lost, key refused) tears down first and
// then calls onFatal exactly once.

import type { OvershootClient } from '../api/client';
import { ModelSelection } from '../api/models';
import type { StreamCreated, Usage } from '../api/types';
import { Asker, mediaNeeds, type AskedAnswer, type AskerStatus, type PromptCache } from './asker';
import { ChangeGate } from './change-gate';
import { compileCondition, MatchGate, type Condition, type ConditionKind } from './condition';
import type { Frame, FrameSource, SourceStatus } from './frame';
import { FrameRing } from './frame-ring';
import { IncidentGate, stableId, type IncidentState } from './incident';
import { silentLogger, type WatchLogger } from './logger';
import { resolveWatcherOptions, type WatcherOptions, type WatcherOptionsInput } from './options';
import type { FramePublisher, PublisherStatus } from './publisher-types';
import { PublisherProcess } from './publisher-process';
import { encodeSnapshot, type Snapshot } from './snapshot';
import type { StreamLedger } from './stream-ledger';
import { SessionEndedError, StreamSession, type SessionStatus } from './stream-session';
import { engineStopPhases, runTeardown } from './teardown';

export interface WatchEvent {
	answer: string;
	json?: unknown;
	/** Set when JSON was requested but the answer did not parse. */
	jsonError?: string;
	condition: { kind: ConditionKind; matched: boolean; reason: string };
	/** Whether this answer fired the workflow, and why (not). */
	fire: { fired: boolean; reason: string };
	streamId: string;
	model: string;
	/** The local frame the question was about (absent for server-pulled cameras). */
	frame?: { seq: number; capturedAtMs: number; ageMs: number };
	question: { askedAtMs: number; answeredAtMs: number; media: string; latencyMs: number };
	usage?: Usage;
	promptCache?: PromptCache;
	/** Unique for this event and the same however often it is delivered (retries dedupe on it). */
	eventId: string;
	/** "When It Starts and When It Clears": the incident this event starts or clears. */
	incident?: { state: IncidentState; id: string; startedAtMs: number; durationMs?: number };
	/** Why this question was asked ("picture changed", "heartbeat", …), when not by the clock. */
	askedBecause?: string;
	/**
	 * The frame asked about as JPEG; only on fired events (or every answer with emitEveryAnswer).
	 * A cleared incident shows its last matching frame.
	 */
	snapshot?: Snapshot;
}

export interface WatcherStatus {
	component: 'source' | 'room' | 'stream' | 'asker';
	kind: string;
	message: string;
	atMs: number;
}

export interface SourceContext {
	logger: WatchLogger;
}

export interface WatcherDeps {
	client: OvershootClient;
	/** Builds the local frame source; not needed with a server-pulled `cameraSource`. */
	createSource?: (context: SourceContext) => FrameSource;
	logger?: WatchLogger;
	/** Remembers the streams this watcher owns across crashes (see stream-ledger.ts). */
	ledger?: StreamLedger;
	/**
	 * The key's stream cap is full: start() resolves anyway and the watcher waits for a slot in
	 * the background, logging why (an active trigger must not block n8n's activation of the
	 * workflows after it). Off: start() rejects with the cap's error (a test run).
	 */
	waitForStreamSlot?: boolean;
	/** Every answer (with a snapshot only when it fired or emitEveryAnswer is on). */
	onAnswer?(event: WatchEvent): void | Promise<void>;
	/** Answers that fired. */
	onMatch(event: WatchEvent): void | Promise<void>;
	onStatus?(status: WatcherStatus): void;
	/** Called once, after a full teardown, when watching cannot go on. */
	onFatal(error: Error): void;
}

export class WatcherStoppedError extends Error {
	constructor() {
		super('The watcher was stopped before it finished starting.');
		this.name = 'WatcherStoppedError';
	}
}

export class Watcher {
	readonly options: WatcherOptions;
	private readonly logger: WatchLogger;
	private readonly ring = new FrameRing(4);
	private readonly condition: Condition;
	private readonly matchGate: MatchGate | undefined;
	private readonly incidentGate: IncidentGate<AskedAnswer> | undefined;
	private readonly changeGate: ChangeGate | undefined;
	/** One model for the whole activation (Automatic: resolved in start(), before any stream). */
	private readonly models: ModelSelection;
	private session: StreamSession | undefined;
	private source: FrameSource | undefined;
	private publisher: FramePublisher | undefined;
	private asker: Asker | undefined;
	private watchdog: NodeJS.Timeout | undefined;
	private startedAtMs = 0;
	private previousAnswer: string | undefined;
	/** Since when the source delivers without a break (cleared when it is interrupted). */
	private deliveringSinceMs: number | undefined;
	/** The source's last reported trouble ("connection refused"), for the error if it never recovers. */
	private lastSourceTrouble: string | undefined;
	private previousMatched: boolean | undefined;
	/** On change: the answer about a change said what it said before; ask once more to be sure. */
	private confirmChange = false;
	private stopping: Promise<void> | undefined;
	private fatalReported = false;
	private started = false;
	/** A fatal error that happened during start(): start() rejects with it instead of onFatal. */
	private startFailure: Error | undefined;
	/** Called by the session when the stream cap makes it wait (see waitForStreamSlot). */
	private onSlotWait: (() => void) | undefined;
	private readonly counters = { answers: 0, matches: 0, fired: 0 };

	constructor(
		options: WatcherOptionsInput | WatcherOptions,
		private readonly deps: WatcherDeps,
	) {
		this.options = resolveWatcherOptions(options);
		this.logger = deps.logger ?? silentLogger;
		this.condition = compileCondition(this.options.condition);
		if (this.options.fire.mode === 'incident')
			this.incidentGate = new IncidentGate(this.options.fire);
		else this.matchGate = new MatchGate(this.options.fire);
		this.models = new ModelSelection(
			deps.client,
			this.options.model,
			mediaNeeds(this.options.media),
		);
		const watchChanges = this.options.changeGate.enabled || this.options.askWhen.mode === 'change';
		this.changeGate =
			watchChanges && !this.options.cameraSource
				? new ChangeGate(this.options.changeGate)
				: undefined;
		if (!this.options.cameraSource && !deps.createSource)
			throw new Error('Watcher needs createSource unless a server-pulled camera source is set');
	}

	get streamId(): string | undefined {
		return this.session?.streamId;
	}

	stats() {
		return {
			...this.counters,
			asker: this.asker ? { ...this.asker.stats } : undefined,
			publisher: this.publisher?.stats,
			framesReceived: this.ring.totalReceived,
		};
	}

	/**
	 * Resolves once the stream exists and frames are being published (or, with waitForStreamSlot,
	 * once the stream cap made it wait: it goes on in the background); rejects after a full teardown.
	 */
	async start(): Promise<void> {
		if (this.stopping || this.session) throw new Error('A Watcher can be started once');
		this.startedAtMs = Date.now();
		const o = this.options;
		try {
			// No stream is paid for when no model can answer (Automatic with nothing ready that fits).
			const model = await this.models.current();
			this.assertRunning();
			if (this.models.automatic)
				this.logger.info('Model chosen automatically for this activation', { model });
			this.session = new StreamSession(
				this.deps.client,
				{
					cameraSource: o.cameraSource,
					keepaliveSeconds: o.keepaliveSeconds,
					onStreamLost: o.onStreamLost,
					ledger: this.deps.ledger,
					waitForSlot: this.deps.waitForStreamSlot,
				},
				{
					logger: this.logger,
					onStatus: (s) => this.sessionStatus(s),
					onReplaced: (created) => this.streamReplaced(created),
					onFatal: (error) => void this.fail(error),
				},
			);
			if (!o.cameraSource) this.source = this.deps.createSource!({ logger: this.logger });
			const opening = this.session.open();
			const waiting = new Promise<'waiting'>(
				(resolve) => (this.onSlotWait = () => resolve('waiting')),
			);
			const created = await Promise.race([opening, waiting]);
			if (created === 'waiting') {
				// From here a failure is reported through onFatal, as for a running watcher.
				this.started = true;
				void opening
					.then((c) => this.begin(c))
					.catch((error: Error) => this.failAfterWaiting(error));
				return;
			}
			await this.begin(created);
			this.started = true;
		} catch (error) {
			const stoppedMeanwhile = this.stopping !== undefined && !this.fatalReported;
			await this.stop();
			if (this.startFailure) throw this.startFailure;
			if (stoppedMeanwhile || error instanceof SessionEndedError)
				throw error instanceof WatcherStoppedError ? error : new WatcherStoppedError();
			throw error;
		}
	}

	/** With the stream open: publish (local sources), ask, and watch the source. */
	private async begin(created: StreamCreated): Promise<void> {
		this.assertRunning();
		this.startedAtMs = Date.now(); // the source starts now, however long the stream cap made it wait
		if (this.source) await this.startPublishing(this.source, created);
		this.assertRunning();
		this.startAsking();
		this.watchdog = setInterval(() => this.checkSourceAlive(), 1000);
	}

	private async failAfterWaiting(error: Error): Promise<void> {
		if (this.stopping && !this.fatalReported) return; // stopped while waiting: nothing to report
		if (error instanceof SessionEndedError || error instanceof WatcherStoppedError) return;
		await this.fail(error);
	}

	private assertRunning() {
		if (this.stopping) throw new WatcherStoppedError();
	}

	private async startPublishing(source: FrameSource, created: StreamCreated) {
		if (!created.publish)
			throw new Error('The Overshoot stream has no publish target (server-pulled source?)');
		const o = this.options;
		this.publisher = new PublisherProcess(
			{
				width: source.width,
				height: source.height,
				fps: source.fps,
				maxBitrateKbps: o.publish.maxBitrateKbps,
				connectTimeoutMs: o.publish.connectTimeoutSeconds * 1000,
				giveUpAfterMs: o.limits.roomDownSeconds * 1000,
			},
			{
				freshTarget: () => this.session?.latestPublish() ?? null,
				onStatus: (s) => this.publisherStatus(s),
				onFatal: (error) => void this.fail(error),
				logger: this.logger,
			},
		);
		await this.publisher.connect(created.publish);
		source.start({
			frame: (frame) => this.onFrame(frame),
			status: (status) => this.sourceStatus(status),
			fatal: (error) => void this.fail(error),
		});
	}

	private startAsking() {
		const o = this.options;
		this.asker = new Asker(
			o,
			{
				intervalMs: o.intervalSeconds * 1000,
				firstFrameTimeoutMs: o.limits.firstFrameTimeoutSeconds * 1000,
				schedule:
					o.askWhen.mode === 'change' && this.changeGate
						? {
								minGapMs: o.askWhen.minGapSeconds * 1000,
								heartbeatMs: o.intervalSeconds * 1000,
								settleMs: o.askWhen.settleMs,
							}
						: undefined,
			},
			{
				client: this.deps.client,
				streamId: () => this.session?.streamId,
				readiness: () => this.readiness(),
				newestFrame: () => this.ring.newest(),
				deliveringSinceMs: () => this.deliveringSinceMs,
				changeGate: this.changeGate,
				wantsFollowUp: () =>
					this.confirmChange || ((this.incidentGate ?? this.matchGate)?.undecided ?? false),
				onAnswer: (answer) => this.onAnswer(answer),
				onStatus: (s) => this.askerStatus(s),
				onFatal: (error) => void this.fail(error),
				onStreamGone: (streamId) => this.session?.checkNow(streamId),
				logger: this.logger,
				models: this.models,
			},
		);
		this.asker.start();
	}

	private onFrame(frame: Frame) {
		if (this.stopping) return;
		this.deliveringSinceMs ??= frame.capturedAtMs;
		this.ring.push(frame);
		// Published first: a question woken by this frame must find it on its way to the service.
		this.publisher?.publish(frame);
		if (this.changeGate?.observe(frame)) this.asker?.wake();
	}

	/** A question is only worth paying for when it is about a fresh picture the server has. */
	private readiness(): { ok: true } | { ok: false; reason: string } {
		if (this.options.cameraSource) return { ok: true };
		const age = this.ring.newestAgeMs();
		if (age === undefined) return { ok: false, reason: 'no frame from the camera yet' };
		if (age > this.options.limits.staleFrameSeconds * 1000)
			return { ok: false, reason: `the newest camera frame is ${Math.round(age / 1000)} s old` };
		if (!this.publisher?.isLive) return { ok: false, reason: 'the video room is reconnecting' };
		return { ok: true };
	}

	private checkSourceAlive() {
		if (this.stopping || !this.source) return;
		const age = this.ring.newestAgeMs() ?? Date.now() - this.startedAtMs;
		const limitMs = this.options.limits.sourceDownSeconds * 1000;
		if (age <= limitMs) return;
		const trouble = this.lastSourceTrouble ? `: ${this.lastSourceTrouble}` : '';
		void this.fail(
			new Error(
				`${this.source.subject ?? 'The camera'} delivered no frame for ${Math.round(age / 1000)} s (limit ${this.options.limits.sourceDownSeconds} s)${trouble}.`,
			),
		);
	}

	private async onAnswer(asked: AskedAnswer): Promise<void> {
		if (this.stopping) return;
		this.counters.answers++;
		const result = this.condition.test({
			answer: asked.answer,
			json: asked.json,
			previousAnswer: this.previousAnswer,
		});
		this.previousAnswer = asked.answer;
		// The picture changed here but the condition did not: either the change does not matter, or
		// the service did not have the changed frame yet (ingest slower than the settle delay, e.g.
		// under load). One more question one minimum gap later tells them apart, so a slow ingest
		// delays an alert instead of losing it until the heartbeat.
		this.confirmChange =
			asked.gate?.reason === 'picture changed' && result.matched === this.previousMatched;
		this.previousMatched = result.matched;
		const gated = this.incidentGate
			? this.incidentGate.feed(
					result.matched,
					asked.answeredAtMs,
					asked,
					`${asked.streamId}|${asked.askedAtMs}`,
				)
			: { ...this.matchGate!.feed(result.matched, asked.answeredAtMs), incident: undefined };
		const fire = { fired: gated.fired, reason: gated.reason };
		const incident = gated.incident;
		if (result.matched) this.counters.matches++;
		const event: WatchEvent = {
			answer: asked.answer,
			json: asked.json,
			jsonError: asked.jsonError,
			condition: { kind: this.condition.kind, ...result },
			fire,
			streamId: asked.streamId,
			model: asked.model,
			frame: asked.frame && {
				seq: asked.frame.seq,
				capturedAtMs: asked.frame.capturedAtMs,
				ageMs: asked.askedAtMs - asked.frame.capturedAtMs,
			},
			question: {
				askedAtMs: asked.askedAtMs,
				answeredAtMs: asked.answeredAtMs,
				media: asked.media,
				latencyMs: asked.answeredAtMs - asked.askedAtMs,
			},
			usage: asked.usage,
			promptCache: asked.promptCache,
			eventId: incident
				? stableId('evt', incident.id, incident.state)
				: stableId('evt', asked.streamId, asked.askedAtMs),
			incident: incident && {
				state: incident.state,
				id: incident.id,
				startedAtMs: incident.startedAtMs,
				durationMs: incident.durationMs,
			},
			askedBecause: this.options.askWhen.mode === 'change' ? asked.gate?.reason : undefined,
		};
		// A clear shows the incident's last matching picture, not the empty scene.
		const pictured = incident?.lastMatch?.frame ?? asked.frame;
		if (pictured && this.options.snapshot.enabled && (fire.fired || this.options.emitEveryAnswer)) {
			try {
				event.snapshot = await encodeSnapshot(pictured, { quality: this.options.snapshot.quality });
			} catch (error) {
				this.logger.warn('Snapshot could not be encoded; emitting without it', {
					message: (error as Error).message,
				});
			}
		}
		await this.deliver(() => this.deps.onAnswer?.(event), 'onAnswer');
		if (fire.fired && !this.stopping) {
			this.counters.fired++;
			await this.deliver(() => this.deps.onMatch(event), 'onMatch');
		}
	}

	private async deliver(call: () => void | Promise<void>, name: string) {
		try {
			await call();
		} catch (error) {
			// A failing consumer must not stop the watch loop.
			this.logger.error(`${name} handler failed`, { message: (error as Error).message });
		}
	}

	private streamReplaced(created: StreamCreated) {
		this.asker?.resetStream();
		this.publisher?.rejoin('the stream was replaced');
		this.status('stream', 'replaced', `The stream was replaced by ${created.id}`);
	}

	private status(component: WatcherStatus['component'], kind: string, message: string) {
		this.deps.onStatus?.({ component, kind, message, atMs: Date.now() });
	}

	private sourceStatus(s: SourceStatus) {
		if (s.kind === 'interrupted') {
			this.deliveringSinceMs = undefined;
			this.lastSourceTrouble = s.reason;
		}
		const message =
			s.kind === 'started'
				? `Camera started: ${s.detail}`
				: s.kind === 'interrupted'
					? `Camera interrupted (${s.reason}); retrying in ${Math.round(s.retryInMs / 1000)} s`
					: s.kind === 'recovered'
						? `Camera recovered after ${Math.round(s.downForMs / 1000)} s`
						: 'The video ended';
		this.status('source', s.kind, message);
	}

	private publisherStatus(s: PublisherStatus) {
		const message =
			s.kind === 'connected'
				? 'Publishing into the Overshoot room'
				: s.kind === 'reconnecting'
					? `Video room connection lost (${s.reason}); reconnecting (attempt ${s.attempt})`
					: s.kind === 'reconnected'
						? `Video room reconnected after ${Math.round(s.downForMs / 1000)} s`
						: `Video room failing since ${new Date(s.sinceMs).toISOString()}: ${s.message}`;
		this.status('room', s.kind, message);
	}

	private sessionStatus(s: SessionStatus) {
		if (s.kind === 'waitingForSlot') {
			this.onSlotWait?.();
			return this.status('stream', s.kind, s.message);
		}
		const message =
			s.kind === 'created'
				? `Stream ${s.streamId} created`
				: s.kind === 'renewed'
					? `Stream lease renewed until ${new Date(s.expiresAtMs).toISOString()}`
					: s.kind === 'keepaliveFailed'
						? `Stream keepalive failed (${s.message}); retrying before ${new Date(s.expiresAtMs).toISOString()}`
						: s.kind === 'lost'
							? `Stream ${s.streamId} lost: ${s.reason}`
							: s.kind === 'replaced'
								? `Stream ${s.previousStreamId} replaced by ${s.streamId}`
								: `Stream ${s.streamId} deleted`;
		this.status('stream', s.kind, message);
	}

	private askerStatus(s: AskerStatus) {
		const message =
			s.kind === 'waitingForFrames'
				? 'Waiting for the first frame to reach Overshoot'
				: s.kind === 'framesArrived'
					? 'Frames are reaching Overshoot'
					: s.kind === 'notReady'
						? `Question skipped: ${s.reason}`
						: s.kind === 'unchanged'
							? `Question skipped (not paid): ${s.reason}`
							: s.kind === 'askFailed'
								? `Question failed, retrying next tick: ${s.message}`
								: s.kind === 'modelReplaced'
									? `Model ${s.from} is no longer served; Automatic now asks ${s.to}`
									: `${s.count} tick(s) skipped: ${s.reason}`;
		this.status('asker', s.kind, message);
	}

	private async fail(error: Error): Promise<void> {
		if (this.fatalReported || this.stopping) return;
		this.fatalReported = true;
		if (!this.started) this.startFailure = error;
		this.logger.error('Watching stopped', { message: error.message });
		await this.stop();
		if (this.started) this.deps.onFatal(error);
	}

	/** Idempotent; safe at any moment (also mid-start). Every step runs even if one fails. */
	stop(): Promise<void> {
		if (!this.stopping) this.stopping = this.teardown();
		return this.stopping;
	}

	private async teardown(): Promise<void> {
		clearInterval(this.watchdog);
		await runTeardown(
			engineStopPhases({
				asker: this.asker,
				source: this.source,
				publisher: this.publisher,
				session: this.session,
			}),
			this.logger,
		);
		this.ring.clear();
	}
}
