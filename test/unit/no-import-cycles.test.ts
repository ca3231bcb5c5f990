// No import cycles in nodes/ or credentials/, type-only imports included. Lint's import-x/no-cycle
// checks runtime imports but skips every `import type` (eslint-plugin-import-x 4.18 has no option
// to count them), so a loop through types alone would pass it; yet such a loop means two files
// each know the other's business, and one changed `import type` to `import` makes it a runtime
// cycle (a module seen half-initialised). Shared types go in a file of their own instead
// (api/http.ts, shared/param-reader.ts, watch/publisher-types.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return tsFiles(file);
		return file.endsWith('.ts') ? [file] : [];
	});
}

/** Each file's relative imports and re-exports (runtime and type-only), resolved to files. */
function importGraph(dir: string): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of tsFiles(dir)) {
		const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
		const targets = importedFiles
			.filter(({ fileName }) => fileName.startsWith('.'))
			.map(({ fileName }) => path.resolve(path.dirname(file), fileName))
			.map((base) =>
				[`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate)),
			)
			.filter((target): target is string => target !== undefined);
		graph.set(file, targets);
	}
	return graph;
}

/** Every cycle a depth-first walk meets, as "a.ts -> b.ts -> a.ts" relative to `base`. */
function cycles(graph: Map<string, string[]>, base: string): string[] {
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const found: string[] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open')
				found.push(
					[...stack.slice(stack.indexOf(next)), next]
						.map((f) => path.relative(base, f))
						.join(' -> '),
				);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of graph.keys()) if (!state.has(file)) visit(file);
	return found;
}

test.each(['nodes', 'credentials'])(
	'no file under %s/ imports itself through others, not even by types',
	(dir) => {
		expect(cycles(importGraph(path.join(root, dir)), root)).toEqual([]);
	},
);

test('the check sees a cycle made of type-only imports', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-cycle-'));
	try {
		fs.writeFileSync(
			path.join(dir, 'a.ts'),
			"import type { B } from './b';\nexport interface A { b?: B }\n",
		);
		fs.writeFileSync(
			path.join(dir, 'b.ts'),
			"import { type A } from './a';\nexport interface B { a?: A }\n",
		);
		fs.writeFileSync(path.join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
		expect(cycles(importGraph(dir), dir)).toEqual(['a.ts -> b.ts -> a.ts']);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
