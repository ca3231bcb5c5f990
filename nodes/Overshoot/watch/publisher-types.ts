// What a publisher is, apart from how it publishes: the contract the watcher, Check, the retry loop,
// the publisher process and its IPC channel share. RoomPublisher (publisher.ts) implements it with
// rtc-node; retry.ts drives its rejoins. Types only, so both can import it without a cycle.

import type { Frame } from './frame';
import type { WatchLogger } from './logger';

export type PublisherStatus =
	| { kind: 'connected'; url: string }
	/** The SDK lost the connection and is resuming on its own; frames may be lost meanwhile. */
	| { kind: 'reconnecting'; reason: string; downSinceMs: number; attempt: number }
	| { kind: 'reconnected'; downForMs: number; attempts: number }
	/** Rejoining keeps failing; `sinceMs` is when the room was lost. Fatal after the limit. */
	| { kind: 'failing'; sinceMs: number; message: string; attempt: number };

export interface PublisherTarget {
	url: string;
	token: string;
}

export interface PublisherOptions {
	width: number;
	height: number;
	/** The source's frame rate: the encoder's maxFramerate. */
	fps: number;
	maxBitrateKbps?: number;
	connectTimeoutMs?: number;
	/** Give up (onFatal) when the room could not be rejoined for this long. */
	giveUpAfterMs?: number;
	/** Backoff between rejoin attempts. */
	retryInitialMs?: number;
	retryMaxMs?: number;
	trackName?: string;
}

export interface PublisherEvents {
	/** The newest credentials for a rejoin (the session's latest keepalive token). */
	freshTarget(): PublisherTarget | null | Promise<PublisherTarget | null>;
	onStatus?(status: PublisherStatus): void;
	onFatal(error: Error): void;
	logger?: WatchLogger;
}

export interface PublisherStats {
	published: number;
	/** Frames not captured: room down, wrong size, closed. */
	dropped: number;
	rejoins: number;
}

/** What the watcher needs from a publisher: RoomPublisher here, or PublisherProcess around it. */
export interface FramePublisher {
	readonly isLive: boolean;
	readonly stats: PublisherStats;
	/** Joins the room and publishes the track. Rejects (after cleaning up) on failure or close(). */
	connect(target: PublisherTarget): Promise<void>;
	/** Leaves the current room and joins again with the newest target (e.g. a replaced stream). */
	rejoin(reason: string): void;
	/** Hands one frame to the room; false when it was dropped. Never blocks, never queues. */
	publish(frame: Frame): boolean;
	/** Leaves the room and releases everything. Idempotent and bounded. */
	close(): Promise<void>;
}
