// Engine events → n8n items: the answer, what the condition made of it, which picture it was
// about (also as JPEG in binary "snapshot"), timing and usage. Everything is passed through the
// redactor once more: an item must never carry a camera password or the API key.

import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Usage } from '../api/types';
import type { Snapshot } from '../watch/snapshot';
import type { WatchEvent } from '../watch/watcher';
import { redactValue } from '../actions/shared/redact';
import { redact } from '../watch/sources/redact';

export const SNAPSHOT_PROPERTY = 'snapshot';

/** n8n's prepareBinaryData, bound to a context. */
export type PrepareBinary = (data: Buffer, fileName: string, mimeType: string) => Promise<IBinaryData>;

const iso = (ms: number | undefined) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function usageJson(usage: Usage | undefined): IDataObject | null {
	if (!usage) return null;
	return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens };
}

/** Deep redaction: URL logins (both redactors' rules) and every literal secret. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
	const once = redactValue(value, [...secrets]);
	const walk = (v: unknown): unknown =>
		typeof v === 'string' ? redact(v, secrets)
		: Array.isArray(v) ? v.map(walk)
		: v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
		: v;
	return walk(once) as T;
}

async function withSnapshot(json: IDataObject, snapshot: Snapshot | undefined, prepare: PrepareBinary): Promise<INodeExecutionData> {
	if (!snapshot) return { json };
	const stamp = new Date(snapshot.capturedAtMs).toISOString().replace(/[:.]/g, '-');
	const binary = await prepare(snapshot.jpeg, `snapshot-${stamp}.jpg`, 'image/jpeg');
	json.snapshot = { property: SNAPSHOT_PROPERTY, width: snapshot.width, height: snapshot.height, frameSeq: snapshot.seq, capturedAt: iso(snapshot.capturedAtMs) };
	return { json, binary: { [SNAPSHOT_PROPERTY]: binary } };
}

/** One trigger event → one item. `event` says whether it fired ("match") or is a tuning answer. */
export async function eventToItem(e: WatchEvent, prepare: PrepareBinary, secrets: readonly string[] = []): Promise<INodeExecutionData> {
	const json: IDataObject = scrub(
		{
			event: e.fire.fired ? 'match' : 'answer',
			answer: e.answer,
			json: (e.json ?? null) as IDataObject | null,
			...(e.jsonError ? { jsonError: e.jsonError } : {}),
			matched: e.condition.matched,
			condition: { kind: e.condition.kind, matched: e.condition.matched, reason: e.condition.reason },
			fired: e.fire.fired,
			fireReason: e.fire.reason,
			streamId: e.streamId,
			model: e.model,
			media: e.question.media,
			frame: e.frame ? { seq: e.frame.seq, capturedAt: iso(e.frame.capturedAtMs), ageMs: e.frame.ageMs } : null,
			timing: {
				capturedAt: iso(e.frame?.capturedAtMs),
				askedAt: iso(e.question.askedAtMs),
				answeredAt: iso(e.question.answeredAtMs),
				latencyMs: e.question.latencyMs,
				// glass-to-answer: from the moment the picture left the camera to the answer
				frameToAnswerMs: e.frame ? e.question.answeredAtMs - e.frame.capturedAtMs : null,
			},
			usage: usageJson(e.usage),
		},
		secrets,
	);
	return withSnapshot(json, e.snapshot, prepare);
}

/** The Check operation's result (watch/one-shot.ts CheckResult) → one item. */
export async function checkToItem(
	r: { answer: string; json?: unknown; jsonError?: string; usage?: Usage; model: string; streamId: string; media: string; askedAtMs: number; answeredAtMs: number; framesPublished: number; snapshot?: Snapshot },
	prepare: PrepareBinary,
	secrets: readonly string[] = [],
): Promise<INodeExecutionData> {
	const json: IDataObject = scrub(
		{
			answer: r.answer,
			json: (r.json ?? null) as IDataObject | null,
			...(r.jsonError ? { jsonError: r.jsonError } : {}),
			streamId: r.streamId,
			streamDeleted: true,
			model: r.model,
			media: r.media,
			framesPublished: r.framesPublished,
			timing: { askedAt: iso(r.askedAtMs), answeredAt: iso(r.answeredAtMs), latencyMs: r.answeredAtMs - r.askedAtMs },
			usage: usageJson(r.usage),
		},
		secrets,
	);
	return withSnapshot(json, r.snapshot, prepare);
}
