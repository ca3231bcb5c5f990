// gst-launch-1.0's arguments for reading an RTSP camera into raw I420 frames of W×H on fd 3:
// the GStreamer equivalent of the ffmpeg reader's `-i URL -vf scale,pad -fps_mode passthrough`,
// plus a drop-only rate limit ffmpeg has no latency-free equivalent of.

export interface GstRtspPipeline {
	/**
	 * Camera URL without userinfo. There is no login here on purpose: gst-launch-1.0 takes its
	 * pipeline only as arguments, readable by every local user in /proc/<pid>/cmdline, so a
	 * camera with a login is read by ffmpeg instead (rtsp-source.ts).
	 */
	url: string;
	transport: 'tcp' | 'udp';
	/** Socket timeout, µs: rtspsrc gives up on a silent TCP connection / UDP stream after this. */
	ioTimeoutUs: number;
	width: number;
	height: number;
	/** Output rate: frames beyond it are dropped before they are scaled and piped. */
	fps: number;
}

/** The file descriptor gst-launch writes frames to (MediaProcess `frameFd`). */
export const GST_FRAME_FD = 3;

/**
 * A property value for gst-launch. gst-launch joins its arguments and parses them as one pipeline
 * description, so a value with a space, `!`, `,` or `"` would be read as syntax; inside double
 * quotes only `"` and `\` need a backslash (checked against rtspsrc with `a"b\c !x'y, z=1\`).
 */
export function gstQuote(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Arguments for `gst-launch-1.0`. */
export function gstRtspArgs(p: GstRtspPipeline): string[] {
	return [
		// Quiet: no progress messages (errors still go to stderr); frames go to fd 3 anyway.
		'-q',
		'rtspsrc',
		`location=${gstQuote(p.url)}`,
		`protocols=${p.transport}`,
		// No jitter buffer delay: frames are decoded the moment their last packet arrives
		// (measured 24 ms camera → raw frame for 720p15 on loopback, ffmpeg ~157 ms).
		'latency=0',
		`tcp-timeout=${p.ioTimeoutUs}`,
		`timeout=${p.ioTimeoutUs}`,
		// Only the video stream: a camera's audio track must not claim the decoder.
		'!',
		'application/x-rtp,media=video',
		// Picks the depayloader, parser and decoder for the camera's codec (H.264 → avdec_h264).
		'!',
		'decodebin',
		// Drops what the output rate cannot use before it is converted, scaled and piped (a 15 fps
		// camera at 5 fps: a third of the frames cross the pipe). drop-only decides as each frame
		// arrives, so it adds no latency; its picks jitter by tens of ms around the slot (PTS from
		// arrival), which FramePacer's wider tolerance for this reader absorbs, while FramePacer
		// stays the exact rate (max-rate is whole frames per second).
		'!',
		'videorate',
		'drop-only=true',
		`max-rate=${Math.max(1, Math.ceil(p.fps))}`,
		'!',
		'videoconvert',
		// Scales to fit and pads with black bars (add-borders, the default) because the caps ask
		// for square pixels: the same letterbox as ffmpeg's scale=…:decrease,pad.
		'!',
		'videoscale',
		'!',
		`video/x-raw,format=I420,width=${p.width},height=${p.height},pixel-aspect-ratio=1/1`,
		// Each frame as soon as it is decoded: no clock sync.
		'!',
		'fdsink',
		`fd=${GST_FRAME_FD}`,
		'sync=false',
	];
}

/**
 * Environment for gst-launch: errors of GStreamer's "default" category only, which is where the
 * RTSP connection says why it failed ("Connection refused", "Error resolving …"). Nothing more
 * verbose: higher levels print the whole pipeline description.
 */
export const GST_ENV: Record<string, string | undefined> = {
	GST_DEBUG: 'default:1',
	GST_DEBUG_NO_COLOR: '1',
	GST_DEBUG_FILE: undefined,
};
