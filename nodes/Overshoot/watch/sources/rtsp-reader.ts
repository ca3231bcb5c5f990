// Which program reads an RTSP camera: GStreamer (lower latency: ~25 ms camera → frame against
// ffmpeg's ~160 ms on the same stream) when it is installed, else ffmpeg. `auto` decides from
// what is installed; an explicit choice is kept, and a GStreamer that lacks parts is an error
// that names the packages to install.

import { detectGstreamer, gstInstallMessage, OR_FFMPEG, type GstCheck } from './gst-detect';

export type RtspReaderPreference = 'auto' | 'gstreamer' | 'ffmpeg';
export type RtspReader = 'gstreamer' | 'ffmpeg';

export const RTSP_READERS: readonly RtspReaderPreference[] = ['auto', 'gstreamer', 'ffmpeg'];

export interface RtspReaderChoice {
	reader: RtspReader;
	/** Why, for the log: "auto: GStreamer is installed with everything the camera needs". */
	why: string;
}

export type Detect = (gstLaunchPath: string) => Promise<GstCheck>;

/** Why `auto` passed GStreamer over: what is missing, or that the check could not finish. */
function whyUnusable(check: Extract<GstCheck, { usable: false }>): string {
	return check.missing.length
		? gstInstallMessage(check.missing)
		: `GStreamer could not be checked (${check.undetermined ?? 'unknown reason'})`;
}

export async function chooseRtspReader(
	preference: RtspReaderPreference,
	gstLaunchPath: string,
	detect: Detect = detectGstreamer,
): Promise<RtspReaderChoice> {
	if (preference === 'ffmpeg') return { reader: 'ffmpeg', why: 'set in the options' };
	const check = await detect(gstLaunchPath);
	if (preference === 'gstreamer') {
		// A check that could not finish is not proof of absence: let gst-launch itself report.
		if (!check.usable && check.missing.length)
			throw new Error(`${gstInstallMessage(check.missing)}, ${OR_FFMPEG}`);
		return { reader: 'gstreamer', why: 'set in the options' };
	}
	if (check.usable)
		return {
			reader: 'gstreamer',
			why: 'auto: GStreamer is installed with everything the camera needs',
		};
	return { reader: 'ffmpeg', why: `auto: ${whyUnusable(check)} (GStreamer lowers camera latency)` };
}

/** Not set → `auto`; one of RTSP_READERS → itself; anything else → undefined. */
export function asRtspReader(value: unknown): RtspReaderPreference | undefined {
	if (value === undefined || value === null) return 'auto';
	return typeof value === 'string' && (RTSP_READERS as readonly string[]).includes(value)
		? (value as RtspReaderPreference)
		: undefined;
}

/** asRtspReader, with a RangeError for a value that is not a reader. */
export function parseRtspReader(value: unknown): RtspReaderPreference {
	const reader = asRtspReader(value);
	if (reader) return reader;
	throw new RangeError(
		`camera reader must be one of ${RTSP_READERS.join(', ')} (got ${JSON.stringify(value)})`,
	);
}
