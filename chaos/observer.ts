// What the chaos run sees from outside n8n, once a second: every stream's received-frame count
// (the emulator's ingest: "a frame in the room") and every answered question (the emulator's chat
// log). From that history it tells how long each trigger took to recover from each fault.
import type { ChatRecord } from '../emulator/chat';
import type { TriggerStack } from '../harness/trigger-stack';

/** A trigger's question ends with this tag, so the emulator's chat log tells whose stream is whose. */
export const askedBy = (question: string, triggerId: string) =>
	`${question} (asked by ${triggerId})`;
const ASKED_BY = /\(asked by (\w+)\)/;

export interface Recovery {
	frameS: number | null;
	answerS: number | null;
}

/** The slowest of several triggers' recoveries, per figure: null if any never recovered (or none is given). */
export function slowest(recoveries: Recovery[]): Recovery {
	const of = (k: keyof Recovery) =>
		recoveries.length === 0 || recoveries.some((r) => r[k] === null)
			? null
			: Math.max(...recoveries.map((r) => r[k] as number));
	return { frameS: of('frameS'), answerS: of('answerS') };
}

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
		const frames = new Map(
			state.streams.filter((s) => s.state === 'active').map((s) => [s.id, s.framesReceived]),
		);
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
			void this.sample()
				.catch(() => undefined)
				.finally(() => (busy = false));
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

	/** Resolves once every trigger in `ids` has a new frame and an answer after `sinceMs`; rejects after `timeoutMs`. */
	async waitAllWatching(
		ids: string[],
		timeoutMs: number,
		sinceMs = Date.now(),
		newStreams = false,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await this.sample();
			const r = this.recoveryAfter(sinceMs, ids, newStreams);
			if (r.frameS !== null && r.answerS !== null) return;
			if (Date.now() > deadline)
				throw new Error(`not all ${ids.length} triggers watching within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/**
	 * Per trigger: seconds from `fromMs` until a stream it asks about had received a new frame
	 * (frameS) and until it got an answer (answerS); null: never. The totals are the slowest
	 * trigger's (null if any never recovered). `newStreams`: only streams that were not active at
	 * `fromMs` count (after n8n is killed, the dead run's streams still take in the frames that
	 * were on their way).
	 */
	recoveryAfter(
		fromMs: number,
		ids: string[],
		newStreams = false,
	): Recovery & { byTrigger: Record<string, Recovery> } {
		const owners = this.streamOwners();
		const base =
			this.samples.filter((s) => s.atMs <= fromMs).at(-1)?.frames ?? new Map<string, number>();
		const counts = (stream: string) => !newStreams || !base.has(stream);
		const after = this.samples.filter((x) => x.atMs > fromMs);
		const seconds = (ms: number | undefined) =>
			ms === undefined ? null : Math.round((ms - fromMs) / 100) / 10;
		const byTrigger: Record<string, Recovery> = {};
		for (const id of ids) {
			const framed = after.find((s) =>
				[...s.frames].some(
					([stream, n]) =>
						owners.get(stream) === id && counts(stream) && n > (base.get(stream) ?? 0),
				),
			);
			const answered = this.answers.find(
				(a) =>
					a.atMs > fromMs &&
					a.streamIds.some((stream) => owners.get(stream) === id && counts(stream)),
			);
			byTrigger[id] = { frameS: seconds(framed?.atMs), answerS: seconds(answered?.atMs) };
		}
		return { ...slowest(Object.values(byTrigger)), byTrigger };
	}

	/** Stream id → the trigger that asks about it (its question carries `askedBy`'s tag). */
	streamOwners(): Map<string, string> {
		const owners = new Map<string, string>();
		for (const a of this.answers) {
			const id = ASKED_BY.exec(a.question ?? '')?.[1];
			if (id) for (const stream of a.streamIds) owners.set(stream, id);
		}
		return owners;
	}

	/** `POST /v1/streams` answered 429 (the per-key stream cap) over the whole run. */
	async capRejections(): Promise<number> {
		const res = await fetch(`${this.stack.emulator.url}/_emulator/requests`, {
			signal: AbortSignal.timeout(10_000),
		});
		const requests = (await res.json()) as Array<{ method: string; path: string; status: number }>;
		return requests.filter(
			(r) => r.method === 'POST' && /^\/v1(beta)?\/streams$/.test(r.path) && r.status === 429,
		).length;
	}
}
