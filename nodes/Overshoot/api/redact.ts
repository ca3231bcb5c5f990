// Secrets never leave the package in statuses, errors, logs or items: the API key (in case a
// server or proxy echoes it) and camera logins inside URLs such as rtsp://user:pass@camera/...
// Everything that can reach a user goes through here, once, in one way.

/** `scheme://user:pass@host` → `scheme://***@host` (also `user@host` and percent-encoded userinfo). */
export function redactUrlCredentials(text: string): string {
	return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]+@/gi, '$1***@');
}

/**
 * Redacts URL userinfo and, as a second line of defence, every literal occurrence of the given
 * secrets (raw and percent-encoded), in case a tool echoes them outside a URL.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
	let out = redactUrlCredentials(text);
	for (const secret of secrets) {
		// Very short secrets would blank out ordinary words; the URL rule above still covers them.
		if (!secret || secret.length < 3) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)]))
			out = out.split(form).join('***');
	}
	return out;
}

/** Deep copy of a JSON value with every string redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
		return out as T;
	}
	return value;
}
