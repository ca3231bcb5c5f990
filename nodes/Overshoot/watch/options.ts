// What a watcher does, typed, with defaults and validation. The trigger maps its n8n parameters to
// `WatcherOptionsInput`; `resolveWatcherOptions` fills defaults and throws InputError naming the
// field as the user sees it in the node, before anything starts.

import { InputError } from '../api/errors';
import { jsonSchemaObject } from '../api/json';
import { MEDIA_LIMITS } from '../api/media-url';
import type { CameraSource } from '../api/types';
import { toModelChoice, type ModelChoice } from '../api/models';
import { cameraUrl, integer, nonEmpty, positive, within } from '../api/validate';
import { SETTLE_MS, type AskWhen } from './ask-schedule';
import type { ChangeGateOptions } from './change-gate';
import { compileCondition, FIRE_MODES, type ConditionSpec, type GateOptions } from './condition';

/** What each question shows the model. */
export type MediaSpec =
	/** The newest frame (`frame_index=-1`): cheapest, answers "what is happening now". */
	| { kind: 'latestFrame' }
	/** The last N seconds as a clip, sampled at up to `maxFps`. */
	| { kind: 'lastSeconds'; seconds: number; maxFps: number };

export type OutputFormat =
	| { kind: 'text' }
	| { kind: 'jsonObject' }
	| { kind: 'jsonSchema'; schema: Record<string, unknown>; name?: string };

/** What is asked, about what, and in which shape the answer comes back. */
export interface QuestionSpec {
	/** A fixed id, or Automatic (resolved once per watcher / check: api/models.ts). */
	model: ModelChoice;
	prompt: string;
	systemPrompt?: string;
	media: MediaSpec;
	output: OutputFormat;
	maxTokens?: number;
	/** v1beta prompt-cache affinity key (docs/overshoot-api.md §7.3); only sent where the API has it. */
	threadId?: string;
}

export interface WatcherOptions extends QuestionSpec {
	/**
	 * `interval`: a question every `intervalSeconds` (drift-free; a tick is skipped while a question
	 * is in flight). `change`: a question as soon as the picture changes (ask-schedule.ts), at most
	 * one per `minGapSeconds`, and at least one per `intervalSeconds` (the heartbeat).
	 */
	askWhen: { mode: AskWhen; minGapSeconds: number; settleMs: number };
	intervalSeconds: number;
	condition: ConditionSpec;
	fire: GateOptions;
	changeGate: ChangeGateOptions & { enabled: boolean };
	/** Call onAnswer for every answer (and attach a snapshot to it). */
	emitEveryAnswer: boolean;
	snapshot: { enabled: boolean; quality: number };
	/** v1beta: the service pulls this camera itself; nothing is published from here. */
	cameraSource?: CameraSource;
	publish: { maxBitrateKbps: number; connectTimeoutSeconds: number };
	limits: {
		/** How long to wait for the stream's first frame before each (re)start of asking. */
		firstFrameTimeoutSeconds: number;
		/** A source down (interrupted, not recovered) for longer than this is fatal. */
		sourceDownSeconds: number;
		/** A room that cannot be rejoined for longer than this is fatal. */
		roomDownSeconds: number;
		/** Questions are skipped (not paid) while the newest frame is older than this. */
		staleFrameSeconds: number;
	};
	/** When the stream is gone (keepalive 404): create a new one (reported) or stop with an error. */
	onStreamLost: 'recreate' | 'fail';
	/** Keepalive period override; default min(120 s, ttl/3). */
	keepaliveSeconds?: number;
}

type DeepPartial<T> = {
	[K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

export type WatcherOptionsInput = Pick<WatcherOptions, 'prompt' | 'condition'> & {
	/** A model id, or a choice. */
	model: string | ModelChoice;
} & DeepPartial<
		Omit<WatcherOptions, 'model' | 'prompt' | 'condition' | 'media' | 'output' | 'cameraSource'>
	> & {
		media?: MediaSpec;
		output?: OutputFormat;
		cameraSource?: CameraSource;
	};

export const WATCHER_DEFAULTS = {
	intervalSeconds: 10,
	askWhen: { mode: 'interval' as AskWhen, minGapSeconds: 3, settleMs: SETTLE_MS },
	fire: { mode: 'everyMatch', cooldownSeconds: 60, consecutive: 1, clearAfter: 2 } as GateOptions,
	changeGate: { enabled: false, sensitivity: 50, maxSkipSeconds: 300 },
	snapshot: { enabled: true, quality: 80 },
	publish: { maxBitrateKbps: 1500, connectTimeoutSeconds: 15 },
	limits: {
		firstFrameTimeoutSeconds: 30,
		sourceDownSeconds: 300,
		roomDownSeconds: 120,
		staleFrameSeconds: 10,
	},
};

/**
 * The range the engine accepts for each number, defined once: resolveWatcherOptions checks them,
 * and the nodes' number tables (shared/numbers.ts, trigger/numbers.ts, actions/check/numbers.ts)
 * offer them in the editor, so a field never offers what the engine refuses.
 */
export const WATCHER_LIMITS = {
	intervalSeconds: { min: 1, max: 86_400 },
	minGapSeconds: { min: 0.5, max: 86_400 },
	settleMs: { min: 0, max: 10_000 },
	cooldownSeconds: { min: 0, max: 604_800 },
	consecutive: { min: 1, max: 1000 },
	clearAfter: { min: 1, max: 1000 },
	sensitivity: { min: 0, max: 100 },
	maxSkipSeconds: { min: 1, max: 86_400 },
	snapshotQuality: { min: 1, max: 100 },
	maxTokens: { min: 1, max: 32_768 },
	maxBitrateKbps: { min: 50, max: 50_000 },
	connectTimeoutSeconds: { min: 1, max: 300 },
	firstFrameTimeoutSeconds: { min: 1, max: 3600 },
	sourceDownSeconds: { min: 1, max: 86_400 },
	roomDownSeconds: { min: 1, max: 86_400 },
	staleFrameSeconds: { min: 0.5, max: 3600 },
	keepaliveSeconds: { min: 0.2, max: 3600 },
} as const;
type Limit = { readonly min: number; readonly max: number };

/** "When the Picture Changes": the interval is the heartbeat. */
export const HEARTBEAT_FIELD = 'Ask Anyway Every (Seconds)';

/**
 * The engine's own names of the options whose names differ between callers, by key. A node
 * passes the names its users see (`FieldNames`) to resolveWatcherOptions, so every error (cross-
 * field ones included) names the node's field; errors carry the key as well (`InputError.key`).
 */
export const ENGINE_FIELD_NAMES = {
	intervalSeconds: 'Interval (Seconds)',
	/** The interval in "When the Picture Changes" mode. */
	heartbeatSeconds: HEARTBEAT_FIELD,
	minGapSeconds: 'Minimum Gap (Seconds)',
	maxSkipSeconds: 'Ask At Least Every (Seconds)',
	staleFrameSeconds: 'Stale Frame Limit (Seconds)',
	sourceDownSeconds: 'Give Up After Camera Down (Seconds)',
	roomDownSeconds: 'Give Up After Connection Down (Seconds)',
};
export type FieldKey = keyof typeof ENGINE_FIELD_NAMES;
export type FieldNames = Partial<Record<FieldKey, string>>;

function resolveMedia(media: MediaSpec | undefined): MediaSpec {
	if (!media || media.kind === 'latestFrame') return { kind: 'latestFrame' };
	if (media.kind !== 'lastSeconds')
		throw new InputError(
			'Look At',
			`Look At must be the latest frame or the last seconds (got ${JSON.stringify((media as { kind?: unknown }).kind)}).`,
		);
	return {
		kind: 'lastSeconds',
		seconds: positive(media.seconds, 'Clip Length (Seconds)', { max: MEDIA_LIMITS.maxClipSeconds }),
		maxFps: positive(media.maxFps ?? 1, 'Max FPS', { max: MEDIA_LIMITS.maxFps }),
	};
}

function resolveOutput(output: OutputFormat | undefined): OutputFormat {
	if (!output || output.kind === 'text') return { kind: 'text' };
	if (output.kind === 'jsonObject') return output;
	if (output.kind === 'jsonSchema') {
		const schema = jsonSchemaObject(output.schema, 'JSON Schema');
		const name = (output.name ?? 'answer').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
		return { kind: 'jsonSchema', schema: schema as Record<string, unknown>, name };
	}
	throw new InputError(
		'Response Format',
		`Response Format must be text, JSON or JSON schema (got ${JSON.stringify((output as { kind?: unknown }).kind)}).`,
	);
}

function resolveCamera(source: CameraSource | undefined): CameraSource | undefined {
	if (!source) return undefined;
	if (source.type !== 'rtsp' && source.type !== 'hls')
		throw new InputError(
			'Camera Type',
			`Camera Type must be rtsp or hls (got ${JSON.stringify(source.type)}).`,
		);
	// The node has already put the camera credential's login into the URL (shared/parameters.ts withLogin).
	const { url } = cameraUrl(source.url, 'Camera URL', [source.type], { allowLogin: true });
	return { type: source.type, url };
}

export function resolveWatcherOptions(
	input: WatcherOptionsInput,
	names: FieldNames = {},
): WatcherOptions {
	const d = WATCHER_DEFAULTS;
	const name = (key: FieldKey) => names[key] ?? ENGINE_FIELD_NAMES[key];
	const L = WATCHER_LIMITS;
	const inRange = (value: unknown, field: string, limit: Limit, key?: FieldKey) =>
		within(value, field, limit.min, limit.max, key);
	// The heartbeat is the interval under another name: the same limits.
	const keyed = (value: unknown, key: FieldKey) =>
		inRange(value, name(key), key === 'heartbeatSeconds' ? L.intervalSeconds : L[key], key);
	const model = toModelChoice(input.model); // a fixed id is checked there (api/validate.ts modelId)
	const prompt = nonEmpty(input.prompt, 'Prompt');
	compileCondition(input.condition); // throws InputError naming the condition's field
	const askMode = input.askWhen?.mode ?? d.askWhen.mode;
	if (askMode !== 'interval' && askMode !== 'change')
		throw new InputError(
			'When to Ask',
			`When to Ask must be "interval" or "change" (got ${JSON.stringify(askMode)}).`,
		);
	// In change mode the interval is the heartbeat, and the node shows it under that name.
	const intervalKey = askMode === 'change' ? 'heartbeatSeconds' : 'intervalSeconds';
	const intervalSeconds = keyed(input.intervalSeconds ?? d.intervalSeconds, intervalKey);
	const fireMode = input.fire?.mode ?? d.fire.mode;
	if (!FIRE_MODES.includes(fireMode))
		throw new InputError(
			'Fire',
			`Fire must be one of ${FIRE_MODES.map((m) => `"${m}"`).join(', ')} (got ${JSON.stringify(fireMode)}).`,
		);
	const minGapSeconds = keyed(
		input.askWhen?.minGapSeconds ?? d.askWhen.minGapSeconds,
		'minGapSeconds',
	);
	if (askMode === 'change' && minGapSeconds > intervalSeconds) {
		const message = `${name('minGapSeconds')} (${minGapSeconds}) must not be longer than ${name('heartbeatSeconds')} (${intervalSeconds}).`;
		throw new InputError(name('minGapSeconds'), message, 'minGapSeconds');
	}
	if (askMode === 'change' && input.cameraSource) {
		throw new InputError(
			'When to Ask',
			'When to Ask "When the Picture Changes" needs the frames here (RTSP Camera, Video File or Image Files); a camera pulled by Overshoot is never seen by n8n. Use "Every N Seconds".',
		);
	}
	const maxSkipSeconds = keyed(
		input.changeGate?.maxSkipSeconds ?? d.changeGate.maxSkipSeconds,
		'maxSkipSeconds',
	);
	const changeGateEnabled = input.changeGate?.enabled ?? d.changeGate.enabled;
	if (changeGateEnabled && askMode === 'interval' && maxSkipSeconds < intervalSeconds) {
		const message = `${name('maxSkipSeconds')} (${maxSkipSeconds}) must not be shorter than ${name('intervalSeconds')} (${intervalSeconds}).`;
		throw new InputError(name('maxSkipSeconds'), message, 'maxSkipSeconds');
	}
	const limits = input.limits ?? {};
	const options: WatcherOptions = {
		model,
		prompt,
		systemPrompt: input.systemPrompt?.trim() ? input.systemPrompt : undefined,
		media: resolveMedia(input.media),
		output: resolveOutput(input.output),
		maxTokens:
			input.maxTokens === undefined || input.maxTokens === null
				? undefined
				: integer(input.maxTokens, 'Max Tokens', L.maxTokens),
		threadId: input.threadId?.trim() ? input.threadId.trim() : undefined,
		intervalSeconds,
		askWhen: {
			mode: askMode,
			minGapSeconds,
			settleMs: inRange(
				input.askWhen?.settleMs ?? d.askWhen.settleMs,
				'Settle Delay (Milliseconds)',
				L.settleMs,
			),
		},
		condition: input.condition,
		fire: {
			mode: fireMode,
			cooldownSeconds: inRange(
				input.fire?.cooldownSeconds ?? d.fire.cooldownSeconds,
				'Cooldown (Seconds)',
				L.cooldownSeconds,
			),
			consecutive: integer(
				input.fire?.consecutive ?? d.fire.consecutive,
				'Matches in a Row',
				L.consecutive,
			),
			clearAfter: integer(
				input.fire?.clearAfter ?? d.fire.clearAfter,
				'Clear After (Answers)',
				L.clearAfter,
			),
		},
		changeGate: {
			enabled: changeGateEnabled,
			sensitivity: inRange(
				input.changeGate?.sensitivity ?? d.changeGate.sensitivity,
				'Change Sensitivity',
				L.sensitivity,
			),
			maxSkipSeconds,
		},
		emitEveryAnswer: input.emitEveryAnswer ?? false,
		snapshot: {
			enabled: input.snapshot?.enabled ?? d.snapshot.enabled,
			quality: integer(
				input.snapshot?.quality ?? d.snapshot.quality,
				'Snapshot Quality',
				L.snapshotQuality,
			),
		},
		cameraSource: resolveCamera(input.cameraSource),
		publish: {
			maxBitrateKbps: inRange(
				input.publish?.maxBitrateKbps ?? d.publish.maxBitrateKbps,
				'Max Bitrate (kbps)',
				L.maxBitrateKbps,
			),
			connectTimeoutSeconds: inRange(
				input.publish?.connectTimeoutSeconds ?? d.publish.connectTimeoutSeconds,
				'Connect Timeout (Seconds)',
				L.connectTimeoutSeconds,
			),
		},
		limits: {
			firstFrameTimeoutSeconds: inRange(
				limits.firstFrameTimeoutSeconds ?? d.limits.firstFrameTimeoutSeconds,
				'First Frame Timeout (Seconds)',
				L.firstFrameTimeoutSeconds,
			),
			sourceDownSeconds: keyed(
				limits.sourceDownSeconds ?? d.limits.sourceDownSeconds,
				'sourceDownSeconds',
			),
			roomDownSeconds: keyed(limits.roomDownSeconds ?? d.limits.roomDownSeconds, 'roomDownSeconds'),
			staleFrameSeconds: keyed(
				limits.staleFrameSeconds ?? d.limits.staleFrameSeconds,
				'staleFrameSeconds',
			),
		},
		onStreamLost: input.onStreamLost ?? 'recreate',
		keepaliveSeconds:
			input.keepaliveSeconds === undefined
				? undefined
				: inRange(input.keepaliveSeconds, 'Keepalive (Seconds)', L.keepaliveSeconds),
	};
	if (options.onStreamLost !== 'recreate' && options.onStreamLost !== 'fail') {
		throw new InputError(
			'When the Stream Is Lost',
			`When the Stream Is Lost must be "recreate" or "fail" (got ${JSON.stringify(options.onStreamLost)}).`,
		);
	}
	return options;
}
