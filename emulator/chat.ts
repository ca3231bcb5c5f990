// POST /chat/completions: validate the OpenAI-shaped body, resolve every media reference, analyse
// the pixels, and answer (JSON or SSE). Every call is recorded so tests can count paid calls.

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { analyse, type FramePixels } from './analysis';
import { analysisObject, answerText, fillSchema, parseQuestion } from './answer';
import {
	chatError,
	detailError,
	HttpError,
	MediaError,
	mediaErrorToHttp,
	validationError,
	type ApiVersion,
	type ValidationDetail,
} from './errors';
import { decodeDataUrl } from './image';
import { isOvsUrl, parseOvsUrl, resolveImage, resolveSegment } from './media-url';
import { RETIRED, supportsVideo, tokensPerFrame, type EmulatorModel } from './models';
import type { StreamStore } from './streams';

export interface ChatRecord {
	atMs: number;
	key: string;
	version: ApiVersion;
	model: string | null;
	/** Every image_url / video_url URL in request order (data: URLs shortened). */
	urls: string[];
	streamIds: string[];
	/** The last user message's text, first 200 characters (harnesses tell their askers apart by it). */
	question?: string;
	frames: number;
	status: number;
	/** Error code (nested envelope) or validation type, when the call failed. */
	error?: string;
	responseText: string | null;
	stream: boolean;
	usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	/** When a successful answer was about to be written to the socket (benchmarks time "answer sent" from it). */
	respondedAtMs?: number;
}

export interface ChatContext {
	streams: StreamStore;
	models: () => EmulatorModel[];
	changeThreshold: number;
	/** The model's thinking time, after the frames were resolved (options.ts modelLatencyMs). */
	modelLatencyMs: () => number;
	hasNoCredit: (key: string) => boolean;
	charge: (key: string, microcents: number) => void;
	threads: Set<string>;
	/** Throws 429 when the per-key limit is hit; returns rate-limit headers otherwise. */
	rateLimit: (key: string) => Record<string, string>;
}

export interface ChatResult {
	response: Record<string, unknown>;
	headers: Record<string, string>;
	stream: boolean;
	includeUsage: boolean;
	/** This call's record, for server.ts to stamp `respondedAtMs` as the response is written. */
	record: ChatRecord;
}

interface Part {
	type: string;
	url?: string;
	text?: string;
	loc: Array<string | number>;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

/** Shape-3 validation of the body; returns the flattened content parts. */
function validate(body: unknown): {
	model: string;
	parts: Part[];
	lastUserText: string;
	textChars: number;
} {
	const errs: ValidationDetail[] = [];
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw validationError([
			{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' },
		]);
	}
	const b = body as Record<string, unknown>;
	if (typeof b.model !== 'string' || b.model === '')
		errs.push({
			loc: ['body', 'model'],
			msg: 'Field required (non-empty string)',
			type: 'missing',
		});
	if (!Array.isArray(b.messages) || b.messages.length === 0) {
		errs.push({
			loc: ['body', 'messages'],
			msg: 'Field required (non-empty array)',
			type: 'missing',
		});
	}
	for (const k of ['max_tokens', 'max_completion_tokens', 'n'] as const) {
		const v = b[k];
		if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= 1)) {
			errs.push({ loc: ['body', k], msg: 'Input should be a positive integer', type: 'int_type' });
		}
	}
	if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') {
		errs.push({
			loc: ['body', 'stream'],
			msg: 'Input should be a valid boolean',
			type: 'bool_type',
		});
	}
	const parts: Part[] = [];
	let lastUserText = '';
	let textChars = 0;
	(Array.isArray(b.messages) ? b.messages : []).forEach((m: unknown, i: number) => {
		const loc = ['body', 'messages', i];
		if (!m || typeof m !== 'object') {
			errs.push({ loc, msg: 'Input should be a valid dictionary', type: 'dict_type' });
			return;
		}
		const msg = m as Record<string, unknown>;
		if (typeof msg.role !== 'string' || !ROLES.has(msg.role)) {
			errs.push({
				loc: [...loc, 'role'],
				msg: "Input should be 'system', 'user', 'assistant' or 'tool'",
				type: 'enum',
			});
		}
		const content = msg.content;
		let userText = '';
		if (typeof content === 'string') {
			userText = content;
			textChars += content.length;
		} else if (Array.isArray(content)) {
			content.forEach((p: unknown, j: number) => {
				const ploc = [...loc, 'content', j];
				const part = p as Record<string, unknown> | null;
				if (!part || typeof part !== 'object') {
					errs.push({ loc: ploc, msg: 'Input should be a valid dictionary', type: 'dict_type' });
				} else if (part.type === 'text') {
					if (typeof part.text !== 'string') {
						errs.push({ loc: [...ploc, 'text'], msg: 'Field required', type: 'missing' });
						return;
					}
					userText += (userText ? ' ' : '') + part.text;
					textChars += part.text.length;
				} else if (part.type === 'image_url' || part.type === 'video_url') {
					const inner = part[part.type] as Record<string, unknown> | undefined;
					if (!inner || typeof inner.url !== 'string')
						errs.push({ loc: [...ploc, part.type, 'url'], msg: 'Field required', type: 'missing' });
					else parts.push({ type: part.type, url: inner.url, loc: [...ploc, part.type, 'url'] });
				} else {
					errs.push({
						loc: [...ploc, 'type'],
						msg: "Input should be 'text', 'image_url' or 'video_url'",
						type: 'literal_error',
					});
				}
			});
		} else if (content !== null && content !== undefined) {
			errs.push({
				loc: [...loc, 'content'],
				msg: 'Input should be a string or a list of content parts',
				type: 'union_type',
			});
		} else if (msg.role === 'user') {
			errs.push({ loc: [...loc, 'content'], msg: 'Field required', type: 'missing' });
		}
		if (msg.role === 'user') lastUserText = userText;
	});
	if (errs.length) throw validationError(errs);
	return { model: b.model as string, parts, lastUserText, textChars };
}

function shortUrl(url: string): string {
	return url.startsWith('data:') ? `${url.slice(0, 30)}…(${url.length} chars)` : url;
}

/** Resolves all media parts to pixels, in request order. */
async function collectFrames(
	parts: Part[],
	key: string,
	model: EmulatorModel,
	version: ApiVersion,
	ctx: ChatContext,
	record: ChatRecord,
): Promise<FramePixels[]> {
	const frames: FramePixels[] = [];
	for (const part of parts) {
		const url = part.url!;
		try {
			if (isOvsUrl(url)) {
				const ref = parseOvsUrl(url, part.type as 'image_url' | 'video_url');
				if (ref.type === 'video' && !supportsVideo(model)) {
					throw new MediaError(
						'model_video_unsupported',
						`Model ${model.id} accepts images only; video_url segments are not supported`,
						400,
					);
				}
				record.streamIds.push(ref.streamId);
				const rec = ctx.streams.get(ref.streamId);
				if (!rec || rec.state !== 'active')
					throw chatError(
						404,
						'stream_error',
						'stream_not_found',
						`Stream not found: ${ref.streamId}`,
					);
				if (rec.owner !== key)
					throw chatError(
						403,
						'stream_error',
						'stream_unauthorized',
						`Stream ${ref.streamId} belongs to another user`,
					);
				const win = { frames: rec.frames.retained(), nextIndex: rec.frames.nextIndex };
				if (ref.type === 'image')
					frames.push(resolveImage(ref, win, { strictEviction: version === 'v1beta' }));
				else frames.push(...resolveSegment(ref, win));
			} else if (url.startsWith('data:')) {
				frames.push(await decodeDataUrl(url));
			} else if (!/^https?:\/\//i.test(url)) {
				throw validationError([
					{ loc: part.loc, msg: 'URL must be ovs://, https:// or data:', type: 'url_scheme' },
				]);
			}
			// http(s) URLs are "forwarded to the model" upstream; the emulator has no internet and skips them.
		} catch (error) {
			if (error instanceof MediaError) throw mediaErrorToHttp(error, version, part.loc);
			throw error;
		}
	}
	return frames;
}

function chooseTool(
	body: Record<string, unknown>,
): { name: string; parameters: unknown } | undefined {
	const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : [];
	const choice = body.tool_choice;
	const fns = tools
		.map((t) => t.function as { name?: string; parameters?: unknown } | undefined)
		.filter((f) => f && typeof f.name === 'string');
	if (fns.length === 0 || choice === undefined || choice === 'auto' || choice === 'none')
		return undefined;
	if (choice === 'required') return { name: fns[0]!.name!, parameters: fns[0]!.parameters };
	const named = (choice as { function?: { name?: string } })?.function?.name;
	const fn = fns.find((f) => f!.name === named);
	return fn ? { name: fn.name!, parameters: fn.parameters } : undefined;
}

export async function handleChat(
	body: unknown,
	key: string,
	version: ApiVersion,
	ctx: ChatContext,
	records: ChatRecord[],
): Promise<ChatResult> {
	const record: ChatRecord = {
		atMs: Date.now(),
		key,
		version,
		model: null,
		urls: [],
		streamIds: [],
		frames: 0,
		status: 200,
		responseText: null,
		stream: false,
	};
	records.push(record);
	try {
		return await answer(body, key, version, ctx, record);
	} catch (error) {
		if (error instanceof HttpError) {
			record.status = error.status;
			const b = error.body as {
				detail?: { error?: { code?: string } } | string;
				details?: Array<{ type: string }>;
			};
			record.error =
				typeof b.detail === 'object'
					? b.detail?.error?.code
					: (b.details?.[0]?.type ?? (typeof b.detail === 'string' ? b.detail : undefined));
		} else {
			record.status = 500;
		}
		throw error;
	}
}

async function answer(
	body: unknown,
	key: string,
	version: ApiVersion,
	ctx: ChatContext,
	record: ChatRecord,
): Promise<ChatResult> {
	const { model: modelId, parts, lastUserText, textChars } = validate(body);
	const b = body as Record<string, unknown>;
	record.model = modelId;
	record.question = lastUserText.slice(0, 200);
	record.urls = parts.map((p) => shortUrl(p.url!));
	record.stream = b.stream === true;
	const model = ctx.models().find((m) => m.id === modelId && m.status !== RETIRED);
	if (!model)
		throw chatError(404, 'provider_error', 'model_unavailable', `Model not found: ${modelId}`);
	if ((model.status ?? 'ready') !== 'ready')
		throw detailError(503, `Model ${modelId} is not available right now`);
	if (ctx.hasNoCredit(key))
		throw chatError(402, 'billing_error', 'billing_denied', 'Insufficient credits for inference');
	const headers = ctx.rateLimit(key);

	const frames = await collectFrames(parts, key, model, version, ctx, record);
	record.frames = frames.length;
	const thinkMs = ctx.modelLatencyMs();
	if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs));
	const analysis = analyse(frames, ctx.changeThreshold);
	const question = parseQuestion(lastUserText);

	const format = (b.response_format ?? undefined) as
		| { type?: string; json_schema?: { schema?: unknown } }
		| undefined;
	let content: string | null;
	let finish = 'stop';
	let toolCalls: unknown[] | undefined;
	const tool = chooseTool(b);
	if (tool) {
		const args = fillSchema(tool.parameters ?? { type: 'object' }, analysis, question);
		toolCalls = [
			{
				id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
				type: 'function',
				function: { name: tool.name, arguments: JSON.stringify(args) },
			},
		];
		content = null;
		finish = 'tool_calls';
	} else if (format?.type === 'json_object') {
		content = JSON.stringify(analysisObject(analysis, question));
	} else if (format?.type === 'json_schema') {
		const schema = format.json_schema?.schema;
		const filled =
			schema && typeof schema === 'object'
				? fillSchema(schema, analysis, question)
				: analysisObject(analysis, question);
		content = JSON.stringify(
			filled && typeof filled === 'object' ? filled : analysisObject(analysis, question),
		);
	} else {
		content = answerText(analysis, question);
		// A token cap truncates plain text like a real model would (JSON replies are never cut).
		const cap = (b.max_completion_tokens ?? b.max_tokens) as number | undefined;
		if (cap && content.length > cap * 4) {
			content = content.slice(0, cap * 4);
			finish = 'length';
		}
	}

	const perFrame = tokensPerFrame(model);
	const promptTokens = Math.ceil(textChars / 4) + frames.length * perFrame;
	const completionTokens = Math.max(
		1,
		Math.ceil((content ?? JSON.stringify(toolCalls)).length / 4),
	);
	const usage = {
		prompt_tokens: promptTokens,
		completion_tokens: completionTokens,
		total_tokens: promptTokens + completionTokens,
	};
	const threadId = typeof b.thread_id === 'string' ? b.thread_id : null;
	const threadKey = `${key}|${modelId}|${threadId}`;
	const cacheHit = threadId !== null && ctx.threads.has(threadKey);
	if (threadId !== null) ctx.threads.add(threadKey);
	const cachedInput = cacheHit ? Math.ceil(textChars / 4) : 0;
	ctx.charge(key, (promptTokens - cachedInput) * 10 + cachedInput * 2 + completionTokens * 40);

	const n = typeof b.n === 'number' ? b.n : 1;
	const message: Record<string, unknown> = { role: 'assistant', content };
	if (toolCalls) message.tool_calls = toolCalls;
	const response: Record<string, unknown> = {
		id: randomUUID(),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: modelId,
		choices: Array.from({ length: n }, (_, index) => ({ index, message, finish_reason: finish })),
		usage,
		overshoot: {
			cache: { thread_id: threadId, cache_hit: cacheHit, cached_input_tokens: cachedInput },
		},
	};
	record.responseText = content;
	record.usage = usage;
	const streamOpts = b.stream_options as { include_usage?: boolean } | undefined;
	return {
		response,
		headers,
		stream: b.stream === true,
		includeUsage: streamOpts?.include_usage === true,
		record,
	};
}

/** Writes a completion as OpenAI-style SSE chunks, then `data: [DONE]`. */
export function writeSse(res: ServerResponse, result: ChatResult): void {
	const r = result.response as {
		id: string;
		created: number;
		model: string;
		choices: Array<{
			index: number;
			message: { content: string | null; tool_calls?: unknown[] };
			finish_reason: string;
		}>;
		usage: unknown;
		overshoot: unknown;
	};
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
		...result.headers,
	});
	const base = { id: r.id, object: 'chat.completion.chunk', created: r.created, model: r.model };
	const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
		res.write(`data: ${JSON.stringify({ ...base, choices, usage: null, ...extra })}\n\n`);
	for (const choice of r.choices) {
		send([{ index: choice.index, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
		if (choice.message.tool_calls) {
			const calls = choice.message.tool_calls.map((c, i) => ({ index: i, ...(c as object) }));
			send([{ index: choice.index, delta: { tool_calls: calls }, finish_reason: null }]);
		}
		// Word-sized pieces so clients really have to reassemble the text.
		for (const piece of (choice.message.content ?? '').match(/\S+\s*|\s+/g) ?? []) {
			send([{ index: choice.index, delta: { content: piece }, finish_reason: null }]);
		}
		send([{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }]);
	}
	if (result.includeUsage) send([], { usage: r.usage, overshoot: r.overshoot });
	res.write('data: [DONE]\n\n');
	res.end();
}
