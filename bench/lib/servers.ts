// Servers a benchmark needs, started fresh per benchmark and always stopped.
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { startCamera, type Camera } from './camera';
import { startChild, type Child } from './child';
import { token } from './rtc';
import type { BenchContext } from './types';

export async function livekit(ctx: BenchContext): Promise<LivekitServer> {
	const lk = await startLivekit();
	ctx.defer(() => lk.stop());
	return lk;
}

export async function camera(
	ctx: BenchContext,
	opts: Parameters<typeof startCamera>[0],
): Promise<Camera> {
	const cam = await startCamera(opts);
	ctx.defer(() => cam.stop());
	return cam;
}

/** A subscriber child in `room` (stands in for Overshoot's ingest). */
export async function subscriber(
	ctx: BenchContext,
	lk: LivekitServer,
	room: string,
	stamp = false,
): Promise<Child> {
	const sub = await startChild('subscriber', {
		url: lk.url,
		token: await token(room, `sub-${room}`, false),
		stamp: stamp ? 1 : 0,
	});
	ctx.defer(() =>
		sub.stop().then(
			() => undefined,
			() => undefined,
		),
	);
	return sub;
}

/** Starts a child and makes sure it is gone after the benchmark, whatever happens. */
export async function child(
	ctx: BenchContext,
	script: string,
	args: Record<string, string | number>,
	opts?: Parameters<typeof startChild>[2],
): Promise<Child> {
	const c = await startChild(script, args, opts);
	ctx.defer(() =>
		c.stop(5000).then(
			() => undefined,
			() => undefined,
		),
	);
	return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SubscriberTrack {
	arrivals: number[];
	stamps: Array<[number, number]>;
	undecoded: number;
	width: number;
	height: number;
}

export function tracksOf(result: Record<string, unknown>): Record<string, SubscriberTrack> {
	return (result.tracks ?? {}) as Record<string, SubscriberTrack>;
}

/** Frames per second that arrived within [fromMs, toMs]. */
export function fpsIn(arrivals: number[], fromMs: number, toMs: number): number {
	return arrivals.filter((t) => t >= fromMs && t <= toMs).length / ((toMs - fromMs) / 1000);
}

/** The Overshoot emulator with real LiveKit ingest, in the harness process (not in a measured child). */
export async function emulator(
	ctx: BenchContext,
	lk: LivekitServer,
): Promise<import('../../emulator/server').Emulator> {
	const { startEmulator } = await import('../../emulator/server');
	const emu = await startEmulator({
		livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
		maxStreamsPerKey: 0,
	});
	ctx.defer(() => emu.close());
	return emu;
}

/** Calls `onEvent` (e.g. to read /proc right away) whenever the child reports `name`. */
export function onChildEvent(
	c: Child,
	name: string,
	onEvent: (data: Record<string, unknown>) => void,
): void {
	c.proc.on('message', (m: { type: string; name?: string; data?: Record<string, unknown> }) => {
		if (m.type === 'event' && m.name === name) onEvent(m.data ?? {});
	});
}
