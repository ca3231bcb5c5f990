// What the chaos run sees from outside n8n, once a second: every stream's received-frame count
// (the emulator's ingest: "a frame in the room") and every answered question (the emulator's chat
// log). From that history it tells how long each fault took to recover from.
import type { ChatRecord } from '../emulator/chat';
import type { TriggerStack } from '../harness/trigger-stack';

interface Sample {
	atMs: number;
	/** Active streams and their received-frame counts. */
	frames: Map<string, number>;
}

export class Observer {
	private samples: Sample[] = [];
	private answers: ChatRecord[] = [];
	private timer: NodeJS.Timeout | undefined;
	private readonly noted: string[] = [];

	constructor(private readonly stack: TriggerStack) {}

	private async sample(): Promise<Sample> {
		const state = await this.stack.emulatorState();
		const frames = new Map(state.streams.filter((s) => s.state === 'active').map((s) => [s.id, s.framesReceived]));
		const s = { atMs: Date.now(), frames };
		this.samples.push(s);
		this.answers = (await this.stack.chatCalls()).filter((c) => c.status === 200);
		return s;
	}

	start(): void {
		let busy = false;
		this.timer = setInterval(() => {
			if (busy) return;
			busy = true;
			void this.sample().catch(() => undefined).finally(() => (busy = false));
		}, 1000);
	}

	stop(): void {
		clearInterval(this.timer);
	}

	note(line: string): void {
		this.noted.push(line);
	}

	notes(): string[] {
		return this.noted;
	}

	/** Frames and answers of `count` active streams, all after `sinceMs`. Rejects after `timeoutMs`. */
	async waitAllWatching(count: number, timeoutMs: number, sinceMs = Date.now()): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await this.sample();
			const r = this.recoveryAfter(sinceMs, count);
			if (r.frameS !== null && r.answerS !== null) return;
			if (Date.now() > deadline) throw new Error(`not all ${count} triggers watching within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/**
	 * Seconds from `fromMs` until `count` active streams had each received a new frame (frameS),
	 * and until `count` active streams had each got an answer (answerS); null: never.
	 */
	recoveryAfter(fromMs: number, count: number): { frameS: number | null; answerS: number | null } {
		const base = this.samples.filter((s) => s.atMs <= fromMs).at(-1)?.frames ?? new Map<string, number>();
		let frameS: number | null = null;
		let answerS: number | null = null;
		for (const s of this.samples.filter((x) => x.atMs > fromMs)) {
			const fresh = [...s.frames].filter(([id, n]) => n > (base.get(id) ?? 0)).length;
			if (frameS === null && fresh >= count) frameS = (s.atMs - fromMs) / 1000;
			const answered = new Set(this.answers.filter((a) => a.atMs > fromMs && a.atMs <= s.atMs).flatMap((a) => a.streamIds).filter((id) => s.frames.has(id)));
			if (answerS === null && answered.size >= count) answerS = (s.atMs - fromMs) / 1000;
			if (frameS !== null && answerS !== null) break;
		}
		return { frameS: frameS === null ? null : Math.round(frameS * 10) / 10, answerS: answerS === null ? null : Math.round(answerS * 10) / 10 };
	}

	/** `POST /v1/streams` answered 429 (the per-key stream cap) over the whole run. */
	async capRejections(): Promise<number> {
		const res = await fetch(`${this.stack.emulator.url}/_emulator/requests`, { signal: AbortSignal.timeout(10_000) });
		const requests = (await res.json()) as Array<{ method: string; path: string; status: number }>;
		return requests.filter((r) => r.method === 'POST' && /^\/v1(beta)?\/streams$/.test(r.path) && r.status === 429).length;
	}
}
