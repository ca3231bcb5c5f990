// The project's GStreamer test camera (harness/rtsp-server.py), started for a benchmark.
// Frame n leaves the camera at epochMs + n * 1000 / fps (the server's drift-free clock), which is
// the "glass" time glass_to_room measures from.
import path from 'node:path';
import { freePort, startProcess } from '../../harness/processes';
import { SYSTEM_PYTHON } from '../../harness/paths';
import { ROOT } from './root';

export interface Camera {
	url: string;
	width: number;
	height: number;
	fps: number;
	epochMs: number;
	pid: number;
	/** Wall-clock ms at which frame `n` was pushed by the camera. */
	frameTimeMs(n: number): number;
	setColor(hex: string): void;
	/**
	 * When the scene last turned `hex` on the camera: the first frame that shows it left at this
	 * wall-clock ms (rtsp-server.py prints that frame's number); undefined until it did.
	 */
	sceneChangedAtMs(hex: string, afterMs?: number): number | undefined;
	stop(): Promise<void>;
}

export async function startCamera(opts: {
	width: number;
	height: number;
	fps: number;
	stamp?: boolean;
	color?: string;
}): Promise<Camera> {
	const port = await freePort();
	const script = path.join(ROOT, 'harness', 'rtsp-server.py');
	const args = [
		script,
		'--port',
		String(port),
		'--width',
		String(opts.width),
		'--height',
		String(opts.height),
		'--fps',
		String(opts.fps),
	];
	if (opts.stamp) args.push('--stamp');
	if (opts.color) args.push('--color', opts.color);
	// stdin stays open: the server exits on EOF, so it never outlives the harness.
	const started = await startProcess(SYSTEM_PYTHON, args, {
		ready: /^ready$/m,
		timeoutMs: 20_000,
		name: 'rtsp-server',
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const epochMs = Number(/^epoch (\d+)$/m.exec(started.output())?.[1]);
	return {
		url: `rtsp://127.0.0.1:${port}/cam`,
		...opts,
		epochMs,
		pid: started.proc.pid!,
		frameTimeMs: (n) => epochMs + (n * 1000) / opts.fps,
		setColor: (hex) => started.proc.stdin?.write(`color ${hex}\n`),
		sceneChangedAtMs: (hex, afterMs = 0) => {
			const times = [...started.output().matchAll(/^scene ([0-9a-f]{6}) (\d+)$/gm)]
				.filter((m) => m[1] === hex.toLowerCase())
				.map((m) => epochMs + (Number(m[2]) * 1000) / opts.fps)
				.filter((t) => t >= afterMs);
			return times.at(-1);
		},
		stop: async () => {
			started.proc.stdin?.end();
			await started.stop();
		},
	};
}
