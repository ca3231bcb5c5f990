// Stream records, their leases (real timers: an unrenewed stream really ends) and tombstones
// (an ended stream stays readable for a short window, then 404s everywhere).

import { randomUUID } from 'node:crypto';
import type { ApiVersion } from './errors';
import { FrameStore, type RetentionLimits } from './frames';

export type SourceType = 'livekit' | 'rtsp' | 'hls';
/** Internal reason; `reaped` (v1) is reported as `expired` under v1beta. */
export type EndReason = 'expired' | 'deleted' | 'reaped';

/** Something that feeds frames into a stream (LiveKit subscriber, ffmpeg puller). */
export interface Ingest {
	readonly publisherConnected: boolean;
	readonly ingestConnected: boolean;
	/** Stops for good (leave/delete room, kill ffmpeg). Never rejects. */
	stop(): Promise<void>;
}

export interface FrameCounters {
	stream_time_ms: number | null;
	first_frame_at_ms: number | null;
	last_frame_at_ms: number | null;
	last_frame_index: number | null;
	first_available_frame_at_ms: number | null;
	first_available_frame_index: number | null;
	recent_fps: number | null;
	retained_frame_count: number | null;
	evicted_frame_count: number | null;
}

export interface StreamRecord {
	id: string;
	owner: string;
	source: SourceType;
	createdAtMs: number;
	expiresAtMs: number;
	ttlSeconds: number;
	state: 'active' | 'ended';
	endedAtMs: number | null;
	endReason: EndReason | null;
	frames: FrameStore;
	/** v1beta `last_pull`: newest pulled frame, written at most once per second. */
	lastPullMs: number | null;
	ingest?: Ingest;
	/** Counters snapshotted when the stream ended. */
	frozen?: FrameCounters;
	leaseTimer?: NodeJS.Timeout;
	tombstoneTimer?: NodeJS.Timeout;
}

export interface StreamStoreOptions {
	ttlSeconds: number;
	tombstoneSeconds: number;
	retention: RetentionLimits;
	/** Called after a stream ended (any reason), once its ingest has stopped. */
	onEnded?: (rec: StreamRecord) => void;
}

export class StreamStore {
	private readonly streams = new Map<string, StreamRecord>();

	constructor(private readonly opts: StreamStoreOptions) {}

	create(owner: string, source: SourceType): StreamRecord {
		const now = Date.now();
		const rec: StreamRecord = {
			id: randomUUID(),
			owner,
			source,
			createdAtMs: now,
			expiresAtMs: now + this.opts.ttlSeconds * 1000,
			ttlSeconds: this.opts.ttlSeconds,
			state: 'active',
			endedAtMs: null,
			endReason: null,
			frames: new FrameStore(this.opts.retention),
			lastPullMs: null,
		};
		this.streams.set(rec.id, rec);
		this.armLease(rec);
		return rec;
	}

	/** The record (active or tombstoned), or undefined once it is gone. */
	get(id: string): StreamRecord | undefined {
		const rec = this.streams.get(id);
		// Belt and braces: a timer can fire late under load; the lease is a deadline, not a suggestion.
		if (rec && rec.state === 'active' && Date.now() >= rec.expiresAtMs)
			void this.end(rec, 'expired');
		return rec;
	}

	all(): StreamRecord[] {
		return [...this.streams.values()];
	}

	activeCount(owner: string): number {
		let n = 0;
		for (const rec of this.streams.values())
			if (rec.owner === owner && this.get(rec.id)?.state === 'active') n++;
		return n;
	}

	keepalive(rec: StreamRecord): void {
		rec.expiresAtMs = Date.now() + rec.ttlSeconds * 1000;
		this.armLease(rec);
	}

	/** Forces the lease to lapse now (tests). */
	expireNow(rec: StreamRecord): Promise<void> {
		return this.end(rec, 'expired');
	}

	private armLease(rec: StreamRecord): void {
		clearTimeout(rec.leaseTimer);
		rec.leaseTimer = setTimeout(
			() => void this.end(rec, 'expired'),
			Math.max(0, rec.expiresAtMs - Date.now()),
		);
		rec.leaseTimer.unref();
	}

	/** Ends a stream (idempotent): freeze counters, drop frames, stop ingest, start the tombstone. */
	async end(rec: StreamRecord, reason: EndReason): Promise<void> {
		if (rec.state === 'ended') return;
		rec.frozen = counters(rec, 'v1');
		rec.state = 'ended';
		rec.endedAtMs = Date.now();
		rec.endReason = reason;
		clearTimeout(rec.leaseTimer);
		rec.frames.clear();
		rec.tombstoneTimer = setTimeout(
			() => this.streams.delete(rec.id),
			this.opts.tombstoneSeconds * 1000,
		);
		rec.tombstoneTimer.unref();
		if (rec.ingest) await rec.ingest.stop();
		this.opts.onEnded?.(rec);
	}

	/** Removes a stream at once, without a tombstone (a create that failed after the record existed). */
	forget(rec: StreamRecord): void {
		clearTimeout(rec.leaseTimer);
		clearTimeout(rec.tombstoneTimer);
		this.streams.delete(rec.id);
	}

	/** Ends every stream and forgets them all (close/reset). */
	async clear(): Promise<void> {
		const recs = this.all();
		await Promise.all(recs.map((rec) => this.end(rec, 'deleted')));
		for (const rec of recs) {
			clearTimeout(rec.leaseTimer);
			clearTimeout(rec.tombstoneTimer);
		}
		this.streams.clear();
	}
}

export function counters(rec: StreamRecord, version: ApiVersion, now = Date.now()): FrameCounters {
	if (rec.frozen) return rec.frozen;
	const store = rec.frames;
	const frames = store.retained(now);
	if (store.firstFrameAtMs === null || store.lastFrameAtMs === null) {
		return {
			// v1: null until the first frame; v1beta: 0 (§15.10).
			stream_time_ms: version === 'v1' ? null : 0,
			first_frame_at_ms: null,
			last_frame_at_ms: null,
			last_frame_index: null,
			first_available_frame_at_ms: null,
			first_available_frame_index: null,
			recent_fps: null,
			retained_frame_count: null,
			evicted_frame_count: null,
		};
	}
	return {
		stream_time_ms: store.lastFrameAtMs - store.firstFrameAtMs,
		first_frame_at_ms: store.firstFrameAtMs,
		last_frame_at_ms: store.lastFrameAtMs,
		last_frame_index: store.nextIndex - 1,
		first_available_frame_at_ms: frames[0]?.atMs ?? null,
		first_available_frame_index: frames[0]?.index ?? null,
		recent_fps: store.recentFps(now),
		retained_frame_count: frames.length,
		evicted_frame_count: store.evicted,
	};
}

/** `GET /streams/{id}` body (§2.3). */
export function streamInfo(rec: StreamRecord, version: ApiVersion) {
	const c = { ...counters(rec, version) };
	if (version === 'v1beta' && c.stream_time_ms === null) c.stream_time_ms = 0;
	const ended = rec.state === 'ended';
	const info: Record<string, unknown> = {
		id: rec.id,
		state: rec.state,
		...c,
		created_at_ms: rec.createdAtMs,
		expires_at_ms: ended && version === 'v1beta' ? null : rec.expiresAtMs,
		ttl_seconds: rec.ttlSeconds,
		ended_at_ms: rec.endedAtMs,
		end_reason: rec.endReason === 'reaped' && version === 'v1beta' ? 'expired' : rec.endReason,
		audio: false,
	};
	if (version === 'v1beta') {
		info.source = { type: rec.source };
		info.last_pull = rec.source === 'livekit' ? null : rec.lastPullMs;
	}
	return info;
}
