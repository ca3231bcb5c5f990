// Parent <-> child messages for benchmark children (fork with IPC). A child runs one measured
// pipeline so its CPU and RSS are its own; it reports events and a final result, and stops on request.

export type ChildMessage =
	| { type: 'ready'; info?: Record<string, unknown> }
	| { type: 'event'; name: string; data: Record<string, unknown> }
	| { type: 'result'; data: Record<string, unknown> }
	| { type: 'error'; message: string };

export type ParentMessage =
	| { type: 'stop' }
	| { type: 'command'; name: string; data?: Record<string, unknown> };

export function send(msg: ChildMessage): void {
	process.send?.(msg);
}

/** Parses `--name value` arguments given to a child. */
export function childArgs(): Record<string, string> {
	const out: Record<string, string> = {};
	const a = process.argv.slice(2);
	for (let i = 0; i < a.length; i++) if (a[i].startsWith('--')) out[a[i].slice(2)] = a[i + 1] ?? '';
	return out;
}

/** Resolves when the parent asks the child to stop (or disconnects). */
export function stopRequested(): Promise<void> {
	return new Promise((resolve) => {
		process.on('message', (m: ParentMessage) => m.type === 'stop' && resolve());
		process.on('disconnect', () => resolve());
	});
}

export function onCommand(
	handler: (name: string, data: Record<string, unknown>) => void | Promise<void>,
): void {
	process.on('message', (m: ParentMessage) => {
		if (m.type === 'command') void handler(m.name, m.data ?? {});
	});
}

/** Runs a child's main; reports failure to the parent and exits non-zero. */
export function runChild(main: () => Promise<void>): void {
	main().then(
		() => process.exit(0),
		(error: Error) => {
			send({ type: 'error', message: error?.stack ?? String(error) });
			setTimeout(() => process.exit(1), 100);
		},
	);
}
