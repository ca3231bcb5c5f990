// StreamSession with a scripted client: no orphaned stream on any path, keepalive before expiry
// with fresh tokens, tolerant of transient failures, a lost stream reported and replaced (or fatal).

import type { OvershootClient } from '../../nodes/Overshoot/api/client';
import { OvershootApiError } from '../../nodes/Overshoot/api/errors';
import type { StreamCreated } from '../../nodes/Overshoot/api/types';
import {
	SessionEndedError,
	StreamSession,
	type SessionStatus,
} from '../../nodes/Overshoot/watch/stream-session';

let n = 0;
function stream(ttl = 300): StreamCreated {
	const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
	return {
		id,
		state: 'active',
		publish: { type: 'livekit', url: 'ws://x', token: `token-${id}-0` },
		expires_at_ms: Date.now() + ttl * 1000,
		ttl_seconds: ttl,
	};
}
const apiError = (status: number) => new OvershootApiError(status, 'nope', 'hint');

function fakeClient(overrides: Partial<Record<keyof OvershootClient, jest.Mock>> = {}) {
	const deleted: string[] = [];
	let keepalives = 0;
	const client = {
		createStream: jest.fn(async () => stream()),
		keepalive: jest.fn(async (id: string) => ({
			id,
			expires_at_ms: Date.now() + 300_000,
			ttl_seconds: 300,
			stream_time_ms: 0,
			publish: { type: 'livekit', url: 'ws://x', token: `token-${id}-${++keepalives}` },
		})),
		deleteStream: jest.fn(async (id: string) => (deleted.push(id), { id, deleted: true })),
		...overrides,
	};
	return { client: client as unknown as OvershootClient, deleted, mock: client };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('keepalive runs on its period, stores each fresh token, and end() deletes once', async () => {
	const { client, deleted, mock } = fakeClient();
	const statuses: SessionStatus[] = [];
	const s = new StreamSession(
		client,
		{ keepaliveSeconds: 0.2, onStreamLost: 'fail' },
		{ onFatal: jest.fn(), onStatus: (x) => statuses.push(x) },
	);
	const created = await s.open();
	expect(s.latestPublish()!.token).toBe(`token-${created.id}-0`);
	await sleep(700);
	expect(mock.keepalive.mock.calls.length).toBeGreaterThanOrEqual(2);
	expect(s.latestPublish()!.token).not.toBe(`token-${created.id}-0`);
	await Promise.all([s.end(), s.end()]);
	await s.end();
	expect(deleted).toEqual([created.id]);
	const calls = mock.keepalive.mock.calls.length;
	await sleep(400);
	expect(mock.keepalive.mock.calls.length).toBe(calls); // stopped
	expect(statuses.map((x) => x.kind)).toEqual(
		expect.arrayContaining(['created', 'renewed', 'ended']),
	);
});

test('default period is min(120 s, ttl/3)', async () => {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
	try {
		const { client, mock } = fakeClient({ createStream: jest.fn(async () => stream(30)) });
		const s = new StreamSession(client, { onStreamLost: 'fail' }, { onFatal: jest.fn() });
		await s.open();
		await jest.advanceTimersByTimeAsync(9_900);
		expect(mock.keepalive).not.toHaveBeenCalled();
		await jest.advanceTimersByTimeAsync(200);
		expect(mock.keepalive).toHaveBeenCalledTimes(1);
		const end = s.end();
		await jest.advanceTimersByTimeAsync(10);
		await end;
	} finally {
		jest.useRealTimers();
	}
});

test('stop while createStream is in flight: the stream is deleted as soon as the create resolves', async () => {
	let resolveCreate!: (s: StreamCreated) => void;
	const late = stream();
	const { client, deleted } = fakeClient({
		createStream: jest.fn(() => new Promise<StreamCreated>((r) => (resolveCreate = r))),
	});
	const s = new StreamSession(
		client,
		{ onStreamLost: 'fail', endTimeoutMs: 2000 },
		{ onFatal: jest.fn() },
	);
	const opening = s.open();
	await sleep(20);
	const ending = s.end();
	setTimeout(() => resolveCreate(late), 100);
	await expect(opening).rejects.toBeInstanceOf(SessionEndedError);
	await ending;
	expect(deleted).toEqual([late.id]);
});

test('end() is bounded when the create hangs, and still deletes when it finally resolves', async () => {
	let resolveCreate!: (s: StreamCreated) => void;
	const late = stream();
	const { client, deleted } = fakeClient({
		createStream: jest.fn(() => new Promise<StreamCreated>((r) => (resolveCreate = r))),
	});
	const s = new StreamSession(
		client,
		{ onStreamLost: 'fail', endTimeoutMs: 300 },
		{ onFatal: jest.fn() },
	);
	const opening = s.open().catch((e) => e);
	const t0 = Date.now();
	await s.end();
	expect(Date.now() - t0).toBeLessThan(1000);
	resolveCreate(late);
	expect(await opening).toBeInstanceOf(SessionEndedError);
	await sleep(20);
	expect(deleted).toEqual([late.id]);
});

test('transient keepalive failures are retried before the lease runs out', async () => {
	let calls = 0;
	const { client } = fakeClient({
		keepalive: jest.fn(async (id: string) => {
			if (++calls <= 2) throw new Error('ECONNRESET');
			return {
				id,
				expires_at_ms: Date.now() + 300_000,
				ttl_seconds: 300,
				stream_time_ms: 0,
				publish: null,
			};
		}),
	});
	const statuses: SessionStatus[] = [];
	const onFatal = jest.fn();
	const s = new StreamSession(
		client,
		{ keepaliveSeconds: 0.1, onStreamLost: 'fail' },
		{ onFatal, onStatus: (x) => statuses.push(x) },
	);
	await s.open();
	await sleep(1200);
	await s.end();
	expect(statuses.filter((x) => x.kind === 'keepaliveFailed')).toHaveLength(2);
	expect(statuses.some((x) => x.kind === 'renewed')).toBe(true);
	expect(onFatal).not.toHaveBeenCalled();
	expect(s.latestPublish()).not.toBeNull(); // a null publish in a keepalive does not erase the token
});

test('keepalive 404 → lost → replaced by a new stream (reported), and both are cleaned up', async () => {
	const { client, deleted, mock } = fakeClient();
	mock.keepalive.mockImplementationOnce(async () => {
		throw apiError(404);
	});
	const replaced = jest.fn();
	const statuses: SessionStatus[] = [];
	const s = new StreamSession(
		client,
		{ keepaliveSeconds: 0.1, onStreamLost: 'recreate' },
		{ onFatal: jest.fn(), onReplaced: replaced, onStatus: (x) => statuses.push(x) },
	);
	const first = await s.open();
	await sleep(400);
	expect(replaced).toHaveBeenCalledTimes(1);
	const second = replaced.mock.calls[0][0] as StreamCreated;
	expect(s.streamId).toBe(second.id);
	expect(statuses.map((x) => x.kind)).toEqual(expect.arrayContaining(['lost', 'replaced']));
	await s.end();
	expect(deleted).toContain(second.id);
	expect(first.id).not.toBe(second.id);
});

test('keepalive 404 with onStreamLost=fail → onFatal; 401 → onFatal', async () => {
	for (const status of [404, 401]) {
		const { client, mock } = fakeClient();
		mock.keepalive.mockImplementation(async () => {
			throw apiError(status);
		});
		const onFatal = jest.fn();
		const s = new StreamSession(
			client,
			{ keepaliveSeconds: 0.05, onStreamLost: 'fail' },
			{ onFatal },
		);
		await s.open();
		await sleep(300);
		expect(onFatal).toHaveBeenCalledTimes(1);
		await s.end();
	}
});

test('open() after end() is refused without creating anything', async () => {
	const { client, mock } = fakeClient();
	const s = new StreamSession(client, { onStreamLost: 'fail' }, { onFatal: jest.fn() });
	await s.end();
	await expect(s.open()).rejects.toBeInstanceOf(SessionEndedError);
	expect(mock.createStream).not.toHaveBeenCalled();
});
