// Publishes frames into the stream's LiveKit room as one camera track, and keeps doing so across
// server restarts and network drops. rtc-node traps this file works around (docs/livekit-rtsp.md §1):
// - `room.connect()` has no timeout: wrapped in our own; a connect that resolves after we gave up
//   is disconnected at once so no ghost participant stays in the room.
// - `RoomEvent.Connected` never fires: `await connect()` resolving means connected.
// - `room.disconnect()` strips every listener, and a disconnected Room is not reused: each rejoin
//   builds a new Room with a fresh token from the session (old tokens may stop working). The one
//   VideoSource survives; each rejoin gets a new LocalVideoTrack on it.
// - `VideoFrame` ignores byteOffset: frames own their buffer from offset 0 (Frame contract).
// - `dispose()` is process-wide and n8n keeps running: never called here.

import type * as Rtc from '@livekit/rtc-node';
import type { Frame } from './frame';
import type {
	FramePublisher,
	PublisherEvents,
	PublisherOptions,
	PublisherStats,
	PublisherTarget,
} from './publisher-types';
import { silentLogger, type WatchLogger } from './logger';
import { loadRtc } from './native';
import { bounded } from './bounded';
import { reconnectWithFreshTarget } from './retry';

class ConnectTimeoutError extends Error {
	constructor(ms: number) {
		super(`LiveKit room did not connect within ${Math.round(ms / 1000)} s`);
		this.name = 'ConnectTimeoutError';
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number, onLate?: (value: T) => void): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let settled = false;
		const timer = setTimeout(() => {
			settled = true;
			reject(new ConnectTimeoutError(ms));
		}, ms);
		promise.then(
			(value) => {
				clearTimeout(timer);
				if (settled) onLate?.(value);
				else resolve(value);
			},
			(error) => {
				clearTimeout(timer);
				if (!settled) reject(error);
			},
		);
	});
}

export class RoomPublisher implements FramePublisher {
	private readonly rtc: typeof Rtc;
	private readonly source: Rtc.VideoSource;
	private readonly logger: WatchLogger;
	private room: Rtc.Room | undefined;
	private track: Rtc.LocalVideoTrack | undefined;
	private trackSid: string | undefined;
	private live = false;
	private closing = false;
	private closed: Promise<void> | undefined;
	private rejoining: Promise<void> | undefined;
	private joining: Promise<void> | undefined;
	private readonly stop = new AbortController();
	private readonly counters: PublisherStats = { published: 0, dropped: 0, rejoins: 0 };
	private readonly frameBytes: Record<'I420' | 'RGBA', number>;
	private fatalReported = false;

	constructor(
		private readonly options: PublisherOptions,
		private readonly events: PublisherEvents,
	) {
		this.rtc = loadRtc();
		this.logger = events.logger ?? silentLogger;
		const { width, height } = options;
		this.frameBytes = {
			I420: width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2),
			RGBA: width * height * 4,
		};
		this.source = new this.rtc.VideoSource(width, height);
	}

	/** True while frames reach the room. */
	get isLive(): boolean {
		return this.live;
	}

	get stats(): PublisherStats {
		return { ...this.counters };
	}

	/** Joins the room and publishes the track. Rejects (after cleaning up) on failure or close(). */
	async connect(target: PublisherTarget): Promise<void> {
		await this.join(target);
		this.events.onStatus?.({ kind: 'connected', url: target.url });
	}

	/** Leaves the current room and joins again with the newest target (e.g. a replaced stream). */
	rejoin(reason: string): void {
		if (this.closing) return;
		this.live = false;
		const old = this.room;
		this.room = undefined;
		if (old) void bounded(old.disconnect(), 3000);
		this.startRejoin(reason);
	}

	publish(frame: Frame): boolean {
		if (
			!this.live ||
			this.closing ||
			frame.width !== this.options.width ||
			frame.height !== this.options.height
		) {
			this.counters.dropped++;
			return false;
		}
		const { VideoFrame, VideoBufferType } = this.rtc;
		if (frame.data.byteOffset !== 0 || frame.data.length < this.frameBytes[frame.format]) {
			this.counters.dropped++;
			return false;
		}
		try {
			const type = frame.format === 'I420' ? VideoBufferType.I420 : VideoBufferType.RGBA;
			this.source.captureFrame(
				new VideoFrame(frame.data, frame.width, frame.height, type),
				BigInt(Math.round(frame.capturedAtMs * 1000)),
			);
			this.counters.published++;
			return true;
		} catch (error) {
			this.counters.dropped++;
			this.logger.debug('captureFrame failed', { message: (error as Error).message });
			return false;
		}
	}

	private join(target: PublisherTarget): Promise<void> {
		const attempt = this.joinRoom(target);
		this.joining = attempt;
		return attempt.finally(() => {
			if (this.joining === attempt) this.joining = undefined;
		});
	}

	private async joinRoom(target: PublisherTarget): Promise<void> {
		const { Room, RoomEvent, LocalVideoTrack, TrackPublishOptions, TrackSource, VideoCodec } =
			this.rtc;
		if (this.closing) throw new Error('publisher closed');
		const room = new Room();
		this.room = room;
		const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
		try {
			await withTimeout(
				room.connect(target.url, target.token, { autoSubscribe: false, dynacast: false }),
				timeoutMs,
				() => {
					void bounded(room.disconnect(), 3000); // connected after we gave up: leave at once
				},
			);
			if (this.closing || this.room !== room) throw new Error('publisher closed while connecting');
			room.on(RoomEvent.Disconnected, (reason) => this.onDisconnected(room, reason));
			room.on(RoomEvent.Reconnecting, () => this.onSdkReconnecting(room));
			room.on(RoomEvent.Reconnected, () => this.onSdkReconnected(room));
			const track = LocalVideoTrack.createVideoTrack(
				this.options.trackName ?? 'camera',
				this.source,
			);
			const publishOptions = new TrackPublishOptions({
				source: TrackSource.SOURCE_CAMERA,
				simulcast: false,
				videoCodec: VideoCodec.VP8,
				// Both fields are required by the FFI once videoEncoding is set.
				videoEncoding: {
					maxBitrate: BigInt(Math.round((this.options.maxBitrateKbps ?? 1500) * 1000)),
					maxFramerate: Math.max(1, this.options.fps),
				},
			});
			const publication = await withTimeout(
				room.localParticipant!.publishTrack(track, publishOptions),
				timeoutMs,
			);
			if (this.closing || this.room !== room) {
				await bounded(track.close(false), 2000);
				throw new Error('publisher closed while publishing');
			}
			const previous = this.track;
			this.track = track;
			this.trackSid = publication.sid;
			// The old track belonged to a dead room; keep the shared source open.
			if (previous) void bounded(previous.close(false), 2000);
			this.live = true;
		} catch (error) {
			if (this.room === room) this.room = undefined;
			await bounded(room.disconnect(), 3000);
			throw error;
		}
	}

	private onSdkReconnecting(room: Rtc.Room) {
		if (room !== this.room || this.closing) return;
		this.events.onStatus?.({
			kind: 'reconnecting',
			reason: 'connection lost, resuming',
			downSinceMs: Date.now(),
			attempt: 0,
		});
	}

	private onSdkReconnected(room: Rtc.Room) {
		if (room !== this.room || this.closing) return;
		this.events.onStatus?.({ kind: 'reconnected', downForMs: 0, attempts: 0 });
	}

	private onDisconnected(room: Rtc.Room, reason: Rtc.DisconnectReason) {
		if (room !== this.room || this.closing) return;
		if (reason === this.rtc.DisconnectReason.CLIENT_INITIATED) return;
		this.live = false;
		this.room = undefined;
		const name = this.rtc.DisconnectReason[reason] ?? String(reason);
		this.logger.warn('LiveKit room disconnected; rejoining', { reason: name });
		this.startRejoin(`disconnected (${name})`);
	}

	private startRejoin(reason: string) {
		if (this.rejoining || this.closing) return;
		this.rejoining = this.rejoinLoop(reason).finally(() => (this.rejoining = undefined));
	}

	private rejoinLoop(reason: string): Promise<void> {
		const downSinceMs = Date.now();
		return reconnectWithFreshTarget(
			{
				options: this.options,
				events: this.events,
				signal: this.stop.signal,
				reason,
				goal: 'rejoin the Overshoot video room',
			},
			async (target) => {
				await this.join(target);
				this.counters.rejoins++;
				this.logger.info('LiveKit room rejoined', { downForMs: Date.now() - downSinceMs });
			},
			(error) => {
				if (this.fatalReported) return;
				this.fatalReported = true;
				this.events.onFatal(error);
			},
		);
	}

	/** Unpublishes, closes track and source, leaves the room. Idempotent; bounded (~5 s worst case). */
	close(): Promise<void> {
		if (!this.closed) this.closed = this.shutdown();
		return this.closed;
	}

	private async shutdown(): Promise<void> {
		this.closing = true;
		this.live = false;
		this.stop.abort();
		const room = this.room;
		this.room = undefined;
		// A rejoin in flight gives up at its next step; its own room is disconnected by join().
		await bounded(this.rejoining, 2000);
		// A connect in flight is disconnected by joinRoom() itself once it resolves, even after this.
		await bounded(this.joining, 2000);
		if (room && this.trackSid && room.isConnected) {
			await bounded(room.localParticipant?.unpublishTrack(this.trackSid, true), 2000);
		}
		await bounded(this.track?.close(false), 1000);
		await bounded(this.source.close(), 1000);
		if (room) await bounded(room.disconnect(), 3000);
	}
}
