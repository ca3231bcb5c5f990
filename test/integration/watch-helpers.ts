// Shared by the watch integration tests: a synthetic solid-colour FrameSource, a LiveKit
// subscriber that reads what was published, and bounded waiting.

import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import type { Frame, FrameSink, FrameSource } from '../../nodes/Overshoot/watch/frame';
import { rgbToI420 } from '../../nodes/Overshoot/watch/i420';
import { loadRtc } from '../../nodes/Overshoot/watch/native';

export type Rgb = [number, number, number];

/** Solid-colour I420 frames at `fps`; the colour can be changed while running. */
export class ColourSource implements FrameSource {
	readonly width: number;
	readonly height: number;
	readonly fps: number;
	colour: Rgb;
	emitted = 0;
	stopped = false;
	private timer: NodeJS.Timeout | undefined;
	private sink: FrameSink | undefined;

	constructor(colour: Rgb, opts: { width?: number; height?: number; fps?: number } = {}) {
		this.colour = colour;
		this.width = opts.width ?? 320;
		this.height = opts.height ?? 180;
		this.fps = opts.fps ?? 5;
	}

	start(sink: FrameSink): void {
		this.sink = sink;
		sink.status({ kind: 'started', detail: 'synthetic colour source' });
		this.timer = setInterval(() => this.emit(), 1000 / this.fps);
	}

	private emit() {
		const [r, g, b] = this.colour;
		const frame: Frame = {
			data: rgbToI420(r, g, b, this.width, this.height),
			width: this.width,
			height: this.height,
			format: 'I420',
			seq: this.emitted++,
			capturedAtMs: Date.now(),
		};
		this.sink?.frame(frame);
	}

	/** For fatal-path tests. */
	fail(error: Error) {
		this.sink?.fatal(error);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.timer);
	}
}

export async function livekitToken(
	apiKey: string,
	apiSecret: string,
	room: string,
	identity: string,
	canPublish: boolean,
): Promise<string> {
	const at = new AccessToken(apiKey, apiSecret, { identity, ttl: '10m' });
	at.addGrant({
		roomJoin: true,
		room,
		canPublish,
		canSubscribe: !canPublish,
		canPublishData: false,
	});
	return at.toJwt();
}

export async function participantsIn(
	lk: { url: string; apiKey: string; apiSecret: string },
	room: string,
): Promise<string[]> {
	const svc = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
	try {
		return (await svc.listParticipants(room)).map((p) => p.identity);
	} catch {
		return []; // the room does not exist (any more)
	}
}

/** Joins a room as a viewer and keeps the average colour of the latest received frame. */
export class Viewer {
	latest: { rgb: Rgb; at: number } | undefined;
	frames = 0;
	private room: import('@livekit/rtc-node').Room | undefined;

	async join(url: string, token: string): Promise<void> {
		const rtc = loadRtc();
		const room = new rtc.Room();
		room.on(rtc.RoomEvent.TrackSubscribed, (track) => {
			if (track.kind !== rtc.TrackKind.KIND_VIDEO) return;
			void (async () => {
				const reader = new rtc.VideoStream(track).getReader();
				for (;;) {
					const { value, done } = await reader
						.read()
						.catch(() => ({ value: undefined, done: true as const }));
					if (done || !value) return;
					this.frames++;
					const rgba = value.frame.convert(rtc.VideoBufferType.RGBA).data;
					let r = 0,
						g = 0,
						b = 0,
						n = 0;
					for (let i = 0; i < rgba.length; i += 4 * 97)
						((r += rgba[i]), (g += rgba[i + 1]), (b += rgba[i + 2]), n++);
					this.latest = { rgb: [r / n, g / n, b / n], at: Date.now() };
				}
			})();
		});
		await room.connect(url, token, { autoSubscribe: true, dynacast: false });
		this.room = room;
	}

	async leave(): Promise<void> {
		await this.room?.disconnect().catch(() => undefined);
		this.room = undefined;
	}
}

export function near(actual: Rgb, expected: Rgb, tolerance = 30): boolean {
	return actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);
}
