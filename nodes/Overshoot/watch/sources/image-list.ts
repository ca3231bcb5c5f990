// Which image files a set means: explicit paths (in the order given), a directory (its image
// files) or a glob, the last two in natural order (img2 before img10). Every file, and the
// directory itself, passes the host's file-access check.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AssertPathAllowed } from './options';

export type ImageSelection = { paths: string[] } | { directory: string } | { glob: string };

export const IMAGE_EXTENSIONS = new Set([
	'.jpg',
	'.jpeg',
	'.png',
	'.webp',
	'.gif',
	'.tif',
	'.tiff',
	'.avif',
]);
const MAX_FILES = 100_000;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export function naturalCompare(a: string, b: string): number {
	return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export async function resolveImageFiles(
	selection: ImageSelection,
	assertAllowed: AssertPathAllowed,
): Promise<string[]> {
	let files: string[];
	let where: string;
	if ('paths' in selection) {
		files = selection.paths.filter((p) => p.trim() !== '').map((p) => path.resolve(p));
		where = 'the given paths';
	} else if ('directory' in selection) {
		const dir = path.resolve(selection.directory);
		await assertAllowed(dir);
		files = await listDirectory(dir);
		where = `directory ${dir}`;
	} else {
		const { base, segments } = splitGlob(selection.glob);
		await assertAllowed(base);
		files = [...new Set(await expand(base, segments))].sort(naturalCompare);
		where = `pattern ${selection.glob}`;
	}
	if (files.length === 0) throw new Error(`no image files found in ${where}`);
	for (const file of files) await assertAllowed(file);
	return files;
}

async function listDirectory(dir: string): Promise<string[]> {
	const info = await stat(dir).catch(() => undefined);
	if (!info) throw new Error(`image directory not found: ${dir}`);
	if (!info.isDirectory()) throw new Error(`not a directory: ${dir}`);
	const entries = await readdir(dir, { withFileTypes: true });
	return entries
		.filter(
			(e) =>
				e.isFile() &&
				!e.name.startsWith('.') &&
				IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()),
		)
		.map((e) => e.name)
		.sort(naturalCompare)
		.map((name) => path.join(dir, name));
}

const MAGIC = /[*?[{]/;

/** "/data/cam/**\/img-*.png" → base "/data/cam", segments ["**", "img-*.png"]. */
export function splitGlob(pattern: string): { base: string; segments: string[] } {
	const parts = path.resolve(pattern).split(path.sep);
	const firstMagic = parts.findIndex((p) => MAGIC.test(p));
	if (firstMagic === -1)
		return { base: path.dirname(parts.join(path.sep)), segments: [parts[parts.length - 1]] };
	return {
		base: parts.slice(0, firstMagic).join(path.sep) || path.sep,
		segments: parts.slice(firstMagic),
	};
}

/** One path segment of a glob as a regular expression: * ? [abc] [!abc] {a,b}. */
export function segmentRegExp(segment: string): RegExp {
	let re = '';
	let braces = 0;
	for (let i = 0; i < segment.length; i++) {
		const c = segment[i];
		if (c === '*') re += '[^/]*';
		else if (c === '?') re += '[^/]';
		else if (c === '[') {
			const close = segment.indexOf(']', i + 2);
			if (close === -1) re += '\\[';
			else {
				let body = segment.slice(i + 1, close);
				if (body.startsWith('!')) body = '^' + body.slice(1);
				re += `[${body.replace(/\\/g, '\\\\')}]`;
				i = close;
			}
		} else if (c === '{') {
			braces++;
			re += '(?:';
		} else if (c === '}' && braces > 0) {
			braces--;
			re += ')';
		} else if (c === ',' && braces > 0) re += '|';
		else re += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
	}
	return new RegExp(`^${re}${')'.repeat(braces)}$`);
}

async function expand(dir: string, segments: string[], depth = 0): Promise<string[]> {
	if (depth > 32) return [];
	const [segment, ...rest] = segments;
	if (segment === undefined) return [];
	if (segment === '**') {
		const here = await expand(dir, rest, depth + 1);
		const subdirs = await entries(dir).then((list) =>
			list.filter((e) => e.isDirectory() && !e.name.startsWith('.')),
		);
		const below = await Promise.all(
			subdirs.map((d) => expand(path.join(dir, d.name), segments, depth + 1)),
		);
		return cap(here.concat(...below));
	}
	if (!MAGIC.test(segment)) {
		const next = path.join(dir, segment);
		if (rest.length > 0) return expand(next, rest, depth + 1);
		const info = await stat(next).catch(() => undefined);
		return info?.isFile() ? [next] : [];
	}
	const re = segmentRegExp(segment);
	const matched = (await entries(dir)).filter(
		(e) => re.test(e.name) && (segment.startsWith('.') || !e.name.startsWith('.')),
	);
	if (rest.length === 0)
		return matched.filter((e) => e.isFile()).map((e) => path.join(dir, e.name));
	const below = await Promise.all(
		matched
			.filter((e) => e.isDirectory())
			.map((e) => expand(path.join(dir, e.name), rest, depth + 1)),
	);
	return cap(([] as string[]).concat(...below));
}

function entries(dir: string) {
	return readdir(dir, { withFileTypes: true }).catch(() => []);
}

function cap(files: string[]): string[] {
	if (files.length > MAX_FILES)
		throw new Error(`the pattern matches more than ${MAX_FILES} files; narrow it down`);
	return files;
}
