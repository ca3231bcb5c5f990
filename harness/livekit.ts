// A real livekit-server (v1.13.5) on loopback, on ports of its own, so a test may restart it.
import { freePort, startProcess, type Started } from './processes';
import { LIVEKIT_BIN } from './paths';

export const LIVEKIT_API_KEY = 'devkey';
export const LIVEKIT_API_SECRET = 'secret-secret-secret-secret-secret';

export interface LivekitServer {
	url: string;
	apiKey: string;
	apiSecret: string;
	port: number;
	stop(): Promise<void>;
	/** Stops and starts the server again on the same ports (for recovery tests). */
	restart(): Promise<void>;
}

/** livekit-server's config for one set of ports (signal, ICE/TCP, ICE/UDP). */
function configFor(port: number, tcpPort: number, udpPort: number): string {
	return [
		`port: ${port}`,
		'bind_addresses: ["127.0.0.1"]',
		'rtc:',
		`  tcp_port: ${tcpPort}`,
		`  udp_port: ${udpPort}`,
		'  use_external_ip: false',
		'  node_ip: 127.0.0.1',
		'  enable_loopback_candidate: true',
		'logging:',
		'  level: warn',
		`keys:`,
		`  ${LIVEKIT_API_KEY}: ${LIVEKIT_API_SECRET}`,
	].join('\n');
}

async function launch(port: number, config: string): Promise<Started> {
	const started = await startProcess(LIVEKIT_BIN, ['--dev', '--config-body', config], {
		port,
		timeoutMs: 30_000,
		name: 'livekit-server',
	});
	// Something else may have been listening on the signal port: make sure it is really ours,
	// still running after it had time to bind the others.
	await new Promise((r) => setTimeout(r, 300));
	if (started.proc.exitCode !== null || started.proc.signalCode !== null) {
		throw new Error(`livekit-server exited right after start:\n${started.output().slice(-2000)}`);
	}
	return started;
}

export async function startLivekit(): Promise<LivekitServer> {
	// Free ports are picked, then bound by livekit-server a moment later: another process (or a
	// UDP port that was only free for TCP) can take one in between, so retry with new ones.
	let lastError: unknown;
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = await freePort();
		const config = configFor(port, await freePort(), await freePort());
		let current: Started;
		try {
			current = await launch(port, config);
		} catch (error) {
			lastError = error;
			if (/address already in use/.test(String(error))) continue;
			throw error;
		}
		return {
			url: `ws://127.0.0.1:${port}`,
			apiKey: LIVEKIT_API_KEY,
			apiSecret: LIVEKIT_API_SECRET,
			port,
			stop: () => current.stop(),
			restart: async () => {
				await current.stop();
				current = await launch(port, config);
			},
		};
	}
	throw lastError;
}
