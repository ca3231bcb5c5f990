// JSON parsing that reports instead of throwing, so callers can raise the error that names the
// field the user has to fix.

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParseJson(text: string): JsonResult {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}
