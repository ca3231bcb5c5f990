// The printed table, the machine description and bench/results.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metric } from './types';

export function machineInfo(): Record<string, unknown> {
	const version = (cmd: string, args: string[]) => {
		try {
			return execFileSync(cmd, args, { timeout: 5000 }).toString().split('\n')[0].trim();
		} catch {
			return 'unavailable';
		}
	};
	return {
		cpu_model: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		memory_gb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()}`,
		ffmpeg: version('ffmpeg', ['-version']),
		date: new Date().toISOString(),
		load_avg_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
	};
}

function fmt(v: number | null, digits = 2): string {
	if (v === null || !Number.isFinite(v)) return '-';
	return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits);
}

export function table(metrics: Metric[]): string {
	const rows = [['key', 'measured', 'baseline', 'ratio', 'target', 'result']];
	for (const m of metrics) {
		rows.push([
			m.key,
			m.measured === null ? '-' : `${fmt(m.measured)} ${m.target.unit}`,
			m.baseline === null
				? '-'
				: `${fmt(m.baseline)}${m.baselineLabel ? ` (${m.baselineLabel})` : ''}`,
			fmt(m.ratio),
			Number.isFinite(m.target.value) ? `${m.target.op} ${m.target.value}` : 'reported',
			m.status === 'not run' || m.status === 'error' ? `${m.status}: ${m.note ?? ''}` : m.status,
		]);
	}
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (i === 5 ? 6 : r[i].length))));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [
		line(rows[0]),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...rows.slice(1).map(line),
	].join('\n');
}

/** Writes atomically (tmp + rename) so an interrupted run never leaves half a file. */
export function writeResults(file: string, data: Record<string, unknown>): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.tmp`;
	fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
	fs.renameSync(tmp, file);
}

/** Replaces the block between the results markers in bench/README.md with this run's table. */
export function updateReadme(file: string, heading: string, tableText: string): void {
	if (!fs.existsSync(file)) return;
	const text = fs.readFileSync(file, 'utf8');
	const start = '<!-- results -->';
	const end = '<!-- /results -->';
	const i = text.indexOf(start);
	if (i < 0) return;
	const j = text.indexOf(end, i);
	const block = `${start}\n${heading}\n\n${tableText}\n${end}`;
	fs.writeFileSync(
		file,
		text.slice(0, i) + block + (j < 0 ? text.slice(i + start.length) : text.slice(j + end.length)),
	);
}
