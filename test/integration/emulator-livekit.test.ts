// The emulator's LiveKit ingest against a real livekit-server: frames published with rtc-node
// cross WebRTC, show up in GET /streams counts, and decide the chat answer; rejoin with a fresh
// token keeps ingesting; delete leaves and deletes the room.
import type * as Rtc from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { startEmulator, type Emulator } from '../../emulator/server';
import { rawClient } from '../../emulator/http-test-client';
import { waitFor } from '../../harness/wait';

import { loadRtc } from '../../nodes/Overshoot/watch/native';

const rtc: typeof Rtc = loadRtc();

const W = 320;
const H = 180;
let lk: LivekitServer;
let emu: Emulator;
let call: ReturnType<typeof rawClient>;

/** A publisher that keeps sending solid frames of `color` at ~10 fps until stopped. */
class Publisher {
	color: [number, number, number] = [255, 0, 0];
	private room?: Rtc.Room;
	private source?: Rtc.VideoSource;
	private timer?: NodeJS.Timeout;

	async join(url: string, token: string): Promise<void> {
		this.room = new rtc.Room();
		await this.room.connect(url, token, { autoSubscribe: false, dynacast: false });
		this.source = new rtc.VideoSource(W, H);
		const track = rtc.LocalVideoTrack.createVideoTrack('camera', this.source);
		await this.room.localParticipant!.publishTrack(
			track,
			new rtc.TrackPublishOptions({
				source: rtc.TrackSource.SOURCE_CAMERA,
				simulcast: false,
				videoCodec: rtc.VideoCodec.VP8,
				videoEncoding: { maxBitrate: 800_000n, maxFramerate: 10 },
			}),
		);
		this.timer = setInterval(() => {
			// Each frame owns its buffer from offset 0: VideoFrame ignores byteOffset.
			const data = new Uint8Array(W * H * 4);
			for (let p = 0; p < data.length; p += 4) data.set([...this.color, 255], p);
			this.source?.captureFrame(new rtc.VideoFrame(data, W, H, rtc.VideoBufferType.RGBA));
		}, 100);
	}

	async leave(): Promise<void> {
		clearInterval(this.timer);
		await this.room?.disconnect();
		await this.source?.close();
		this.room = undefined;
		this.source = undefined;
	}
}

const publisher = new Publisher();

beforeAll(async () => {
	lk = await startLivekit();
	emu = await startEmulator({
		livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
	});
	call = rawClient(emu.url);
}, 60_000);

afterAll(async () => {
	await publisher.leave().catch(() => undefined);
	await emu?.close();
	await lk?.stop();
	await rtc.dispose(); // native objects exist: without this the worker never exits
}, 30_000);

async function lastIndex(id: string): Promise<number> {
	return (await call('GET', `/v1/streams/${id}`)).body.last_frame_index ?? -1;
}

async function answer(id: string, question: string): Promise<string> {
	const r = await call('POST', '/v1/chat/completions', {
		body: {
			model: 'Qwen/Qwen3.6-27B-FP8',
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: question },
						{ type: 'image_url', image_url: { url: `ovs://streams/${id}?frame_index=-1` } },
					],
				},
			],
		},
	});
	expect(r.status).toBe(200);
	return r.body.choices[0].message.content;
}

it('ingests published frames over WebRTC, answers with their colour, survives a rejoin, deletes the room', async () => {
	const created = await call('POST', '/v1/streams');
	expect(created.status).toBe(201);
	const { id, publish } = created.body;
	expect(publish).toEqual({ type: 'livekit', url: lk.url, token: expect.any(String) });
	const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
	expect((await rooms.listRooms()).map((r) => r.name)).toContain(`ovs-${id}`);

	await publisher.join(publish.url, publish.token);
	await waitFor(
		'frames to arrive through LiveKit',
		async () => (await lastIndex(id)) >= 5,
		20_000,
		200,
	);
	const info = (await call('GET', `/v1/streams/${id}`)).body;
	expect(info.first_frame_at_ms).toEqual(expect.any(Number));
	expect(info.retained_frame_count).toBe(
		info.last_frame_index - info.first_available_frame_index + 1,
	);
	expect(info.recent_fps).toBeGreaterThan(3);
	expect(info.recent_fps).toBeLessThan(15);
	const state = await emu.control.state();
	expect(state.streams.find((s) => s.id === id)).toMatchObject({
		publisherConnected: true,
		ingestConnected: true,
	});
	expect(state.openRooms).toEqual([`ovs-${id}`]);

	expect(await answer(id, 'Is the scene red?')).toMatch(/^Yes\. The scene is mostly red/);
	publisher.color = [0, 0, 255];
	await waitFor(
		'the blue frames',
		async () => /mostly blue/.test(await answer(id, 'Describe.')),
		10_000,
		200,
	);
	expect(await answer(id, 'Is the scene red?')).toMatch(/^No\./);

	// The publisher drops and rejoins with the fresh token from keepalive; ingest continues.
	await publisher.leave();
	const keep = await call('POST', `/v1/streams/${id}/keepalive`);
	expect(keep.body.publish.token).not.toBe(publish.token);
	const before = await lastIndex(id);
	publisher.color = [0, 255, 0];
	await publisher.join(keep.body.publish.url, keep.body.publish.token);
	await waitFor(
		'frames after the rejoin',
		async () => (await lastIndex(id)) >= before + 5,
		20_000,
		200,
	);
	await waitFor(
		'the green frames',
		async () => /^Yes\./.test(await answer(id, 'Is there something green?')),
		10_000,
		200,
	);

	expect((await call('DELETE', `/v1/streams/${id}`)).status).toBe(200);
	await publisher.leave();
	expect((await rooms.listRooms()).map((r) => r.name)).not.toContain(`ovs-${id}`);
	expect((await emu.control.state()).openRooms).toEqual([]);
}, 60_000);
