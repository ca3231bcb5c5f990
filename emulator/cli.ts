// `npm run emulator`: runs the emulator as a program (demo, benchmarks, manual poking).
// Prints one line `emulator listening on http://127.0.0.1:PORT (livekit ws://...)` when ready;
// SIGTERM/SIGINT end every stream, stop a livekit-server we started, and dispose rtc-node.

import { startEmulator, type EmulatorOptions } from './server';
import { loadRtc, rtcLoaded } from './ingest-livekit';
import { readCatalogFile } from './models';

const USAGE = `usage: emulator [--port N] [--ttl S] [--tombstone S] [--retention S] [--max-streams N]
                [--catalog models.json]
                [--livekit-url ws://... --livekit-key K --livekit-secret S | --with-livekit]
                [--allow-private-sources] [--verbose]
  --catalog   serve these models instead of the default catalogue: a JSON array of
              {"id", "status"?, "video"?, "tokensPerFrame"?} (or {"data": [...]}, as GET /models answers)`;

function parseArgs(argv: string[]): Record<string, string | true> {
	const out: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
		const [k, inline] = a.slice(2).split('=', 2);
		if (inline !== undefined) out[k] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
		else out[k] = true;
	}
	return out;
}

function num(args: Record<string, string | true>, key: string): number | undefined {
	const v = args[key];
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v === true || !Number.isFinite(n) || n < 0)
		throw new Error(`--${key} needs a non-negative number\n${USAGE}`);
	return n;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		console.log(USAGE);
		return;
	}
	let stopLivekit: (() => Promise<void>) | undefined;
	let livekit: EmulatorOptions['livekit'];
	if (args['with-livekit']) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startLivekit } = require('../harness/livekit') as typeof import('../harness/livekit');
		const lk = await startLivekit();
		stopLivekit = () => lk.stop();
		livekit = { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret };
	} else if (args['livekit-url']) {
		const [url, apiKey, apiSecret] = [
			args['livekit-url'],
			args['livekit-key'],
			args['livekit-secret'],
		];
		if (typeof url !== 'string' || typeof apiKey !== 'string' || typeof apiSecret !== 'string') {
			throw new Error(`--livekit-url needs --livekit-key and --livekit-secret\n${USAGE}`);
		}
		livekit = { url, apiKey, apiSecret };
	}
	const catalog = args.catalog;
	if (catalog === true) throw new Error(`--catalog needs a file\n${USAGE}`);
	const emu = await startEmulator({
		models: catalog === undefined ? undefined : readCatalogFile(catalog),
		port: num(args, 'port') ?? 0,
		ttlSeconds: num(args, 'ttl'),
		tombstoneSeconds: num(args, 'tombstone'),
		retentionSeconds: num(args, 'retention'),
		maxStreamsPerKey: num(args, 'max-streams'),
		allowPrivateSources: args['allow-private-sources'] === true,
		livekit,
		log: args.verbose ? (line) => console.error(`[emulator] ${line}`) : undefined,
	});
	console.log(`emulator listening on ${emu.url}${livekit ? ` (livekit ${livekit.url})` : ''}`);

	let shuttingDown = false;
	const shutdown = async (signal: string) => {
		if (shuttingDown) return;
		shuttingDown = true;
		const force = setTimeout(() => process.exit(1), 15_000);
		force.unref();
		try {
			await emu.close();
			await stopLivekit?.();
			// Once rtc-node created native objects the process only exits after dispose().
			if (rtcLoaded()) await loadRtc().dispose();
		} catch (error) {
			console.error(`emulator: error during ${signal} shutdown: ${(error as Error).message}`);
			process.exit(1);
		}
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
	console.error(`emulator: ${(error as Error).message}`);
	process.exit(1);
});
