// The streams one trigger owns, remembered on disk so that they survive a crash. When n8n is
// killed (OOM, SIGKILL, a host reboot) it never calls closeFunction: the trigger's stream stays
// open, billed, until its lease expires, and it holds one of the key's few concurrent stream slots
// (the API may cap them at 5 per key), so after a restart the re-activated triggers can be refused
// with 429 by their own ghosts. The ledger lets the next activation end those streams first.
//
// One file per trigger (workflow + node + mode), written only by that trigger, replaced
// atomically (write + rename). Failures to read or write it are logged and never stop watching:
// the ledger is a safety net, the lease is the backstop.

import fs from 'node:fs/promises';
import path from 'node:path';

export interface LedgerEntry {
	streamId: string;
	/** When the lease runs out if nobody renews it; past that the stream is gone anyway. */
	expiresAtMs: number;
}

export interface StreamLedger {
	/** Entries left by an earlier run whose lease may still be running. */
	leftovers(nowMs?: number): Promise<LedgerEntry[]>;
	remember(entry: LedgerEntry): Promise<void>;
	forget(streamId: string): Promise<void>;
}

export class FileStreamLedger implements StreamLedger {
	private entries: Map<string, LedgerEntry> | undefined;
	private writing: Promise<void> = Promise.resolve();

	constructor(private readonly file: string) {}

	async leftovers(nowMs = Date.now()): Promise<LedgerEntry[]> {
		const entries = await this.load();
		return [...entries.values()].filter((e) => e.expiresAtMs > nowMs);
	}

	async remember(entry: LedgerEntry): Promise<void> {
		(await this.load()).set(entry.streamId, entry);
		await this.save();
	}

	async forget(streamId: string): Promise<void> {
		const entries = await this.load();
		if (entries.delete(streamId)) await this.save();
	}

	private async load(): Promise<Map<string, LedgerEntry>> {
		if (this.entries) return this.entries;
		let parsed: unknown = [];
		try {
			parsed = JSON.parse(await fs.readFile(this.file, 'utf8'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') parsed = []; // unreadable: start afresh
		}
		const valid = Array.isArray(parsed) ? parsed.filter(isEntry) : [];
		this.entries ??= new Map(
			valid.map((e) => [e.streamId, { streamId: e.streamId, expiresAtMs: e.expiresAtMs }]),
		);
		return this.entries;
	}

	/** Writes are serialised so that a slow write never overwrites a newer one. */
	private save(): Promise<void> {
		const snapshot = JSON.stringify([...(this.entries ?? new Map()).values()]);
		const write = this.writing
			.catch(() => undefined)
			.then(async () => {
				if (snapshot === '[]') {
					await fs.rm(this.file, { force: true });
					return;
				}
				await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
				const tmp = `${this.file}.${process.pid}.tmp`;
				await fs.writeFile(tmp, snapshot, { mode: 0o600 });
				await fs.rename(tmp, this.file);
			});
		this.writing = write;
		return write;
	}
}

function isEntry(value: unknown): value is LedgerEntry {
	const e = value as LedgerEntry;
	return typeof e?.streamId === 'string' && e.streamId.length > 0 && Number.isFinite(e.expiresAtMs);
}
