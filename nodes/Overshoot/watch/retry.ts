// Retrying a lost connection until it comes back, the caller stops, or it has been down too long.
// Shared by the room publisher (rejoining a room) and its process (restarting a crashed publisher).
// The delays are the one backoff's (api/backoff.ts, with jitter): many triggers that lost one
// LiveKit server do not all knock again in the same instant.

import { Backoff } from '../api/backoff';
import { abortableSleep } from '../api/client';
import type { PublisherEvents, PublisherOptions, PublisherTarget } from './publisher-types';

export interface RetryPlan {
	/** Stop retrying (silently) when this aborts. */
	signal: AbortSignal;
	/** Give up once the first failure is this old. */
	giveUpAfterMs: number;
	initialDelayMs: number;
	maxDelayMs: number;
}

export interface RetryHooks {
	/** One attempt; resolves when connected again. */
	attempt(attempt: number): Promise<void>;
	/** Before each attempt. */
	trying?(attempt: number, downSinceMs: number): void;
	succeeded(attempts: number, downSinceMs: number): void;
	failed(error: Error, attempt: number, downSinceMs: number): void;
	/** Called once, after the failure that crossed `giveUpAfterMs`. */
	gaveUp(error: Error, downSinceMs: number): void;
}

export async function retryWithBackoff(plan: RetryPlan, hooks: RetryHooks): Promise<void> {
	const downSinceMs = Date.now();
	const backoff = new Backoff({ initialMs: plan.initialDelayMs, maxMs: plan.maxDelayMs });
	for (let attempt = 1; !plan.signal.aborted; attempt++) {
		hooks.trying?.(attempt, downSinceMs);
		try {
			await hooks.attempt(attempt);
			if (plan.signal.aborted) return;
			hooks.succeeded(attempt, downSinceMs);
			return;
		} catch (error) {
			if (plan.signal.aborted) return;
			hooks.failed(error as Error, attempt, downSinceMs);
			if (Date.now() - downSinceMs >= plan.giveUpAfterMs) {
				hooks.gaveUp(error as Error, downSinceMs);
				return;
			}
		}
		// An abort ends the wait early; the loop's condition then ends the retrying silently.
		await abortableSleep(backoff.next(), plan.signal).catch(() => undefined);
	}
}

/** What a publisher needs to get back into its room: its retry settings and where statuses go. */
export interface ReconnectSettings {
	options: Pick<PublisherOptions, 'giveUpAfterMs' | 'retryInitialMs' | 'retryMaxMs'>;
	events: Pick<PublisherEvents, 'freshTarget' | 'onStatus'>;
	signal: AbortSignal;
	/** Why the room was lost, for the 'reconnecting' status. */
	reason: string;
	/** For the give-up message: "rejoin the Overshoot video room", "restart the video publisher". */
	goal: string;
}

/**
 * Reconnects with the session's newest token (an old one may have stopped working), reporting
 * reconnecting → failing … → reconnected through `onStatus`, and `onGiveUp` once past the limit.
 * Shared by RoomPublisher (a lost room) and PublisherProcess (a lost child process).
 */
export function reconnectWithFreshTarget(
	settings: ReconnectSettings,
	connect: (target: PublisherTarget) => Promise<void>,
	onGiveUp: (error: Error) => void,
): Promise<void> {
	const { options, events, signal, reason, goal } = settings;
	return retryWithBackoff(
		{
			signal,
			giveUpAfterMs: options.giveUpAfterMs ?? 120_000,
			initialDelayMs: options.retryInitialMs ?? 500,
			maxDelayMs: options.retryMaxMs ?? 10_000,
		},
		{
			trying: (attempt, downSinceMs) =>
				events.onStatus?.({ kind: 'reconnecting', reason, downSinceMs, attempt }),
			attempt: async () => {
				const target = await events.freshTarget();
				if (!target) throw new Error('no publish token available');
				if (signal.aborted) return;
				await connect(target);
			},
			succeeded: (attempts, downSinceMs) =>
				events.onStatus?.({ kind: 'reconnected', downForMs: Date.now() - downSinceMs, attempts }),
			failed: (error, attempt, sinceMs) =>
				events.onStatus?.({ kind: 'failing', sinceMs, message: error.message, attempt }),
			gaveUp: (error, downSinceMs) =>
				onGiveUp(
					new Error(
						`Could not ${goal} for ${Math.round((Date.now() - downSinceMs) / 1000)} s (last error: ${error.message}).`,
					),
				),
		},
	);
}
