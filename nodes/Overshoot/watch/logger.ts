// The engine logs through this tiny interface so it stays free of n8n: the trigger adapts n8n's
// logger to it, tests pass `silentLogger` or a recording one. Messages never contain credentials.

export type LogMeta = Record<string, unknown>;

export interface WatchLogger {
	debug(message: string, meta?: LogMeta): void;
	info(message: string, meta?: LogMeta): void;
	warn(message: string, meta?: LogMeta): void;
	error(message: string, meta?: LogMeta): void;
}

const ignore = () => undefined;

export const silentLogger: WatchLogger = {
	debug: ignore,
	info: ignore,
	warn: ignore,
	error: ignore,
};
