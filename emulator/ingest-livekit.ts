// LiveKit ingest: the emulator's stand-in for Overshoot's media gateway. Per stream it creates the
// room `ovs-<id>`, mints canPublish-only tokens for the client, joins as a subscriber, reads every
// decoded frame (rtc-node's VideoStream has no backpressure, so we read continuously and drop
// ourselves), downscales to RGBA and hands frames to the store. stop() leaves and deletes the room.
// rtc-node is loaded lazily (./rtc.ts).

import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import type * as Rtc from '@livekit/rtc-node';
import { loadRtc } from './rtc';
import { downscaleRgba } from './frames';
import type { Ingest } from './streams';

export interface LivekitConfig {
	/** ws:// (or wss://) URL of livekit-server; also the `publish.url` handed to clients. */
	url: string;
	apiKey: string;
	apiSecret: string;
}

/** Publish tokens live ~10 min; keepalive (every ~2 min) hands out a fresh one each time. */
export const PUBLISH_TOKEN_TTL_S = 600;
export const VIEWER_TOKEN_TTL_S = 300;
const CONNECT_TIMEOUT_MS = 10_000;
const LEAVE_TIMEOUT_MS = 5_000;

export const roomName = (streamId: string) => `ovs-${streamId}`;

export { loadRtc, rtcLoaded } from './rtc';

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			p,
			new Promise<never>(
				(_, reject) =>
					(timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)),
			),
		]);
	} finally {
		clearTimeout(timer);
	}
}

export function mintPublishToken(cfg: LivekitConfig, streamId: string): Promise<string> {
	const at = new AccessToken(cfg.apiKey, cfg.apiSecret, {
		identity: `publisher-${streamId}`,
		ttl: PUBLISH_TOKEN_TTL_S,
	});
	at.addGrant({
		roomJoin: true,
		room: roomName(streamId),
		canPublish: true,
		canSubscribe: false,
		canPublishData: false,
	});
	return at.toJwt();
}

export function mintViewerToken(cfg: LivekitConfig, streamId: string): Promise<string> {
	const at = new AccessToken(cfg.apiKey, cfg.apiSecret, {
		identity: `viewer-${streamId}-${Date.now()}`,
		ttl: VIEWER_TOKEN_TTL_S,
	});
	at.addGrant({
		roomJoin: true,
		room: roomName(streamId),
		canPublish: false,
		canSubscribe: true,
		canPublishData: false,
	});
	return at.toJwt();
}

function gatewayToken(cfg: LivekitConfig, streamId: string): Promise<string> {
	const at = new AccessToken(cfg.apiKey, cfg.apiSecret, {
		identity: 'overshoot-gateway',
		ttl: 24 * 3600,
	});
	at.addGrant({
		roomJoin: true,
		room: roomName(streamId),
		canPublish: false,
		canSubscribe: true,
		canPublishData: false,
	});
	return at.toJwt();
}

export function roomService(cfg: LivekitConfig): RoomServiceClient {
	return new RoomServiceClient(cfg.url, cfg.apiKey, cfg.apiSecret);
}

export interface LivekitIngestOptions {
	/** Frames arriving faster than this are dropped before conversion (default 30). */
	maxFps: number;
	log: (line: string) => void;
}

export type FrameSinkFn = (rgba: Uint8Array, width: number, height: number) => void;

export class LivekitIngest implements Ingest {
	private room?: Rtc.Room;
	private stopped = false;
	private readers = new Set<ReadableStreamDefaultReader<Rtc.VideoFrameEvent>>();
	private lastAcceptedMs = 0;
	private stopping?: Promise<void>;
	/** The join in flight, so stop() can wait for it before deleting the room (a late join would re-create it). */
	private attempt?: Promise<void>;
	ingestConnected = false;
	framesSeen = 0;

	constructor(
		private readonly cfg: LivekitConfig,
		private readonly streamId: string,
		private readonly sink: FrameSinkFn,
		private readonly opts: LivekitIngestOptions,
		private readonly onRoomDeleted: () => void,
	) {}

	get publisherConnected(): boolean {
		return this.ingestConnected && (this.room?.remoteParticipants.size ?? 0) > 0;
	}

	/** Creates the room (so it exists before the client publishes) and joins in the background. */
	async start(): Promise<void> {
		await withTimeout(
			roomService(this.cfg).createRoom({ name: roomName(this.streamId), emptyTimeout: 600 }),
			CONNECT_TIMEOUT_MS,
			'createRoom',
		);
		void this.connectLoop();
	}

	private async connectLoop(): Promise<void> {
		let backoff = 250;
		while (!this.stopped) {
			try {
				this.attempt = this.connectOnce();
				await this.attempt;
				return;
			} catch (error) {
				this.opts.log(
					`livekit ingest ${this.streamId}: join failed (${(error as Error).message}); retrying in ${backoff} ms`,
				);
				await new Promise((r) => setTimeout(r, backoff).unref());
				backoff = Math.min(backoff * 2, 5000);
			}
		}
	}

	private async connectOnce(): Promise<void> {
		const rtc = loadRtc();
		const room = new rtc.Room();
		room.on(rtc.RoomEvent.TrackSubscribed, (track) => {
			if (track.kind === rtc.TrackKind.KIND_VIDEO) void this.read(track);
		});
		room.on(rtc.RoomEvent.Disconnected, (reason) => {
			this.ingestConnected = false;
			if (this.room === room) this.room = undefined;
			// A server-side drop (not our own leave): join again with a new Room; disconnect() strips listeners.
			if (!this.stopped && reason !== rtc.DisconnectReason.CLIENT_INITIATED)
				void this.connectLoop();
		});
		const token = await gatewayToken(this.cfg, this.streamId);
		try {
			await withTimeout(
				room.connect(this.cfg.url, token, { autoSubscribe: true, dynacast: false }),
				CONNECT_TIMEOUT_MS,
				'room.connect',
			);
		} catch (error) {
			await withTimeout(room.disconnect(), LEAVE_TIMEOUT_MS, 'room.disconnect').catch(
				() => undefined,
			);
			throw error;
		}
		// RoomEvent.Connected never fires in rtc-node: a resolved connect() is the signal.
		if (this.stopped) {
			await withTimeout(room.disconnect(), LEAVE_TIMEOUT_MS, 'room.disconnect').catch(
				() => undefined,
			);
			return;
		}
		this.room = room;
		this.ingestConnected = true;
	}

	private async read(track: Rtc.RemoteTrack): Promise<void> {
		const rtc = loadRtc();
		const reader = new rtc.VideoStream(track).getReader();
		this.readers.add(reader);
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done || this.stopped) break;
				this.onFrame(value.frame);
			}
		} catch (error) {
			if (!this.stopped)
				this.opts.log(
					`livekit ingest ${this.streamId}: track read ended (${(error as Error).message})`,
				);
		} finally {
			this.readers.delete(reader);
			await reader.cancel().catch(() => undefined);
		}
	}

	private onFrame(frame: Rtc.VideoFrame): void {
		this.framesSeen++;
		const now = Date.now();
		if (now - this.lastAcceptedMs < 900 / this.opts.maxFps) return; // drop: over the ingest rate
		this.lastAcceptedMs = now;
		const rgba = frame.convert(loadRtc().VideoBufferType.RGBA);
		const small = downscaleRgba(rgba.data, rgba.width, rgba.height);
		this.sink(small.rgba, small.width, small.height);
	}

	/** Stops reading, leaves and deletes the room. Idempotent; never rejects. */
	stop(): Promise<void> {
		this.stopping ??= (async () => {
			this.stopped = true;
			await Promise.all([...this.readers].map((r) => r.cancel().catch(() => undefined)));
			await this.attempt?.catch(() => undefined);
			const room = this.room;
			this.room = undefined;
			this.ingestConnected = false;
			if (room)
				await withTimeout(room.disconnect(), LEAVE_TIMEOUT_MS, 'room.disconnect').catch(
					() => undefined,
				);
			try {
				await withTimeout(
					roomService(this.cfg).deleteRoom(roomName(this.streamId)),
					LEAVE_TIMEOUT_MS,
					'deleteRoom',
				);
			} catch (error) {
				if (!/not.?found/i.test((error as Error).message))
					this.opts.log(
						`livekit ingest ${this.streamId}: deleteRoom failed (${(error as Error).message})`,
					);
			}
			this.onRoomDeleted();
		})();
		return this.stopping;
	}
}
