// Input checks shared by the action node, the trigger and the watcher. Each failure is an
// InputError naming the field as the user sees it in the node.

import { InputError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A text parameter. An expression that evaluates to an object or array would otherwise be sent as
 * "[object Object]": refuse it, naming the field. Numbers and booleans become their text.
 */
export function text(value: unknown, field: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	const kind = Array.isArray(value) ? 'a list' : 'an object';
	throw new InputError(
		field,
		`${field} is ${kind} (${preview(value)}), not text. An expression here must give text: pick one field, e.g. {{ $json.text }}, or use {{ JSON.stringify($json.data) }}.`,
	);
}

function preview(value: unknown): string {
	let json: string;
	try {
		json = JSON.stringify(value) ?? String(value);
	} catch {
		json = String(value);
	}
	return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

export function streamId(value: unknown, field = 'Stream ID'): string {
	const id = text(value, field).trim();
	if (!id)
		throw new InputError(
			field,
			`${field} is empty. Use the "id" returned by Stream → Create, e.g. {{ $json.id }}.`,
		);
	if (!UUID.test(id))
		throw new InputError(
			field,
			`${field} "${id.slice(0, 60)}" is not a stream id: stream ids are UUIDs like 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0.`,
		);
	return id.toLowerCase();
}

/**
 * Whole numbers beyond ±2^53 lose their last digits and print as "1e+21", which the contract
 * rejects (not an integer): refuse them here, naming the field.
 */
export function integer(
	value: unknown,
	field: string,
	opts: { min?: number; max?: number } = {},
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n))
		throw new InputError(field, `${field} must be a whole number (got ${describe(value)}).`);
	if (!Number.isSafeInteger(n))
		throw new InputError(
			field,
			`${field} is too large (got ${n}): use a whole number between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.`,
		);
	if (opts.min !== undefined && n < opts.min)
		throw new InputError(field, `${field} must be at least ${opts.min} (got ${n}).`);
	if (opts.max !== undefined && n > opts.max)
		throw new InputError(field, `${field} must be at most ${opts.max} (got ${n}).`);
	return n;
}

export function positive(value: unknown, field: string, opts: { max?: number } = {}): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n))
		throw new InputError(field, `${field} must be a number (got ${describe(value)}).`);
	if (n <= 0) throw new InputError(field, `${field} must be greater than 0 (got ${n}).`);
	if (opts.max !== undefined && n > opts.max)
		throw new InputError(field, `${field} must be at most ${opts.max} (got ${n}).`);
	return n;
}

/** A number within [min, max] (NaN, Infinity and text that is not a number are refused). */
export function within(
	value: unknown,
	field: string,
	min: number,
	max: number,
	key?: string,
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n))
		throw new InputError(field, `${field} must be a number (got ${describe(value)}).`, key);
	if (n < min || n > max)
		throw new InputError(field, `${field} must be between ${min} and ${max} (got ${n}).`, key);
	return n;
}

export function nonEmpty(value: unknown, field: string): string {
	const s = text(value, field);
	if (!s.trim()) throw new InputError(field, `${field} is empty.`);
	return s;
}

/** JSON.stringify turns NaN and Infinity into null; say what they are. */
function describe(value: unknown): string {
	if (typeof value === 'number') return String(value);
	return preview(value);
}

/** Longer than any real camera or playlist address; a 10 kB "URL" is a mistake, not a camera. */
export const MAX_URL_LENGTH = 2048;

/**
 * A URL typed into a field: bounded length, only characters a URL may contain (no spaces, quotes,
 * `|`, `` ` ``, `<>`, control characters: a pasted shell command is refused, not passed on),
 * and a host. The URL is never echoed: it may carry a login.
 */
export function checkedUrl(value: string, field: string, schemes: readonly string[]): URL {
	const url = value.trim();
	if (url.length > MAX_URL_LENGTH)
		throw new InputError(
			field,
			`${field} is ${url.length} characters long; addresses up to ${MAX_URL_LENGTH} characters are accepted.`,
		);
	const bad = [...new Set([...url].filter(notUrlCharacter))];
	if (bad.length) {
		const shown = bad.map((c) =>
			c === ' '
				? 'space'
				: c.charCodeAt(0) < 0x21 || c.charCodeAt(0) === 0x7f
					? `U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`
					: c,
		);
		throw new InputError(
			field,
			`${field} contains characters a URL cannot have (${shown.join(' ')}); percent-encode them or fix the address.`,
		);
	}
	if (!URL.canParse(url))
		throw new InputError(
			field,
			`${field} is not a valid URL; expected ${schemes[0]}//host[:port]/path.`,
		);
	const parsed = new URL(url);
	if (!schemes.includes(parsed.protocol)) {
		throw new InputError(
			field,
			`${field} must start with ${schemes.map((s) => `${s}//`).join(' or ')} (got "${parsed.protocol}//").`,
		);
	}
	if (!parsed.hostname)
		throw new InputError(field, `${field} has no host; expected ${schemes[0]}//host[:port]/path.`);
	return parsed;
}

/** The schemes of each kind of camera address (the contract's `source.type`). */
export const CAMERA_SCHEMES = { rtsp: ['rtsp:', 'rtsps:'], hls: ['http:', 'https:'] } as const;
export type CameraKind = keyof typeof CAMERA_SCHEMES;

const CAMERA_SCHEME_HELP: Record<string, string> = {
	rtsp: 'must start with rtsp:// or rtsps://, e.g. rtsp://192.168.1.20:554/stream1.',
	hls: 'must start with http:// or https://, e.g. https://example.com/live.m3u8.',
	'rtsp,hls': 'must start with rtsp://, rtsps:// (camera) or http(s):// (HLS playlist).',
};

/**
 * The one check of a camera address (the trigger's RTSP camera, a camera or playlist Overshoot
 * pulls, Stream → Create): not empty; without a login unless `allowLogin` (a login in the URL
 * would sit in the workflow JSON: the camera credential holds it); one of the `kinds`' schemes;
 * then `checkedUrl` (length, characters, host). Returns which kind it is and the trimmed URL.
 */
export function cameraUrl(
	value: unknown,
	field: string,
	kinds: readonly CameraKind[],
	opts: { allowLogin?: boolean; emptyMessage?: string } = {},
): { type: CameraKind; url: string } {
	const url = text(value, field).trim();
	if (!url) throw new InputError(field, opts.emptyMessage ?? `${field} is empty.`);
	if (!opts.allowLogin) refuseLogin(url, field);
	const type = kinds.find((kind) =>
		CAMERA_SCHEMES[kind].some((scheme) => url.toLowerCase().startsWith(`${scheme}//`)),
	);
	if (!type && URL.canParse(url))
		throw new InputError(field, `${field} ${CAMERA_SCHEME_HELP[kinds.join(',')]}`);
	checkedUrl(url, field, CAMERA_SCHEMES[type ?? kinds[0]]);
	return { type: type ?? kinds[0], url };
}

/** A URL with a login inside would put the password into the workflow JSON: refuse it (never echoing it). */
function refuseLogin(url: string, field: string): void {
	const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
	if (!m)
		throw new InputError(
			field,
			`${field} "${url.replace(/\/\/[^/@]*@/, '//***@')}" is not a URL such as rtsp://192.168.1.20:554/stream1.`,
		);
	if (m[2].includes('@')) {
		throw new InputError(
			field,
			`${field} contains a login (user:password@). Remove it from the URL and put it into the Camera credential, so the password stays out of the workflow.`,
		);
	}
}

/** Spaces, control characters and `"<>\\^`{|}`: never part of a URL (RFC 3986). */
function notUrlCharacter(c: string): boolean {
	const code = c.charCodeAt(0);
	return code <= 0x20 || code === 0x7f || '"<>\\^`{|}'.includes(c);
}

/**
 * A model id as the catalog spells it ("owner/name"): no whitespace or control characters (an id
 * with a space is a typo), no empty, "." or ".." parts (never a path), at most 256 characters.
 * Which ids exist is the catalog's business (Model → List), never this package's.
 */
export function modelId(value: unknown, field = 'Model'): string {
	const id = text(value, field).trim();
	const shown = id.length > 80 ? `${id.slice(0, 77)}...` : id;
	if (id.length > 256)
		throw new InputError(
			field,
			`${field} is ${id.length} characters long; model ids have at most 256 (see Model → List).`,
		);
	if ([...id].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) {
		throw new InputError(
			field,
			`${field} "${shown}" is not a model id: ids have no spaces or control characters (see Model → List for the exact ids).`,
		);
	}
	if (id.split('/').some((part) => part === '' || part === '.' || part === '..')) {
		throw new InputError(
			field,
			`${field} "${shown}" is not a model id: ids have no empty, "." or ".." parts (see Model → List for the exact ids).`,
		);
	}
	return id;
}
