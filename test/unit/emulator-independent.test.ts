// The emulator implements the contract on its own, so a bug in the package cannot be mirrored by
// the server that tests it (ARCHITECTURE.md): nothing under emulator/ may import the package's
// code at run time. Type-only imports (the client's shapes) are allowed; they vanish when compiled.
import fs from 'node:fs';
import path from 'node:path';

const EMULATOR_DIR = path.resolve(__dirname, '..', '..', 'emulator');
// Every `import … from '…'`, `export … from '…'`, `require('…')` and `import('…')` specifier.
const SPECIFIER =
	/(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'|\brequire\('([^']+)'\)|\bimport\('([^']+)'\)/g;

function runtimeImportsOfPackage(file: string): string[] {
	const source = fs.readFileSync(file, 'utf8');
	const found: string[] = [];
	for (const m of source.matchAll(SPECIFIER)) {
		const typeOnly = m[2] !== undefined;
		const spec = m[3] ?? m[4] ?? m[5];
		if (!spec.startsWith('.')) continue;
		const target = path.resolve(path.dirname(file), spec);
		if (!target.startsWith(EMULATOR_DIR + path.sep) && !typeOnly) found.push(spec);
	}
	return found;
}

test('no file under emulator/ imports code from outside it at run time, except the livekit-server launcher of its CLI', () => {
	const offenders: Record<string, string[]> = {};
	for (const name of fs.readdirSync(EMULATOR_DIR).filter((f) => f.endsWith('.ts'))) {
		const found = runtimeImportsOfPackage(path.join(EMULATOR_DIR, name)).filter(
			(spec) => !(name === 'cli.ts' && spec === '../harness/livekit'),
		);
		if (found.length) offenders[name] = found;
	}
	expect(offenders).toEqual({});
});

test('the check sees a runtime import of the engine', () => {
	const dir = fs.mkdtempSync(path.join(EMULATOR_DIR, '.probe-'));
	try {
		const file = path.join(dir, 'probe.ts');
		fs.writeFileSync(
			file,
			"import type { Model } from '../../nodes/Overshoot/api/types';\nimport { loadRtc } from '../../nodes/Overshoot/watch/native';\n",
		);
		expect(runtimeImportsOfPackage(file)).toEqual(['../../nodes/Overshoot/watch/native']);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
