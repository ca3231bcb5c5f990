// Is GStreamer usable for cameras on this host? gst-launch-1.0 plus the elements the pipeline
// needs (gst-pipeline.ts), each checked with `gst-inspect-1.0 --exists` (~15 ms, in parallel,
// bounded). The answer is cached per binary; a negative one only for a while, so installing the
// packages takes effect without restarting n8n.

import { execFile } from 'node:child_process';
import { childEnv } from '../child-env';
import path from 'node:path';

/** Element (or program) → the Debian/Ubuntu package that provides it. */
export const GST_PACKAGES: Readonly<Record<string, string>> = {
	'gst-launch-1.0': 'gstreamer1.0-tools',
	'gst-inspect-1.0': 'gstreamer1.0-tools',
	fdsink: 'gstreamer1.0-tools',
	rtspsrc: 'gstreamer1.0-plugins-good',
	decodebin: 'gstreamer1.0-plugins-base',
	videorate: 'gstreamer1.0-plugins-base',
	videoconvert: 'gstreamer1.0-plugins-base',
	videoscale: 'gstreamer1.0-plugins-base',
	avdec_h264: 'gstreamer1.0-libav',
};

/** What the camera pipeline needs; avdec_h264 stands for "an H.264 decoder" (decodebin picks one). */
export const GST_ELEMENTS = [
	'rtspsrc',
	'decodebin',
	'avdec_h264',
	'videorate',
	'videoconvert',
	'videoscale',
	'fdsink',
] as const;

export type GstCheck =
	| { usable: true }
	/** `missing`: programs/elements that are not there; `undetermined`: the check itself failed. */
	| { usable: false; missing: string[]; undetermined?: string };

/** Runs a program; resolves with its exit code, 'missing' (ENOENT) or 'failed' (timeout, other). */
export type Probe = (
	command: string,
	args: string[],
	timeoutMs: number,
) => Promise<number | 'missing' | 'failed'>;

const probe: Probe = (command, args, timeoutMs) =>
	new Promise((resolve) => {
		// A fixed program with fixed arguments, no shell: only asks GStreamer what it has.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		execFile(
			command,
			args,
			{ timeout: timeoutMs, killSignal: 'SIGKILL', env: childEnv() },
			(error) => {
				if (!error) return resolve(0);
				const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
				if (e.code === 'ENOENT') return resolve('missing');
				resolve(typeof e.code === 'number' && !e.killed ? e.code : 'failed');
			},
		);
	});

/** gst-inspect-1.0 next to the given gst-launch-1.0 (or on PATH). */
export function inspectPathFor(gstLaunchPath: string): string {
	return gstLaunchPath.includes('/')
		? path.join(path.dirname(gstLaunchPath), 'gst-inspect-1.0')
		: 'gst-inspect-1.0';
}

export async function checkGstreamer(
	gstLaunchPath: string,
	run: Probe = probe,
	timeoutMs = 5000,
): Promise<GstCheck> {
	const inspect = inspectPathFor(gstLaunchPath);
	const [launch, ...elements] = await Promise.all([
		run(gstLaunchPath, ['--version'], timeoutMs),
		...GST_ELEMENTS.map((element) => run(inspect, ['--exists', element], timeoutMs)),
	]);
	if (launch === 'missing') return { usable: false, missing: ['gst-launch-1.0'] };
	if (elements.every((r) => r === 'missing'))
		return { usable: false, missing: ['gst-inspect-1.0'] };
	const missing = GST_ELEMENTS.filter((_, i) => elements[i] === 1);
	if (missing.length) return { usable: false, missing };
	if (launch !== 0 || elements.some((r) => r !== 0))
		return {
			usable: false,
			missing: [],
			undetermined: 'gst-launch-1.0 / gst-inspect-1.0 did not answer in time',
		};
	return { usable: true };
}

/** Closes every GStreamer problem a user can sidestep by switching readers. */
export const OR_FFMPEG = 'or set the camera reader to ffmpeg';

/**
 * `GStreamer is missing avdec_h264 (package gstreamer1.0-libav): install it with "apt-get install
 * gstreamer1.0-libav"`, each package named once.
 */
export function gstInstallMessage(missing: readonly string[]): string {
	const byPackage = new Map<string, string[]>();
	for (const item of missing) {
		const pkg = GST_PACKAGES[item] ?? 'gstreamer1.0-plugins-good';
		byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), item]);
	}
	const text = [...byPackage]
		.map(([pkg, items]) => `${items.join(', ')} (package ${pkg})`)
		.join('; ');
	return `GStreamer is missing ${text}: install it with "apt-get install ${[...byPackage.keys()].join(' ')}"`;
}

const NEGATIVE_TTL_MS = 60_000;
const cache = new Map<string, { at: number; result: Promise<GstCheck> }>();

/** checkGstreamer, cached: a usable answer for the life of the process, a negative one for a minute. */
export function detectGstreamer(gstLaunchPath: string, run?: Probe): Promise<GstCheck> {
	const hit = cache.get(gstLaunchPath);
	if (hit && Date.now() - hit.at < NEGATIVE_TTL_MS) return hit.result;
	if (hit) {
		// Older than the TTL: reuse it only if it said "usable".
		const reuse = hit.result.then((r) => (r.usable ? r : undefined));
		return reuse.then((r) => r ?? fresh(gstLaunchPath, run));
	}
	return fresh(gstLaunchPath, run);
}

function fresh(gstLaunchPath: string, run?: Probe): Promise<GstCheck> {
	const result = checkGstreamer(gstLaunchPath, run);
	cache.set(gstLaunchPath, { at: Date.now(), result });
	return result;
}

/** For tests. */
export function clearGstreamerCache(): void {
	cache.clear();
}
