// rtc-node for the emulator, loaded on first use. The emulator is a program of its own that
// implements the contract independently of the package, so it does not borrow the engine's loader
// (nodes/Overshoot/watch/native.ts, whose errors speak to n8n users); it only needs the module and
// a quiet log. Importing the type is free; loading the native module where it is not needed is not.

import path from 'node:path';
import type * as Rtc from '@livekit/rtc-node';

let rtcMod: typeof Rtc | undefined;

export function loadRtc(): typeof Rtc {
	if (!rtcMod) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		rtcMod = require('@livekit/rtc-node') as typeof Rtc;
		quietRtcLog();
	}
	return rtcMod;
}

/** True once rtc-node has been loaded (so the CLI knows whether it must `dispose()`). */
export const rtcLoaded = () => rtcMod !== undefined;

/**
 * rtc-node's own pino logger logs at `debug` unless NODE_ENV=production (JSON lines on stdout for
 * every connect). It is not exported, so it is reached by file; `LK_LOG_LEVEL` overrides `warn`.
 */
function quietRtcLog(): void {
	try {
		const file = path.join(path.dirname(require.resolve('@livekit/rtc-node')), 'log.cjs');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { log } = require(file) as { log?: { level: string } };
		if (log) log.level = process.env.LK_LOG_LEVEL ?? 'warn';
	} catch {
		// Another layout of rtc-node only costs quiet logs.
	}
}
