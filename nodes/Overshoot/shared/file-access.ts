// Video and image paths obey the same file-access rules as n8n's own file nodes.
//
// n8n 2.40 gives execute contexts `helpers.resolvePath` / `helpers.isFilePathBlocked`, but not
// trigger contexts (TriggerContext only has request, binary, SSH and scheduling helpers). So when
// the helpers are missing we apply the rule ourselves, exactly as n8n-core 2.40.7 does in
// execution-engine/node-execution-context/utils/file-system-helper-functions.ts:
//   1. resolve the real path (symlinks followed; a missing file resolves against its real folder);
//   2. blocked if inside n8n's own folders (unless N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false):
//      <N8N_USER_FOLDER or HOME>/.n8n, <same>/.cache/n8n/public, N8N_CONFIG_FILES (comma list),
//      N8N_CUSTOM_EXTENSIONS (; list), N8N_BINARY_DATA_STORAGE_PATH, the two e-mail template paths;
//   3. blocked if the path matches N8N_BLOCK_FILE_PATTERNS (default: anything inside a .git folder);
//   4. otherwise allowed only inside N8N_RESTRICT_FILE_ACCESS_TO (; list, "~" = home). Unset means
//      n8n 2.x's default "~/.n8n-files"; an empty string lifts the restriction.

import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { InputError } from '../api/errors';

/** n8n's FileSystemHelperFunctions, as far as this check needs them (present in execute contexts). */
export interface FileAccessHelpers {
	resolvePath?: (p: string) => Promise<string>;
	isFilePathBlocked?: (resolved: never) => boolean;
}

type Env = Record<string, string | undefined>;

export function isContainedWithin(parent: string, child: string): boolean {
	const p = path.resolve(parent);
	const c = path.resolve(child);
	return p === c || c.startsWith(p + path.sep);
}

export async function resolveRealPath(filePath: string): Promise<string> {
	try {
		return await realpath(filePath);
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- n8n-free helper; assertFileAllowed below turns it into an InputError
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		// Same as n8n: the folder must exist (else ENOENT propagates), the file may not (yet).
		return path.join(await realpath(path.dirname(filePath)), path.basename(filePath));
	}
}

export function allowedPaths(env: Env = process.env): string[] {
	const value = env.N8N_RESTRICT_FILE_ACCESS_TO ?? '~/.n8n-files';
	return value
		.split(';')
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => (p.startsWith('~') ? p.replace('~', homedir()) : p));
}

function n8nRestrictedPaths(env: Env): string[] {
	const userHome = env.N8N_USER_FOLDER ?? env.HOME ?? process.cwd();
	const paths = [path.join(userHome, '.n8n'), path.join(userHome, '.cache/n8n/public')];
	if (env.N8N_CONFIG_FILES) paths.push(...env.N8N_CONFIG_FILES.split(','));
	if (env.N8N_CUSTOM_EXTENSIONS) paths.push(...env.N8N_CUSTOM_EXTENSIONS.split(';'));
	for (const key of [
		'N8N_BINARY_DATA_STORAGE_PATH',
		'N8N_UM_EMAIL_TEMPLATES_INVITE',
		'N8N_UM_EMAIL_TEMPLATES_PWRESET',
	]) {
		if (env[key]) paths.push(env[key]!);
	}
	return paths.filter(Boolean);
}

function matchesBlockedPattern(resolved: string, env: Env): boolean {
	const patterns = env.N8N_BLOCK_FILE_PATTERNS ?? '^(?:[^/]*/)*\\.git(?:/.*)?$';
	const normalized = path.posix.normalize(resolved.replace(/\\/g, '/'));
	return patterns
		.split(';')
		.map((p) => p.trim())
		.filter(Boolean)
		.some((p) => {
			try {
				return new RegExp(p, 'mi').test(normalized);
			} catch {
				return true; // n8n treats an unreadable pattern as blocking everything
			}
		});
}

/** n8n 2.40's isFilePathBlocked, for a path already resolved with resolveRealPath. */
export function isFilePathBlocked(resolved: string, env: Env = process.env): boolean {
	if (env.N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES !== 'false') {
		if (n8nRestrictedPaths(env).some((p) => isContainedWithin(p, resolved))) return true;
	}
	if (matchesBlockedPattern(resolved, env)) return true;
	const allowed = allowedPaths(env);
	return allowed.length > 0 && !allowed.some((p) => isContainedWithin(p, resolved));
}

/**
 * Throws an InputError naming `field` when n8n would refuse to read `filePath`. Prefers n8n's own
 * helpers when the context has them (execute contexts), so a future n8n rule applies too.
 */
export async function assertFileAllowed(
	filePath: string,
	field: string,
	helpers: FileAccessHelpers = {},
	env: Env = process.env,
): Promise<string> {
	if (!path.isAbsolute(filePath)) {
		throw new InputError(
			field,
			`${field} must be a full path starting with "/" (got "${filePath}").`,
		);
	}
	let resolved: string;
	try {
		resolved = helpers.resolvePath
			? await helpers.resolvePath(filePath)
			: await resolveRealPath(filePath);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- n8n-free helper; the node boundary (trigger/errors.ts, the router) turns InputError into NodeOperationError
			throw new InputError(
				field,
				`${field}: the folder of "${filePath}" does not exist on the n8n host.`,
			);
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- n8n-free helper; the node boundary (trigger/errors.ts, the router) turns InputError into NodeOperationError
		throw new InputError(
			field,
			`${field}: cannot read "${filePath}" (${code ?? (error as Error).message}).`,
		);
	}
	const blocked = helpers.isFilePathBlocked
		? helpers.isFilePathBlocked(resolved as never)
		: isFilePathBlocked(resolved, env);
	if (blocked) {
		const allowed = allowedPaths(env);
		const where = allowed.length ? ` n8n may only read files inside: ${allowed.join(', ')}.` : '';
		throw new InputError(
			field,
			`${field}: access to "${filePath}" is not allowed.${where} Move the file there, or ask the administrator to add its folder to N8N_RESTRICT_FILE_ACCESS_TO (n8n's own folders and .git folders are always blocked).`,
		);
	}
	return resolved;
}
