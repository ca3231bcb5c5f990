// The one Overshoot client. Both nodes, the watcher, the tests and the benchmarks use it, so
// status handling and the retry rules live here and nowhere else.

import { backoffDelay } from './backoff';
import { OvershootApiError, StreamEndedError, toApiError, type RequestContext } from './errors';
import type { HttpRequest, Transport } from './http';
import { NetworkError } from './transport';
import type {
	CameraSource,
	ChatRequest,
	ChatResponse,
	DeleteResult,
	KeepaliveResult,
	Model,
	ModelList,
	StreamCreated,
	StreamInfo,
} from './types';

export interface RetryPolicy {
	/** Attempts after the first one. */
	retries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export interface CallOptions {
	signal?: AbortSignal;
	/** Per attempt. */
	timeoutMs?: number;
	/**
	 * One deadline for the whole call, retries and their waits included: no attempt starts or
	 * runs past it (a hanging server used to cost 4 × the per-attempt timeout).
	 */
	totalTimeoutMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * When a failed call may be sent again.
 * - `idempotent`: repeating changes nothing (GET, keepalive, delete): network errors and 429/5xx.
 * - `chat`: no server-side state, but every completion is billed: only when the server said it
 *   did not run it (429, 503) or the request never left.
 * - `create`: a lost response may hide a billed stream: only on a received 429/503 or a request
 *   that never left. Never after a timeout or reset.
 */
type RetryClass = 'idempotent' | 'chat' | 'create';

const RETRY_STATUSES: Record<RetryClass, Set<number>> = {
	idempotent: new Set([429, 502, 503, 504]),
	chat: new Set([429, 503]),
	create: new Set([429, 503]),
};

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

export class OvershootClient {
	private readonly retry: RetryPolicy;
	private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

	constructor(
		private readonly transport: Transport,
		options: {
			retry?: Partial<RetryPolicy>;
			sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
		} = {},
	) {
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.sleep = options.sleep ?? abortableSleep;
	}

	async listModels(options: CallOptions & { readyOnly?: boolean } = {}): Promise<Model[]> {
		const list = await this.call<ModelList>(
			{ method: 'GET', path: '/models', anonymous: true },
			'idempotent',
			options,
		);
		const models = Array.isArray(list?.data) ? list.data : [];
		return options.readyOnly ? models.filter((m) => m.status === 'ready') : models;
	}

	/**
	 * A lost response may hide a billed stream that nobody will renew or delete: the error says
	 * so (and for how long it is billed), and a 2xx without a stream id is an error too.
	 */
	async createStream(source?: CameraSource, options: CallOptions = {}): Promise<StreamCreated> {
		const body = source ? { source } : {};
		let created: StreamCreated;
		try {
			created = await this.call<StreamCreated>(
				{ method: 'POST', path: '/streams', body },
				'create',
				options,
				{ operation: 'createStream' },
			);
		} catch (error) {
			if (error instanceof NetworkError && !error.notSent) {
				throw new NetworkError(
					`${error.message}. The stream may have been created anyway: if so it is billed until its lease runs out (about 5 minutes, as nothing renews it). It was not retried, so that no second stream is opened.`,
					false,
					error.cause,
				);
			}
			throw error;
		}
		if (
			!created ||
			typeof created !== 'object' ||
			typeof created.id !== 'string' ||
			!UUID.test(created.id)
		) {
			throw new Error(
				`The server answered Create Stream with success but without a stream id (got ${JSON.stringify(created)?.slice(0, 120) ?? 'no body'}). Check that the Base URL points at an Overshoot API. If a stream was created, it is billed until its lease runs out (about 5 minutes).`,
			);
		}
		return created;
	}

	async getStream(streamId: string, options: CallOptions = {}): Promise<StreamInfo> {
		return this.call<StreamInfo>(
			{ method: 'GET', path: `/streams/${encodeURIComponent(streamId)}` },
			'idempotent',
			options,
		);
	}

	async keepalive(streamId: string, options: CallOptions = {}): Promise<KeepaliveResult> {
		return this.call<KeepaliveResult>(
			{ method: 'POST', path: `/streams/${encodeURIComponent(streamId)}/keepalive`, body: {} },
			'idempotent',
			options,
		);
	}

	/** Ends a stream. A 404 means it had already ended (or never was ours): that is success too. */
	async deleteStream(streamId: string, options: CallOptions = {}): Promise<DeleteResult> {
		try {
			const res = await this.call<DeleteResult>(
				{ method: 'DELETE', path: `/streams/${encodeURIComponent(streamId)}` },
				'idempotent',
				options,
			);
			return { id: res?.id ?? streamId, deleted: true, already_ended: false };
		} catch (error) {
			if (error instanceof OvershootApiError && error.status === 404) {
				return { id: streamId, deleted: true, already_ended: true };
			}
			throw error;
		}
	}

	/**
	 * A model the server does not serve (404 `model_unavailable`, a 422 naming it) fails with the
	 * ready models listed in the hint: one extra GET /models, only for that error.
	 */
	async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
		return this.call<ChatResponse>(
			{ method: 'POST', path: '/chat/completions', body: request },
			'chat',
			options,
			{ operation: 'chat', model: request.model },
		);
	}

	private async readyModelsForError(options: CallOptions): Promise<Model[] | undefined> {
		try {
			return await this.listModels({ readyOnly: true, signal: options.signal, timeoutMs: 10_000 });
		} catch {
			return undefined; // the hint then points at Model → List
		}
	}

	/**
	 * Polls the stream until its first frame has been ingested (asking before that fails).
	 * Resolves with the stream record; rejects with an Error after `timeoutMs`.
	 */
	async waitForFirstFrame(
		streamId: string,
		options: CallOptions & { timeoutMs?: number; pollMs?: number } = {},
	) {
		const deadline = Date.now() + (options.timeoutMs ?? 15_000);
		for (;;) {
			const info = await this.getStream(streamId, { signal: options.signal });
			if (info.state !== 'active')
				throw new StreamEndedError(streamId, info.end_reason ?? null, 'before its first frame');
			if (info.last_frame_at_ms !== null && info.last_frame_at_ms !== undefined) return info;
			if (Date.now() >= deadline) {
				throw new Error(
					`Stream ${streamId} received no frame within ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s: is the source producing video?`,
				);
			}
			await this.sleep(options.pollMs ?? 250, options.signal);
		}
	}

	private async call<T>(
		req: HttpRequest,
		retryClass: RetryClass,
		options: CallOptions,
		context: RequestContext = {},
	): Promise<T> {
		const startedAt = Date.now();
		const deadline =
			options.totalTimeoutMs === undefined ? Infinity : startedAt + options.totalTimeoutMs;
		for (let attempt = 0; ; attempt++) {
			let delayMs: number | undefined;
			const remaining = deadline - Date.now();
			const timeoutMs = Number.isFinite(remaining)
				? Math.max(1, Math.min(options.timeoutMs ?? remaining, remaining))
				: options.timeoutMs;
			const request: HttpRequest = { ...req, signal: options.signal, timeoutMs };
			let lastError: Error;
			try {
				const res = await this.transport(request);
				if (res.status >= 200 && res.status < 300) return res.body as T;
				const error = toApiError(res, context);
				if (error.extra.modelGone)
					throw toApiError(res, context, await this.readyModelsForError(options));
				if (attempt >= this.retry.retries || !RETRY_STATUSES[retryClass].has(res.status))
					throw error;
				delayMs = error.retryAfterMs;
				lastError = error;
			} catch (error) {
				if (!(error instanceof NetworkError)) throw error;
				const repeatable = retryClass === 'idempotent' || error.notSent;
				if (attempt >= this.retry.retries || !repeatable || options.signal?.aborted)
					throw this.outOfTime(error, startedAt, attempt, deadline);
				lastError = error;
			}
			const waitMs = this.backoff(attempt, delayMs);
			if (Date.now() + waitMs >= deadline)
				throw this.outOfTime(lastError, startedAt, attempt, deadline);
			await this.sleep(waitMs, options.signal);
		}
	}

	/** The last error, saying that the call's total deadline (not the attempts) ran out. */
	private outOfTime<E extends Error>(
		error: E,
		startedAt: number,
		attempt: number,
		deadline: number,
	): E {
		if (
			!Number.isFinite(deadline) ||
			!(error instanceof NetworkError) ||
			Date.now() + 1000 < deadline
		)
			return error;
		const spent = Math.round((Date.now() - startedAt) / 1000);
		return new NetworkError(
			`${error.message} (gave up after ${spent} s in all, ${attempt + 1} attempt${attempt ? 's' : ''})`,
			error.notSent,
			error.cause,
		) as unknown as E;
	}

	/** The one backoff (api/backoff.ts); a server's Retry-After wins (capped). */
	private backoff(attempt: number, retryAfterMs?: number): number {
		if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retry.maxDelayMs);
		return backoffDelay(attempt, {
			initialMs: this.retry.baseDelayMs,
			maxMs: this.retry.maxDelayMs,
		});
	}
}
