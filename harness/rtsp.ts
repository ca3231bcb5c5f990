// The test camera (rtsp-server.py, GStreamer) as a handle tests can recolour, freeze, kill and
// bring back on the same port.

import path from 'node:path';
import { freePort, killProcess, startProcess, type Started } from './processes';
import { REPO_ROOT, SYSTEM_PYTHON } from './paths';

export interface RtspServerOptions {
	width?: number;
	height?: number;
	fps?: number;
	username?: string;
	password?: string;
	/** rrggbb; default 808080. */
	color?: string;
	/** Draw the frame number as blocks across the top (see stamp.ts). */
	stamp?: boolean;
	/** Also serve an audio track, listed before the video. */
	audio?: boolean;
	mount?: string;
	port?: number;
	/** Serve the same encoded stream on this many mount points, `<mount>0` … (one encoder for all). */
	mounts?: number;
}

export interface RtspServer {
	/** rtsp://127.0.0.1:<port>/<mount>, without credentials (with `mounts`: the first of `urls`). */
	url: string;
	/** With `mounts`, one URL per mount point; else `[url]`. */
	urls: string[];
	port: number;
	/** Wall-clock ms of frame 0 of the current run; frame n is pushed at epochMs + n * 1000 / fps. */
	epochMs: number;
	frameTimeMs(n: number): number;
	pid(): number | undefined;
	/** Changes the scene colour; resolves once the server has taken it. */
	setColor(hex: string): Promise<void>;
	/** SIGSTOP: the TCP connection stays open but nothing more arrives. */
	freeze(): void;
	/** SIGCONT. */
	resume(): void;
	/** SIGKILL: the connection drops, as when a camera loses power. */
	kill(): Promise<void>;
	/** Starts it again on the same port (after kill/stop), with the last colour. */
	restart(): Promise<void>;
	stop(): Promise<void>;
	output(): string;
}

// From the source tree, also when this file runs compiled from .build/ (benchmarks, demo).
const SCRIPT = path.join(REPO_ROOT, 'harness', 'rtsp-server.py');

export async function startRtspServer(opts: RtspServerOptions = {}): Promise<RtspServer> {
	const port = opts.port ?? (await freePort());
	const mount = opts.mount ?? '/cam';
	const fps = opts.fps ?? 15;
	let color = opts.color ?? '808080';
	let current: Started | undefined;
	let frozen = false;
	let epochMs = 0;

	const launch = async () => {
		const args = [
			SCRIPT,
			'--port',
			String(port),
			'--mount',
			mount,
			'--width',
			String(opts.width ?? 320),
			'--height',
			String(opts.height ?? 240),
			'--fps',
			String(fps),
			'--color',
			color,
		];
		// The password goes in the environment, not on the command line (readable by every local user).
		if (opts.username !== undefined) args.push('--username', opts.username);
		if (opts.stamp) args.push('--stamp');
		if (opts.audio) args.push('--audio');
		if (opts.mounts) args.push('--mounts', String(opts.mounts));
		// stdin is a pipe: the server exits when it closes, so it cannot outlive this process.
		const env = { ...process.env, RTSP_SERVER_PASSWORD: opts.password ?? '' };
		current = await startProcess(SYSTEM_PYTHON, args, {
			stdio: ['pipe', 'pipe', 'pipe'],
			env,
			ready: /^ready$/m,
			timeoutMs: 20_000,
			name: 'rtsp-server.py',
		});
		frozen = false;
		epochMs = Number(/^epoch (\d+)$/m.exec(current.output())?.[1] ?? Date.now());
	};
	const halt = async (signal: 'SIGTERM' | 'SIGKILL') => {
		const proc = current?.proc;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
		if (frozen) proc.kill('SIGCONT');
		frozen = false;
		if (signal === 'SIGKILL') {
			const gone = new Promise((resolve) => proc.once('exit', resolve));
			proc.kill('SIGKILL');
			await gone;
		} else await killProcess(proc);
	};

	await launch();
	const urls = opts.mounts
		? Array.from({ length: opts.mounts }, (_, i) => `rtsp://127.0.0.1:${port}${mount}${i}`)
		: [`rtsp://127.0.0.1:${port}${mount}`];
	const server: RtspServer = {
		url: urls[0],
		urls,
		port,
		get epochMs() {
			return epochMs;
		},
		frameTimeMs: (n) => epochMs + (n * 1000) / fps,
		pid: () => current?.proc.pid,
		async setColor(hex) {
			const proc = current?.proc;
			if (!proc?.stdin) throw new Error('the RTSP server is not running');
			const echo = `color ${hex}`;
			const before = current!
				.output()
				.split('\n')
				.filter((l) => l === echo).length;
			proc.stdin.write(`${echo}\n`);
			const deadline = Date.now() + 5000;
			while (
				current!
					.output()
					.split('\n')
					.filter((l) => l === echo).length <= before
			) {
				if (Date.now() > deadline)
					throw new Error(
						`RTSP server did not take colour ${hex}:\n${current!.output().slice(-2000)}`,
					);
				await new Promise((r) => setTimeout(r, 20));
			}
			color = hex;
		},
		freeze() {
			current?.proc.kill('SIGSTOP');
			frozen = true;
		},
		resume() {
			current?.proc.kill('SIGCONT');
			frozen = false;
		},
		kill: () => halt('SIGKILL'),
		async restart() {
			await halt('SIGTERM');
			await launch();
		},
		stop: () => halt('SIGTERM'),
		output: () => current?.output() ?? '',
	};
	return server;
}
