// n8n's logger → the engine's WatchLogger. Every message and metadata string is redacted first:
// the engine already keeps credentials out, this is the second line of defence.

import type { Logger } from 'n8n-workflow';

import type { LogMeta, WatchLogger } from '../watch/logger';
import { redact } from '../api/redact';

function clean(meta: LogMeta | undefined, secrets: readonly string[], context: LogMeta): LogMeta {
	const out: LogMeta = { ...context };
	for (const [key, value] of Object.entries(meta ?? {})) {
		out[key] =
			typeof value === 'string'
				? redact(value, secrets)
				: value instanceof Error
					? redact(value.message, secrets)
					: value;
	}
	return out;
}

/** `context` (e.g. workflow id, node name) is added to every line so n8n's log says whose watcher spoke. */
export function watchLogger(
	logger: Logger,
	context: LogMeta,
	secrets: readonly string[] = [],
): WatchLogger {
	const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, meta?: LogMeta) =>
		logger[level](`Overshoot Trigger: ${redact(message, secrets)}`, clean(meta, secrets, context));
	return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
