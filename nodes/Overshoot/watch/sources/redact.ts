// Camera URLs carry credentials. Anything that can reach a status, an error or a log goes
// through here first, so a password never leaves the ffmpeg argv.

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
		if (secret.length < 3) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
	}
	return out;
}
