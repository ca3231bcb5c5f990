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

export async function startLivekit(): Promise<LivekitServer> {
	const port = await freePort();
	const tcpPort = await freePort();
	const udpPort = await freePort();
	const config = [
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
	let current: Started;
	const launch = async () => {
		current = await startProcess(LIVEKIT_BIN, ['--dev', '--config-body', config], {
			port,
			timeoutMs: 30_000,
			name: 'livekit-server',
		});
	};
	await launch();
	return {
		url: `ws://127.0.0.1:${port}`,
		apiKey: LIVEKIT_API_KEY,
		apiSecret: LIVEKIT_API_SECRET,
		port,
		stop: () => current.stop(),
		restart: async () => {
			await current.stop();
			await launch();
		},
	};
}
