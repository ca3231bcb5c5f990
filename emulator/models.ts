// The emulator's model catalogue (docs/overshoot-api.md §5) and the billing prices derived from it.

import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface EmulatorModel {
	id: string;
	/**
	 * `ready` | `loading` | `unavailable` | `retired`. Only `ready` models answer chat completions;
	 * `retired` is a model the server no longer serves: not listed, and chat → 404 `model_unavailable`.
	 */
	status?: string;
	owned_by?: string;
	/** false for image-only passthrough models: `video_url` → 400 `model_video_unsupported`. */
	video?: boolean;
	/** Visual tokens counted per referenced frame in `usage.prompt_tokens`. */
	tokensPerFrame?: number;
}

export const MODEL_CREATED = 1714492800;

/** A model taken out of the catalogue (tests: a catalogue that changes under a running workflow). */
export const RETIRED = 'retired';

/**
 * The model the project's tests and benchmarks ask for by name. Naming an id is allowed only for
 * the emulator's own catalogue; the nodes and examples list models instead.
 */
export const TEST_MODEL = 'google/gemma-4-26B-A4B-it';

export const DEFAULT_MODELS: EmulatorModel[] = [
	{ id: 'Qwen/Qwen3.6-27B-FP8' },
	{ id: 'Qwen/Qwen3.6-35B-A3B-FP8' },
	{ id: 'google/gemma-4-31B-it' },
	{ id: TEST_MODEL },
	{ id: 'google/gemma-4-E4B-it' },
	{ id: 'Hcompany/Holo3-35B-A3B' },
	{ id: 'gemini-3-flash-preview' },
	{ id: 'claude-haiku-4-5-20251001', video: false },
	{ id: 'gpt-5.4-mini', video: false },
];

/**
 * A catalogue from a file (`--catalog`): a JSON array of EmulatorModel, or `{"data": [...]}` as
 * GET /models answers. Throws a message naming the file and the first bad entry.
 */
export function readCatalogFile(file: string): EmulatorModel[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`--catalog ${file}: ${(error as Error).message}`);
	}
	const list = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown })?.data;
	if (!Array.isArray(list))
		throw new Error(`--catalog ${file}: expected a JSON array of models or {"data": [...]}`);
	return list.map((entry, i) => {
		const m = entry as EmulatorModel;
		if (!m || typeof m.id !== 'string' || !m.id)
			throw new Error(`--catalog ${file}: entry ${i} has no "id"`);
		if (m.video !== undefined && typeof m.video !== 'boolean')
			throw new Error(`--catalog ${file}: entry ${i} ("${m.id}"): "video" must be true or false`);
		return {
			id: m.id,
			status: m.status,
			owned_by: m.owned_by,
			video: m.video,
			tokensPerFrame: m.tokensPerFrame,
		};
	});
}

/** §16: 200 visual tokens per frame for Qwen/Holo (480p), 256 for Gemma and everything else. */
export function tokensPerFrame(model: EmulatorModel): number {
	if (model.tokensPerFrame !== undefined) return model.tokensPerFrame;
	return /^(qwen|hcompany)\//i.test(model.id) ? 200 : 256;
}

/** Image-only passthrough models (claude-*, gpt-*) reject `video_url` unless configured otherwise. */
export function supportsVideo(model: EmulatorModel): boolean {
	if (model.video !== undefined) return model.video;
	return !/^(claude-|gpt-)/.test(model.id);
}

export function provider(modelId: string): string {
	const lower = modelId.toLowerCase();
	if (lower.startsWith('google/') || lower.startsWith('gemini')) return 'google';
	if (lower.startsWith('claude')) return 'anthropic';
	if (lower.startsWith('gpt')) return 'openai';
	return lower.includes('/') ? lower.split('/')[0] : 'overshoot';
}

/** A stable UUID-shaped id derived from a string (pricing ids, user ids). */
export function stableUuid(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Microcents per token (the spec's example magnitudes: 10 / 40 / 2). */
export const PRICE = { input: 10, output: 40, cachedInput: 2 };

export function pricing(model: EmulatorModel) {
	return {
		id: stableUuid(`pricing:${model.id}`),
		model: model.id,
		provider: provider(model.id),
		version: '2026-06-01',
		input_microcents_per_token: PRICE.input,
		output_microcents_per_token: PRICE.output,
		cached_input_microcents_per_token: PRICE.cachedInput,
		public: true,
	};
}

/**
 * How a model appears in `GET /models`: v1 lists `ready | loading` and omits models without a healthy
 * replica; v1beta lists `ready | unavailable` (so `loading` shows as `unavailable`).
 */
export function listModels(models: EmulatorModel[], version: 'v1' | 'v1beta') {
	const data = [];
	for (const m of models) {
		let status = m.status ?? 'ready';
		if (status === RETIRED) continue;
		if (version === 'v1' && status === 'unavailable') continue;
		if (version === 'v1beta' && status === 'loading') status = 'unavailable';
		data.push({
			id: m.id,
			object: 'model',
			created: MODEL_CREATED,
			owned_by: m.owned_by ?? 'overshoot',
			status,
		});
	}
	return { object: 'list', data };
}
