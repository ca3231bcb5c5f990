// Engine events → n8n items: the fields a workflow uses, the snapshot as binary, no secrets.
import type { IBinaryData } from 'n8n-workflow';

import { redactDeep } from '../../nodes/Overshoot/api/redact';
import { checkToItem, eventToItem } from '../../nodes/Overshoot/shared/item';
import type { WatchEvent } from '../../nodes/Overshoot/watch/watcher';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const prepared: Array<{ data: Buffer; name: string; mime: string }> = [];
const prepare = async (data: Buffer, name: string, mime: string): Promise<IBinaryData> => {
	prepared.push({ data, name, mime });
	return { data: data.toString('base64'), fileName: name, mimeType: mime };
};

const event = (patch: Partial<WatchEvent> = {}): WatchEvent => ({
	answer: 'Yes. A person is at the door.',
	json: undefined,
	condition: { kind: 'yes', matched: true, reason: 'answer starts with yes' },
	fire: { fired: true, reason: 'condition became true' },
	streamId: '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
	model: 'google/gemma-4-26B-A4B-it',
	frame: { seq: 42, capturedAtMs: 1_777_600_000_000, ageMs: 120 },
	question: {
		askedAtMs: 1_777_600_000_120,
		answeredAtMs: 1_777_600_000_920,
		media: 'ovs://streams/5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0?frame_index=-1',
		latencyMs: 800,
	},
	usage: { prompt_tokens: 300, completion_tokens: 9, total_tokens: 309 },
	eventId: 'evt_0123456789abcdef01234567',
	snapshot: { jpeg, width: 640, height: 360, seq: 42, capturedAtMs: 1_777_600_000_000 },
	...patch,
});

describe('eventToItem', () => {
	it('puts answer, condition, stream, timing and usage in json and the JPEG in binary "snapshot"', async () => {
		const item = await eventToItem(event(), prepare);
		expect(item.json).toMatchObject({
			event: 'match',
			event_id: 'evt_0123456789abcdef01234567',
			incident: null,
			answer: 'Yes. A person is at the door.',
			json: null,
			matched: true,
			condition: { kind: 'yes', matched: true, reason: 'answer starts with yes' },
			fired: true,
			fire_reason: 'condition became true',
			stream_id: '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0',
			model: 'google/gemma-4-26B-A4B-it',
			frame: { seq: 42, captured_at: '2026-05-01T01:46:40.000Z', age_ms: 120 },
			timing: {
				captured_at: '2026-05-01T01:46:40.000Z',
				asked_at: '2026-05-01T01:46:40.120Z',
				answered_at: '2026-05-01T01:46:40.920Z',
				latency_ms: 800,
				frame_to_answer_ms: 920,
			},
			usage: { prompt_tokens: 300, completion_tokens: 9, total_tokens: 309 },
			snapshot: { property: 'snapshot', width: 640, height: 360, frame_seq: 42 },
		});
		expect(item.binary?.snapshot.mimeType).toBe('image/jpeg');
		expect(prepared.at(-1)).toMatchObject({ data: jpeg, mime: 'image/jpeg' });
		expect(prepared.at(-1)!.name).toMatch(/^snapshot-.*\.jpg$/);
	});

	it('incidents: the state, one incident_id for start and clear, the duration on the clear', async () => {
		const started = await eventToItem(
			event({
				eventId: 'evt_a',
				incident: { state: 'started', id: 'inc_1', startedAtMs: 1_777_600_000_920 },
			}),
			prepare,
		);
		expect(started.json).toMatchObject({
			event: 'incident_started',
			event_id: 'evt_a',
			incident_id: 'inc_1',
			incident: { state: 'started', started_at: '2026-05-01T01:46:40.920Z' },
		});
		expect(started.json.incident as object).not.toHaveProperty('duration_ms');
		const cleared = await eventToItem(
			event({
				eventId: 'evt_b',
				incident: {
					state: 'cleared',
					id: 'inc_1',
					startedAtMs: 1_777_600_000_920,
					durationMs: 8000,
				},
			}),
			prepare,
		);
		expect(cleared.json).toMatchObject({
			event: 'incident_cleared',
			event_id: 'evt_b',
			incident_id: 'inc_1',
			incident: { state: 'cleared', duration_ms: 8000 },
		});
	});

	it('usage: cached and uncached prompt tokens only when the API reported its prompt cache', async () => {
		const cached = await eventToItem(
			event({ promptCache: { threadId: 't', cacheHit: true, cachedInputTokens: 20 } }),
			prepare,
		);
		expect(cached.json.usage).toEqual({
			prompt_tokens: 300,
			completion_tokens: 9,
			total_tokens: 309,
			cached_prompt_tokens: 20,
			uncached_prompt_tokens: 280,
			cache_hit: true,
		});
		const v1 = await eventToItem(event(), prepare);
		expect(v1.json.usage).toEqual({ prompt_tokens: 300, completion_tokens: 9, total_tokens: 309 });
	});

	it('marks tuning answers and carries parsed JSON', async () => {
		const item = await eventToItem(
			event({
				answer: '{"person": false}',
				json: { person: false },
				condition: { kind: 'jsonField', matched: false, reason: 'field "person" (false) is false' },
				fire: { fired: false, reason: 'condition not met' },
				snapshot: undefined,
				frame: undefined,
			}),
			prepare,
		);
		expect(item.json).toMatchObject({
			event: 'answer',
			json: { person: false },
			matched: false,
			fired: false,
			frame: null,
			timing: { captured_at: null, frame_to_answer_ms: null },
		});
		expect(item.binary).toBeUndefined();
	});

	it('never carries a secret, even if the model or a URL echoes it', async () => {
		const item = await eventToItem(
			event({
				answer: 'I see rtsp://admin:s3cr3t-pw@10.0.0.5/live and key ovs-abcdef123456',
				jsonError: 'bad s3cr3t-pw',
			}),
			prepare,
			['s3cr3t-pw', 'ovs-abcdef123456'],
		);
		const text = JSON.stringify(item.json);
		expect(text).not.toContain('s3cr3t-pw');
		expect(text).not.toContain('ovs-abcdef123456');
		expect(text).not.toContain('admin:');
	});
});

describe('checkToItem', () => {
	it('returns answer, json, usage, stream id (deleted) and the snapshot', async () => {
		const item = await checkToItem(
			{
				answer: 'No.',
				json: undefined,
				usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
				model: 'm',
				streamId: 's',
				media: 'ovs://streams/s?start_offset_ms=-5000',
				askedAtMs: 1000,
				answeredAtMs: 1500,
				framesPublished: 25,
				streamDeleted: true,
				snapshot: { jpeg, width: 2, height: 2, seq: 1, capturedAtMs: 900 },
			},
			prepare,
		);
		expect(item.json).toMatchObject({
			answer: 'No.',
			json: null,
			stream_id: 's',
			stream_deleted: true,
			frames_published: 25,
			timing: { latency_ms: 500 },
			usage: { total_tokens: 2 },
		});
		expect(item.binary?.snapshot.mimeType).toBe('image/jpeg');
	});

	it('says when the stream could not be deleted, and why', async () => {
		const item = await checkToItem(
			{
				answer: 'No.',
				model: 'm',
				streamId: 's',
				media: 'ovs://streams/s?frame_index=-1',
				askedAtMs: 1000,
				answeredAtMs: 1500,
				framesPublished: 25,
				streamDeleted: false,
				streamDeleteError: 'The stream s could not be deleted (500); it stays billed',
			},
			prepare,
		);
		expect(item.json).toMatchObject({
			stream_deleted: false,
			stream_delete_error: 'The stream s could not be deleted (500); it stays billed',
		});
	});
});

describe('redactDeep', () => {
	it('redacts short camera passwords and URL logins everywhere in an item', () => {
		expect(redactDeep({ a: ['pw is abc1'], b: 'rtsp://u:abc1@h/x' }, ['abc1'])).toEqual({
			a: ['pw is ***'],
			b: 'rtsp://***@h/x',
		});
	});
});
