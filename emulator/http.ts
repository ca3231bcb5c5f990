// Small node:http helpers: read a bounded body, write JSON. No framework on purpose: the emulator
// must stay a dependency-free, readable model of the contract.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { detailError } from './errors';

/** Large enough for a few base64 `data:` images in one chat request. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw detailError(413, 'Request body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** Parses a JSON body; `undefined` for an empty one. Throws a plain Error on bad JSON (callers choose the envelope). */
export function parseJson(body: Buffer): unknown {
	const text = body.toString('utf8').trim();
	if (text === '') return undefined;
	return JSON.parse(text);
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Raw bytes instead of JSON. */
	raw?: Buffer | string;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
	if (res.headersSent || res.destroyed) return;
	const headers: Record<string, string> = { ...(reply.headers ?? {}) };
	let payload: Buffer | string = '';
	if (reply.raw !== undefined) {
		payload = reply.raw;
	} else if (reply.body !== undefined) {
		payload = JSON.stringify(reply.body);
		headers['content-type'] ??= 'application/json';
	}
	headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
	status,
	body,
	headers,
});
