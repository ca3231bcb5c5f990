// One activation of the trigger: owns the watcher, turns its events into emits, and closes
// idempotently. Rules it follows (n8n 2.40, packages/core triggers-and-pollers + workflow-execute):
// - In manual mode n8n swaps `emit`/`emitError` on the context *after* trigger() returns, so they
//   are looked up on the context at call time, never captured early.
// - In manual mode the first emit ends the test run; n8n then calls closeFunction. If the run
//   fails instead (emitError, or manualTriggerFunction throws), n8n never gets closeFunction, so
//   this class stops the watcher itself in those cases.
// - emitError is only for what the watcher could not heal (it already retried); n8n then closes
//   the trigger, runs the Error Workflow and re-activates with backoff.
// - "One Run at a Time" passes a donePromise and drops matches while a run is going: matches come
//   from a clock, so a dropped one is followed by a fresh one, and a slow workflow (e.g. sending a
//   message) cannot pile up executions. Cooldown still counts from the last emitted event.
//   Incident starts and clears are never dropped (a lost "cleared" would leave a ticket open):
//   they are emitted even while a run is going.

import type { IRun, ITriggerFunctions } from 'n8n-workflow';
import { TriggerCloseError } from 'n8n-workflow';

import type { WatchLogger } from '../watch/logger';
import type { Watcher, WatcherStatus, WatchEvent } from '../watch/watcher';
import { WatcherStoppedError } from '../watch/watcher';
import { toTriggerError } from './errors';
import { eventToItem } from '../shared/item';
import { withWorkerHint } from './queue-worker';

/** A run that never reports back (lost hook) must not silence the trigger forever. */
const MAX_RUN_WAIT_MS = 10 * 60_000;
/** After a non-looping video ended: time for the last question in flight to be answered. */
const ENDED_GRACE_MS = 20_000;

export interface RunSettings {
	manual: boolean;
	/** This process is an `n8n worker` (a manual run offloaded to it, see queue-worker.ts). */
	onWorker?: boolean;
	emitEveryAnswer: boolean;
	oneRunAtATime: boolean;
	secrets: readonly string[];
	logger: WatchLogger;
}

export class TriggerRun {
	private watcher: Watcher | undefined;
	private closing: Promise<void> | undefined;
	private emitted = false;
	private busy = false;
	private skippedWhileBusy = 0;
	private endedTimer: NodeJS.Timeout | undefined;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly settings: RunSettings,
	) {}

	/** The callbacks the watcher is built with (the watcher needs them at construction). */
	callbacks() {
		return {
			onMatch: (e: WatchEvent) => (this.settings.emitEveryAnswer ? undefined : this.deliver(e)),
			onAnswer: (e: WatchEvent) => (this.settings.emitEveryAnswer ? this.deliver(e) : undefined),
			onStatus: (s: WatcherStatus) => this.onStatus(s),
			onFatal: (error: Error) => this.fatal(error),
		};
	}

	attach(watcher: Watcher) {
		this.watcher = watcher;
	}

	/** Starts watching; on failure everything is torn down and a clear n8n error is thrown. */
	async start(): Promise<void> {
		try {
			await this.watcher!.start();
		} catch (error) {
			await this.stopWatcher();
			// Closed while connecting (deactivated, or the test run cancelled): nothing to report.
			if (error instanceof WatcherStoppedError && this.closing) return;
			throw this.nodeError(error);
		}
	}

	/** The n8n error for a failure, with the queue-worker hint where it applies. */
	private nodeError(error: unknown) {
		return withWorkerHint(toTriggerError(this.ctx.getNode(), error, this.settings.secrets), error, {
			manual: this.settings.manual,
			onWorker: this.settings.onWorker === true,
		});
	}

	/** closeFunction: idempotent, waits for the full teardown (ffmpeg, room, stream). */
	close = async (): Promise<void> => {
		this.closing ??= this.stopWatcher();
		try {
			await this.closing;
		} catch (cause) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- TriggerCloseError is n8n's own error for closeFunction (logged as a warning, not a deactivation failure)
			throw new TriggerCloseError(this.ctx.getNode(), { cause: cause as Error, level: 'warning' });
		}
	};

	private async stopWatcher(): Promise<void> {
		clearTimeout(this.endedTimer);
		await this.watcher?.stop();
	}

	private async deliver(event: WatchEvent): Promise<void> {
		if (this.closing) return;
		if (this.settings.manual && this.emitted) return; // the test run takes exactly one item
		if (this.busy && !event.incident) {
			this.skippedWhileBusy++;
			this.settings.logger.info(
				'Match skipped: the previous run is still going ("One Run at a Time")',
				{ skipped: this.skippedWhileBusy },
			);
			return;
		}
		const item = await eventToItem(
			event,
			(data, name, mime) => this.ctx.helpers.prepareBinaryData(data, name, mime),
			this.settings.secrets,
		);
		if (this.closing || (this.settings.manual && this.emitted)) return;
		this.emitted = true;
		if (this.settings.manual || !this.settings.oneRunAtATime || this.busy) {
			this.ctx.emit([[item]]);
			return;
		}
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.busy = true;
		const timer = setTimeout(() => (this.busy = false), MAX_RUN_WAIT_MS);
		// A failed run (or a refused emit) counts as finished too.
		done.promise
			.then(
				() => undefined,
				() => undefined,
			)
			.finally(() => {
				clearTimeout(timer);
				this.busy = false;
			});
		this.ctx.emit([[item]], undefined, done);
	}

	private onStatus(s: WatcherStatus) {
		const log =
			s.kind === 'interrupted' ||
			s.kind === 'reconnecting' ||
			s.kind === 'failing' ||
			s.kind === 'lost' ||
			s.kind === 'askFailed'
				? 'warn'
				: 'debug';
		this.settings.logger[log](s.message, { component: s.component, kind: s.kind });
		if (s.component === 'source' && s.kind === 'ended') this.videoEnded();
	}

	/** A non-looping file or image set has played out: wait for the last answer, then stop. */
	private videoEnded() {
		clearTimeout(this.endedTimer);
		this.endedTimer = setTimeout(() => {
			if (this.closing || (this.settings.manual && this.emitted)) return;
			if (this.settings.manual) {
				this.fatal(
					new Error(
						'The video ended before the condition matched (Loop is off). Turn Loop on, or use "Emit Every Answer (for Tuning)" to see what the model answers.',
					),
				);
				return;
			}
			// Active workflow: nothing is broken, there is just nothing more to watch.
			this.settings.logger.info(
				'The video ended (Loop is off); watching stopped until the workflow is re-activated',
			);
			void this.stopWatcher();
		}, ENDED_GRACE_MS);
		this.endedTimer.unref?.();
	}

	private fatal(error: Error) {
		if (this.closing) return;
		const nodeError = this.nodeError(error);
		this.settings.logger.error(`Watching failed: ${nodeError.message}`);
		// The watcher tore itself down before onFatal; stopping again is a no-op that also covers
		// manual runs, where n8n will not call closeFunction after an error.
		void this.stopWatcher();
		this.ctx.emitError(nodeError);
	}
}
