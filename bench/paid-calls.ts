// paid_calls_ratio: chat-completion calls with change gating on ÷ calls with it off, over a
// scripted scene (still grey, a 5-second red event in the middle, still grey), asking "Is the
// scene red?" every 2 s. Both watchers run at the same time on the same camera, so they see the
// very same scene; calls are counted by the emulator per stream (what would be billed), and the
// event must be answered "Yes" by both.
import { camera, child, emulator, livekit, sleep } from './lib/servers';
import { metric, type Benchmark } from './lib/types';

interface Answer {
	atMs: number;
	answer: string;
}

export const paidCalls: Benchmark = {
	name: 'paid',
	keys: ['paid_calls_ratio'],
	async run(ctx) {
		const sceneMs = ctx.quick ? 60_000 : 600_000;
		const eventMs = 5000;
		const lk = await livekit(ctx);
		const cam = await camera(ctx, { width: 1280, height: 720, fps: 15, color: '808080' });
		const emu = await emulator(ctx, lk);
		const common = { intervalSeconds: 2, fire: { mode: 'everyMatch' } };
		const start = (gated: boolean) =>
			child(
				ctx,
				'watcher',
				{
					baseUrl: emu.baseUrl,
					rtsp: cam.url,
					options: JSON.stringify({
						...common,
						changeGate: { enabled: gated, sensitivity: 50, maxSkipSeconds: 300 },
					}),
				},
				{ timeoutMs: 60_000 },
			);
		const [gated, ungated] = await Promise.all([start(true), start(false)]);
		const idOf = (c: typeof gated) =>
			String(c.events.find((e) => e.name === 'ready')?.data.streamId);
		const ids = { gated: idOf(gated), ungated: idOf(ungated) };
		const before = (await emu.control.state()).chatCalls.byStream;
		const t0 = Date.now();
		ctx.log(`scene ${sceneMs / 1000} s: grey, red for ${eventMs / 1000} s at the middle, grey`);
		await sleep((sceneMs - eventMs) / 2);
		const eventAt = Date.now();
		cam.setColor('ff0000');
		await sleep(eventMs);
		cam.setColor('808080');
		const eventEnd = Date.now();
		await sleep(t0 + sceneMs - Date.now());
		const after = (await emu.control.state()).chatCalls.byStream;
		const [g, u] = await Promise.all([gated.stop(), ungated.stop()]);
		const calls = (id: string) => (after[id] ?? 0) - (before[id] ?? 0);
		// The red frames reach the room within a second; allow the answer's own latency too.
		const detected = (r: Record<string, unknown>) =>
			(r.answers as Answer[]).some(
				(a) => a.atMs >= eventAt && a.atMs <= eventEnd + 2000 && /^\s*yes/i.test(a.answer),
			);
		const gatedCalls = calls(ids.gated);
		const ungatedCalls = calls(ids.ungated);
		const detection = { gated: detected(g), ungated: detected(u) };
		const note =
			detection.gated && detection.ungated
				? undefined
				: `event missed (gated: ${detection.gated}, ungated: ${detection.ungated})`;
		const m = metric('paid_calls_ratio', gatedCalls / ungatedCalls, null, {
			ratio: gatedCalls / ungatedCalls,
			baselineLabel: `${ungatedCalls} calls ungated`,
			note,
			details: {
				scene_s: sceneMs / 1000,
				gated_calls: gatedCalls,
				ungated_calls: ungatedCalls,
				detected: detection,
				gated_stats: g.stats,
				ungated_stats: u.stats,
			},
		});
		m.baseline = ungatedCalls;
		m.measured = gatedCalls / ungatedCalls;
		if (note) m.status = 'fail';
		return [m];
	},
};
