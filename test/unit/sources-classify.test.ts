import { Backoff } from '../../nodes/Overshoot/api/backoff';
import { classifyExit } from '../../nodes/Overshoot/watch/sources/classify';
import type { FfmpegExit } from '../../nodes/Overshoot/watch/sources/ffmpeg-process';
import { redact, redactUrlCredentials } from '../../nodes/Overshoot/api/redact';
import { buildRtspUrl } from '../../nodes/Overshoot/watch/sources/rtsp-url';
import { RtspSource } from '../../nodes/Overshoot/watch/sources/rtsp-source';
import { StderrTail } from '../../nodes/Overshoot/watch/sources/stderr-tail';

const exit = (
	stderr: string[],
	code: number | null = 1,
	extra: Partial<FfmpegExit> = {},
): FfmpegExit => ({
	code,
	signal: null,
	stderr,
	stoppedByUs: false,
	...extra,
});

describe('classifyExit (ffmpeg 5 messages)', () => {
	it.each([
		[
			[
				'[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized',
				'rtsp://***@h/cam: Server returned 401 Unauthorized (authorization failed)',
			],
			/username\/password.*401/,
			false,
		],
		[
			[
				'[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found',
				'rtsp://h/x: Server returned 404 Not Found',
			],
			/path not found/,
			false,
		],
		[['rtsp://127.0.0.1:1/cam: Connection refused'], /connection refused/, true],
		[['rtsp://10.0.0.9/cam: Connection timed out'], /timed out/, true],
		[['rtsp://h/cam: Invalid data found when processing input'], /invalid data/, true],
		[['rtsp://nohost/cam: Name or service not known'], /host name could not be resolved/, true],
		[['rtsp://10.9.9.9/cam: No route to host'], /unreachable/, true],
		[["Unrecognized option 'timeout'."], /ffmpeg 5 or newer/, false],
	])('rtsp: %j → %s (retryable %s)', (stderr, reason, retryable) => {
		const c = classifyExit(exit(stderr), 'rtsp', 'ffmpeg');
		expect(c.reason).toMatch(reason);
		expect(c.retryable).toBe(retryable);
	});

	it('treats a live stream that exits 0 as the camera ending the stream (retryable)', () => {
		expect(classifyExit(exit([], 0), 'rtsp', 'ffmpeg')).toEqual({
			reason: 'the camera ended the stream',
			retryable: true,
		});
	});

	it('makes a missing ffmpeg binary a clear fatal error', () => {
		const spawnError = Object.assign(new Error('spawn /nope ENOENT'), { code: 'ENOENT' });
		const c = classifyExit(exit([], null, { spawnError }), 'rtsp', '/nope/ffmpeg');
		expect(c.retryable).toBe(false);
		expect(c.reason).toMatch(
			/ffmpeg was not found.*\/nope\/ffmpeg.*apt-get install ffmpeg.*ffmpeg path/,
		);
	});

	it('makes file problems fatal', () => {
		expect(
			classifyExit(exit(['file:/x.mp4: No such file or directory']), 'file', 'ffmpeg'),
		).toEqual({ reason: 'file not found', retryable: false });
		expect(
			classifyExit(
				exit(['file:/x.mp4: Invalid data found when processing input']),
				'file',
				'ffmpeg',
			).retryable,
		).toBe(false);
		expect(classifyExit(exit(['something odd']), 'file', 'ffmpeg')).toEqual({
			reason: 'ffmpeg exited with code 1: something odd',
			retryable: false,
		});
	});

	it('falls back to the exit code and the last stderr line', () => {
		expect(classifyExit(exit(['a', 'b'], 8), 'rtsp', 'ffmpeg')).toEqual({
			reason: 'ffmpeg exited with code 8: b',
			retryable: true,
		});
		expect(classifyExit(exit([], null, { signal: 'SIGSEGV' }), 'rtsp', 'ffmpeg').reason).toBe(
			'ffmpeg was killed by SIGSEGV',
		);
	});
});

describe('redaction', () => {
	it('hides URL userinfo', () => {
		expect(redactUrlCredentials('rtsp://admin:s3cret@10.0.0.2:554/h264: Server returned 401')).toBe(
			'rtsp://***@10.0.0.2:554/h264: Server returned 401',
		);
		expect(redactUrlCredentials('rtsp://admin:@cam/x and rtsps://u%40x:p%2Fw@cam/y')).toBe(
			'rtsp://***@cam/x and rtsps://***@cam/y',
		);
		expect(redactUrlCredentials('rtsp://cam/path?a=b@c')).toBe('rtsp://cam/path?a=b@c');
	});

	it('also scrubs literal secrets, raw and percent-encoded', () => {
		expect(redact('password p@ss:w/rd or p%40ss%3Aw%2Frd', ['p@ss:w/rd'])).toBe(
			'password *** or ***',
		);
	});

	it('redacts every kept stderr line and keeps only the last N', () => {
		const tail = new StderrTail(3, (l) => redact(l));
		tail.push('line1\nrtsp://u:pw@h/x: 401\nline');
		tail.push('3\r\nline4\n\nline5');
		expect(tail.snapshot()).toEqual(['line3', 'line4', 'line5']);
		const t2 = new StderrTail(5, (l) => redact(l));
		t2.push('rtsp://u:pw@h/x: boom\n');
		expect(t2.snapshot()).toEqual(['rtsp://***@h/x: boom']);
	});
});

describe('buildRtspUrl', () => {
	it('injects encoded credentials only into the argv URL', () => {
		const t = buildRtspUrl('rtsp://cam.local:554/Streaming/101?x=1', 'ad min', 'p@ss:w/rd');
		expect(t.argvUrl).toBe('rtsp://ad%20min:p%40ss%3Aw%2Frd@cam.local:554/Streaming/101?x=1');
		expect(t.displayUrl).toBe('rtsp://cam.local:554/Streaming/101?x=1');
		expect(t.secrets).toContain('p@ss:w/rd');
	});

	it('keeps a blank password as user:@host (WHATWG URL would drop it)', () => {
		expect(buildRtspUrl('rtsp://cam/x', 'admin', '').argvUrl).toBe('rtsp://admin:@cam/x');
		expect(buildRtspUrl('rtsp://admin:@cam/x').argvUrl).toBe('rtsp://admin:@cam/x');
	});

	it('lets the credential win over userinfo in the URL, and never shows either', () => {
		const t = buildRtspUrl('rtsp://old:oldpw@cam/x', 'new', 'newpw');
		expect(t.argvUrl).toBe('rtsp://new:newpw@cam/x');
		expect(t.displayUrl).toBe('rtsp://cam/x');
		expect(buildRtspUrl('rtsp://u:pw@cam/x').displayUrl).toBe('rtsp://cam/x');
	});

	it('rejects URLs that are not rtsp', () => {
		expect(() => buildRtspUrl('http://cam/x')).toThrow(/rtsp:\/\//);
		expect(() => buildRtspUrl('not a url')).toThrow(/not a valid URL/);
	});
});

describe('Backoff', () => {
	it('doubles from the initial delay up to the cap, then resets', () => {
		const b = new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: 0 });
		expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next())).toEqual([
			1000, 2000, 4000, 8000, 16000, 30000, 30000,
		]);
		b.reset();
		expect(b.next()).toBe(1000);
	});

	it('spreads delays by the jitter fraction without exceeding the cap', () => {
		const low = new Backoff({ initialMs: 1000, jitter: 0.2 }, () => 0);
		const high = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2 }, () => 0.999);
		expect(low.next()).toBe(800);
		expect(high.next()).toBe(1000);
	});
});

describe('RtspSource argv', () => {
	it('a camera without a login: the URL on the command line, ffmpeg 5 timeout syntax and raw I420 output', () => {
		const src = new RtspSource({
			url: 'rtsp://cam:554/live',
			width: 640,
			height: 360,
			fps: 15,
			stallTimeoutMs: 4000,
		});
		const args = src.ffmpegArgs();
		expect(args.slice(0, 6)).toEqual([
			'-flags',
			'low_delay',
			'-rtsp_transport',
			'tcp',
			'-timeout',
			'4000000',
		]);
		expect(args).toEqual(
			expect.arrayContaining([
				'-fflags',
				'+genpts+discardcorrupt',
				'-an',
				'-pix_fmt',
				'yuv420p',
				'-f',
				'rawvideo',
				'pipe:1',
			]),
		);
		expect(args[args.indexOf('-i') + 1]).toBe('rtsp://cam:554/live');
		expect(src.ffmpegStdin()).toBeUndefined();
		// Live: no fps filter (it holds frames back); every frame passes and FramePacer picks them.
		expect(args[args.indexOf('-vf') + 1]).toBe(
			'scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2',
		);
		expect(args[args.indexOf('-fps_mode') + 1]).toBe('passthrough');
		expect(src.displayUrl).toBe('rtsp://cam:554/live');
	});

	it('a camera with a login: never on the command line, only in the concat list on stdin (with the RTSP options)', () => {
		const src = new RtspSource({
			url: "rtsp://cam:554/it's",
			username: 'admin',
			password: "pa ss'x",
			width: 640,
			height: 360,
			fps: 15,
			stallTimeoutMs: 4000,
		});
		const args = src.ffmpegArgs();
		expect(args.join(' ')).not.toMatch(/admin|pa ss|pa%20ss/);
		expect(args.slice(0, 12)).toEqual([
			'-flags',
			'low_delay',
			'-f',
			'concat',
			'-safe',
			'0',
			'-protocol_whitelist',
			'pipe,rtsp,rtsps,tcp,udp,rtp,srtp,tls,crypto',
			'-fflags',
			'+genpts+discardcorrupt',
			'-i',
			'pipe:0',
		]);
		expect(src.ffmpegStdin()).toBe(
			[
				'ffconcat version 1.0',
				"file 'rtsp://admin:pa%20ss'\\''x@cam:554/it'\\''s'",
				'option rtsp_transport tcp',
				'option timeout 4000000',
				'option fflags +genpts+discardcorrupt',
				'option fpsprobesize 0',
				'',
			].join('\n'),
		);
	});

	it('rejects odd sizes and impossible rates before starting anything', () => {
		expect(() => new RtspSource({ url: 'rtsp://cam/x', width: 641, height: 360, fps: 15 })).toThrow(
			/even/,
		);
		expect(() => new RtspSource({ url: 'rtsp://cam/x', width: 640, height: 360, fps: 0 })).toThrow(
			/fps/,
		);
	});
});
