// The question clock. Every `intervalMs` on a drift-free schedule (slot k at start + k·interval),
// never while the previous question is in flight (late slots are skipped and counted, never
// queued), only once the stream has frames. A tick pays for a question only when the watcher is
// ready (fresh frames, room live) and the change gate (if any) says the picture changed.
// Transient failures are statuses, retried on the next tick; auth/credit refusals are fatal, and
// so is a model the server does not serve (on Automatic, after picking another once: api/models.ts).
// With a `schedule` ("When the Picture Changes") there is no clock: the loop sleeps until
// ask-schedule.ts says a change, a follow-up or the heartbeat is due, and `wake()` (the watcher,
// on the first changed frame) cuts the sleep short.

import { abortableSleep, type OvershootClient } from '../api/client';
import { OvershootApiError, StreamEndedError } from '../api/errors';
import { mediaPart, mediaUrl, type MediaRef } from '../api/media-url';
import { isModelRefusal, ModelSelection, type MediaNeeds } from '../api/models';
import type { ChatMessage, ChatQuestion, ChatResponse, ResponseFormat, Usage } from '../api/types';
import { nextQuestion, type ChangeSchedule } from './ask-schedule';
import type { ChangeGate, GateDecision } from './change-gate';
import { parseJsonAnswer } from './condition';
import type { Frame } from './frame';
import { silentLogger, type WatchLogger } from './logger';
import type { MediaSpec, OutputFormat, QuestionSpec } from './options';
import { clipWithinSource } from './source-clip';

export interface AskedAnswer {
	answer: string;
	/** The parsed answer when a JSON format was requested (undefined if it did not parse). */
	json?: unknown;
	/** Why `json` is missing although JSON was requested. */
	jsonError?: string;
	usage?: Usage;
	/** v1beta: what the prompt cache did for this question, when the response says. */
	promptCache?: PromptCache;
	model: string;
	streamId: string;
	/** The ovs:// reference the question was about. */
	media: string;
	askedAtMs: number;
	answeredAtMs: number;
	/** The newest local frame at ask time (what the snapshot shows); undefined for camera sources. */
	frame?: Frame;
	gate?: GateDecision;
	finishReason?: string | null;
}

export type AskerStatus =
	| { kind: 'waitingForFrames'; streamId: string }
	| { kind: 'framesArrived'; streamId: string }
	| { kind: 'notReady'; reason: string }
	| { kind: 'unchanged'; reason: string }
	| { kind: 'askFailed'; message: string; status?: number; willRetry: boolean }
	| { kind: 'ticksSkipped'; count: number; reason: string }
	| { kind: 'modelReplaced'; from: string; to: string };

/** v1beta `overshoot.cache` (docs/overshoot-api.md §2.6, §7.3): observability only. */
export interface PromptCache {
	threadId: string | null;
	cacheHit: boolean;
	cachedInputTokens: number;
}

export interface AskerStats {
	asked: number;
	answered: number;
	failed: number;
	skippedUnchanged: number;
	skippedNotReady: number;
	ticksSkipped: number;
}

export interface AskerDeps {
	client: OvershootClient;
	streamId(): string | undefined;
	/** Whether a question would be about a fresh picture now; otherwise why not (no call is paid). */
	readiness(): { ok: true } | { ok: false; reason: string };
	newestFrame(): Frame | undefined;
	/** Since when the source has delivered without a break: clips never reach back before it. */
	deliveringSinceMs?(): number | undefined;
	changeGate?: ChangeGate;
	/** With a schedule: the condition needs another answer to decide (ask again after the minimum gap). */
	wantsFollowUp?(): boolean;
	onAnswer(answer: AskedAnswer): Promise<void> | void;
	onStatus?(status: AskerStatus): void;
	onFatal(error: Error): void;
	/**
	 * A question or frame check found the stream gone or ended (404, or ended at the server):
	 * the session should check it now instead of at its next keepalive, minutes away.
	 */
	onStreamGone?(streamId: string): void;
	logger?: WatchLogger;
	/** The model of this activation (default: resolved from the spec's choice on first ask). */
	models?: ModelSelection;
}

export interface AskerTiming {
	intervalMs: number;
	firstFrameTimeoutMs: number;
	/** "When the Picture Changes" (needs `changeGate`); without it, the interval clock. */
	schedule?: ChangeSchedule;
}

/** Refusals that will not go away by asking again: the key, the credits or the account. */
const FATAL_STATUSES = new Set([401, 402, 403]);
/**
 * Deterministic request errors (bad model/media combination, a frame index in the future, a
 * stream of another region): asking the same question again gets the same answer, so they are
 * fatal if they repeat.
 */
const REQUEST_STATUSES = new Set([400, 409, 422]);
const REQUEST_ERRORS_BEFORE_FATAL = 3;

export function responseFormat(output: OutputFormat): ResponseFormat | undefined {
	if (output.kind === 'jsonObject') return { type: 'json_object' };
	if (output.kind === 'jsonSchema')
		return {
			type: 'json_schema',
			json_schema: { name: output.name ?? 'answer', schema: output.schema, strict: true },
		};
	return undefined;
}

export function mediaRef(media: MediaSpec, streamId: string): MediaRef {
	return media.kind === 'latestFrame'
		? { type: 'frame', streamId, frame: { kind: 'latest' } }
		: {
				type: 'clip',
				streamId,
				clip: { kind: 'lastSeconds', seconds: media.seconds, maxFps: media.maxFps },
			};
}

/** A clip needs a model that takes video (api/models.ts). */
export function mediaNeeds(media: MediaSpec): MediaNeeds {
	return { video: media.kind === 'lastSeconds' };
}

/** The question without its model (the model of the run is added per call: api/models.ts). */
export function buildChatRequest(
	spec: Omit<QuestionSpec, 'model'>,
	streamId: string,
): { request: ChatQuestion; media: string } {
	const ref = mediaRef(spec.media, streamId);
	const messages: ChatMessage[] = [];
	if (spec.systemPrompt) messages.push({ role: 'system', content: spec.systemPrompt });
	messages.push({ role: 'user', content: [{ type: 'text', text: spec.prompt }, mediaPart(ref)] });
	const request: ChatQuestion = { messages };
	if (spec.maxTokens !== undefined) request.max_completion_tokens = spec.maxTokens;
	if (spec.threadId) request.thread_id = spec.threadId;
	const format = responseFormat(spec.output);
	if (format) request.response_format = format;
	return { request, media: mediaUrl(ref) };
}

export function readAnswer(
	response: ChatResponse,
	output: OutputFormat,
): { answer: string; json?: unknown; jsonError?: string; finishReason?: string | null } {
	const choice = response?.choices?.[0];
	const answer = typeof choice?.message?.content === 'string' ? choice.message.content : '';
	if (output.kind === 'text') return { answer, finishReason: choice?.finish_reason };
	const json = parseJsonAnswer(answer);
	const jsonError =
		json === undefined
			? choice?.finish_reason === 'length'
				? 'the answer was cut off (raise Max Tokens)'
				: 'the answer is not valid JSON'
			: undefined;
	return { answer, json, jsonError, finishReason: choice?.finish_reason };
}

export function readPromptCache(response: ChatResponse): PromptCache | undefined {
	const cache = (response?.overshoot as { cache?: Record<string, unknown> } | undefined)?.cache;
	if (!cache || typeof cache !== 'object') return undefined;
	const cached = Number(cache.cached_input_tokens);
	return {
		threadId: typeof cache.thread_id === 'string' ? cache.thread_id : null,
		cacheHit: cache.cache_hit === true,
		cachedInputTokens: Number.isFinite(cached) && cached > 0 ? cached : 0,
	};
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
	return signal.aborted || (error as Error)?.name === 'AbortError';
}

export class Asker {
	private readonly abort = new AbortController();
	private loop: Promise<void> | undefined;
	private framesSeenOn: string | undefined;
	private requestErrorsInARow = 0;
	private lastAskedAtMs: number | undefined;
	/** With a schedule: the last due question was not answered (not ready, failed). */
	private retryPending = false;
	private wakeUp: (() => void) | undefined;
	private readonly logger: WatchLogger;
	private readonly models: ModelSelection;
	readonly stats: AskerStats = {
		asked: 0,
		answered: 0,
		failed: 0,
		skippedUnchanged: 0,
		skippedNotReady: 0,
		ticksSkipped: 0,
	};

	constructor(
		private readonly spec: QuestionSpec,
		private readonly timing: AskerTiming,
		private readonly deps: AskerDeps,
	) {
		this.logger = deps.logger ?? silentLogger;
		this.models =
			deps.models ?? new ModelSelection(deps.client, spec.model, mediaNeeds(spec.media));
	}

	start(): void {
		if (this.loop || this.abort.signal.aborted) return;
		this.loop = this.run().catch((error) => {
			if (!this.abort.signal.aborted) this.deps.onFatal(error as Error);
		});
	}

	/** With a schedule: something happened (a changed frame); re-plan the next question now. */
	wake(): void {
		this.wakeUp?.();
	}

	/** A new stream replaced the old one: wait for its first frame before asking again. */
	resetStream(): void {
		this.framesSeenOn = undefined;
	}

	/** Aborts an in-flight question and resolves when the loop has ended. Idempotent. */
	async stop(): Promise<void> {
		this.abort.abort();
		await this.loop;
	}

	private async run(): Promise<void> {
		if (this.timing.schedule) return this.runOnChange(this.timing.schedule);
		const signal = this.abort.signal;
		const interval = this.timing.intervalMs;
		const startedAt = Date.now();
		let slot = 0;
		while (!signal.aborted) {
			const wait = startedAt + slot * interval - Date.now();
			if (wait > 0) {
				try {
					await abortableSleep(wait, signal);
				} catch {
					return;
				}
			}
			await this.tick(signal);
			// Next slot strictly in the future; slots that passed while this tick ran are skipped.
			const nextSlot = Math.floor((Date.now() - startedAt) / interval) + 1;
			const skipped = nextSlot - slot - 1;
			if (skipped > 0 && !signal.aborted) {
				this.stats.ticksSkipped += skipped;
				this.deps.onStatus?.({
					kind: 'ticksSkipped',
					count: skipped,
					reason: 'the previous question took longer than the interval',
				});
			}
			slot = nextSlot;
		}
	}

	private async runOnChange(schedule: ChangeSchedule): Promise<void> {
		const signal = this.abort.signal;
		while (!signal.aborted) {
			const now = Date.now();
			const next = nextQuestion(schedule, {
				nowMs: now,
				lastAskedAtMs: this.lastAskedAtMs,
				changedAtMs: this.deps.changeGate?.changedAtMs,
				followUp: this.retryPending || (this.deps.wantsFollowUp?.() ?? false),
			});
			if (next.atMs > now) {
				await this.sleepUntilWoken(next.atMs - now, signal);
				continue; // re-plan: a wake-up may have moved the next question earlier
			}
			const difference = this.deps.changeGate?.decide(now).difference;
			// The gap counts from every attempt: a question that cannot be sent or fails is tried
			// again one gap later (as a follow-up), never in a tight loop.
			this.lastAskedAtMs = now;
			this.retryPending =
				(await this.tick(signal, { ask: true, difference, reason: next.reason })) !== 'answered';
		}
	}

	private async sleepUntilWoken(ms: number, signal: AbortSignal): Promise<void> {
		const woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
		try {
			await Promise.race([abortableSleep(ms, signal), woken]);
		} catch {
			// aborted: the loop ends
		} finally {
			this.wakeUp = undefined;
		}
	}

	private async tick(
		signal: AbortSignal,
		scheduled?: GateDecision,
	): Promise<'answered' | 'failed' | 'skipped'> {
		const streamId = this.deps.streamId();
		if (!streamId) return 'skipped';
		try {
			if (this.framesSeenOn !== streamId) {
				this.deps.onStatus?.({ kind: 'waitingForFrames', streamId });
				await this.deps.client.waitForFirstFrame(streamId, {
					signal,
					timeoutMs: this.timing.firstFrameTimeoutMs,
				});
				this.framesSeenOn = streamId;
				this.deps.onStatus?.({ kind: 'framesArrived', streamId });
			}
			const ready = this.deps.readiness();
			if (!ready.ok) {
				this.stats.skippedNotReady++;
				this.deps.onStatus?.({ kind: 'notReady', reason: ready.reason });
				return 'skipped';
			}
			const gate = scheduled ?? this.deps.changeGate?.decide(Date.now());
			if (gate && !gate.ask) {
				this.stats.skippedUnchanged++;
				this.deps.onStatus?.({ kind: 'unchanged', reason: gate.reason });
				return 'skipped';
			}
			await this.ask(streamId, signal, gate);
		} catch (error) {
			if (!isAbort(error, signal)) this.handleError(error as Error, streamId);
			return 'failed';
		}
		return 'answered';
	}

	private async ask(
		streamId: string,
		signal: AbortSignal,
		gate: GateDecision | undefined,
	): Promise<void> {
		const frame = this.deps.newestFrame();
		const askedAtMs = Date.now();
		this.lastAskedAtMs = askedAtMs; // with a schedule: the minimum gap counts from the request itself
		this.stats.asked++;
		const spec = {
			...this.spec,
			media: clipWithinSource(this.spec.media, this.deps.deliveringSinceMs?.()),
		};
		const { request, media } = buildChatRequest(spec, streamId);
		const {
			model,
			result: response,
			replaced,
		} = await this.models.run(
			(id) => this.deps.client.chat({ ...request, model: id }, { signal, timeoutMs: 120_000 }),
			{ signal },
		);
		if (replaced) {
			this.deps.onStatus?.({ kind: 'modelReplaced', from: replaced, to: model });
			this.logger.warn('The model is no longer served; Automatic picked another one', {
				from: replaced,
				to: model,
			});
		}
		const answeredAtMs = Date.now();
		if (signal.aborted) return;
		this.stats.answered++;
		this.requestErrorsInARow = 0;
		this.deps.changeGate?.asked(frame, askedAtMs);
		const read = readAnswer(response, this.spec.output);
		await this.deps.onAnswer({
			...read,
			usage: response.usage,
			promptCache: readPromptCache(response),
			model: response.model ?? model,
			streamId,
			media,
			askedAtMs,
			answeredAtMs,
			frame,
			gate,
		});
	}

	private handleError(error: Error, streamId: string) {
		this.stats.failed++;
		const api = error instanceof OvershootApiError ? error : undefined;
		const message = api ? `${api.message}. ${api.hint}` : error.message;
		if (api && (FATAL_STATUSES.has(api.status) || isModelRefusal(api))) {
			this.abort.abort(); // asking again cannot succeed
			this.deps.onFatal(new Error(`Overshoot refused the question: ${message}`));
			return;
		}
		if (
			api &&
			REQUEST_STATUSES.has(api.status) &&
			++this.requestErrorsInARow >= REQUEST_ERRORS_BEFORE_FATAL
		) {
			this.abort.abort();
			this.deps.onFatal(
				new Error(
					`Overshoot rejected the question ${this.requestErrorsInARow} times in a row: ${message}`,
				),
			);
			return;
		}
		// 404 on a question: the frames (or the stream) are not there; confirm frames before asking again.
		if (api?.status === 404) this.framesSeenOn = undefined;
		if (api?.status === 404 || error instanceof StreamEndedError)
			this.deps.onStreamGone?.(streamId);
		this.deps.onStatus?.({ kind: 'askFailed', message, status: api?.status, willRetry: true });
		this.logger.warn('Question failed; retrying on the next tick', { streamId, message });
	}
}
