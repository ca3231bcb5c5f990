// Native modules are loaded here, on first use, never at the top of a node file: a host where
// they cannot load (musl/Alpine, an unsupported CPU) keeps working action nodes and gets this
// message instead of a package that fails to load.

import path from 'node:path';

import type * as Rtc from '@livekit/rtc-node';
import type Sharp from 'sharp';

/** Linux with the musl C library (Alpine, as in the official n8nio/n8n image): glibc reports its version, musl does not. */
export function onMuslLinux(): boolean {
	if (process.platform !== 'linux') return false;
	const report = process.report?.getReport() as
		| { header?: { glibcVersionRuntime?: string } }
		| undefined;
	return !report?.header?.glibcVersionRuntime;
}

export class NativeModuleError extends Error {
	constructor(moduleName: string, cause: unknown, musl = onMuslLinux()) {
		const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
		super(
			musl
				? `The Overshoot Trigger cannot run on this n8n: its host uses the musl C library (Alpine Linux, as the official n8nio/n8n Docker image does), and the native module "${moduleName}" has no build for musl (${reason}). ` +
						'Run n8n on a Debian/Ubuntu-based image, such as the one this package\'s repository builds (docker/Dockerfile, README "Running in Docker"), or an npm-installed n8n. The action node works without it.'
				: `The Overshoot Trigger needs the native module "${moduleName}", which could not be loaded on this host (${reason}). ` +
						'It ships prebuilt binaries for glibc Linux (x64, arm64), macOS and Windows x64; musl-based images such as the Alpine n8nio/n8n image are not supported. ' +
						'Run n8n on a Debian/Ubuntu-based image or an npm-installed n8n. The action node works without it.',
		);
		this.name = 'NativeModuleError';
	}
}

let rtc: typeof Rtc | undefined;
let sharp: typeof Sharp | undefined;

export function loadRtc(): typeof Rtc {
	if (!rtc) {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			rtc = require('@livekit/rtc-node') as typeof Rtc;
		} catch (error) {
			throw new NativeModuleError('@livekit/rtc-node', error);
		}
		quietRtcLogger();
	}
	return rtc;
}

/**
 * rtc-node logs through its own pino logger at `debug` unless NODE_ENV=production: several JSON
 * lines on stdout per connect, which would land in n8n's log. It is not exported, so reach it by
 * file (bypassing the exports map); `LK_LOG_LEVEL` overrides our default of `warn`.
 */
function quietRtcLogger() {
	try {
		const dir = path.dirname(require.resolve('@livekit/rtc-node'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { log } = require(path.join(dir, 'log.cjs')) as { log?: { level: string } };
		if (log) log.level = process.env.LK_LOG_LEVEL ?? 'warn';
	} catch {
		// A future layout without log.cjs only costs us quiet logs.
	}
}

export function loadSharp(): typeof Sharp {
	if (!sharp) {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const mod = require('sharp');
			sharp = (mod.default ?? mod) as typeof Sharp;
		} catch (error) {
			throw new NativeModuleError('sharp', error);
		}
	}
	return sharp;
}
