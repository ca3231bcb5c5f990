// Looks for the run's secrets (API key, camera password) where a user or another local user could
// read them: every process's command line (sampled from /proc while the run goes on), n8n's log,
// its SQLite database (execution data, error messages: the whole dump), and the emitted items.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface SecretFinding {
	secret: string;
	where: string;
}

export class SecretWatch {
	private readonly found = new Map<string, SecretFinding>();
	private timer: NodeJS.Timeout | undefined;
	samples = 0;

	constructor(private readonly secrets: Record<string, string>) {}

	scanText(where: string, text: string): void {
		for (const [name, value] of Object.entries(this.secrets)) {
			if (text.includes(value)) this.found.set(`${name}|${where}`, { secret: name, where });
		}
	}

	private sampleCommandLines(): void {
		this.samples++;
		for (const entry of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
			try {
				const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
				this.scanText(`command line of ${cmd.split('\0')[0].split('/').pop()}`, cmd);
			} catch {
				// exited meanwhile
			}
		}
	}

	start(): void {
		this.timer = setInterval(() => this.sampleCommandLines(), 500);
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** The whole database as SQL text (`sqlite3 .dump`, WAL included). */
	async scanDatabase(file: string): Promise<void> {
		if (!fs.existsSync(file)) throw new Error(`n8n database ${file} not found`);
		const { stdout } = await exec('sqlite3', [file, '.dump'], {
			maxBuffer: 512 * 1024 * 1024,
			timeout: 60_000,
		});
		if (!/CREATE TABLE .*execution_data/i.test(stdout))
			throw new Error('the n8n database dump has no execution_data table');
		this.scanText('n8n database (execution data, workflows, errors)', stdout);
	}

	findings(): SecretFinding[] {
		return [...this.found.values()];
	}
}
