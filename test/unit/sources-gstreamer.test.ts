// The GStreamer camera reader without GStreamer: its arguments, how its real error output is
// classified (samples captured from gst-launch-1.0 1.22 against the test RTSP server), and the
// auto choice between GStreamer and ffmpeg.

import type { FrameSink, SourceStatus } from '../../nodes/Overshoot/watch/frame';
import type { WatchLogger } from '../../nodes/Overshoot/watch/logger';
import { classifyGstExit, gstErrorSummary } from '../../nodes/Overshoot/watch/sources/classify-gst';
import {
	checkGstreamer,
	clearGstreamerCache,
	detectGstreamer,
	GST_ELEMENTS,
	inspectPathFor,
	type Probe,
} from '../../nodes/Overshoot/watch/sources/gst-detect';
import { gstQuote } from '../../nodes/Overshoot/watch/sources/gst-pipeline';
import type { MediaExit } from '../../nodes/Overshoot/watch/sources/media-process';
import { chooseRtspReader } from '../../nodes/Overshoot/watch/sources/rtsp-reader';
import { RtspSource } from '../../nodes/Overshoot/watch/sources/rtsp-source';

const exit = (
	stderr: string,
	code: number | null = 1,
	extra: Partial<MediaExit> = {},
): MediaExit => ({
	code,
	signal: null,
	stderr: stderr.split('\n').filter((l) => l.trim()),
	stoppedByUs: false,
	...extra,
});

// Captured verbatim (GST_DEBUG=default:1, as the reader runs it).
const SAMPLES = {
	unauthorized: `ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Unauthorized
Additional debug info:
../gst/rtsp/gstrtspsrc.c(6899): gst_rtspsrc_send (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
Unauthorized (401)
ERROR: pipeline doesn't want to preroll.`,
	notFound: `ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Not found
Additional debug info:
../gst/rtsp/gstrtspsrc.c(6895): gst_rtspsrc_send (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
Not Found (404)
ERROR: pipeline doesn't want to preroll.`,
	refused: `0:00:00.017457857 20925 0x55acc40da060 ERROR                default gstrtspconnection.c:1156:gst_rtsp_connection_connect_with_response_usec: failed to connect: Could not connect to 127.0.0.1: Connection refused
ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not open resource for reading and writing.
Additional debug info:
../gst/rtsp/gstrtspsrc.c(8336): gst_rtspsrc_retrieve_sdp (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
Failed to connect. (Generic error)
ERROR: pipeline doesn't want to preroll.`,
	dns: `0:00:00.022598047 20931 0x555d597ae860 ERROR                default gstrtspconnection.c:1156:gst_rtsp_connection_connect_with_response_usec: failed to connect: Error resolving “no-such-host.invalid”: Name or service not known
ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not open resource for reading and writing.
Additional debug info:
../gst/rtsp/gstrtspsrc.c(8336): gst_rtspsrc_retrieve_sdp (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
Failed to connect. (Generic error)
ERROR: pipeline doesn't want to preroll.`,
	readError: `ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not read from resource.
Additional debug info:
../gst/rtsp/gstrtspsrc.c(6682): gst_rtsp_src_receive_response (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
Could not receive message. (Parse error)
ERROR: pipeline doesn't want to preroll.`,
	noElement: 'WARNING: erroneous pipeline: no element "avdec_h264"',
	noProperty: 'WARNING: erroneous pipeline: no property "tcp-timeout" in element "rtspsrc"',
	missingDecoder: `ERROR: from element /GstPipeline:pipeline0/GstDecodeBin:decodebin0: Your GStreamer installation is missing a plug-in.
Additional debug info:
../gst/playback/gstdecodebin2.c(4704): gst_decode_bin_expose (): /GstPipeline:pipeline0/GstDecodeBin:decodebin0:
no suitable plugins found:
Missing decoder: H.264 (Constrained Baseline Profile) (video/x-h264, stream-format=(string)avc, alignment=(string)au, parsed=(boolean)true)`,
};

describe('classifyGstExit (gst-launch-1.0 1.22 messages)', () => {
	it.each([
		['unauthorized', /username\/password \(401 Unauthorized\)/, false],
		['notFound', /path not found.*404/, false],
		['refused', /connection refused/, true],
		['dns', /host name could not be resolved/, true],
		[
			'noElement',
			/missing avdec_h264 \(package gstreamer1\.0-libav\).*apt-get install gstreamer1\.0-libav.*camera reader to ffmpeg/,
			false,
		],
		['noProperty', /rtspsrc has no "tcp-timeout" setting/, false],
		[
			'missingDecoder',
			/no decoder for the camera's video \(H\.264\).*apt-get install gstreamer1\.0-libav/,
			false,
		],
		[
			'readError',
			/^GStreamer exited with code 1: Could not read from resource\. \(Could not receive message\. \(Parse error\)\)$/,
			true,
		],
	] as const)('%s → %s (retryable %s)', (sample, reason, retryable) => {
		const c = classifyGstExit(exit(SAMPLES[sample]), 'gst-launch-1.0');
		expect(c.reason).toMatch(reason);
		expect(c.retryable).toBe(retryable);
	});

	it('treats exit 0 (EOS: the camera closed the stream) as retryable', () => {
		expect(classifyGstExit(exit('', 0), 'gst-launch-1.0')).toEqual({
			reason: 'the camera ended the stream',
			retryable: true,
		});
	});

	it('names the package when gst-launch-1.0 itself is missing', () => {
		const spawnError = Object.assign(new Error('spawn gst-launch-1.0 ENOENT'), { code: 'ENOENT' });
		const c = classifyGstExit(exit('', null, { spawnError }), '/opt/gst/gst-launch-1.0');
		expect(c).toEqual({
			reason: expect.stringMatching(
				/gst-launch-1\.0 was not found.*\/opt\/gst\/gst-launch-1\.0.*apt-get install gstreamer1\.0-tools/,
			),
			retryable: false,
		});
	});

	it('summarises the element message and its debug text, not the file/line noise', () => {
		expect(gstErrorSummary(exit(SAMPLES.unauthorized).stderr)).toBe(
			'Unauthorized (Unauthorized (401))',
		);
		expect(gstErrorSummary(exit(SAMPLES.noElement).stderr)).toBe(SAMPLES.noElement);
		expect(gstErrorSummary([])).toBeUndefined();
	});
});

describe('RtspSource GStreamer arguments', () => {
	const src = new RtspSource({
		url: 'rtsp://cam:554/live?ch=1',
		width: 640,
		height: 360,
		fps: 5,
		stallTimeoutMs: 4000,
	});
	const args = src.gstreamerArgs();

	it('quotes the location for gst-launch and never carries a login', () => {
		expect(args).toContain('location="rtsp://cam:554/live?ch=1"');
		const withLogin = new RtspSource({
			url: 'rtsp://old:x@cam:554/live',
			username: 'ad"min',
			password: 'p a!s,s\\',
			width: 640,
			height: 360,
			fps: 5,
		})
			.gstreamerArgs()
			.join(' ');
		expect(withLogin).not.toMatch(/user-id|user-pw|old:x|p a!s/);
	});

	it('reads over TCP with socket timeouts in µs and no jitter-buffer delay', () => {
		expect(args.slice(0, 2)).toEqual(['-q', 'rtspsrc']);
		expect(args).toEqual(
			expect.arrayContaining([
				'protocols=tcp',
				'latency=0',
				'tcp-timeout=4000000',
				'timeout=4000000',
			]),
		);
		const udp = new RtspSource({
			url: 'rtsp://cam/x',
			width: 640,
			height: 360,
			fps: 5,
			transport: 'udp',
		}).gstreamerArgs();
		expect(udp).toContain('protocols=udp');
		expect(udp).toContain('tcp-timeout=10000000');
	});

	it('decodes only the video track, drops what the rate cannot use, and letterboxes to square-pixel I420 on fd 3', () => {
		const pipeline = args.join(' ');
		expect(pipeline).toContain(
			'! application/x-rtp,media=video ! decodebin ! videorate drop-only=true max-rate=5 ! videoconvert ! videoscale ! video/x-raw,format=I420,width=640,height=360,pixel-aspect-ratio=1/1 ! fdsink fd=3 sync=false',
		);
		// No framerate caps: a converting videorate would hold each frame until the next arrives.
		expect(pipeline).not.toMatch(/framerate/);
		// max-rate is whole frames per second: a fractional rate rounds up, FramePacer keeps the exact one.
		expect(
			new RtspSource({ url: 'rtsp://cam/x', width: 640, height: 360, fps: 0.5 }).gstreamerArgs(),
		).toContain('max-rate=1');
	});

	it('quotes only what needs it', () => {
		expect(gstQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
		expect(gstQuote('')).toBe('""');
	});
});

describe('GStreamer detection', () => {
	beforeEach(() => clearGstreamerCache());

	const probeWith = (
		answers: Record<string, number | 'missing' | 'failed'>,
	): Probe & { calls: string[] } => {
		const calls: string[] = [];
		const probe = async (command: string, args: string[]) => {
			const key = args[0] === '--version' ? command : args[1];
			calls.push(key);
			return answers[key] ?? 0;
		};
		return Object.assign(probe, { calls });
	};

	it('is usable when gst-launch and every element answer', async () => {
		const probe = probeWith({});
		expect(await checkGstreamer('gst-launch-1.0', probe)).toEqual({ usable: true });
		expect(probe.calls.sort()).toEqual([
			'avdec_h264',
			'decodebin',
			'fdsink',
			'gst-launch-1.0',
			'rtspsrc',
			'videoconvert',
			'videorate',
			'videoscale',
		]);
	});

	it('lists missing elements, a missing gst-launch, and a check that timed out', async () => {
		expect(
			await checkGstreamer('gst-launch-1.0', probeWith({ avdec_h264: 1, rtspsrc: 1 })),
		).toEqual({ usable: false, missing: ['rtspsrc', 'avdec_h264'] });
		expect(
			await checkGstreamer('gst-launch-1.0', probeWith({ 'gst-launch-1.0': 'missing' })),
		).toEqual({ usable: false, missing: ['gst-launch-1.0'] });
		expect(
			await checkGstreamer('gst-launch-1.0', probeWith({ decodebin: 'failed' })),
		).toMatchObject({ usable: false, missing: [], undetermined: expect.any(String) });
	});

	it('looks for gst-inspect-1.0 next to a given gst-launch-1.0', () => {
		expect(inspectPathFor('/opt/gst/bin/gst-launch-1.0')).toBe('/opt/gst/bin/gst-inspect-1.0');
		expect(inspectPathFor('gst-launch-1.0')).toBe('gst-inspect-1.0');
	});

	it('caches the answer per binary', async () => {
		const probe = probeWith({});
		await Promise.all([
			detectGstreamer('gst-launch-1.0', probe),
			detectGstreamer('gst-launch-1.0', probe),
		]);
		await detectGstreamer('gst-launch-1.0', probe);
		expect(probe.calls.length).toBe(GST_ELEMENTS.length + 1);
	});
});

describe('chooseRtspReader', () => {
	const usable = async () => ({ usable: true as const });
	const noLibav = async () => ({ usable: false as const, missing: ['avdec_h264'] });
	const timedOut = async () => ({
		usable: false as const,
		missing: [],
		undetermined: 'did not answer in time',
	});

	it('auto: GStreamer when usable, else ffmpeg with the packages that are missing', async () => {
		expect(await chooseRtspReader('auto', 'gst-launch-1.0', usable)).toEqual({
			reader: 'gstreamer',
			why: expect.stringMatching(/^auto: GStreamer is installed/),
		});
		const fallback = await chooseRtspReader('auto', 'gst-launch-1.0', noLibav);
		expect(fallback.reader).toBe('ffmpeg');
		expect(fallback.why).toMatch(
			/^auto: GStreamer is missing avdec_h264 \(package gstreamer1\.0-libav\): install it with "apt-get install gstreamer1\.0-libav" \(GStreamer lowers camera latency\)$/,
		);
		expect((await chooseRtspReader('auto', 'gst-launch-1.0', timedOut)).reader).toBe('ffmpeg');
	});

	it('an explicit GStreamer that lacks parts is an error naming the package; an explicit ffmpeg never checks', async () => {
		await expect(chooseRtspReader('gstreamer', 'gst-launch-1.0', noLibav)).rejects.toThrow(
			/apt-get install gstreamer1\.0-libav", or set the camera reader to ffmpeg/,
		);
		expect((await chooseRtspReader('gstreamer', 'gst-launch-1.0', timedOut)).reader).toBe(
			'gstreamer',
		);
		const detect = jest.fn(usable);
		expect(await chooseRtspReader('ffmpeg', 'gst-launch-1.0', detect)).toEqual({
			reader: 'ffmpeg',
			why: 'set in the options',
		});
		expect(detect).not.toHaveBeenCalled();
	});
});

describe('RtspSource reader choice', () => {
	function run(opts: Partial<ConstructorParameters<typeof RtspSource>[0]>) {
		const logs: string[] = [];
		const logger: WatchLogger = {
			debug: () => undefined,
			info: (m) => logs.push(m),
			warn: (m) => logs.push(m),
			error: (m, meta) => logs.push(`${m} ${JSON.stringify(meta)}`),
		};
		const fatals: Error[] = [];
		const statuses: SourceStatus[] = [];
		const sink: FrameSink = {
			frame: () => undefined,
			status: (s) => statuses.push(s),
			fatal: (e) => fatals.push(e),
		};
		const src = new RtspSource({
			url: 'rtsp://cam/x',
			width: 160,
			height: 120,
			fps: 5,
			logger,
			ffmpegPath: '/nonexistent/ffmpeg',
			gstLaunchPath: '/nonexistent/gst-launch-1.0',
			...opts,
		});
		src.start(sink);
		const until = async () => {
			for (let i = 0; i < 250 && !fatals.length; i++) await new Promise((r) => setTimeout(r, 20));
			await src.stop();
			return { logs, fatals, statuses, src };
		};
		return until();
	}

	it('logs the auto fallback to ffmpeg with its reason', async () => {
		const { logs, fatals, src } = await run({
			detectGstreamer: async () => ({ usable: false, missing: ['rtspsrc'] }),
		});
		expect(src.reader).toBe('ffmpeg');
		expect(logs[0]).toMatch(
			/^Camera reader: ffmpeg \(auto: GStreamer is missing rtspsrc \(package gstreamer1\.0-plugins-good\)/,
		);
		expect(fatals[0].message).toMatch(/ffmpeg was not found/);
	});

	it('logs GStreamer when auto finds it, and reports a missing gst-launch-1.0 with its package', async () => {
		const { logs, fatals, src } = await run({ detectGstreamer: async () => ({ usable: true }) });
		expect(src.reader).toBe('gstreamer');
		expect(logs[0]).toMatch(/^Camera reader: GStreamer \(auto: /);
		expect(fatals[0].message).toMatch(
			/^Camera rtsp:\/\/cam\/x: gst-launch-1\.0 was not found.*gstreamer1\.0-tools/,
		);
	});

	it('an explicit GStreamer without its plug-ins is fatal before anything is spawned', async () => {
		const { fatals } = await run({
			reader: 'gstreamer',
			detectGstreamer: async () => ({ usable: false, missing: ['avdec_h264', 'videoscale'] }),
		});
		expect(fatals[0].message).toMatch(
			/GStreamer is missing avdec_h264 \(package gstreamer1\.0-libav\); videoscale \(package gstreamer1\.0-plugins-base\): install it with "apt-get install gstreamer1\.0-libav gstreamer1\.0-plugins-base"/,
		);
	});

	it('rejects an unknown reader at construction', () => {
		expect(
			() =>
				new RtspSource({
					url: 'rtsp://cam/x',
					width: 160,
					height: 120,
					fps: 5,
					reader: 'vlc' as never,
				}),
		).toThrow(/camera reader must be one of auto, gstreamer, ffmpeg/);
	});
});
