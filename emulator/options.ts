// EmulatorOptions and their defaults (docs/overshoot-api.md §16 — our choices where the docs are silent).

import type { EmulatorModel } from './models';
import type { LivekitConfig } from './ingest-livekit';

export interface EmulatorOptions {
	/** TCP port on 127.0.0.1; 0 (default) = any free port. */
	port?: number;
	/** Allow-list of keys. Default: any non-empty bearer is a key, except keys containing `invalid` (401). */
	apiKeys?: string[];
	/** Keys that authenticate but are "not assigned to a user": 403 on create stream. */
	unassignedKeys?: string[];
	/** Keys without credits: 402 on create stream and 402 `billing_denied` on chat; balance 0. */
	noCreditKeys?: string[];
	/** Lease TTL (default 300). */
	ttlSeconds?: number;
	/** Frame history (default 600). */
	retentionSeconds?: number;
	/** How long an ended stream stays readable before 404 (default 60). */
	tombstoneSeconds?: number;
	/** Active streams per key; the next create → 429. 0 = no limit. Default 5. */
	maxStreamsPerKey?: number;
	/** Retained frames per stream, whatever their age (default 3000). */
	maxFramesPerStream?: number;
	/** Retained pixel bytes per stream (default 64 MiB; a 160×90 RGBA frame is 57.6 kB). */
	maxBytesPerStream?: number;
	/** LiveKit ingest frame-rate cap; faster frames are dropped on arrival (default 30). */
	ingestMaxFps?: number;
	/** Model catalogue (default: §5 hosted ids + a few passthrough ids, all `ready`). */
	models?: EmulatorModel[];
	/** Real LiveKit ingest. Without it, `publish` carries an opaque token and frames come from `/_emulator` pushes. */
	livekit?: LivekitConfig;
	/** `publish.url` when `livekit` is not configured (default `wss://livekit.overshoot.ai`). */
	publishUrl?: string;
	/** Let v1beta camera sources point at private/loopback addresses (tests). Default false → 422. */
	allowPrivateSources?: boolean;
	/** Camera-source open timeout before 422 (default 15000 ms, as the docs say). */
	sourceOpenTimeoutMs?: number;
	/** Frames per second pulled from camera sources (default 2). */
	sourceFps?: number;
	ffmpegPath?: string;
	/** `changed` is true when the change score exceeds this (0–100, default 10). */
	changeThreshold?: number;
	/**
	 * The model's thinking time on chat completions (default 0): frames are resolved when the
	 * request arrives (as Overshoot resolves ovs:// URLs at request time), the answer is sent this
	 * long after. Unlike `setLatency`, which delays the whole request before anything is resolved,
	 * a question asked too early answers about the old picture.
	 */
	modelLatencyMs?: number;
	/** Per-key chat requests per second before 429 `rate_limit_error` (default 0 = off). */
	chatRateLimitPerSecond?: number;
	/** Region reported in `X-Overshoot-Region` (v1beta); a request naming another region → 409. */
	region?: string;
	/** Starting balance per key, in cents (default 10 000). */
	initialBalanceCents?: number;
	/** One line per request and per ingest event; never bodies, never source URLs. */
	log?: (line: string) => void;
}

export type ResolvedOptions = Required<
	Omit<
		EmulatorOptions,
		'apiKeys' | 'unassignedKeys' | 'noCreditKeys' | 'livekit' | 'log' | 'models'
	>
> & {
	apiKeys?: string[];
	unassignedKeys: string[];
	noCreditKeys: string[];
	livekit?: LivekitConfig;
	models: import('./models').EmulatorModel[];
	log: (line: string) => void;
};

export function resolveOptions(
	o: EmulatorOptions,
	defaultModels: import('./models').EmulatorModel[],
): ResolvedOptions {
	return {
		port: o.port ?? 0,
		apiKeys: o.apiKeys,
		unassignedKeys: o.unassignedKeys ?? [],
		noCreditKeys: o.noCreditKeys ?? [],
		ttlSeconds: o.ttlSeconds ?? 300,
		retentionSeconds: o.retentionSeconds ?? 600,
		tombstoneSeconds: o.tombstoneSeconds ?? 60,
		maxStreamsPerKey: o.maxStreamsPerKey ?? 5,
		maxFramesPerStream: o.maxFramesPerStream ?? 3000,
		maxBytesPerStream: o.maxBytesPerStream ?? 64 * 1024 * 1024,
		ingestMaxFps: o.ingestMaxFps ?? 30,
		models: (o.models ?? defaultModels).map((m) => ({ ...m })),
		livekit: o.livekit,
		publishUrl: o.publishUrl ?? 'wss://livekit.overshoot.ai',
		allowPrivateSources: o.allowPrivateSources ?? false,
		sourceOpenTimeoutMs: o.sourceOpenTimeoutMs ?? 15_000,
		sourceFps: o.sourceFps ?? 2,
		ffmpegPath: o.ffmpegPath ?? process.env.OVS_FFMPEG ?? 'ffmpeg',
		changeThreshold: o.changeThreshold ?? 10,
		modelLatencyMs: o.modelLatencyMs ?? 0,
		chatRateLimitPerSecond: o.chatRateLimitPerSecond ?? 0,
		region: o.region ?? 'us-west1',
		initialBalanceCents: o.initialBalanceCents ?? 10_000,
		log: o.log ?? (() => undefined),
	};
}
