// RoomPublisher against a real livekit-server: frames arrive with the right colour, the publisher
// rejoins with a fresh token after a server restart, close() leaves no participant, and a connect
// that never answers times out instead of hanging.

import net from 'node:net';
import { RoomServiceClient } from 'livekit-server-sdk';
import { RoomPublisher } from '../../nodes/Overshoot/watch/publisher';
import type { PublisherStatus } from '../../nodes/Overshoot/watch/publisher-types';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { waitFor } from '../../harness/wait';
import { ColourSource, livekitToken, near, participantsIn, Viewer } from './watch-helpers';

let lk: LivekitServer;
beforeAll(async () => {
	lk = await startLivekit();
});
afterAll(async () => {
	await lk?.stop();
});

test('publishes frames a viewer sees, survives a server restart with a fresh token, leaves cleanly', async () => {
	const room = 'pub-restart';
	let tokensIssued = 0;
	const freshTarget = async () => (
		tokensIssued++,
		{ url: lk.url, token: await livekitToken(lk.apiKey, lk.apiSecret, room, 'camera', true) }
	);
	const statuses: PublisherStatus[] = [];
	const fatal = jest.fn();
	const source = new ColourSource([200, 30, 30], { fps: 10 });
	const publisher = new RoomPublisher(
		{
			width: source.width,
			height: source.height,
			fps: source.fps,
			giveUpAfterMs: 60_000,
			retryInitialMs: 300,
			retryMaxMs: 2000,
		},
		{ freshTarget, onStatus: (s) => statuses.push(s), onFatal: fatal },
	);
	const viewer = new Viewer();
	try {
		await publisher.connect(await freshTarget());
		source.start({
			frame: (f) => publisher.publish(f),
			status: () => undefined,
			fatal: () => undefined,
		});
		await viewer.join(lk.url, await livekitToken(lk.apiKey, lk.apiSecret, room, 'viewer', false));
		await waitFor(
			'red frames at the viewer',
			() => viewer.latest && near(viewer.latest.rgb, [200, 30, 30]),
			20_000,
		);
		expect(await participantsIn(lk, room)).toEqual(expect.arrayContaining(['camera', 'viewer']));

		await viewer.leave();
		// A server restart: the SDK resumes by itself or our rejoin loop takes over; either way frames flow again.
		await lk.restart();
		source.colour = [20, 40, 220];
		const viewer2 = new Viewer();
		await waitFor(
			'viewer to rejoin the restarted server',
			async () => {
				try {
					await viewer2.join(
						lk.url,
						await livekitToken(lk.apiKey, lk.apiSecret, room, 'viewer2', false),
					);
					return true;
				} catch {
					return false;
				}
			},
			30_000,
			500,
		);
		await waitFor(
			'blue frames after the restart',
			() => viewer2.latest && near(viewer2.latest.rgb, [20, 40, 220]),
			45_000,
		);

		// Removed from the room (the SDK does not resume that): our loop rejoins with a fresh token.
		const issuedBefore = tokensIssued;
		await new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret).removeParticipant(room, 'camera');
		await waitFor(
			'publisher to rejoin with a fresh token',
			() => publisher.stats.rejoins >= 1 && publisher.isLive,
			30_000,
			200,
		);
		expect(tokensIssued).toBeGreaterThan(issuedBefore);
		source.colour = [30, 200, 40];
		await waitFor(
			'green frames after the rejoin',
			() => viewer2.latest && near(viewer2.latest.rgb, [30, 200, 40]),
			30_000,
		);
		await viewer2.leave();
		expect(fatal).not.toHaveBeenCalled();
		expect(publisher.stats.published).toBeGreaterThan(10);
		expect(publisher.stats.rejoins).toBeGreaterThanOrEqual(1);
	} finally {
		await source.stop();
		const t0 = Date.now();
		await publisher.close();
		await publisher.close(); // idempotent
		expect(Date.now() - t0).toBeLessThan(8000);
		await viewer.leave();
	}
	await waitFor(
		'no participant left',
		async () => (await participantsIn(lk, room)).length === 0,
		15_000,
		300,
	);
	expect(
		publisher.publish({
			data: new Uint8Array(source.width * source.height * 1.5),
			width: source.width,
			height: source.height,
			format: 'I420',
			seq: 0,
			capturedAtMs: Date.now(),
		}),
	).toBe(false);
});

test('a connect that never answers times out, and close() mid-connect is prompt', async () => {
	// Accepts TCP and never speaks: room.connect() alone would wait forever.
	const silent = net.createServer(() => undefined);
	await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
	const port = (silent.address() as net.AddressInfo).port;
	try {
		const target = { url: `ws://127.0.0.1:${port}`, token: 'x' };
		const p1 = new RoomPublisher(
			{ width: 64, height: 64, fps: 5, connectTimeoutMs: 1500 },
			{ freshTarget: () => target, onFatal: jest.fn() },
		);
		const t0 = Date.now();
		await expect(p1.connect(target)).rejects.toThrow(/did not connect within/);
		expect(Date.now() - t0).toBeLessThan(6000);
		await p1.close();

		const p2 = new RoomPublisher(
			{ width: 64, height: 64, fps: 5, connectTimeoutMs: 30_000 },
			{ freshTarget: () => target, onFatal: jest.fn() },
		);
		const connecting = p2.connect(target).catch((e: Error) => e);
		await new Promise((r) => setTimeout(r, 300));
		const t1 = Date.now();
		await p2.close();
		expect(Date.now() - t1).toBeLessThan(6000);
		void connecting;
	} finally {
		silent.close();
	}
});
