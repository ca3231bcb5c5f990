// The test-facing control API: fault injection, latency, frame pushes, observation, reset.
// Exposed as `emulator.control` and, unauthenticated, under `/_emulator/` (server.ts).

import type { ChatRecord } from './chat';
import type { EmulatorCore, RequestRecord } from './core';
import { detailError } from './errors';
import type { FaultSpec } from './faults';
import { downscaleRgba, solidRgba } from './frames';
import { decodeImage } from './image';
import { LivekitIngest } from './ingest-livekit';
import { FfmpegIngest } from './ingest-ffmpeg';

export interface PushSpec {
	/** Solid colour frames. */
	rgb?: [number, number, number];
	/** Or an encoded PNG/JPEG. */
	image?: Buffer;
	width?: number;
	height?: number;
	/** How many frames (default 1, max 10 000). */
	count?: number;
	/** Stream-clock spacing between pushed frames (default 100 ms). */
	intervalMs?: number;
}

export interface StreamState {
	id: string;
	state: 'active' | 'ended';
	endReason: string | null;
	source: string;
	framesReceived: number;
	lastFrameIndex: number | null;
	retainedFrames: number;
	publisherConnected: boolean;
	ingestConnected: boolean;
	expiresAtMs: number;
}

export interface EmulatorState {
	streams: StreamState[];
	chatCalls: {
		total: number;
		failed: number;
		byModel: Record<string, number>;
		byStream: Record<string, number>;
	};
	creates: number;
	deletes: number;
	keepalives: number;
	/** Rooms named `ovs-*` that livekit-server reports (empty without LiveKit). */
	openRooms: string[];
	faultsPending: number;
}

export class EmulatorControl {
	constructor(private readonly core: EmulatorCore) {}

	/** The next `times` (default 1) requests matching method/path get this response instead. */
	inject(fault: FaultSpec): void {
		this.core.faults.inject(fault);
	}

	clearFaults(): void {
		this.core.faults.clear();
	}

	/** Adds latency to matching requests (cumulative); `ms <= 0` removes all latency. */
	setLatency(ms: number, filter?: { method?: string; path?: string }): void {
		this.core.faults.setLatency(ms, filter);
	}

	/** The model's thinking time on chat completions, after the frames were resolved (options.ts). */
	setModelLatency(ms: number): void {
		this.core.opts.modelLatencyMs = Math.max(0, Number(ms) || 0);
	}

	/** Pushes frames into an active stream without LiveKit. */
	async pushFrames(
		streamId: string,
		spec: PushSpec,
	): Promise<{ pushed: number; last_frame_index: number }> {
		const rec = this.core.streams.get(streamId);
		if (!rec || rec.state !== 'active') throw detailError(404, 'Stream not found or not active');
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1 || count > 10_000)
			throw detailError(422, 'count must be an integer 1..10000');
		const interval = spec.intervalMs ?? 100;
		let rgba: Uint8Array;
		let width: number;
		let height: number;
		if (spec.image) {
			const img = await decodeImage(spec.image);
			({ rgba, width, height } = img);
		} else {
			const rgb = spec.rgb;
			if (
				!Array.isArray(rgb) ||
				rgb.length !== 3 ||
				rgb.some((c) => !Number.isInteger(c) || c < 0 || c > 255)
			) {
				throw detailError(422, 'rgb must be [r, g, b] with integers 0..255');
			}
			const w = spec.width ?? 64;
			const h = spec.height ?? 36;
			if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1 || w > 4096 || h > 4096)
				throw detailError(422, 'width/height must be 1..4096');
			({ rgba, width, height } = downscaleRgba(solidRgba(rgb, w, h), w, h));
		}
		// The last frame is stamped "now", unless that would overlap frames already there: then the
		// batch continues one interval after the newest frame (possibly slightly in the future).
		const last = rec.frames.lastFrameAtMs;
		const start = Math.max(
			Date.now() - (count - 1) * interval,
			last === null ? -Infinity : last + interval,
		);
		for (let i = 0; i < count; i++)
			rec.frames.add(new Uint8Array(rgba), width, height, start + i * interval);
		return { pushed: count, last_frame_index: rec.frames.nextIndex - 1 };
	}

	/** Ends a stream as if its lease lapsed. */
	async expire(streamId: string): Promise<void> {
		const rec = this.core.streams.get(streamId);
		if (!rec) throw detailError(404, 'Stream not found');
		await this.core.streams.expireNow(rec);
	}

	/** Changes a model's status (`ready`, `loading`, `unavailable`) until reset. */
	setModelStatus(modelId: string, status: string): void {
		const m = this.core.models.find((x) => x.id === modelId);
		if (!m) throw detailError(404, `Unknown model ${modelId}`);
		m.status = status;
	}

	/** Every API request the emulator received (any route, any outcome; not the control API), in order. */
	requests(): RequestRecord[] {
		return [...this.core.requestLog];
	}

	/** Every chat request that passed authentication, in order (including failed ones). */
	chatCalls(): ChatRecord[] {
		return [...this.core.chatRecords];
	}

	async state(): Promise<EmulatorState> {
		const byModel: Record<string, number> = {};
		const byStream: Record<string, number> = {};
		let total = 0;
		let failed = 0;
		for (const c of this.core.chatRecords) {
			if (c.status !== 200) {
				failed++;
				continue;
			}
			total++;
			if (c.model) byModel[c.model] = (byModel[c.model] ?? 0) + 1;
			for (const id of new Set(c.streamIds)) byStream[id] = (byStream[id] ?? 0) + 1;
		}
		const streams = this.core.streams.all().map((rec): StreamState => {
			const ingest = rec.ingest;
			const received = rec.frozen ? (rec.frozen.last_frame_index ?? -1) + 1 : rec.frames.received;
			return {
				id: rec.id,
				state: rec.state,
				endReason: rec.endReason,
				source: rec.source,
				framesReceived: received,
				lastFrameIndex: received > 0 ? received - 1 : null,
				retainedFrames: rec.state === 'active' ? rec.frames.retained().length : 0,
				publisherConnected: ingest instanceof LivekitIngest ? ingest.publisherConnected : false,
				ingestConnected:
					ingest instanceof LivekitIngest || ingest instanceof FfmpegIngest
						? ingest.ingestConnected
						: false,
				expiresAtMs: rec.expiresAtMs,
			};
		});
		let openRooms: string[] = [];
		try {
			openRooms = await this.core.openRooms();
		} catch (error) {
			openRooms = [...this.core.trackedRooms];
			this.core.opts.log(`listRooms failed (${(error as Error).message}); reporting tracked rooms`);
		}
		return {
			streams,
			chatCalls: { total, failed, byModel, byStream },
			...this.core.counts,
			openRooms,
			faultsPending: this.core.faults.pending(),
		};
	}

	/** Ends every stream (leaving/deleting rooms, killing ffmpeg) and clears all counters and faults. */
	reset(): Promise<void> {
		return this.core.reset();
	}
}
