// Stopping the engine (the watcher, Check) in phases: the steps of a phase run concurrently,
// phases one after another. Every step is bounded and runs even if another failed or hangs, so the
// worst case of a whole stop is the sum, over the phases, of each phase's longest bound.

import { bounded } from './bounded';
import type { FrameSource } from './frame';
import type { WatchLogger } from './logger';
import type { FramePublisher } from './publisher-types';
import type { StreamSession } from './stream-session';

export interface TeardownStep {
	name: string;
	run: () => Promise<void> | undefined;
	/** The longest this step is waited for; it may go on in the background after that. */
	boundMs: number;
}

export async function runTeardown(phases: TeardownStep[][], logger: WatchLogger): Promise<void> {
	for (const phase of phases) await Promise.all(phase.map((s) => runStep(s, logger)));
}

async function runStep(step: TeardownStep, logger: WatchLogger): Promise<void> {
	const started = Date.now();
	let finished = false;
	const work = Promise.resolve()
		.then(step.run)
		.catch((error: Error) =>
			logger.warn(`Teardown step "${step.name}" failed`, { message: error.message }),
		)
		.finally(() => (finished = true));
	await bounded(work, step.boundMs);
	if (finished) logger.debug(`Teardown step "${step.name}" done`, { ms: Date.now() - started });
	else
		logger.warn(
			`Teardown step "${step.name}" did not finish within ${step.boundMs / 1000} s; going on without it`,
		);
}

/**
 * How long each step of stopping the engine is waited for: the in-flight question is aborted; the
 * source's decoder gets SIGTERM, then SIGKILL; the publisher process leaves the room (≤ ~5 s) or
 * is killed; the delete has its own 5 s bound (StreamSession.end).
 */
const STOP_BOUNDS_MS = { asking: 3000, source: 6000, room: 10_000, stream: 6000 };

/** The longest stopping the engine takes, whatever hangs: asking, then the longest of the rest. */
export const ENGINE_STOP_BOUND_MS =
	STOP_BOUNDS_MS.asking +
	Math.max(STOP_BOUNDS_MS.source, STOP_BOUNDS_MS.room, STOP_BOUNDS_MS.stream);

/**
 * Stopping the engine (watcher.ts, one-shot.ts). Asking stops first: no question about a stream
 * that is being deleted, none billed after the stop. The rest does not depend on its order, so it
 * runs at once: the billed stream is deleted while the source stops and the room is left, not after
 * them. The publisher's close() starts before the delete (steps start in order), so the room the
 * delete ends is not rejoined. Worst case ENGINE_STOP_BOUND_MS, well inside n8n's 30 s graceful
 * shutdown.
 */
export function engineStopPhases(parts: {
	asker?: { stop(): Promise<void> };
	source?: FrameSource;
	publisher?: FramePublisher;
	session?: StreamSession;
}): TeardownStep[][] {
	return [
		[{ name: 'stop asking', run: () => parts.asker?.stop(), boundMs: STOP_BOUNDS_MS.asking }],
		[
			{ name: 'stop the source', run: () => parts.source?.stop(), boundMs: STOP_BOUNDS_MS.source },
			{ name: 'leave the room', run: () => parts.publisher?.close(), boundMs: STOP_BOUNDS_MS.room },
			{
				name: 'delete the stream',
				run: () => parts.session?.end(),
				boundMs: STOP_BOUNDS_MS.stream,
			},
		],
	];
}
