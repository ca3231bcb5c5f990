// The emulator's state and its stream/billing handlers (routing lives in server.ts). Handlers
// return a Reply or throw an HttpError; they never touch the socket.

import { randomBytes, randomUUID } from 'node:crypto';
import { authenticate, hasNoCredit, isUnassigned } from './auth';
import type { ChatContext, ChatRecord } from './chat';
import { chatError, detailError, validationError, type ApiVersion } from './errors';
import { Faults } from './faults';
import { checkPublic, FfmpegIngest, validateSource, type CameraSourceSpec } from './ingest-ffmpeg';
import {
	LivekitIngest,
	mintPublishToken,
	mintViewerToken,
	roomName,
	roomService,
	VIEWER_TOKEN_TTL_S,
} from './ingest-livekit';
import { json, type Reply } from './http';
import { pricing, stableUuid } from './models';
import type { ResolvedOptions } from './options';
import { counters, StreamStore, streamInfo, type StreamRecord } from './streams';
import type { IncomingMessage } from 'node:http';

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** An opaque JWT-looking token when no LiveKit is configured (new on every call). */
function fakeJwt(claims: Record<string, unknown>): string {
	return [
		b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
		b64url(JSON.stringify(claims)),
		b64url(randomBytes(32)),
	].join('.');
}

export interface RequestRecord {
	method: string;
	path: string;
	/** HTTP status sent; -1 dropped before handling, -2 dropped after (fault injection). */
	status: number;
	atMs: number;
}

export class EmulatorCore {
	readonly streams: StreamStore;
	readonly faults = new Faults();
	readonly chatRecords: ChatRecord[] = [];
	readonly counts = { creates: 0, deletes: 0, keepalives: 0 };
	/** Every API request received (control routes excluded), in arrival order, with its outcome. */
	readonly requestLog: RequestRecord[] = [];
	/** Rooms created and not yet deleted (the truth is `openRooms()`, asked of livekit-server). */
	readonly trackedRooms = new Set<string>();
	private balances = new Map<string, number>();
	private threads = new Set<string>();
	private rateWindows = new Map<string, { second: number; count: number }>();
	models;

	constructor(readonly opts: ResolvedOptions) {
		this.models = opts.models.map((m) => ({ ...m }));
		this.streams = new StreamStore({
			ttlSeconds: opts.ttlSeconds,
			tombstoneSeconds: opts.tombstoneSeconds,
			retention: {
				retentionMs: opts.retentionSeconds * 1000,
				maxFrames: opts.maxFramesPerStream,
				maxBytes: opts.maxBytesPerStream,
			},
			onEnded: (rec) => opts.log(`stream ${rec.id} ended (${rec.endReason})`),
		});
	}

	auth(req: IncomingMessage): string {
		return authenticate(req, this.opts);
	}

	// ---- streams ------------------------------------------------------------------------------

	private async publishTarget(rec: StreamRecord) {
		if (rec.source !== 'livekit') return null;
		const lk = this.opts.livekit;
		const token = lk
			? await mintPublishToken(lk, rec.id)
			: fakeJwt({
					sub: `publisher-${rec.id}`,
					room: roomName(rec.id),
					exp: Math.floor(Date.now() / 1000) + 600,
					jti: randomUUID(),
				});
		return { type: 'livekit' as const, url: lk?.url ?? this.opts.publishUrl, token };
	}

	/** The caller's stream (active or tombstoned); other keys' streams are 404, never 403. */
	private owned(id: string, key: string): StreamRecord {
		const rec = this.streams.get(id);
		if (!rec || rec.owner !== key) throw detailError(404, 'Stream not found');
		return rec;
	}

	async createStream(key: string, body: unknown, version: ApiVersion): Promise<Reply> {
		if (isUnassigned(key, this.opts)) throw detailError(403, 'API key is not assigned to a user');
		if (hasNoCredit(key, this.opts))
			throw detailError(402, 'Insufficient credits to create a stream');
		if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
			throw detailError(422, 'Request body must be empty or a JSON object');
		}
		const rawSource = (body as Record<string, unknown> | undefined)?.source;
		let spec: CameraSourceSpec | undefined;
		if (rawSource !== undefined && rawSource !== null) {
			if (version === 'v1') throw detailError(422, 'source is only supported under /v1beta');
			spec = validateSource(rawSource);
			await checkPublic(spec, this.opts.allowPrivateSources);
		}
		const max = this.opts.maxStreamsPerKey;
		if (max > 0 && this.streams.activeCount(key) >= max) {
			throw detailError(429, `Concurrent stream limit reached (${max} active streams per API key)`);
		}
		const rec = this.streams.create(key, spec ? spec.type : 'livekit');
		try {
			if (spec) await this.startSource(rec, spec);
			else if (this.opts.livekit) await this.startLivekit(rec);
		} catch (error) {
			await rec.ingest?.stop();
			this.streams.forget(rec);
			if (spec) throw error;
			this.opts.log(`livekit room for ${rec.id} failed: ${(error as Error).message}`);
			throw detailError(503, 'Ingest service unavailable; retry shortly');
		}
		this.counts.creates++;
		const out: Record<string, unknown> = {
			id: rec.id,
			state: 'active',
			publish: await this.publishTarget(rec),
			expires_at_ms: rec.expiresAtMs,
			ttl_seconds: rec.ttlSeconds,
		};
		if (version === 'v1beta') out.source = { type: rec.source };
		return json(201, out);
	}

	private async startLivekit(rec: StreamRecord): Promise<void> {
		const name = roomName(rec.id);
		const ingest = new LivekitIngest(
			this.opts.livekit!,
			rec.id,
			(rgba, w, h) => {
				if (rec.state === 'active') rec.frames.add(rgba, w, h);
			},
			{ maxFps: this.opts.ingestMaxFps, log: this.opts.log },
			() => this.trackedRooms.delete(name),
		);
		rec.ingest = ingest;
		this.trackedRooms.add(name);
		await ingest.start();
	}

	private async startSource(rec: StreamRecord, spec: CameraSourceSpec): Promise<void> {
		const ingest = new FfmpegIngest(
			spec,
			(rgba, w, h) => {
				if (rec.state !== 'active') return;
				const f = rec.frames.add(rgba, w, h);
				// last_pull is written at most once per second (camera-sources page).
				if (rec.lastPullMs === null || f.atMs - rec.lastPullMs >= 1000) rec.lastPullMs = f.atMs;
			},
			{
				ffmpegPath: this.opts.ffmpegPath,
				fps: this.opts.sourceFps,
				openTimeoutMs: this.opts.sourceOpenTimeoutMs,
				log: this.opts.log,
			},
			() => void this.streams.end(rec, 'reaped'),
		);
		rec.ingest = ingest;
		await ingest.open();
	}

	getStream(key: string, id: string, version: ApiVersion): Reply {
		return json(200, streamInfo(this.owned(id, key), version));
	}

	async keepalive(key: string, id: string): Promise<Reply> {
		const rec = this.owned(id, key);
		if (rec.state !== 'active') throw detailError(404, 'Stream not found');
		this.streams.keepalive(rec);
		this.counts.keepalives++;
		return json(200, {
			id: rec.id,
			expires_at_ms: rec.expiresAtMs,
			ttl_seconds: rec.ttlSeconds,
			stream_time_ms: counters(rec, 'v1').stream_time_ms ?? 0,
			publish: await this.publishTarget(rec),
		});
	}

	async deleteStream(key: string, id: string): Promise<Reply> {
		const rec = this.owned(id, key);
		// A repeat DELETE inside the tombstone window is 200 (delete-stream page: idempotent in the lookup window).
		if (rec.state === 'active') {
			await this.streams.end(rec, 'deleted');
			this.counts.deletes++;
		}
		return json(200, { id: rec.id, deleted: true });
	}

	async viewerToken(key: string, id: string): Promise<Reply> {
		const rec = this.owned(id, key);
		if (rec.state !== 'active') throw detailError(404, 'Stream not found');
		const lk = this.opts.livekit;
		const token = lk
			? await mintViewerToken(lk, rec.id)
			: fakeJwt({ sub: `viewer-${rec.id}`, room: roomName(rec.id), jti: randomUUID() });
		return json(200, {
			id: rec.id,
			view: {
				type: 'livekit',
				url: lk?.url ?? this.opts.publishUrl,
				token,
				expires_in_seconds: VIEWER_TOKEN_TTL_S,
			},
		});
	}

	/** Room names livekit-server reports for our streams (empty without LiveKit). */
	async openRooms(): Promise<string[]> {
		if (!this.opts.livekit) return [];
		const rooms = await roomService(this.opts.livekit).listRooms();
		return rooms.map((r) => r.name).filter((n) => n.startsWith('ovs-'));
	}

	// ---- chat context -------------------------------------------------------------------------

	chatContext(version: ApiVersion): ChatContext {
		return {
			streams: this.streams,
			models: () => this.models,
			changeThreshold: this.opts.changeThreshold,
			modelLatencyMs: () => this.opts.modelLatencyMs,
			hasNoCredit: (key) => hasNoCredit(key, this.opts),
			charge: (key, micro) => this.balances.set(key, this.balance(key) - micro),
			threads: this.threads,
			rateLimit: (key) => this.rateLimit(key, version),
		};
	}

	private rateLimit(key: string, version: ApiVersion): Record<string, string> {
		const limit = this.opts.chatRateLimitPerSecond;
		const second = Math.floor(Date.now() / 1000);
		const w = this.rateWindows.get(key);
		const win = w && w.second === second ? w : { second, count: 0 };
		win.count++;
		this.rateWindows.set(key, win);
		const shown = limit > 0 ? limit : 1000;
		const headers: Record<string, string> =
			version === 'v1beta'
				? {
						'x-ratelimit-limit': String(shown),
						'x-ratelimit-remaining': String(Math.max(0, shown - win.count)),
						'x-ratelimit-reset': String(second + 1),
					}
				: {};
		if (limit > 0 && win.count > limit) {
			throw chatError(
				429,
				'rate_limit_error',
				'rate_limited',
				`Rate limit exceeded (${limit} requests per second)`,
				{ ...headers, 'retry-after': '1' },
			);
		}
		return headers;
	}

	// ---- billing ------------------------------------------------------------------------------

	balance(key: string): number {
		if (!this.balances.has(key))
			this.balances.set(
				key,
				hasNoCredit(key, this.opts) ? 0 : this.opts.initialBalanceCents * 1_000_000,
			);
		return this.balances.get(key)!;
	}

	pricingList(): Reply {
		return json(200, this.models.map(pricing));
	}

	pricingFor(model: string): Reply {
		const m = this.models.find((x) => x.id === model);
		if (!m) throw detailError(404, `Pricing not found for model ${model}`);
		return json(200, pricing(m));
	}

	balanceReply(key: string): Reply {
		const micro = this.balance(key);
		return json(200, {
			user_id: stableUuid(`user:${key}`),
			balance_microcents: micro,
			balance_cents: Math.floor(micro / 1_000_000),
		});
	}

	checkout(body: unknown, baseUrl: string): Reply {
		const amount = (body as { amount_cents?: unknown } | undefined)?.amount_cents;
		if (!Number.isInteger(amount) || (amount as number) < 100) {
			throw validationError([
				{
					loc: ['body', 'amount_cents'],
					msg: 'Input should be an integer greater than or equal to 100',
					type: 'greater_than_equal',
				},
			]);
		}
		return json(200, { url: `${baseUrl}/_emulator/checkout/${randomUUID()}` });
	}

	// ---- lifecycle ----------------------------------------------------------------------------

	async reset(): Promise<void> {
		await this.streams.clear();
		this.faults.clear();
		this.chatRecords.length = 0;
		this.requestLog.length = 0;
		this.counts.creates = this.counts.deletes = this.counts.keepalives = 0;
		this.balances.clear();
		this.threads.clear();
		this.rateWindows.clear();
		this.models = this.opts.models.map((m) => ({ ...m }));
	}
}
