// The n8n editor, as a user meets it, in a real Chromium: a real n8n 2.40.7 with the packed package
// installed, every example imported, the emulator (with a real livekit-server) as the Overshoot
// API. It signs in as the owner, opens every example and every Overshoot node's panel, and checks
// that n8n marks no issue on the canvas node or in the panel; loads the model list from the API in
// list mode; runs "Execute step" on a Chat node and finds the emulator's answer in the output
// panel; runs "Test this trigger" on the video trigger and finds the first match's snapshot in the
// binary view (the image itself, loaded from n8n). A control workflow with a missing model proves
// that the issue check sees issues. Screenshots: test-artifacts/editor/ (printed at the end).
//
// Nothing here depends on how an example picks its model (Automatic, list or id): the Chat node is
// switched to Specific Model → From list in the browser, and the trigger runs with whatever it has.

import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ChatRecord } from '../../emulator/chat';
import {
	closeNode,
	nodeIssues,
	openEditor,
	openNode,
	openWorkflow,
	signIn,
	UI_TIMEOUT_MS,
	type Editor,
} from '../support/editor';
import { makeTempDir, type TempDir } from '../../harness/media';
import { NODE_TYPE, packedTarball, TRIGGER_TYPE, type WorkflowJson } from '../../harness/n8n';
import { makeLoadingDockVideo } from '../../harness/scene-video';
import { startTriggerStack, type TriggerStack } from '../../harness/trigger-stack';
import { waitFor } from '../../harness/wait';
import {
	example,
	EXAMPLE_CAMERA_CREDENTIAL,
	EXAMPLE_CREDENTIAL,
	exampleWorkflows,
	overshootCredential,
} from './fixtures';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const CHAT_EXAMPLE = 'chat-complete-image.json';
const TRIGGER_EXAMPLE = 'trigger-video-file.json';
/** Generous for a loaded 2-core machine: the trigger opens the video, a stream, a room, then asks every 2 s. */
const TRIGGER_FIRST_MATCH_MS = 150_000;
const CHAT_ANSWER_MS = 120_000;

const nodesOf = (workflow: WorkflowJson) => workflow.nodes as WorkflowNode[];
const isOvershoot = (node: WorkflowNode) => node.type === NODE_TYPE || node.type === TRIGGER_TYPE;
const slug = (text: string) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

/** A workflow n8n must flag: a Chat node with no model (the parameter is required). */
const CONTROL: WorkflowJson = {
	id: 'ovsE2eEditorBad1',
	name: 'e2e: a node with an issue',
	nodes: [
		{
			id: 'e2e-start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'e2e-no-model',
			name: 'No Model',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [250, 0],
			parameters: {
				resource: 'chat',
				operation: 'complete',
				model: { __rl: true, mode: 'id', value: '' },
				prompt: 'Is it red?',
			},
			credentials: { overshootApi: EXAMPLE_CREDENTIAL },
		},
	],
	connections: { Start: { main: [[{ node: 'No Model', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

const examples = exampleWorkflows();

/** Video paths point at the demo's loading-dock video (gray, then a red truck), made in `dir`. */
async function withVideo(workflow: WorkflowJson, video: string): Promise<WorkflowJson> {
	const nodes = nodesOf(workflow).map((node) =>
		typeof node.parameters?.videoPath === 'string'
			? { ...node, parameters: { ...node.parameters, videoPath: video } }
			: node,
	);
	return { ...workflow, nodes };
}

describe('the n8n editor in Chromium', () => {
	let media: TempDir;
	let stack: TriggerStack;
	let editor: Editor;
	let page: Page;
	let baseUrl: string;
	const started = Date.now();

	beforeAll(async () => {
		media = await makeTempDir('ovs-editor-');
		const video = await makeLoadingDockVideo({
			file: path.join(media.dir, 'scene.mp4'),
			emptyS: 3,
			truckS: 5,
		});
		const workflows = await Promise.all(examples.map((e) => withVideo(e.workflow, video)));
		stack = await startTriggerStack({
			tarball: packedTarball(),
			credentials: (url) => [overshootCredential(url), EXAMPLE_CAMERA_CREDENTIAL],
			workflows: [...workflows, CONTROL],
			fileAccess: [media.dir],
		});
		baseUrl = stack.n8n.baseUrl;
		await stack.n8n.api.rest('GET', '/rest/login'); // sets up the owner the browser signs in as
		editor = await openEditor();
		page = editor.page;
	});

	afterAll(async () => {
		await editor?.close();
		await stack?.stop();
		await media?.cleanup();
		if (editor?.screenshots.length)
			process.stdout.write(
				`\neditor screenshots (${((Date.now() - started) / 1000).toFixed(0)} s run):\n${editor.screenshots.map((f) => `  ${f}`).join('\n')}\n`,
			);
	});

	/** A failed step leaves a screenshot of what the browser showed. */
	async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
		try {
			return await body();
		} catch (error) {
			await editor.screenshot(`failed-${slug(name)}`).catch(() => undefined);
			throw error;
		}
	}

	test('signs in as the owner', async () => {
		await step('sign in', () => signIn(page, baseUrl));
		expect(new URL(page.url()).pathname).not.toMatch(/^\/signin/);
	});

	test('the issue check sees a node n8n flags (control: a Chat node without a model)', async () => {
		await step('control', async () => {
			await openWorkflow(page, baseUrl, CONTROL.id!, 'No Model');
			await openNode(page, 'No Model');
			// n8n computes issues right after the panel renders; give it a moment, bounded.
			const issues = await waitFor(
				'n8n to mark the missing model',
				async () => {
					const found = await nodeIssues(page, 'No Model');
					return found.includes('panel: parameter model') &&
						found.includes('canvas: node-issues badge')
						? found
						: undefined;
				},
				UI_TIMEOUT_MS,
				250,
			);
			await editor.screenshot('control-missing-model');
			expect(issues).toEqual(
				expect.arrayContaining(['canvas: node-issues badge', 'panel: parameter model']),
			);
			await closeNode(page);
		});
	});

	const withOvershootNodes = examples.filter((e) => nodesOf(e.workflow).some(isOvershoot));

	test('every example has an Overshoot node to open', () => {
		expect(withOvershootNodes.map((e) => e.file)).toEqual(examples.map((e) => e.file));
	});

	test.each(withOvershootNodes.map((e) => e.file))(
		"%s: every Overshoot node's panel renders without issues",
		async (file) => {
			const workflow = example(file);
			const nodes = nodesOf(workflow);
			await step(file, async () => {
				await openWorkflow(page, baseUrl, workflow.id!, nodes[0].name);
				for (const node of nodes.filter(isOvershoot)) {
					await openNode(page, node.name);
					// Let n8n settle the panel (lists, issue computation) before judging it.
					await page.waitForTimeout(500);
					expect({ node: node.name, issues: await nodeIssues(page, node.name) }).toEqual({
						node: node.name,
						issues: [],
					});
					await editor.screenshot(`${file.replace(/\.json$/, '')}--${slug(node.name)}`);
					await closeNode(page);
					expect({ node: node.name, issues: await nodeIssues(page, node.name) }).toEqual({
						node: node.name,
						issues: [],
					});
				}
			});
		},
	);

	test("Chat node: list mode loads the emulator's models; Execute step shows the answer", async () => {
		const workflow = example(CHAT_EXAMPLE);
		const chat = nodesOf(workflow).find(
			(n) => n.type === NODE_TYPE && n.parameters.resource === 'chat',
		);
		if (!chat) throw new Error(`${CHAT_EXAMPLE} has no Chat node`);
		const served = (await (
			await fetch(`${stack.emulator.url}/v1/models`, { signal: AbortSignal.timeout(10_000) })
		).json()) as { data: Array<{ id: string }> };
		const modelIds = served.data.map((m) => m.id).sort();
		expect(modelIds.length).toBeGreaterThan(0);

		await step('chat', async () => {
			await openWorkflow(page, baseUrl, workflow.id!, chat.name);
			const panel = await openNode(page, chat.name);
			// Node versions with Model Choice (default Automatic) show the list under "Specific Model".
			const choice = panel.getByTestId('parameter-input-modelChoice');
			if (await choice.isVisible()) {
				await choice.click();
				await page.getByRole('option', { name: 'Specific Model' }).click();
			}
			const locator = panel.getByTestId('resource-locator-model');
			await locator.getByTestId('rlc-mode-selector').click();
			await page.getByRole('option', { name: 'From list' }).click();
			await locator.getByTestId('rlc-input').click();
			const items = page.getByTestId('rlc-item');
			await items.first().waitFor();
			// The list shows "id" (ready) or "id (status: may fail)".
			const listed = await waitFor(
				'every served model in the list',
				async () => {
					const ids = (await items.allInnerTexts()).map((t) => t.trim().split(' (')[0]).sort();
					return ids.length >= modelIds.length ? ids : undefined;
				},
				UI_TIMEOUT_MS,
				250,
			);
			await editor.screenshot('chat--model-list');
			expect(listed).toEqual(modelIds);

			const picked = (await items.first().innerText()).trim().split(' (')[0];
			await items.first().click();
			await expect(locator.getByTestId('rlc-input').inputValue()).resolves.toBe(picked);
			expect(await nodeIssues(page, chat.name)).toEqual([]);

			const callsBefore = (await stack.chatCalls()).length;
			await panel.getByTestId('node-execute-button').click();
			const call = await waitFor(
				'the Chat node to ask the emulator',
				async () => {
					const calls: ChatRecord[] = await stack.chatCalls();
					const last = calls.length > callsBefore ? calls[calls.length - 1] : undefined;
					// A call is recorded when it starts; its answer is filled in when it ends.
					return last && (last.responseText !== null || last.status !== 200) ? last : undefined;
				},
				CHAT_ANSWER_MS,
				250,
			);
			expect({ status: call.status, model: call.model }).toEqual({ status: 200, model: picked });
			const answer = call.responseText ?? '';
			expect(answer).not.toBe('');
			const output = panel.getByTestId('output-panel');
			await output.getByText(answer, { exact: false }).first().waitFor({ timeout: CHAT_ANSWER_MS });
			expect(await output.getByTestId('node-error-message').count()).toBe(0);
			await editor.screenshot('chat--execute-step-output');
			await closeNode(page);
		});
	});

	test('Trigger: "Test this trigger" shows the first match with its snapshot in the binary view', async () => {
		const workflow = example(TRIGGER_EXAMPLE);
		const trigger = nodesOf(workflow).find((n) => n.type === TRIGGER_TYPE);
		if (!trigger) throw new Error(`${TRIGGER_EXAMPLE} has no Overshoot Trigger`);

		await step('trigger', async () => {
			await openWorkflow(page, baseUrl, workflow.id!, trigger.name);
			const panel = await openNode(page, trigger.name);
			const output = panel.getByTestId('output-panel');
			const callsBefore = (await stack.chatCalls()).length;
			await output.getByRole('button', { name: 'Test this trigger' }).click();
			await editor.screenshot('trigger--listening');

			const snapshot = output.getByTestId('ndv-binary-data_0');
			const displayMode = output.getByTestId('ndv-run-data-display-mode');
			await displayMode.first().waitFor({ timeout: TRIGGER_FIRST_MATCH_MS });
			await output.getByRole('radio', { name: 'Binary' }).click();
			await snapshot.waitFor();
			const card = await snapshot.innerText();
			expect(card).toContain('snapshot');
			expect(card).toContain('image/jpeg');

			// The match's answer, as the emulator gave it: the trigger fires on the first "Yes".
			const calls = (await stack.chatCalls()).slice(callsBefore);
			const match = calls.find((c) => c.status === 200 && /^Yes/.test(c.responseText ?? ''));
			expect(match).toBeDefined();

			await snapshot.getByTestId('ndv-view-binary-data').click();
			const image = output.locator('img').first();
			await image.waitFor();
			const loaded = await waitFor(
				'the snapshot image to load',
				async () => {
					const size = await image.evaluate(
						(img: { complete: boolean; naturalWidth: number; naturalHeight: number }) =>
							img.complete ? [img.naturalWidth, img.naturalHeight] : undefined,
					);
					return size && size[0] > 0 ? size : undefined;
				},
				UI_TIMEOUT_MS,
				250,
			);
			expect(loaded[0]).toBeGreaterThan(0);
			await editor.screenshot('trigger--snapshot');

			await output.getByRole('radio', { name: 'JSON' }).click();
			await output.getByText(match!.responseText!, { exact: false }).first().waitFor();
			await editor.screenshot('trigger--first-match');
			await closeNode(page);
		});
		// The test run ends with its first match: the trigger deletes its stream.
		await waitFor(
			"the test run's stream to be deleted",
			async () => {
				const state = await stack.emulatorState();
				return state.streams.every((s) => s.state !== 'active') && state.openRooms.length === 0;
			},
			30_000,
			250,
		);
	});
});
