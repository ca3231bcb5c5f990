// answer_to_execution_p95_ms: in a real n8n 2.40.7, from the moment the emulator wrote a matching
// answer (its chat record's `respondedAtMs`) to the `startedAt` of the execution it started.
// Trigger: a looping red 640×360 video, "Is the scene red?" (Answer Is Yes), every match, cooldown 0,
// asking every second, "One Run at a Time" at its default (on). Executions are paired with answers
// through the item's `timing.asked_at` and `stream_id` (the emulator records when each request came in).
// Baseline, same n8n, same time: a plain Webhook workflow POSTed once a second, from the request
// being sent to its execution's `startedAt` — what n8n itself costs to start an execution for an event.
// All timestamps come from the same machine clock (epoch ms).
import { makeColorVideo } from '../harness/media';
import type { Execution } from '../harness/n8n-api';
import { executionItem } from '../harness/trigger-stack';
import { sleep } from './lib/servers';
import {
	activate,
	n8nMissing,
	n8nStack,
	tempDir,
	triggerWorkflow,
	webhookWorkflow,
	TRIGGER_NODE,
} from './lib/n8n-stack';
import { treeCpuByName } from './lib/proc';
import { round, summarize } from './lib/stats';
import { metric, notRun, type Benchmark } from './lib/types';

const TRIGGER_ID = 'ovsBenchAnswer01';
const WEBHOOK_ID = 'ovsBenchHook0001';
const HOOK_PATH = 'ovs-bench-baseline';
/** The first executions include n8n's and the trigger's warm-up (JIT, first binary write). */
const WARMUP = 2;

const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : NaN);

export const answerToExecution: Benchmark = {
	name: 'answer',
	keys: ['answer_to_execution_p95_ms'],
	async run(ctx) {
		const missing = n8nMissing();
		if (missing) return [notRun('answer_to_execution_p95_ms', missing)];
		const wanted = (ctx.quick ? 10 : 50) + WARMUP;
		const dir = tempDir(ctx, 'ovs-bench-answer-');
		const video = await makeColorVideo({
			dir,
			name: 'red.mp4',
			colors: ['ff0000'],
			segmentS: 10,
			width: 640,
			height: 360,
			fps: 15,
		});
		const trigger = triggerWorkflow({
			id: TRIGGER_ID,
			videoPath: video,
			prompt: 'Is the scene red? Answer yes or no.',
			askEverySeconds: 1,
			condition: 'yes',
			oneRunAtATime: true,
		});
		const stack = await n8nStack(ctx, [trigger, webhookWorkflow(WEBHOOK_ID, HOOK_PATH)], dir);
		const { n8n } = stack;
		await activate(ctx, stack, WEBHOOK_ID);
		await activate(ctx, stack, TRIGGER_ID);
		ctx.log(`trigger published; collecting ${wanted} executions, webhook baseline once a second`);

		const pid = n8n.serverPid()!;
		const cpu0 = treeCpuByName(pid);
		const t0 = Date.now();
		const deadline = t0 + wanted * 1000 * 3 + 30_000;
		let hooks = 0;
		for (let i = 0; ; i++) {
			const sentAt = Date.now();
			const res = await fetch(`${n8n.baseUrl}/webhook/${HOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ sentAt }),
				signal: AbortSignal.timeout(10_000),
			});
			if (!res.ok) throw new Error(`webhook POST: HTTP ${res.status} ${await res.text()}`);
			hooks++;
			// Counting without data every 5 s keeps the API's own load on n8n small.
			if (i % 5 === 4 && (await n8n.api.executions(TRIGGER_ID, false)).length >= wanted) break;
			if (Date.now() > deadline)
				throw new Error(
					`fewer than ${wanted} trigger executions within ${Math.round((deadline - t0) / 1000)} s`,
				);
			await sleep(Math.max(0, sentAt + 1000 - Date.now()));
		}
		const windowS = (Date.now() - t0) / 1000;
		const cpu1 = treeCpuByName(pid);
		await n8n.api.deactivate(TRIGGER_ID);
		await sleep(1500); // the last executions finish writing

		const [runs, hookRuns, calls] = await Promise.all([
			n8n.api.executions(TRIGGER_ID),
			n8n.api.executions(WEBHOOK_ID),
			stack.chatCalls(),
		]);
		const byStart = (a: Execution, b: Execution) => ms(a.startedAt) - ms(b.startedAt);
		const answered = calls.filter((c) => c.status === 200 && c.respondedAtMs !== undefined);
		const samples: Array<{ total: number; toTrigger: number; inN8n: number }> = [];
		let unpaired = 0;
		for (const run of runs.sort(byStart).slice(WARMUP)) {
			const json = executionItem(run, TRIGGER_NODE)?.json as
				| { stream_id?: string; timing?: Record<string, unknown> }
				| undefined;
			const askedAt = ms(json?.timing?.asked_at);
			const answeredAt = ms(json?.timing?.answered_at);
			// The request the trigger sent at asked_at: it reached the emulator a few ms later.
			const call = answered
				.filter(
					(c) => c.streamIds.includes(String(json?.stream_id)) && Math.abs(c.atMs - askedAt) < 500,
				)
				.sort((a, b) => Math.abs(a.atMs - askedAt) - Math.abs(b.atMs - askedAt))[0];
			if (!call) {
				unpaired++;
				continue;
			}
			const sent = call.respondedAtMs!;
			samples.push({
				total: ms(run.startedAt) - sent,
				toTrigger: answeredAt - sent,
				inN8n: ms(run.startedAt) - answeredAt,
			});
		}
		const hookSamples = hookRuns
			.sort(byStart)
			.slice(WARMUP)
			.map(
				(run) =>
					ms(run.startedAt) -
					Number(
						(executionItem(run, 'Webhook')?.json.body as { sentAt?: number } | undefined)?.sentAt,
					),
			)
			.filter(Number.isFinite);
		const total = summarize(samples.map((s) => s.total));
		const hook = summarize(hookSamples);
		const matching = answered.filter((c) => /^Yes/.test(c.responseText ?? '')).length;
		ctx.log(
			`trigger: ${JSON.stringify(total)}; webhook: ${JSON.stringify(hook)}; ${runs.length} runs for ${matching} matching answers`,
		);
		if (total.n < 3 || hook.n < 3)
			throw new Error(
				`too few samples: ${total.n} trigger, ${hook.n} webhook (${unpaired} unpaired)`,
			);
		const cpuS = Object.fromEntries(
			Object.entries(cpu1).map(([k, v]) => [k, round((v - (cpu0[k] ?? 0)) / windowS, 3)]),
		);
		return [
			metric('answer_to_execution_p95_ms', total.p95, hook.p95, {
				baselineLabel: 'webhook p95',
				note: `p50 ${round(total.p50, 0)} ms (webhook p50 ${round(hook.p50, 0)} ms)`,
				details: {
					one_run_at_a_time: true,
					answer_to_execution_ms: total,
					webhook_to_execution_ms: hook,
					answer_to_trigger_ms: summarize(samples.map((s) => s.toTrigger)),
					trigger_answer_to_execution_ms: summarize(samples.map((s) => s.inN8n)),
					executions: runs.length,
					matching_answers: matching,
					unpaired,
					webhook_posts: hooks,
					window_s: round(windowS, 1),
					n8n_tree_cores_by_process: cpuS,
				},
			}),
		];
	},
};
