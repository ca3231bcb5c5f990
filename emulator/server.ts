// startEmulator(): an Overshoot-compatible HTTP server on 127.0.0.1 for tests, the demo and
// benchmarks. This file is routing only: auth, faults and latency happen here once for every
// route, the work happens in core.ts / chat.ts / control.ts. See README.md for the full API.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleChat, writeSse } from './chat';
import { EmulatorControl, type PushSpec } from './control';
import { EmulatorCore } from './core';
import { chatError, detailError, HttpError, validationError, type ApiVersion } from './errors';
import { defaultFaultBody, type FaultSpec } from './faults';
import { json, parseJson, readBody, sendReply, type Reply } from './http';
import { DEFAULT_MODELS, listModels } from './models';
import { resolveOptions, type EmulatorOptions } from './options';

export type { EmulatorOptions } from './options';
export type { EmulatorState, PushSpec, StreamState } from './control';
export type { FaultSpec } from './faults';
export type { ChatRecord } from './chat';
export type { EmulatorModel } from './models';

export interface Emulator {
	/** http://127.0.0.1:PORT */
	url: string;
	/** url + '/v1' */
	baseUrl: string;
	port: number;
	control: EmulatorControl;
	/** Ends all streams (leaves and deletes rooms, kills ffmpeg), then stops listening. Idempotent. */
	close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Special return value: the handler already wrote the response (SSE). */
const STREAMED = Symbol('streamed');
type Outcome = Reply | typeof STREAMED;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const opts = resolveOptions(options, DEFAULT_MODELS);
	const core = new EmulatorCore(opts);
	const control = new EmulatorControl(core);
	let url = '';

	async function jsonBody(req: IncomingMessage, onBad: () => HttpError): Promise<unknown> {
		const raw = await readBody(req);
		try {
			return parseJson(raw);
		} catch {
			throw onBad();
		}
	}

	/** Region check (v1beta only): a request naming another region gets 409 region_error. */
	function regionHeaders(req: IncomingMessage, version: ApiVersion): Record<string, string> {
		if (version !== 'v1beta') return {};
		const asked = req.headers['x-overshoot-region'];
		if (typeof asked === 'string' && asked !== '' && asked !== opts.region) {
			throw new HttpError(409, {
				detail: { error: 'region_error', expected_region: opts.region, requested_region: asked },
			});
		}
		return { 'x-overshoot-region': opts.region };
	}

	async function versioned(
		req: IncomingMessage,
		res: ServerResponse,
		version: ApiVersion,
		sub: string,
		method: string,
	): Promise<Outcome> {
		if (sub === '/models') {
			if (method !== 'GET') throw detailError(405, 'Method Not Allowed');
			return json(200, listModels(core.models, version));
		}
		if (sub === '/chat/completions') {
			if (method !== 'POST') throw detailError(405, 'Method Not Allowed');
			const key = core.auth(req);
			const region = regionHeaders(req, version);
			const body = await jsonBody(req, () =>
				validationError([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]),
			);
			try {
				const result = await handleChat(
					body,
					key,
					version,
					core.chatContext(version),
					core.chatRecords,
				);
				result.headers = { ...result.headers, ...region };
				// Stamped here, not on 'finish' (which fires a loop turn after the client may already
				// have read it): the reply is written right after this without any I/O in between.
				result.record.respondedAtMs = Date.now();
				if (result.stream) {
					writeSse(res, result);
					return STREAMED;
				}
				return json(200, result.response, result.headers);
			} catch (error) {
				if (error instanceof HttpError)
					throw new HttpError(error.status, error.body, { ...error.headers, ...region });
				throw error;
			}
		}
		if (sub === '/streams') {
			if (method !== 'POST') throw detailError(405, 'Method Not Allowed');
			const key = core.auth(req);
			const region = regionHeaders(req, version);
			const body = await jsonBody(req, () =>
				detailError(422, 'Request body must be empty or a JSON object'),
			);
			const reply = await core.createStream(key, body, version);
			return { ...reply, headers: { ...reply.headers, ...region } };
		}
		const m = /^\/streams\/([^/]+)(\/keepalive|\/viewer-token)?$/.exec(sub);
		if (m) {
			const id = decodeURIComponent(m[1]);
			const action = m[2];
			const allowed = action ? 'POST' : method === 'DELETE' ? 'DELETE' : 'GET';
			if (method !== allowed) throw detailError(405, 'Method Not Allowed');
			const key = core.auth(req);
			const region = regionHeaders(req, version);
			await readBody(req); // keepalive/delete take no body; drain whatever was sent
			let reply: Reply;
			if (action === '/keepalive') reply = await core.keepalive(key, id);
			else if (action === '/viewer-token') reply = await core.viewerToken(key, id);
			else if (method === 'DELETE') reply = await core.deleteStream(key, id);
			else reply = core.getStream(key, id, version);
			return { ...reply, headers: { ...reply.headers, ...region } };
		}
		throw detailError(404, 'Not Found');
	}

	async function billing(req: IncomingMessage, sub: string, method: string): Promise<Reply> {
		if (sub === '/pricing' && method === 'GET') return core.pricingList();
		if (sub.startsWith('/pricing/') && method === 'GET')
			return core.pricingFor(decodeURIComponent(sub.slice('/pricing/'.length)));
		if (sub === '/accounts/me/balance' && method === 'GET')
			return core.balanceReply(core.auth(req));
		if (sub === '/checkout' && method === 'POST') {
			core.auth(req);
			const body = await jsonBody(req, () =>
				validationError([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]),
			);
			return core.checkout(body, url);
		}
		throw detailError(404, 'Not Found');
	}

	async function controlRoute(req: IncomingMessage, sub: string, method: string): Promise<Reply> {
		const body = async () => jsonBody(req, () => detailError(422, 'Body must be JSON'));
		if (sub === '/state' && method === 'GET') return json(200, await control.state());
		if (sub === '/chat-calls' && method === 'GET') return json(200, control.chatCalls());
		if (sub === '/requests' && method === 'GET') return json(200, control.requests());
		if (sub === '/faults' && method === 'POST') {
			const spec = (await body()) as FaultSpec;
			try {
				control.inject(spec ?? {});
			} catch (error) {
				throw detailError(422, (error as Error).message);
			}
			return json(200, { pending: core.faults.pending() });
		}
		if (sub === '/faults' && method === 'DELETE') {
			control.clearFaults();
			return json(200, { pending: 0 });
		}
		if (sub === '/model-latency' && method === 'POST') {
			const b = ((await body()) ?? {}) as { ms?: number };
			control.setModelLatency(Number(b.ms ?? 0));
			return json(200, { ok: true });
		}
		if (sub === '/latency' && method === 'POST') {
			const b = ((await body()) ?? {}) as { ms?: number; method?: string; path?: string };
			control.setLatency(Number(b.ms ?? 0), { method: b.method, path: b.path });
			return json(200, { ok: true });
		}
		if (sub === '/model-status' && method === 'POST') {
			const b = ((await body()) ?? {}) as { id?: string; status?: string };
			control.setModelStatus(String(b.id), String(b.status ?? 'ready'));
			return json(200, { ok: true });
		}
		if (sub === '/reset' && method === 'POST') {
			await control.reset();
			return json(200, { ok: true });
		}
		const m = /^\/streams\/([^/]+)\/(frames|expire)$/.exec(sub);
		if (m && method === 'POST') {
			const id = decodeURIComponent(m[1]);
			if (m[2] === 'expire') {
				await control.expire(id);
				return json(200, { ok: true });
			}
			const type = String(req.headers['content-type'] ?? '');
			if (/json/i.test(type))
				return json(200, await control.pushFrames(id, ((await body()) ?? {}) as PushSpec));
			const count = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('count') ?? 1);
			return json(200, await control.pushFrames(id, { image: await readBody(req), count }));
		}
		throw detailError(404, 'Not Found');
	}

	async function dispatch(
		req: IncomingMessage,
		res: ServerResponse,
		path: string,
		method: string,
	): Promise<Outcome> {
		if (path === '/healthz' || path === '/readyz') return json(200, {});
		if (path === '/models') {
			if (method !== 'GET') throw detailError(405, 'Method Not Allowed');
			return json(200, listModels(core.models, 'v1'));
		}
		if (path.startsWith('/billing/')) return billing(req, path.slice('/billing'.length), method);
		const v = /^\/(v1|v1beta)(\/.*)$/.exec(path);
		if (v) return versioned(req, res, v[1] as ApiVersion, v[2], method);
		throw detailError(404, 'Not Found');
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/(.)\/+$/, '$1');
		let status = 0;
		try {
			if (path.startsWith('/_emulator/')) {
				let reply: Reply;
				try {
					reply = await controlRoute(req, path.slice('/_emulator'.length), method);
				} catch (error) {
					if (!(error instanceof HttpError)) throw error;
					reply = { status: error.status, body: error.body, headers: error.headers };
				}
				status = reply.status;
				return sendReply(res, reply);
			}
			const latency = core.faults.latencyFor(method, path);
			if (latency > 0) await sleep(latency);
			const fault = core.faults.take(method, path);
			if (fault) {
				if (fault.delayMs) await sleep(fault.delayMs);
				if (fault.drop === 'before') {
					status = -1;
					req.socket.destroy();
					return;
				}
				if (fault.drop !== 'after') {
					status = fault.status ?? 503;
					const headers: Record<string, string> = { ...(fault.headers ?? {}) };
					if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
					const body = fault.body === undefined ? defaultFaultBody(status, path) : fault.body;
					await readBody(req).catch(() => undefined);
					return sendReply(
						res,
						typeof body === 'string' ? { status, raw: body, headers } : { status, body, headers },
					);
				}
			}
			let outcome: Outcome;
			try {
				outcome = await dispatch(req, res, path, method);
			} catch (error) {
				if (!(error instanceof HttpError)) throw error;
				outcome = { status: error.status, body: error.body, headers: error.headers };
			}
			if (fault?.drop === 'after') {
				// The work is done (stream created, call billed) but the client never hears back.
				status = -2;
				req.socket.destroy();
				return;
			}
			if (outcome === STREAMED) {
				status = 200;
				return;
			}
			status = outcome.status;
			sendReply(res, outcome);
		} catch (error) {
			status = 500;
			opts.log(`internal error on ${method} ${path}: ${(error as Error).stack ?? error}`);
			const body = /\/chat\/completions$/.test(path)
				? (chatError(500, 'internal_error', 'internal_error', 'Internal error').body as object)
				: { detail: 'Internal error' };
			sendReply(res, { status: 500, body });
		} finally {
			if (!path.startsWith('/_emulator/'))
				core.requestLog.push({ method, path, status, atMs: Date.now() });
			opts.log(
				`${method} ${path} -> ${status === -1 ? 'dropped' : status === -2 ? 'dropped after handling' : status}`,
			);
		}
	}

	const server = http.createServer((req, res) => void handle(req, res));
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	url = `http://127.0.0.1:${port}`;
	let closing: Promise<void> | undefined;
	return {
		url,
		baseUrl: `${url}/v1`,
		port,
		control,
		close: () =>
			(closing ??= (async () => {
				await core.streams.clear();
				core.faults.clear();
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				});
			})()),
	};
}
