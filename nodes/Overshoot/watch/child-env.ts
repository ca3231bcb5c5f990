// The environment of every program the package starts (the publisher process, ffmpeg,
// gst-launch-1.0, gst-inspect-1.0): an allow-list, never n8n's whole environment, which holds
// N8N_ENCRYPTION_KEY, database passwords and API tokens. A child's environment is readable only
// by its own user (/proc/<pid>/environ is mode 0400), but a program that logs or crashes with its
// environment must have nothing of n8n's to give away.

import { HEAP_REPORT_ENV } from './heap-report';

/** Enough to run, find libraries and plugins, and reach the network; none of n8n's secrets. */
const INHERITED_ENV = [
	'PATH',
	'HOME',
	'TMPDIR',
	'LANG',
	'LC_ALL',
	'TZ',
	'NODE_ENV',
	'LD_LIBRARY_PATH',
	'XDG_CACHE_HOME',
	'XDG_RUNTIME_DIR',
	'SSL_CERT_FILE',
	'SSL_CERT_DIR',
	'HTTP_PROXY',
	'HTTPS_PROXY',
	'NO_PROXY',
	'http_proxy',
	'https_proxy',
	'no_proxy',
	'MALLOC_ARENA_MAX',
	'LK_LOG_LEVEL',
	// Opt-in memory diagnostics of the publisher process.
	HEAP_REPORT_ENV,
	// GStreamer's plugin lookup and registry cache (without them every start rescans the plugins).
	'GST_PLUGIN_PATH',
	'GST_PLUGIN_PATH_1_0',
	'GST_PLUGIN_SYSTEM_PATH',
	'GST_PLUGIN_SYSTEM_PATH_1_0',
	'GST_PLUGIN_SCANNER',
	'GST_REGISTRY',
	'GST_REGISTRY_1_0',
	// Which decoder GStreamer prefers (e.g. a hardware one), as the administrator chose.
	'GST_PLUGIN_FEATURE_RANK',
];

/**
 * The allow-listed variables of this process plus `extra` (`undefined` removes one).
 * `from` is for tests.
 */
export function childEnv(
	extra: Record<string, string | undefined> = {},
	from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const name of INHERITED_ENV) if (from[name] !== undefined) env[name] = from[name];
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined) delete env[name];
		else env[name] = value;
	}
	return env;
}
