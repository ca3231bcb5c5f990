// v1beta server-pulled sources: Debian ffmpeg pulls an RTSP or HLS URL and writes small raw RGBA
// frames to stdout. The URL may hold a password, so it is only ever passed to ffmpeg's argv: it is
// never logged, echoed, or put in an error message (ffmpeg's stderr, which quotes it, is parsed
// for the frame size and otherwise discarded).

import { spawn, type ChildProcess } from 'node:child_process';
import dns from 'node:dns/promises';
import net from 'node:net';
import { detailError } from './errors';
import { MAX_FRAME_WIDTH } from './frames';
import type { Ingest } from './streams';

export interface CameraSourceSpec {
	type: 'rtsp' | 'hls';
	url: string;
}

export interface FfmpegIngestOptions {
	ffmpegPath: string;
	/** Frames per second pulled from the source. */
	fps: number;
	/** How long create waits for the source to open before 422 (the docs: ~15 s of retries). */
	openTimeoutMs: number;
	log: (line: string) => void;
}

/** Validates `source` (§2.2): type, scheme match. Throws 422 `{detail}`. */
export function validateSource(raw: unknown): CameraSourceSpec {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw))
		throw detailError(422, 'source must be an object {type, url}');
	const s = raw as Record<string, unknown>;
	if (s.type !== 'rtsp' && s.type !== 'hls')
		throw detailError(422, "source.type must be 'rtsp' or 'hls'");
	if (typeof s.url !== 'string' || s.url === '')
		throw detailError(422, 'source.url must be a non-empty string');
	let parsed: URL;
	try {
		parsed = new URL(s.url);
	} catch {
		throw detailError(422, 'source.url is not a valid URL');
	}
	const scheme = parsed.protocol.replace(':', '').toLowerCase();
	const ok =
		s.type === 'rtsp'
			? scheme === 'rtsp' || scheme === 'rtsps'
			: scheme === 'http' || scheme === 'https';
	if (!ok) throw detailError(422, `source.url scheme does not match source.type '${s.type}'`);
	return { type: s.type, url: s.url };
}

/** Private, loopback, link-local, CGNAT, unspecified (v4 and v6, including v4-mapped). */
export function isPrivateAddress(ip: string): boolean {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	if (mapped) ip = mapped[1];
	if (net.isIPv4(ip)) {
		const [a, b] = ip.split('.').map(Number);
		return (
			a === 0 ||
			a === 10 ||
			a === 127 ||
			(a === 169 && b === 254) ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 100 && b >= 64 && b <= 127) ||
			a >= 224
		);
	}
	const v6 = ip.toLowerCase();
	return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
}

/** Refuses sources that resolve to a non-public address (422), unless private sources are allowed. */
export async function checkPublic(spec: CameraSourceSpec, allowPrivate: boolean): Promise<void> {
	if (allowPrivate) return;
	const host = new URL(spec.url).hostname.replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost'))
		throw detailError(422, 'source.url must resolve to a public address');
	let addrs: string[];
	if (net.isIP(host)) addrs = [host];
	else {
		try {
			addrs = (await dns.lookup(host, { all: true })).map((a) => a.address);
		} catch {
			throw detailError(422, 'Could not connect to the source: its host name does not resolve');
		}
	}
	if (addrs.some(isPrivateAddress))
		throw detailError(422, 'source.url must resolve to a public address');
}

export type RawFrameSink = (rgba: Uint8Array, width: number, height: number) => void;

const SIZE_RE = /Output #0[\s\S]*?Video: rawvideo[^\n]*?, (\d+)x(\d+)/;

export class FfmpegIngest implements Ingest {
	private proc?: ChildProcess;
	private stopped = false;
	private restartTimer?: NodeJS.Timeout;
	private backoffMs = 1000;
	private cleanEnds = 0;
	private startedAtMs = 0;
	private gotFrame = false;
	private openWaiters: Array<(err?: Error) => void> = [];
	private stopping?: Promise<void>;
	framesPulled = 0;
	ingestConnected = false;
	readonly publisherConnected = false;

	constructor(
		private readonly spec: CameraSourceSpec,
		private readonly sink: RawFrameSink,
		private readonly opts: FfmpegIngestOptions,
		/** The source ended cleanly twice in a row: the stream ends (§2.2 notes). */
		private readonly onSourceEnded: () => void,
	) {}

	private args(): string[] {
		const input =
			this.spec.type === 'rtsp' ? ['-rtsp_transport', 'tcp', '-timeout', '5000000'] : ['-re']; // -re: a static playlist plays like a live camera
		return [
			'-hide_banner',
			'-nostdin',
			'-nostats',
			'-loglevel',
			'info',
			...input,
			'-i',
			this.spec.url,
			'-an',
			'-vf',
			`fps=${this.opts.fps},scale='min(${MAX_FRAME_WIDTH},iw)':-2`,
			'-pix_fmt',
			'rgba',
			'-f',
			'rawvideo',
			'pipe:1',
		];
	}

	/** Resolves once the first frame arrived; rejects (422) if the source never opens in time. */
	async open(): Promise<void> {
		const deadline = Date.now() + this.opts.openTimeoutMs;
		const opened = new Promise<void>((resolve, reject) =>
			this.openWaiters.push((err) => (err ? reject(err) : resolve())),
		);
		this.spawnOnce();
		const timer = setTimeout(
			() => this.settleOpen(detailError(422, 'Could not connect to the source (timed out)')),
			Math.max(0, deadline - Date.now()),
		);
		try {
			await opened;
		} finally {
			clearTimeout(timer);
		}
	}

	private settleOpen(err?: Error): void {
		const waiters = this.openWaiters;
		this.openWaiters = [];
		for (const w of waiters) w(err);
	}

	private spawnOnce(): void {
		if (this.stopped) return;
		this.startedAtMs = Date.now();
		const proc = spawn(this.opts.ffmpegPath, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc = proc;
		let stderr = '';
		let size: { w: number; h: number } | undefined;
		let pending: Buffer[] = [];
		let pendingLen = 0;
		proc.stderr!.on('data', (chunk: Buffer) => {
			if (size) return;
			stderr += chunk.toString();
			const m = SIZE_RE.exec(stderr);
			if (m) {
				size = { w: Number(m[1]), h: Number(m[2]) };
				stderr = '';
				drain();
			} else if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
		});
		const drain = () => {
			if (!size) return;
			const frameLen = size.w * size.h * 4;
			while (pendingLen >= frameLen) {
				const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
				// Copy into a Uint8Array that owns its buffer (never a view into ffmpeg's chunk).
				const frame = new Uint8Array(frameLen);
				frame.set(all.subarray(0, frameLen));
				const rest = all.subarray(frameLen);
				pending = rest.length ? [rest] : [];
				pendingLen = rest.length;
				this.onFrame(frame, size.w, size.h);
			}
		};
		proc.stdout!.on('data', (chunk: Buffer) => {
			pending.push(chunk);
			pendingLen += chunk.length;
			drain();
		});
		proc.on('error', () => undefined); // spawn failure surfaces as 'exit'/'close'
		proc.on('close', (code) => this.onExit(code));
	}

	private onFrame(rgba: Uint8Array, w: number, h: number): void {
		this.framesPulled++;
		this.ingestConnected = true;
		this.backoffMs = 1000;
		if (!this.gotFrame) {
			this.gotFrame = true;
			this.settleOpen();
		}
		this.sink(rgba, w, h);
	}

	private onExit(code: number | null): void {
		this.ingestConnected = false;
		this.proc = undefined;
		if (this.stopped) return;
		if (!this.gotFrame) {
			// Still opening: retry until open()'s deadline settles it.
			if (this.openWaiters.length) this.restartTimer = setTimeout(() => this.spawnOnce(), 1000);
			return;
		}
		const ranMs = Date.now() - this.startedAtMs;
		if (code === 0) {
			// Ended cleanly: reconnect once; ending cleanly again right after ends the stream.
			this.cleanEnds = ranMs < 5000 ? this.cleanEnds + 1 : 1;
			if (this.cleanEnds >= 2) {
				this.opts.log('ffmpeg source ended');
				this.onSourceEnded();
				return;
			}
		}
		this.opts.log(`ffmpeg source dropped (exit ${code}); reconnecting in ${this.backoffMs} ms`);
		this.restartTimer = setTimeout(() => this.spawnOnce(), code === 0 ? 1000 : this.backoffMs);
		this.restartTimer.unref();
		if (code !== 0) this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
	}

	/** Kills ffmpeg (SIGTERM, then SIGKILL after 2 s). Idempotent; never rejects. */
	stop(): Promise<void> {
		this.stopping ??= (async () => {
			this.stopped = true;
			clearTimeout(this.restartTimer);
			this.settleOpen(detailError(422, 'Could not connect to the source (stopped)'));
			const proc = this.proc;
			if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
			await new Promise<void>((resolve) => {
				const kill = setTimeout(() => proc.kill('SIGKILL'), 2000);
				proc.once('exit', () => {
					clearTimeout(kill);
					resolve();
				});
				proc.kill('SIGTERM');
			});
		})();
		return this.stopping;
	}
}
