// Which model answers: a fixed id the user chose, or "Automatic", a ready model from GET /models
// that can answer the media asked about. The catalog changes (docs/overshoot-api.md §2.1, §5: list
// models at the start of every session, never hard-code ids), so nothing here names an id.
//
// GET /models gives no capability field (only id, status, created, owned_by). The contract's
// models page gives the rule by id family instead, and that rule is encoded here, once:
// - hosted models have ids of the form `<owner>/<model>` and all take images and clips
//   (their rows list frames per request); they answer in under a second;
// - passthrough models have bare ids: `gemini-*` takes images and clips, `claude-*` and `gpt-*`
//   take images only (a video_url part → 400 `model_video_unsupported`);
// - any other bare id is a passthrough model of unknown capability: usable for images, and for a
//   clip only when nothing known to take clips is ready.
// When a model turns out not to take clips after all (400 `model_video_unsupported`), Automatic
// picks again, like it does for a model that is no longer served.
//
// The choice is deterministic: among `ready` models that can answer the media, the best tier
// first (hosted, then passthrough known to fit, then passthrough of unknown capability), and within
// a tier the smallest id in plain code-unit order (independent of the server's list order and of
// the machine's locale). Ids that already failed in this run are skipped.

import type { OvershootClient } from './client';
import { InputError, OvershootApiError } from './errors';
import type { ChatMessage, ContentPart, Model } from './types';
import { modelId } from './validate';

export type ModelChoice = { kind: 'fixed'; id: string } | { kind: 'automatic' };

export const AUTOMATIC: ModelChoice = { kind: 'automatic' };

/** What the question shows the model: a clip (`video_url`) needs a model that takes video. */
export interface MediaNeeds {
	video: boolean;
}

/** Families the contract documents as image-only (docs/overshoot-api.md §5, "Passthrough"). */
const IMAGE_ONLY = /^(claude-|gpt-)/;
/** Passthrough families the contract documents as taking images and video. */
const VIDEO_PASSTHROUGH = /^gemini-/;

/** Hosted ids contain a slash (`<owner>/<model>`); passthrough ids do not. */
export function isHosted(id: string): boolean {
	return id.includes('/');
}

/** true: takes clips; false: images only; undefined: the contract says nothing about this id. */
export function takesVideo(id: string): boolean | undefined {
	if (isHosted(id) || VIDEO_PASSTHROUGH.test(id)) return true;
	if (IMAGE_ONLY.test(id)) return false;
	return undefined;
}

/** Lower is better; undefined = cannot answer this media. */
function tier(id: string, needs: MediaNeeds): number | undefined {
	if (isHosted(id)) return 0;
	const video = takesVideo(id);
	if (needs.video) return video === true ? 1 : video === undefined ? 2 : undefined;
	return video === undefined ? 2 : 1;
}

function byId(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Ready models that can answer `needs`, best first (see the file head for the rule). */
export function rankModels(
	models: Model[],
	needs: MediaNeeds,
	exclude: ReadonlySet<string> = new Set(),
): string[] {
	const ranked: Array<{ id: string; tier: number }> = [];
	for (const m of models) {
		if (m?.status !== 'ready' || typeof m.id !== 'string' || !m.id || exclude.has(m.id)) continue;
		const t = tier(m.id, needs);
		if (t !== undefined) ranked.push({ id: m.id, tier: t });
	}
	return ranked.sort((a, b) => a.tier - b.tier || byId(a.id, b.id)).map((r) => r.id);
}

/** No ready model can answer: names what is there, so the user sees why. */
export class NoModelError extends Error {
	readonly description: string;
	constructor(needs: MediaNeeds, models: Model[], exclude: ReadonlySet<string>) {
		const what = needs.video ? 'a clip (video)' : 'images';
		super(`Model is Automatic, but Overshoot serves no ready model that can answer ${what}`);
		this.name = 'NoModelError';
		const ready = models.filter((m) => m?.status === 'ready').map((m) => m.id);
		const failed = [...exclude];
		this.description =
			(ready.length
				? `Ready models: ${ready.join(', ')}.`
				: 'GET /models lists no ready model right now.') +
			(failed.length ? ` Already failed in this run: ${failed.join(', ')}.` : '') +
			(needs.video
				? ' Ask about the latest frame instead of a clip, or try again when a video model is ready.'
				: ' Try again shortly.');
	}
}

export function chooseModel(
	models: Model[],
	needs: MediaNeeds,
	exclude: ReadonlySet<string> = new Set(),
): string {
	const [best] = rankModels(models, needs, exclude);
	if (!best) throw new NoModelError(needs, models, exclude);
	return best;
}

/** A model id or a choice (engine callers may pass a plain id); `field` names it in errors. */
export function toModelChoice(
	value: string | ModelChoice | undefined,
	field = 'Model',
): ModelChoice {
	if (value && typeof value === 'object') {
		if (value.kind === 'automatic') return AUTOMATIC;
		if (value.kind === 'fixed' && typeof value.id === 'string' && value.id.trim())
			return { kind: 'fixed', id: modelId(value.id, field) };
	}
	if (typeof value === 'string' && value.trim())
		return { kind: 'fixed', id: modelId(value, field) };
	throw new InputError(
		field,
		`${field} is empty. Pick a model, enter a model ID, or choose Automatic.`,
	);
}

/** Whether a chat request shows the model a clip (a `video_url` part anywhere). */
export function needsOf(messages: ChatMessage[]): MediaNeeds {
	const parts = messages.flatMap((m) =>
		Array.isArray(m.content) ? (m.content as ContentPart[]) : [],
	);
	return { video: parts.some((p) => p?.type === 'video_url') };
}

/**
 * The server no longer serves the model asked for: 404 `model_unavailable`, a 422 naming the model,
 * or (for a clip) 400 `model_video_unsupported`. These do not go away by asking again.
 */
export function isModelRefusal(error: unknown): boolean {
	return (
		error instanceof OvershootApiError &&
		(error.extra.modelGone === true || error.code === 'model_video_unsupported')
	);
}

/**
 * The model of one run (a node execution, a Check, a trigger activation): resolved once and kept;
 * on Automatic, a model that is refused is replaced by the next best one, once per refusal (a
 * replacement that is refused before it answered once is not replaced again).
 */
export class ModelSelection {
	private chosen: string | undefined;
	private answeredSinceChoice = false;
	private readonly failed = new Set<string>();

	constructor(
		private readonly client: OvershootClient,
		readonly choice: ModelChoice,
		private readonly needs: MediaNeeds,
	) {}

	get automatic(): boolean {
		return this.choice.kind === 'automatic';
	}

	/** The model id to ask; on Automatic one GET /models the first time. */
	async current(options: { signal?: AbortSignal } = {}): Promise<string> {
		if (this.choice.kind === 'fixed') return this.choice.id;
		this.chosen ??= chooseModel(
			await this.client.listModels({ signal: options.signal, timeoutMs: 15_000 }),
			this.needs,
			this.failed,
		);
		return this.chosen;
	}

	/** Call after an answer: the current model works, so a later refusal may be replaced again. */
	answered(): void {
		this.answeredSinceChoice = true;
	}

	/**
	 * After `error` for `model`: the replacement id (Automatic, a model refusal, not already
	 * replaced without an answer since), or undefined when the error must be reported.
	 */
	async replace(
		model: string,
		error: unknown,
		options: { signal?: AbortSignal } = {},
	): Promise<string | undefined> {
		if (!this.automatic || !isModelRefusal(error)) return undefined;
		if (this.failed.size > 0 && !this.answeredSinceChoice) return undefined;
		const models =
			(error as OvershootApiError).extra.readyModels ??
			(await this.client.listModels({ signal: options.signal, timeoutMs: 15_000 }));
		this.failed.add(model);
		this.answeredSinceChoice = false;
		const [next] = rankModels(models, this.needs, this.failed);
		if (!next) return undefined; // report the refusal itself: its hint lists the ready models
		this.chosen = next;
		return next;
	}

	/** Runs `ask` with the current model; on Automatic, once more with a replacement if it is refused. */
	async run<T>(
		ask: (model: string) => Promise<T>,
		options: { signal?: AbortSignal } = {},
	): Promise<{ model: string; result: T; replaced?: string }> {
		const model = await this.current(options);
		try {
			const result = await ask(model);
			this.answered();
			return { model, result };
		} catch (error) {
			const next = await this.replace(model, error, options);
			if (next === undefined) throw error;
			const result = await ask(next);
			this.answered();
			return { model: next, result, replaced: model };
		}
	}
}

const selections = new WeakMap<OvershootClient, Map<string, ModelSelection>>();

/**
 * The selection shared by everything that uses this client (the action node makes one client per
 * execution): all items of a run get the same model, from one GET /models.
 */
export function selectionFor(
	client: OvershootClient,
	choice: ModelChoice,
	needs: MediaNeeds,
): ModelSelection {
	let byKey = selections.get(client);
	if (!byKey) selections.set(client, (byKey = new Map()));
	const key = `${choice.kind === 'fixed' ? `fixed:${choice.id}` : 'automatic'}|${needs.video ? 'video' : 'image'}`;
	let selection = byKey.get(key);
	if (!selection) byKey.set(key, (selection = new ModelSelection(client, choice, needs)));
	return selection;
}
