// The demo's live log. Only a match starts an n8n execution, so the model's other answers are
// read from the emulator's call records (`/_emulator/chat-calls`) and shown as "asked" lines;
// every execution is read back through n8n's public API, printed, and its snapshot saved.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { TriggerStack } from '../harness/trigger-stack';
import { binaryBytes, executionItem, meanRgb } from '../harness/trigger-stack';

export interface WatchOptions {
	stack: TriggerStack;
	workflowId: string;
	triggerNode: string;
	outputDir: string;
	print: (line: string) => void;
	/** Called after each execution with how many there were so far. */
	onExecution: (count: number) => void;
}

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
const oneLine = (text: unknown, max = 90) => {
	const s = String(text ?? '')
		.replace(/\s+/g, ' ')
		.trim();
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** Polls every `everyMs` until `stop()`; never throws (a failed poll is retried next time). */
export function watchLive(o: WatchOptions, everyMs = 500): { stop: () => Promise<void> } {
	const seenExecutions = new Set<string>();
	let seenCalls = 0;
	let running = true;
	let tick: Promise<void> = Promise.resolve();

	const showCalls = async () => {
		const calls = await o.stack.chatCalls();
		for (const call of calls.slice(seenCalls)) {
			const said =
				call.status === 200
					? oneLine(call.responseText, 70)
					: `HTTP ${call.status} ${call.error ?? ''}`;
			o.print(`  ${clock(call.atMs)}  asked "Is the scene red?"  → ${said}`);
		}
		seenCalls = calls.length;
	};

	const showExecutions = async () => {
		const executions = (await o.stack.n8n.api.executions(o.workflowId, true)).filter(
			(e) => e.stoppedAt !== null && !seenExecutions.has(e.id),
		);
		for (const e of executions.sort((a, b) => Number(a.id) - Number(b.id))) {
			seenExecutions.add(e.id);
			const item = executionItem(e, o.triggerNode);
			const json = item?.json ?? {};
			const condition = (json.condition ?? {}) as { reason?: string };
			o.print('');
			o.print(
				`▶ ${clock(Date.parse(e.startedAt))}  EXECUTION #${e.id} (${e.status}, mode ${e.mode}): the trigger fired`,
			);
			o.print(`    answer:    ${oneLine(json.answer)}`);
			o.print(`    condition: ${oneLine(condition.reason)}  |  fire: ${oneLine(json.fire_reason)}`);
			o.print(`    stream:    ${String(json.stream_id)}`);
			const snapshot = item?.binary?.snapshot;
			if (snapshot) {
				const jpeg = await binaryBytes(o.stack.n8n, snapshot);
				const file = path.join(
					o.outputDir,
					`execution-${e.id}-${clock(Date.parse(e.startedAt)).replace(/:/g, '')}.jpg`,
				);
				await fs.mkdir(o.outputDir, { recursive: true });
				await fs.writeFile(file, jpeg);
				const [r, g, b] = (await meanRgb(jpeg)).map(Math.round);
				o.print(
					`    snapshot:  ${path.relative(process.cwd(), file)} (${jpeg.length} bytes JPEG, centre mean rgb ${r},${g},${b})`,
				);
			} else o.print('    snapshot:  none');
			o.print('');
			o.onExecution(seenExecutions.size);
		}
	};

	const loop = async () => {
		while (running) {
			tick = (async () => {
				try {
					await showCalls();
					await showExecutions();
				} catch {
					// n8n or the emulator busy or going down: try again on the next tick
				}
			})();
			await tick;
			await new Promise((r) => setTimeout(r, everyMs));
		}
	};
	void loop();
	return {
		stop: async () => {
			running = false;
			await tick;
		},
	};
}
