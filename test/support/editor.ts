// The real n8n editor in a real browser: Debian's Chromium driven by `playwright-core` (which
// downloads no browser of its own). Selectors are n8n's own `data-test-id`s, the ones n8n's
// Playwright suite uses; every wait is bounded. Screenshots go to test-artifacts/editor/ (not
// committed), so a failure can be looked at.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';
import { OWNER } from '../../harness/n8n-api';
import { REPO_ROOT } from '../../harness/paths';

/** Debian's `chromium` package (scripts/install-system.sh installs it). */
export const CHROMIUM_BIN = process.env.OVS_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'editor');

/** A default for single UI steps on a loaded 2-core machine (n8n renders, lists load). */
export const UI_TIMEOUT_MS = 30_000;

export interface Editor {
	page: Page;
	/** Saved screenshots, in order. */
	screenshots: string[];
	screenshot(name: string, target?: Locator): Promise<string>;
	close(): Promise<void>;
}

export async function openEditor(): Promise<Editor> {
	if (!fs.existsSync(CHROMIUM_BIN))
		throw new Error(
			`${CHROMIUM_BIN} is missing: install Debian's chromium (bash scripts/install-system.sh)`,
		);
	selectors.setTestIdAttribute('data-test-id');
	const browser: Browser = await chromium.launch({
		executablePath: CHROMIUM_BIN,
		headless: true,
		timeout: 60_000,
	});
	try {
		const page = await browser.newPage({
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
		});
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		page.setDefaultNavigationTimeout(60_000);
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		const screenshots: string[] = [];
		return {
			page,
			screenshots,
			async screenshot(name, target) {
				const file = path.join(ARTIFACTS_DIR, `${name}.png`);
				await (target ?? page).screenshot({ path: file, timeout: UI_TIMEOUT_MS });
				screenshots.push(file);
				return file;
			},
			close: () => browser.close(),
		};
	} catch (error) {
		await browser.close();
		throw error;
	}
}

/** Signs in on n8n's sign-in page as the owner `N8nApi` set up. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

export function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

export async function openWorkflow(
	page: Page,
	baseUrl: string,
	id: string,
	firstNode: string,
): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await canvasNode(page, firstNode).waitFor({ timeout: 60_000 });
}

/** Opens a node's panel (NDV) from the canvas and waits for its parameters to render. */
export async function openNode(page: Page, name: string): Promise<Locator> {
	await canvasNode(page, name).dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.getByTestId('node-parameters').waitFor();
	return ndv;
}

export async function closeNode(page: Page): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/**
 * What n8n marks as wrong with a node: the canvas node's issue badge (its tooltip lists parameter,
 * credential and execution issues) and the warning icons next to parameters in the open panel, by
 * parameter. Empty when the node is fine.
 */
export async function nodeIssues(page: Page, name: string): Promise<string[]> {
	const issues: string[] = [];
	if ((await canvasNode(page, name).getByTestId('node-issues').count()) > 0)
		issues.push('canvas: node-issues badge');
	if ((await canvasNode(page, name).getByTestId('node-not-installed').count()) > 0)
		issues.push('canvas: node not installed');
	const panel = page.getByTestId('ndv');
	if (await panel.isVisible()) {
		for (const icon of await panel.getByTestId('parameter-issues').all()) {
			// The icon sits inside the parameter's input, whose test id names the parameter.
			const name = await icon.evaluate((el) =>
				el
					.closest('[data-test-id^="parameter-input-"]')
					?.getAttribute('data-test-id')
					?.slice('parameter-input-'.length),
			);
			issues.push(`panel: parameter ${name ?? '(unnamed)'}`);
		}
		if ((await panel.getByTestId('rlc-error-container').count()) > 0)
			issues.push('panel: a list failed to load');
	}
	return issues;
}
