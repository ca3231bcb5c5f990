// Owns one Overshoot stream lease: create → keepalive well before expiry (keeping the fresh publish
// token each time) → delete. Never leaks a stream: a stop requested while the create is in flight
// deletes the stream as soon as the create resolves; `end()` is idempotent and bounded in time.
// A stream that is gone (keepalive 404, or the lease ran out while keepalives failed) is never
// replaced silently: it is reported, then replaced or declared fatal per `onStreamLost`.

import { Backoff } from '../api/backoff';
import { abortableSleep, type OvershootClient } from '../api/client';
import { OvershootApiError } from '../api/errors';
import type { CameraSource, PublishTarget, StreamCreated } from '../api/types';
import { bounded } from './bounded';
import { silentLogger, type WatchLogger } from './logger';
import type { StreamLedger } from './stream-ledger';

export type SessionStatus =
	| { kind: 'created'; streamId: string; expiresAtMs: number }
	| { kind: 'renewed'; streamId: string; expiresAtMs: number }
	| { kind: 'keepaliveFailed'; streamId: string; message: string; expiresAtMs: number }
	| { kind: 'lost'; streamId: string; reason: string }
	| { kind: 'replaced'; previousStreamId: string; streamId: string }
	| { kind: 'waitingForSlot'; attempt: number; retryInMs: number; message: string }
	| { kind: 'ended'; streamId: string; alreadyEnded: boolean };

export interface StreamSessionOptions {
	cameraSource?: CameraSource;
	/** Keepalive period; default min(120 s, ttl/3). */
	keepaliveSeconds?: number;
	onStreamLost: 'recreate' | 'fail';
	/** How long `end()` waits for an in-flight create or the delete before returning. */
	endTimeoutMs?: number;
	/**
	 * Where the streams this session owns are remembered across crashes: `open()` first ends the
	 * ones an earlier run left open (n8n killed without deactivating), then records its own.
	 */
	ledger?: StreamLedger;
	/**
	 * When the key's stream cap refuses a new stream (429 on create, after the client's own
	 * retries): wait for a slot to free and try again, logging why, until it does or end() comes.
	 * Off: the refusal is an error at once (a test run, where someone is watching).
	 */
	waitForSlot?: boolean;
}

/** At most one early check (checkNow) this often: a burst of failed questions is one check. */
const EARLY_CHECK_GAP_MS = 5_000;

/** Between attempts while the stream cap is full (a Retry-After from the server wins). */
const SLOT_BACKOFF = { initialMs: 5_000, maxMs: 30_000 };

/** How long `open()` spends ending an earlier run's streams before it creates its own anyway. */
const LEFTOVER_DELETE_MS = 10_000;

export interface StreamSessionEvents {
	logger?: WatchLogger;
	onStatus?(status: SessionStatus): void;
	/** A new stream replaced a lost one: rejoin with its publish target, wait for frames again. */
	onReplaced?(created: StreamCreated): void;
	/** The stream is gone and could not (or must not) be replaced, or the key was refused. */
	onFatal(error: Error): void;
}

export class SessionEndedError extends Error {
	constructor() {
		super('The watcher was stopped while the stream was being created; the stream was deleted.');
		this.name = 'SessionEndedError';
	}
}

const FATAL_STATUSES = new Set([401, 402, 403]);

export class StreamSession {
	private current: StreamCreated | undefined;
	private publishTarget: PublishTarget | null = null;
	private expiresAtMs = 0;
	private creating: Promise<StreamCreated> | undefined;
	private ended = false;
	private endPromise: Promise<void> | undefined;
	private readonly abort = new AbortController();
	private keepaliveLoop: Promise<void> | undefined;
	/** Ends the keepalive loop's current wait early (checkNow). */
	private wakeKeepalive: (() => void) | undefined;
	private lastEarlyCheckMs = 0;
	private readonly logger: WatchLogger;
	/** Streams whose delete has not succeeded (yet): still in flight, or failed with this message. */
	private readonly undeleted = new Map<string, string>();

	constructor(
		private readonly client: OvershootClient,
		private readonly options: StreamSessionOptions,
		private readonly events: StreamSessionEvents,
	) {
		this.logger = events.logger ?? silentLogger;
	}

	get streamId(): string | undefined {
		return this.current?.id;
	}

	get isEnded(): boolean {
		return this.ended;
	}

	/** The newest publish target (each keepalive mints a fresh token); null for camera sources. */
	latestPublish(): PublishTarget | null {
		return this.publishTarget;
	}

	/** Creates the stream and starts the keepalive loop. Rejects with SessionEndedError if end() came first. */
	async open(): Promise<StreamCreated> {
		if (this.ended) throw new SessionEndedError();
		if (this.current) return this.current;
		if (this.options.ledger) {
			await this.endLeftovers(this.options.ledger);
			if (this.ended) throw new SessionEndedError();
		}
		const created = await this.create();
		this.keepaliveLoop = this.keepAlive();
		return created;
	}

	/** Creates a stream; with `waitForSlot`, waits out the key's stream cap (see the option). */
	private async create(): Promise<StreamCreated> {
		const backoff = new Backoff(SLOT_BACKOFF);
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.createOnce();
			} catch (error) {
				if (!this.options.waitForSlot || this.ended || !isStreamCapRefusal(error)) throw error;
				const retryInMs = error.extra.retryAfterMs ?? backoff.next();
				const message = `Waiting for a free stream (attempt ${attempt}, next in ${Math.round(retryInMs / 1000)} s): Overshoot refused a new one: ${error.detail}. ${error.hint}`;
				this.events.onStatus?.({ kind: 'waitingForSlot', attempt, retryInMs, message });
				this.logger.warn(message, { attempt });
				try {
					await abortableSleep(retryInMs, this.abort.signal);
				} catch {
					throw new SessionEndedError();
				}
			}
		}
	}

	private async createOnce(): Promise<StreamCreated> {
		const pending = this.client.createStream(this.options.cameraSource);
		this.creating = pending;
		let created: StreamCreated;
		try {
			created = await pending;
		} finally {
			if (this.creating === pending) this.creating = undefined;
		}
		if (this.ended) {
			// end() arrived while the create was in flight: it already deletes this stream too.
			throw new SessionEndedError();
		}
		this.adopt(created);
		this.events.onStatus?.({
			kind: 'created',
			streamId: created.id,
			expiresAtMs: created.expires_at_ms,
		});
		this.logger.info('Overshoot stream created', {
			streamId: created.id,
			ttlSeconds: created.ttl_seconds,
		});
		return created;
	}

	private adopt(created: StreamCreated) {
		this.current = created;
		this.publishTarget = created.publish;
		this.expiresAtMs = created.expires_at_ms;
		this.record(created.id, created.expires_at_ms);
	}

	/**
	 * Streams an earlier run of this trigger left open: each still holds a slot of the key's stream
	 * cap and is billed until its lease runs out. Deleted (bounded in time; 404 = already gone);
	 * one that cannot be deleted now stays in the ledger for the next activation.
	 */
	private async endLeftovers(ledger: StreamLedger): Promise<void> {
		const leftovers = await ledger.leftovers().catch((error: Error) => {
			this.logger.warn('Could not read the list of streams an earlier run left open', {
				message: error.message,
			});
			return [];
		});
		if (leftovers.length === 0) return;
		const streamIds = leftovers.map((e) => e.streamId);
		this.logger.warn(
			`Ending ${leftovers.length} Overshoot stream(s) an earlier run left open (n8n stopped without deactivating this trigger)`,
			{ streamIds },
		);
		const deletions = streamIds.map(async (id) => {
			if (await this.deleteStream(id)) await ledger.forget(id).catch(() => undefined);
		});
		let finished = false;
		await bounded(
			Promise.all(deletions).finally(() => (finished = true)),
			LEFTOVER_DELETE_MS,
		);
		if (!finished)
			this.logger.warn(
				"Ending the earlier run's streams takes long; creating the new stream meanwhile",
				{ streamIds },
			);
	}

	/** Keeps the ledger in step; a failure there is logged, never fatal (the lease is the backstop). */
	private record(streamId: string, expiresAtMs: number | null) {
		const ledger = this.options.ledger;
		if (!ledger) return;
		const change =
			expiresAtMs === null ? ledger.forget(streamId) : ledger.remember({ streamId, expiresAtMs });
		change.catch((error: Error) =>
			this.logger.warn('Could not update the list of streams this trigger owns', {
				streamId,
				message: error.message,
			}),
		);
	}

	private periodMs(): number {
		if (this.options.keepaliveSeconds !== undefined) return this.options.keepaliveSeconds * 1000;
		const ttl = this.current?.ttl_seconds ?? 300;
		return Math.min(120, ttl / 3) * 1000;
	}

	/**
	 * Something suggests the stream is gone at the server (a question got 404): keep it alive now
	 * rather than at the next period (up to two minutes away), so that a lost stream is replaced
	 * within seconds. A stream that is fine just has its lease renewed early.
	 */
	checkNow(streamId: string): void {
		if (this.ended || this.current?.id !== streamId || !this.wakeKeepalive) return;
		if (Date.now() - this.lastEarlyCheckMs < EARLY_CHECK_GAP_MS) return;
		this.lastEarlyCheckMs = Date.now();
		this.logger.info('A question found the stream missing; checking it now', { streamId });
		this.wakeKeepalive();
	}

	private async keepAlive(): Promise<void> {
		const signal = this.abort.signal;
		let delayMs = this.periodMs();
		while (!this.ended) {
			const woken = new Promise<void>((resolve) => (this.wakeKeepalive = resolve));
			try {
				await Promise.race([abortableSleep(delayMs, signal), woken]);
			} catch {
				return; // ended
			} finally {
				this.wakeKeepalive = undefined;
			}
			const id = this.current!.id;
			try {
				const res = await this.client.keepalive(id, { signal, timeoutMs: 20_000 });
				if (this.ended) return;
				this.expiresAtMs = res.expires_at_ms;
				this.record(id, res.expires_at_ms);
				if (res.publish) this.publishTarget = res.publish;
				this.events.onStatus?.({ kind: 'renewed', streamId: id, expiresAtMs: res.expires_at_ms });
				delayMs = this.periodMs();
			} catch (error) {
				if (this.ended) return;
				if (error instanceof OvershootApiError && FATAL_STATUSES.has(error.status)) {
					return this.fail(
						new Error(`Keeping the stream alive was refused: ${error.message}. ${error.hint}`),
					);
				}
				const gone = error instanceof OvershootApiError && error.status === 404;
				const msLeft = this.expiresAtMs - Date.now();
				if (gone || msLeft <= 0) {
					const reason = gone
						? 'the server no longer knows the stream (ended or expired)'
						: 'the lease expired while keepalives failed';
					if (!(await this.streamLost(id, reason))) return;
					delayMs = this.periodMs();
					continue;
				}
				const message = (error as Error).message;
				this.events.onStatus?.({
					kind: 'keepaliveFailed',
					streamId: id,
					message,
					expiresAtMs: this.expiresAtMs,
				});
				this.logger.warn('Stream keepalive failed; retrying before the lease runs out', {
					streamId: id,
					message,
					msLeft,
				});
				// Retry soon, but leave time for a few more attempts before expiry.
				delayMs = Math.max(50, Math.min(5_000, this.periodMs(), msLeft / 4));
			}
		}
	}

	/** Reports the loss and replaces the stream (true) or fails (false). */
	private async streamLost(id: string, reason: string): Promise<boolean> {
		this.record(id, null); // gone at the server: nothing left to end
		this.events.onStatus?.({ kind: 'lost', streamId: id, reason });
		this.logger.warn('Overshoot stream lost', { streamId: id, reason });
		if (this.options.onStreamLost === 'fail') {
			this.fail(new Error(`The Overshoot stream ${id} is gone: ${reason}.`));
			return false;
		}
		try {
			const created = await this.create();
			this.events.onStatus?.({ kind: 'replaced', previousStreamId: id, streamId: created.id });
			this.events.onReplaced?.(created);
			return true;
		} catch (error) {
			if (error instanceof SessionEndedError) return false;
			const hint = error instanceof OvershootApiError ? ` ${error.hint}` : ''; // e.g. the key's stream cap (429)
			this.fail(
				new Error(
					`The Overshoot stream ${id} is gone (${reason}) and a new one could not be created: ${(error as Error).message}.${hint}`,
				),
			);
			return false;
		}
	}

	private fail(error: Error) {
		if (!this.ended) this.events.onFatal(error);
	}

	/** Deletes the stream (404 = already gone = fine). Idempotent; resolves within endTimeoutMs. */
	end(): Promise<void> {
		if (!this.endPromise) {
			this.ended = true;
			this.abort.abort(new SessionEndedError());
			const work = this.deleteAll();
			const bound = this.options.endTimeoutMs ?? 5_000;
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<void>((resolve) => {
				timer = setTimeout(() => {
					this.logger.warn(
						'Deleting the stream takes longer than expected; it continues in the background',
					);
					resolve();
				}, bound);
			});
			this.endPromise = Promise.race([work, timeout]).finally(() => clearTimeout(timer));
		}
		return this.endPromise;
	}

	private async deleteAll(): Promise<void> {
		const pending = this.creating;
		const ids = new Set<string>();
		if (this.current) ids.add(this.current.id);
		const deletions = [...ids].map((id) => this.deleteOne(id));
		if (pending) {
			// The create's response may still arrive: delete that stream as soon as it does.
			deletions.push(
				pending.then(
					(created) => this.deleteOne(created.id),
					() => undefined, // no stream was created
				),
			);
		}
		await Promise.all(deletions);
		await this.keepaliveLoop?.catch(() => undefined);
	}

	/**
	 * After end(): the streams that are not confirmed deleted, with why (a failed or unfinished
	 * delete). Empty means every stream this session opened is gone and no longer billed.
	 */
	undeletedStreams(): Array<{ streamId: string; reason: string }> {
		return [...this.undeleted].map(([streamId, reason]) => ({ streamId, reason }));
	}

	/** The lease a stream left behind runs until it expires: at most one TTL from its last renewal. */
	get leaseSeconds(): number {
		return this.current?.ttl_seconds ?? 300;
	}

	private async deleteOne(id: string): Promise<void> {
		this.undeleted.set(id, 'the delete did not finish in time');
		const res = await this.deleteStream(id);
		if (!res) return;
		this.undeleted.delete(id);
		this.record(id, null);
		this.events.onStatus?.({
			kind: 'ended',
			streamId: id,
			alreadyEnded: res.already_ended === true,
		});
	}

	/** DELETE (404 = already gone = success); undefined when it failed, which is logged. */
	private async deleteStream(id: string) {
		try {
			const res = await this.client.deleteStream(id, { timeoutMs: 10_000 });
			this.logger.info('Overshoot stream deleted', {
				streamId: id,
				alreadyEnded: res.already_ended === true,
			});
			return res;
		} catch (error) {
			this.undeleted.set(id, (error as Error).message);
			// The lease will expire by itself within ttl; say so rather than hide it.
			this.logger.error('Could not delete the Overshoot stream; its lease will expire on its own', {
				streamId: id,
				message: (error as Error).message,
			});
			return undefined;
		}
	}
}

/** A 429 on create: the per-key stream cap (errors.ts translates it so), not a request rate. */
function isStreamCapRefusal(error: unknown): error is OvershootApiError {
	return error instanceof OvershootApiError && error.status === 429;
}
