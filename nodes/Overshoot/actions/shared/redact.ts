// Secrets never leave the node in errors or outputs: the API key (in case a server or proxy
// echoes it) and passwords inside URLs such as rtsp://user:pass@camera/...

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi;

export function redactText(text: string, secrets: string[] = []): string {
	let out = text.replace(URL_PASSWORD, '$1:***@');
	for (const secret of secrets) {
		if (secret && secret.length >= 6) out = out.split(secret).join('***');
	}
	return out;
}

/** Deep copy of a JSON value with every string redacted. */
export function redactValue<T>(value: T, secrets: string[] = []): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets)) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
		return out as T;
	}
	return value;
}
