// The trigger applies n8n 2.40's file-access rule itself (trigger contexts lack the helpers).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

import { InputError } from '../../nodes/Overshoot/api/errors';
import {
	allowedPaths,
	assertFileAllowed,
	isFilePathBlocked,
} from '../../nodes/Overshoot/shared/file-access';

const root = mkdtempSync(path.join(tmpdir(), 'ovs-fa-'));
const allowed = path.join(root, 'allowed');
const other = path.join(root, 'other');
const userFolder = path.join(root, 'user');
for (const dir of [allowed, other, path.join(userFolder, '.n8n'), path.join(allowed, '.git')])
	mkdirSync(dir, { recursive: true });
writeFileSync(path.join(allowed, 'a.mp4'), 'x');
writeFileSync(path.join(other, 'b.mp4'), 'x');
symlinkSync(path.join(other, 'b.mp4'), path.join(allowed, 'link.mp4'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = {
	N8N_RESTRICT_FILE_ACCESS_TO: allowed,
	N8N_USER_FOLDER: userFolder,
	HOME: '/home/nobody',
};

async function rejection(
	p: string,
	e: Record<string, string | undefined> = env,
): Promise<InputError> {
	try {
		await assertFileAllowed(p, 'Video File Path', {}, e);
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error(`expected ${p} to be refused`);
}

describe('file access (n8n 2.40 rule)', () => {
	it('allows a file inside N8N_RESTRICT_FILE_ACCESS_TO, and a missing file in an existing allowed folder', async () => {
		await expect(
			assertFileAllowed(path.join(allowed, 'a.mp4'), 'Video File Path', {}, env),
		).resolves.toBe(path.join(allowed, 'a.mp4'));
		await expect(
			assertFileAllowed(path.join(allowed, 'later.mp4'), 'Video File Path', {}, env),
		).resolves.toBe(path.join(allowed, 'later.mp4'));
	});

	it('refuses a file outside, naming the field and the allowed folders', async () => {
		const error = await rejection(path.join(other, 'b.mp4'));
		expect(error.field).toBe('Video File Path');
		expect(error.message).toContain('not allowed');
		expect(error.message).toContain(allowed);
		expect(error.message).toContain('N8N_RESTRICT_FILE_ACCESS_TO');
	});

	it('follows symlinks before deciding (a link inside pointing outside is refused)', async () => {
		await rejection(path.join(allowed, 'link.mp4'));
	});

	it('refuses ../ escapes', async () => {
		await rejection(path.join(allowed, '..', 'other', 'b.mp4'));
	});

	it("always refuses n8n's own folder and .git folders, even when allowed", async () => {
		const wide = { ...env, N8N_RESTRICT_FILE_ACCESS_TO: root };
		await rejection(path.join(userFolder, '.n8n', 'database.sqlite'), wide);
		await rejection(path.join(allowed, '.git', 'config'), wide);
		await expect(
			assertFileAllowed(path.join(other, 'b.mp4'), 'F', {}, wide),
		).resolves.toBeDefined();
		// ...unless the administrator lifted the n8n-folder block
		expect(
			isFilePathBlocked(path.join(userFolder, '.n8n', 'x'), {
				...wide,
				N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false',
			}),
		).toBe(false);
	});

	it('defaults to ~/.n8n-files like n8n 2.x when the variable is unset; empty lifts the restriction', () => {
		expect(allowedPaths({})).toEqual([path.join(homedir(), '.n8n-files')]);
		expect(isFilePathBlocked(path.join(other, 'b.mp4'), { N8N_USER_FOLDER: userFolder })).toBe(
			true,
		);
		expect(
			isFilePathBlocked(path.join(other, 'b.mp4'), {
				N8N_USER_FOLDER: userFolder,
				N8N_RESTRICT_FILE_ACCESS_TO: '',
			}),
		).toBe(false);
		expect(allowedPaths({ N8N_RESTRICT_FILE_ACCESS_TO: ` ${allowed} ; ~/x ;` })).toEqual([
			allowed,
			path.join(homedir(), 'x'),
		]);
	});

	it('says clearly when the folder does not exist, and wants full paths', async () => {
		const missing = await rejection(path.join(root, 'nope', 'c.mp4'));
		expect(missing.message).toContain('does not exist');
		const relative = await rejection('videos/a.mp4');
		expect(relative.message).toContain('full path');
	});

	it("uses n8n's own helpers when the context has them", async () => {
		const helpers = {
			resolvePath: jest.fn(async (p: string) => p),
			isFilePathBlocked: jest.fn(() => true),
		};
		await expect(
			assertFileAllowed('/anything.mp4', 'Video File Path', helpers, env),
		).rejects.toThrow('not allowed');
		expect(helpers.resolvePath).toHaveBeenCalledWith('/anything.mp4');
	});
});
