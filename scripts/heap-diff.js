#!/usr/bin/env node
// `node scripts/heap-diff.js <before.heapsnapshot> <after.heapsnapshot> [--top N]`: what grew
// between two V8 heap snapshots of the same process (Chrome DevTools' "Comparison" view, on the
// command line): objects counted and their self sizes summed per constructor (strings, code and
// numbers each as one group), sorted by growth. Used with the soak (bench/soak.ts): snapshots of
// n8n main (NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2) or of the publisher process
// (OVERSHOOT_HEAP_REPORT_DIR, then SIGUSR2) at the start and the end of a run.
'use strict';
const fs = require('node:fs');

/** { key → { count, bytes } } of one snapshot, and its total self size. */
function summarize(file) {
	const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
	const meta = snap.snapshot.meta;
	const fields = meta.node_fields;
	const stride = fields.length;
	const typeAt = fields.indexOf('type');
	const nameAt = fields.indexOf('name');
	const sizeAt = fields.indexOf('self_size');
	const types = meta.node_types[typeAt];
	const groups = new Map();
	let total = 0;
	for (let i = 0; i < snap.nodes.length; i += stride) {
		const type = types[snap.nodes[i + typeAt]];
		const size = snap.nodes[i + sizeAt];
		total += size;
		// A string's "name" is its content: one group for all of them, as for code and numbers.
		const key =
			/string/.test(type) || type === 'code' || type === 'number' || type === 'hidden'
				? `(${type})`
				: `${type}: ${String(snap.strings[snap.nodes[i + nameAt]]).slice(0, 80)}`;
		const g = groups.get(key) ?? { count: 0, bytes: 0 };
		g.count++;
		g.bytes += size;
		groups.set(key, g);
	}
	return { groups, total, nodes: snap.nodes.length / stride };
}

function main(argv) {
	const files = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--top');
	const t = argv.indexOf('--top');
	const top = t >= 0 ? Number(argv[t + 1]) : 25;
	if (files.length !== 2) {
		console.error(
			'usage: node scripts/heap-diff.js <before.heapsnapshot> <after.heapsnapshot> [--top N]',
		);
		return 2;
	}
	const [a, b] = files.map(summarize);
	const keys = new Set([...a.groups.keys(), ...b.groups.keys()]);
	const rows = [...keys].map((key) => {
		const x = a.groups.get(key) ?? { count: 0, bytes: 0 };
		const y = b.groups.get(key) ?? { count: 0, bytes: 0 };
		return { key, count: y.count - x.count, bytes: y.bytes - x.bytes, after: y.bytes };
	});
	// Unchanged groups (most synthetic and native ones) say nothing.
	const changed = rows
		.filter((r) => r.bytes !== 0 || r.count !== 0)
		.sort((p, q) => q.bytes - p.bytes);
	const kb = (n) => (n / 1024).toFixed(1);
	console.log(
		`before: ${a.nodes} objects, ${kb(a.total)} KB; after: ${b.nodes} objects, ${kb(b.total)} KB; growth ${kb(b.total - a.total)} KB`,
	);
	console.log('growth KB\tcount\tafter KB\tgroup');
	for (const r of changed.slice(0, top))
		console.log(`${kb(r.bytes)}\t${r.count >= 0 ? '+' : ''}${r.count}\t${kb(r.after)}\t${r.key}`);
	console.log('...shrank most:');
	for (const r of changed
		.slice(-5)
		.reverse()
		.filter((r) => r.bytes < 0))
		console.log(`${kb(r.bytes)}\t${r.count >= 0 ? '+' : ''}${r.count}\t${kb(r.after)}\t${r.key}`);
	return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { summarize };
