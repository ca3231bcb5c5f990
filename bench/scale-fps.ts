// scale_min_fps: 4 Overshoot Triggers active at once in one real n8n 2.40.7, each looping its own
// 640×360 video and publishing 640×360 at 5 fps; the frame rate each stream arrives with at the
// emulator's LiveKit ingest (`framesReceived` difference over a timed window), and the lowest of the
// four. Baseline, same n8n, same run, just before: the first trigger alone over the same window.
// Triggers ask every 2 s with a condition that never matches, so no execution competes for the CPU
// beyond what asking costs (that is part of running a trigger).
import type { EmulatorState } from '../emulator/control';
import { makeTestPatternVideo } from '../harness/media';
import type { TriggerStack } from '../harness/trigger-stack';
import {
	activate,
	emulatorPid,
	n8nMissing,
	n8nStack,
	tempDir,
	triggerWorkflow,
} from './lib/n8n-stack';
import { treeCpuByName, treeCpuSeconds } from './lib/proc';
import { sleep } from './lib/servers';
import { round } from './lib/stats';
import { metric, notRun, type BenchContext, type Benchmark } from './lib/types';

const COUNT = 4;

/** Frames each active stream received per second over `windowMs`, plus CPU (cores) meanwhile. */
async function measure(ctx: BenchContext, stack: TriggerStack, windowMs: number) {
	const n8nPid = stack.n8n.serverPid()!;
	const emuPid = emulatorPid(stack.emulator.url);
	const read = async () => {
		const state: EmulatorState = await stack.emulatorState();
		const at = Date.now();
		return {
			at,
			frames: new Map(
				state.streams.filter((s) => s.state === 'active').map((s) => [s.id, s.framesReceived]),
			),
		};
	};
	const cpu0 = { n8n: treeCpuByName(n8nPid), emulator: emuPid ? treeCpuSeconds(emuPid) : NaN };
	const a = await read();
	await sleep(windowMs);
	const b = await read();
	const seconds = (b.at - a.at) / 1000;
	const cpu1 = { n8n: treeCpuByName(n8nPid), emulator: emuPid ? treeCpuSeconds(emuPid) : NaN };
	const fps: Record<string, number> = {};
	for (const [id, n] of b.frames)
		if (a.frames.has(id)) fps[id] = round((n - a.frames.get(id)!) / seconds, 2);
	const cores = Object.fromEntries(
		Object.entries(cpu1.n8n).map(([k, v]) => [
			`n8n_${k}`,
			round((v - (cpu0.n8n[k] ?? 0)) / seconds, 3),
		]),
	);
	cores.emulator_tree = round((cpu1.emulator - cpu0.emulator) / seconds, 3);
	ctx.log(
		`${Object.keys(fps).length} stream(s) over ${seconds.toFixed(1)} s: ${JSON.stringify(fps)}; cores ${JSON.stringify(cores)}`,
	);
	return { fps, seconds: round(seconds, 1), cores };
}

export const scaleFps: Benchmark = {
	name: 'scale',
	keys: ['scale_min_fps'],
	async run(ctx) {
		const missing = n8nMissing();
		if (missing) return [notRun('scale_min_fps', missing)];
		const warmupMs = ctx.quick ? 6_000 : 15_000;
		const windowMs = ctx.quick ? 10_000 : 60_000;
		const dir = tempDir(ctx, 'ovs-bench-scale-');
		const workflows = [];
		for (let i = 0; i < COUNT; i++) {
			// Each trigger its own file (its own ffmpeg decoding it), a moving picture like a camera's.
			const video = await makeTestPatternVideo(dir, 20, `pattern-${i}.mp4`, 640, 360, 15);
			workflows.push(
				triggerWorkflow({
					id: `ovsBenchScale0${i}`,
					videoPath: video,
					prompt: 'What do you see?',
					askEverySeconds: 2,
					condition: 'equals',
					conditionText: 'never-matches',
					oneRunAtATime: true,
				}),
			);
		}
		const stack = await n8nStack(ctx, workflows, dir);

		await activate(ctx, stack, workflows[0].id!);
		await sleep(warmupMs);
		const alone = await measure(ctx, stack, windowMs);
		for (const w of workflows.slice(1)) await activate(ctx, stack, w.id!);
		await sleep(warmupMs);
		const together = await measure(ctx, stack, windowMs);

		const aloneFps = Object.values(alone.fps);
		const fps = Object.values(together.fps);
		if (aloneFps.length !== 1 || fps.length !== COUNT)
			throw new Error(
				`expected 1 then ${COUNT} active streams, saw ${aloneFps.length} then ${fps.length}`,
			);
		return [
			metric('scale_min_fps', Math.min(...fps), aloneFps[0], {
				baselineLabel: '1 trigger alone',
				note: `all four: ${fps.map((f) => f.toFixed(2)).join(', ')}`,
				details: { alone, together, warmup_s: warmupMs / 1000 },
			}),
		];
	},
};
