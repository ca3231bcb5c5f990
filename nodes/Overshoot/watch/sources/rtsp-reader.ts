// Which program reads an RTSP camera: GStreamer (lower latency: ~25 ms camera → frame against
// ffmpeg's ~160 ms on the same stream) when it is installed, else ffmpeg. `auto` decides from
// what is installed; an explicit choice is kept, and a GStreamer that lacks parts is an error
// that names the packages to install.

import { describeMissing, detectGstreamer, type GstCheck } from './gst-detect';

export type RtspReaderPreference = 'auto' | 'gstreamer' | 'ffmpeg';
export type RtspReader = 'gstreamer' | 'ffmpeg';

export const RTSP_READERS: readonly RtspReaderPreference[] = ['auto', 'gstreamer', 'ffmpeg'];

export interface RtspReaderChoice {
	reader: RtspReader;
	/** Why, for the log: "auto: GStreamer is installed with everything the camera needs". */
	why: string;
}

export type Detect = (gstLaunchPath: string) => Promise<GstCheck>;

export function gstMissingMessage(check: Extract<GstCheck, { usable: false }>): string {
	if (!check.missing.length) return `GStreamer could not be checked (${check.undetermined ?? 'unknown reason'})`;
	const { packages, text } = describeMissing(check.missing);
	return `GStreamer is missing ${text}: install it with "apt-get install ${packages.join(' ')}", or set the camera reader to ffmpeg`;
}

export async function chooseRtspReader(preference: RtspReaderPreference, gstLaunchPath: string, detect: Detect = detectGstreamer): Promise<RtspReaderChoice> {
	if (preference === 'ffmpeg') return { reader: 'ffmpeg', why: 'set in the options' };
	const check = await detect(gstLaunchPath);
	if (preference === 'gstreamer') {
		// A check that could not finish is not proof of absence: let gst-launch itself report.
		if (!check.usable && check.missing.length) throw new Error(gstMissingMessage(check));
		return { reader: 'gstreamer', why: 'set in the options' };
	}
	if (check.usable) return { reader: 'gstreamer', why: 'auto: GStreamer is installed with everything the camera needs' };
	return { reader: 'ffmpeg', why: `auto: ${gstMissingMessage(check).replace(/, or set the camera reader to ffmpeg$/, '')} (GStreamer lowers camera latency)` };
}

export function parseRtspReader(value: unknown): RtspReaderPreference {
	if (value === undefined || value === null || value === '') return 'auto';
	if (typeof value === 'string' && (RTSP_READERS as readonly string[]).includes(value)) return value as RtspReaderPreference;
	throw new RangeError(`camera reader must be one of ${RTSP_READERS.join(', ')} (got ${JSON.stringify(value)})`);
}
