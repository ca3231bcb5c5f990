// Minimal rtc-node pieces for the benchmarks' reference paths (the floor the project's publisher
// is compared with) and for tokens. Loaded only inside children: rtc-node keeps a process alive
// until dispose().
import { AccessToken } from 'livekit-server-sdk';
import { LIVEKIT_API_KEY, LIVEKIT_API_SECRET } from '../../harness/livekit';
import type * as RtcTypes from '@livekit/rtc-node';

export type Rtc = typeof RtcTypes;

export function rtc(): Rtc {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('@livekit/rtc-node') as Rtc;
}

export async function token(room: string, identity: string, publish: boolean): Promise<string> {
	const at = new AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET, { identity, ttl: '2h' });
	at.addGrant({
		roomJoin: true,
		room,
		canPublish: publish,
		canSubscribe: !publish,
		canPublishData: false,
	});
	return at.toJwt();
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([
		p.finally(() => clearTimeout(timer)),
		new Promise<never>(
			(_, reject) =>
				(timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
		),
	]);
}

export interface MinimalPublisher {
	room: RtcTypes.Room;
	source: RtcTypes.VideoSource;
	publish(data: Uint8Array, format: 'I420' | 'RGBA'): void;
	close(opts?: { unpublishFirst?: boolean; closeTrackFirst?: boolean }): Promise<void>;
}

/** Joins `room` and publishes one VP8 track, the way the project's publisher is meant to. */
export async function minimalPublisher(
	url: string,
	jwt: string,
	width: number,
	height: number,
	fps: number,
	reuse?: RtcTypes.VideoSource,
): Promise<MinimalPublisher> {
	const r = rtc();
	const room = new r.Room();
	await withTimeout(
		room.connect(url, jwt, { autoSubscribe: false, dynacast: false }),
		15_000,
		'room.connect',
	);
	const source = reuse ?? new r.VideoSource(width, height);
	const track = r.LocalVideoTrack.createVideoTrack('camera', source);
	const options = new r.TrackPublishOptions({
		source: r.TrackSource.SOURCE_CAMERA,
		simulcast: false,
		videoCodec: r.VideoCodec.VP8,
		videoEncoding: { maxBitrate: 1_000_000n, maxFramerate: fps },
	});
	const pub = await withTimeout(
		room.localParticipant!.publishTrack(track, options),
		15_000,
		'publishTrack',
	);
	return {
		room,
		source,
		publish: (data, format) => {
			const type = format === 'I420' ? r.VideoBufferType.I420 : r.VideoBufferType.RGBA;
			source.captureFrame(new r.VideoFrame(data, width, height, type), BigInt(Date.now()) * 1000n);
		},
		close: async (opts = {}) => {
			if (opts.unpublishFirst && pub.sid)
				await withTimeout(room.localParticipant!.unpublishTrack(pub.sid), 10_000, 'unpublishTrack');
			if (opts.closeTrackFirst) await track.close(false);
			await withTimeout(room.disconnect(), 10_000, 'room.disconnect');
			if (!reuse) await source.close();
		},
	};
}
