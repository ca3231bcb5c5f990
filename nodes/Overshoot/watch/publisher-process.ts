// The room publisher in a process of its own, one per trigger or check:
// - memory: libwebrtc's threads each keep a glibc malloc arena that is never given back, so n8n's
//   RSS grew with every start/stop of a trigger (bench restart_rss_growth_mb, node-sdks #514).
//   The process returns all of it when it ends, and runs with MALLOC_ARENA_MAX=2 meanwhile.
// - isolation: a crash in native code ends this process, not n8n; it is restarted like a lost room.
// Frames go down the child's fd 3 and are dropped, never queued, when it falls behind.

import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';

import { bounded } from './bounded';
import { childEnv } from './child-env';
import type { Frame } from './frame';
import { silentLogger, type WatchLogger } from './logger';
import { loadRtc } from './native';
import type {
	FramePublisher,
	PublisherEvents,
	PublisherOptions,
	PublisherStats,
	PublisherTarget,
} from './publisher-types';
import { FRAME_FD, frameHeader, type FromPublisher, type ToPublisher } from './publisher-channel';
import { reconnectWithFreshTarget } from './retry';
import { StderrTail } from './sources/stderr-tail';

/** What the child inherits: the allow-list (child-env.ts), with fewer malloc arenas. */
function publisherEnv(): NodeJS.ProcessEnv {
	return childEnv({ MALLOC_ARENA_MAX: '2' });
}

/** The compiled child script beside this file; when tests run the TypeScript sources, its twin in .build (`npm test` builds it first). */
export function publisherEntry(): string {
	const beside = path.join(__dirname, 'publisher-child.js');
	if (fs.existsSync(beside)) return beside;
	const root = path.resolve(__dirname, '..', '..', '..');
	return path.join(root, '.build', path.relative(root, __dirname), 'publisher-child.js');
}

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
	return signal ? `signal ${signal}` : `code ${code}`;
}

export class PublisherProcess implements FramePublisher {
	private child: ChildProcess | undefined;
	private frames: Writable | undefined;
	private output: StderrTail | undefined;
	private live = false;
	private connectedOnce = false;
	private closing = false;
	private closed: Promise<void> | undefined;
	private reviving: Promise<void> | undefined;
	private readonly stop = new AbortController();
	/** `rejoins` here: restarts of the process plus the rejoins of children that are gone. */
	private readonly counters: PublisherStats = { published: 0, dropped: 0, rejoins: 0 };
	private childRejoins = 0;
	private readonly logger: WatchLogger;

	constructor(
		private readonly options: PublisherOptions,
		private readonly events: PublisherEvents,
		private readonly entry = publisherEntry(),
	) {
		// The clear NativeModuleError now, in n8n's process, rather than a dead child later.
		loadRtc();
		this.logger = events.logger ?? silentLogger;
	}

	get isLive(): boolean {
		return this.live;
	}

	get stats(): PublisherStats {
		return { ...this.counters, rejoins: this.counters.rejoins + this.childRejoins };
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	async connect(target: PublisherTarget): Promise<void> {
		await this.spawnAndConnect(target);
		this.connectedOnce = true;
		this.events.onStatus?.({ kind: 'connected', url: target.url });
	}

	rejoin(reason: string): void {
		if (this.closing || !this.child) return;
		this.live = false;
		this.send(this.child, { type: 'rejoin', reason });
	}

	publish(frame: Frame): boolean {
		const frames = this.frames;
		if (
			!this.live ||
			!frames ||
			this.closing ||
			frame.width !== this.options.width ||
			frame.height !== this.options.height
		) {
			this.counters.dropped++;
			return false;
		}
		// A frame is still in the pipe: the child is behind. A live picture drops, never queues.
		if (frames.writableLength > frame.data.length) {
			this.counters.dropped++;
			return false;
		}
		frames.cork();
		frames.write(frameHeader(frame));
		frames.write(frame.data);
		frames.uncork();
		this.counters.published++;
		return true;
	}

	close(): Promise<void> {
		if (!this.closed) this.closed = this.shutdown();
		return this.closed;
	}

	private async shutdown(): Promise<void> {
		this.closing = true;
		this.live = false;
		this.stop.abort();
		await bounded(this.reviving, 2000);
		// The child leaves the room (≤ ~5 s, RoomPublisher.close) before it exits.
		if (this.child) await this.end(this.child, 8000);
	}

	private async spawnAndConnect(target: PublisherTarget): Promise<void> {
		if (this.closing) throw new Error('publisher closed');
		const child = this.spawn();
		try {
			await this.reply(child, 'ready', 20_000);
			this.send(child, { type: 'connect', target, options: this.options });
			// RoomPublisher bounds connecting and publishing the track by connectTimeoutMs each.
			await this.reply(child, 'connected', 2 * (this.options.connectTimeoutMs ?? 15_000) + 5000);
			if (this.closing) throw new Error('publisher closed while connecting');
			this.live = true;
		} catch (error) {
			await this.end(child, 8000);
			throw error;
		}
	}

	private spawn(): ChildProcess {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- our own publisher script (see the top of this file), no shell, no user input
		const child = fork(this.entry, [], {
			stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'ipc'],
			execArgv: [],
			env: publisherEnv(),
			serialization: 'json',
		});
		const output = new StderrTail(20);
		child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
		child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
		const frames = child.stdio[FRAME_FD] as Writable;
		// EPIPE once the child is gone: its exit is what gets reported.
		frames.on('error', () => undefined);
		child.on('error', (error) =>
			this.logger.warn('Video publisher process error', { message: error.message }),
		);
		child.on('message', (message: FromPublisher) => this.onMessage(child, message));
		child.on('exit', (code, signal) => this.onExit(child, code, signal));
		this.child = child;
		this.frames = frames;
		this.output = output;
		this.childRejoins = 0;
		return child;
	}

	/** Waits for the child's `wanted` message; rejects on its failure message, its exit, or a timeout. */
	private reply(child: ChildProcess, wanted: 'ready' | 'connected', ms: number): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			const settle = (error?: Error) => {
				clearTimeout(timer);
				child.off('message', onMessage);
				child.off('exit', onExit);
				child.off('error', settle);
				if (error) reject(error);
				else resolve();
			};
			const onMessage = (message: FromPublisher) => {
				if (message.type === wanted) settle();
				else if (message.type === 'connectFailed' || message.type === 'loadFailed')
					settle(new Error(message.message));
			};
			const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
				settle(
					new Error(
						`The video publisher process exited (${exitReason(code, signal)}). ${this.lastWords()}`.trim(),
					),
				);
			const timer = setTimeout(
				() =>
					settle(
						new Error(
							`The video publisher process did not answer within ${Math.round(ms / 1000)} s.`,
						),
					),
				ms,
			);
			child.on('message', onMessage);
			child.on('exit', onExit);
			child.on('error', settle);
		});
	}

	private onMessage(child: ChildProcess, message: FromPublisher) {
		if (child !== this.child) return;
		switch (message.type) {
			case 'status':
				this.live = message.live && !this.closing;
				this.childRejoins = message.rejoins;
				this.events.onStatus?.(message.status);
				break;
			case 'freshTarget':
				void this.answerTarget(child, message.id);
				break;
			case 'fatal':
				this.live = false;
				this.events.onFatal(new Error(message.message));
				break;
			case 'log':
				this.logger[message.level](message.message, message.meta);
				break;
		}
	}

	private async answerTarget(child: ChildProcess, id: number) {
		const target = await Promise.resolve()
			.then(() => this.events.freshTarget())
			.catch(() => null);
		this.send(child, { type: 'freshTarget', id, target });
	}

	private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
		if (child !== this.child) return;
		this.child = undefined;
		this.frames = undefined;
		this.live = false;
		this.counters.rejoins += this.childRejoins;
		this.childRejoins = 0;
		if (this.closing || !this.connectedOnce) return;
		const reason = `the video publisher process exited (${exitReason(code, signal)})`;
		this.logger.warn('The video publisher process exited; restarting it', {
			code,
			signal,
			output: this.lastWords(),
		});
		this.revive(reason);
	}

	private revive(reason: string) {
		if (this.reviving || this.closing) return;
		this.reviving = reconnectWithFreshTarget(
			{
				options: this.options,
				events: this.events,
				signal: this.stop.signal,
				reason,
				goal: 'restart the video publisher',
			},
			async (target) => {
				await this.spawnAndConnect(target);
				this.counters.rejoins++;
			},
			(error) => this.events.onFatal(error),
		).finally(() => (this.reviving = undefined));
	}

	/** Asks the child to leave the room and exit; kills it if it has not within `graceMs`. */
	private async end(child: ChildProcess, graceMs: number): Promise<void> {
		const gone = () => child.exitCode !== null || child.signalCode !== null;
		if (gone()) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		if (!this.send(child, { type: 'close' })) child.kill('SIGTERM');
		await bounded(exited, graceMs);
		if (gone()) return;
		this.logger.warn('The video publisher process did not exit; killing it');
		child.kill('SIGKILL');
		await bounded(exited, 2000);
	}

	private send(child: ChildProcess, message: ToPublisher): boolean {
		if (!child.connected) return false;
		try {
			child.send(message);
			return true;
		} catch {
			return false;
		}
	}

	/** The child's last output lines (a native crash prints its reason there). Never contains tokens: they travel over IPC. */
	private lastWords(): string {
		return (this.output?.snapshot() ?? []).slice(-3).join(' | ');
	}
}
