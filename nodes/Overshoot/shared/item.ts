// Engine events → n8n items: the answer, what the condition made of it, which picture it was
// about (also as JPEG in binary "snapshot"), timing and usage. Keys are snake_case like the
// Overshoot API's and the action node's outputs (`usage` has the API's own shape), so one
// expression works on items from every Overshoot node. Everything is passed through the
// redactor once more: an item must never carry a camera password or the API key.

import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Usage } from '../api/types';
import type { PromptCache } from '../watch/asker';
import type { Snapshot } from '../watch/snapshot';
import type { CheckResult } from '../watch/one-shot';
import type { WatchEvent } from '../watch/watcher';
import { redactDeep } from '../api/redact';

export const SNAPSHOT_PROPERTY = 'snapshot';

/** n8n's prepareBinaryData, bound to a context. */
export type PrepareBinary = (
	data: Buffer,
	fileName: string,
	mimeType: string,
) => Promise<IBinaryData>;

const iso = (ms: number | undefined) =>
	typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

/**
 * The API's usage; with a v1beta prompt cache (`overshoot.cache`) also how many prompt tokens
 * were served from it (billed at the cheaper cached rate) and how many were not.
 */
export function usageJson(usage: Usage | undefined, cache?: PromptCache): IDataObject | null {
	if (!usage) return null;
	const json: IDataObject = {
		prompt_tokens: usage.prompt_tokens,
		completion_tokens: usage.completion_tokens,
		total_tokens: usage.total_tokens,
	};
	if (cache) {
		const cached = Math.min(cache.cachedInputTokens, usage.prompt_tokens);
		json.cached_prompt_tokens = cached;
		json.uncached_prompt_tokens = usage.prompt_tokens - cached;
		json.cache_hit = cache.cacheHit;
	}
	return json;
}

function incidentJson(e: WatchEvent): IDataObject | null {
	if (!e.incident) return null;
	return {
		state: e.incident.state,
		started_at: iso(e.incident.startedAtMs),
		...(e.incident.durationMs !== undefined ? { duration_ms: e.incident.durationMs } : {}),
	};
}

async function withSnapshot(
	json: IDataObject,
	snapshot: Snapshot | undefined,
	prepare: PrepareBinary,
): Promise<INodeExecutionData> {
	if (!snapshot) return { json };
	const stamp = new Date(snapshot.capturedAtMs).toISOString().replace(/[:.]/g, '-');
	const binary = await prepare(snapshot.jpeg, `snapshot-${stamp}.jpg`, 'image/jpeg');
	json.snapshot = {
		property: SNAPSHOT_PROPERTY,
		width: snapshot.width,
		height: snapshot.height,
		frame_seq: snapshot.seq,
		captured_at: iso(snapshot.capturedAtMs),
	};
	return { json, binary: { [SNAPSHOT_PROPERTY]: binary } };
}

/** One trigger event → one item. `event` says whether it fired ("match") or is a tuning answer. */
export async function eventToItem(
	e: WatchEvent,
	prepare: PrepareBinary,
	secrets: readonly string[] = [],
): Promise<INodeExecutionData> {
	const json: IDataObject = redactDeep(
		{
			event: e.incident ? `incident_${e.incident.state}` : e.fire.fired ? 'match' : 'answer',
			event_id: e.eventId,
			incident: incidentJson(e),
			...(e.incident ? { incident_id: e.incident.id } : {}),
			answer: e.answer,
			json: (e.json ?? null) as IDataObject | null,
			...(e.jsonError ? { json_error: e.jsonError } : {}),
			matched: e.condition.matched,
			condition: {
				kind: e.condition.kind,
				matched: e.condition.matched,
				reason: e.condition.reason,
			},
			fired: e.fire.fired,
			fire_reason: e.fire.reason,
			stream_id: e.streamId,
			model: e.model,
			media: e.question.media,
			...(e.askedBecause ? { asked_because: e.askedBecause } : {}),
			frame: e.frame
				? { seq: e.frame.seq, captured_at: iso(e.frame.capturedAtMs), age_ms: e.frame.ageMs }
				: null,
			timing: {
				captured_at: iso(e.frame?.capturedAtMs),
				asked_at: iso(e.question.askedAtMs),
				answered_at: iso(e.question.answeredAtMs),
				latency_ms: e.question.latencyMs,
				// glass-to-answer: from the moment the picture left the camera to the answer
				frame_to_answer_ms: e.frame ? e.question.answeredAtMs - e.frame.capturedAtMs : null,
			},
			usage: usageJson(e.usage, e.promptCache),
		},
		secrets,
	);
	return withSnapshot(json, e.snapshot, prepare);
}

/** The Check operation's result (watch/one-shot.ts CheckResult) → one item. */
export async function checkToItem(
	r: CheckResult,
	prepare: PrepareBinary,
	secrets: readonly string[] = [],
): Promise<INodeExecutionData> {
	const json: IDataObject = redactDeep(
		{
			answer: r.answer,
			json: (r.json ?? null) as IDataObject | null,
			...(r.jsonError ? { json_error: r.jsonError } : {}),
			stream_id: r.streamId,
			stream_deleted: r.streamDeleted,
			...(r.streamDeleteError ? { stream_delete_error: r.streamDeleteError } : {}),
			model: r.model,
			media: r.media,
			frames_published: r.framesPublished,
			timing: {
				asked_at: iso(r.askedAtMs),
				answered_at: iso(r.answeredAtMs),
				latency_ms: r.answeredAtMs - r.askedAtMs,
			},
			usage: usageJson(r.usage),
		},
		secrets,
	);
	return withSnapshot(json, r.snapshot, prepare);
}
