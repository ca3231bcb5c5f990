// Talking to a running n8n 2.40 over HTTP, headlessly. The public API (`/api/v1`) needs an API
// key, and API keys belong to a user, so on first use we:
//   1. POST /rest/owner/setup            (skipAuth; answers with the `n8n-auth` cookie)
//   2. GET  /rest/api-keys/scopes        (every scope the owner role may grant)
//   3. POST /rest/api-keys               ({ label, scopes, expiresAt: null } → `rawApiKey`)
// The cookie's JWT is bound to the `browser-id` header it was issued with, so we send a fixed one.

import type { RunData } from './n8n-output';

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: RunData['data'];
}

const BROWSER_ID = 'ovs-e2e-browser';
/** The owner `ensureOwner` creates (the demo prints it so the user can log in). */
export const OWNER = {
	email: 'owner@example.com',
	password: 'Passw0rd-e2e!',
	firstName: 'E2e',
	lastName: 'Owner',
};

export class N8nApi {
	private cookie?: string;
	private apiKey?: string;

	constructor(readonly baseUrl: string) {}

	/** Internal REST call as the owner (sets the owner up on first use). */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		await this.ensureOwner();
		return (await this.request(method, urlPath, body, { cookie: this.cookie! })) as T;
	}

	/** Public API call (`/api/v1/...`) with the instance's API key. */
	async public<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		await this.ensureApiKey();
		return (await this.request(method, `/api/v1${urlPath}`, body, {
			'x-n8n-api-key': this.apiKey!,
		})) as T;
	}

	/** A public API call that resolves for every status (for asserting on refusals). */
	async publicResponse(
		method: string,
		urlPath: string,
		body?: unknown,
	): Promise<{ status: number; body: unknown }> {
		await this.ensureApiKey();
		const res = await fetch(`${this.baseUrl}/api/v1${urlPath}`, {
			method,
			headers: {
				'x-n8n-api-key': this.apiKey!,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		return { status: res.status, body: parsed };
	}

	/**
	 * An execution's binary data (`binary.<prop>.id`, e.g. `filesystem-v2:…`) through the editor's
	 * own endpoint, as the owner: what the UI shows when you open the snapshot.
	 */
	async binary(id: string): Promise<{ mimeType: string; data: Buffer }> {
		await this.ensureOwner();
		const query = new URLSearchParams({ id, action: 'view' });
		const res = await fetch(`${this.baseUrl}/rest/binary-data?${query}`, {
			headers: { 'browser-id': BROWSER_ID, cookie: this.cookie! },
			signal: AbortSignal.timeout(30_000),
		});
		if (!res.ok)
			throw new Error(
				`GET /rest/binary-data?id=${id}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`,
			);
		return {
			mimeType: res.headers.get('content-type') ?? '',
			data: Buffer.from(await res.arrayBuffer()),
		};
	}

	/**
	 * Publishes (n8n 1.x: activates) a workflow. n8n 2.40's default publication service answers
	 * once the publication is queued and starts the trigger right after, in the background (see
	 * `waitForPublication` in trigger-stack.ts); with N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false
	 * it starts the trigger before answering and an activation error is the answer (400).
	 */
	async activate(workflowId: string): Promise<void> {
		await this.public('POST', `/workflows/${workflowId}/activate`, {});
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.public('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/**
	 * What the editor's "Execute step" on a trigger does ("Test this trigger" / listen for a test
	 * event): `POST /rest/workflows/{id}/run` from that trigger, on the saved workflow. Resolves
	 * with the id of the manual execution n8n started.
	 */
	async runManually(workflowId: string, triggerNode: string): Promise<string> {
		const body = {
			triggerToStartFrom: { name: triggerNode },
			destinationNode: { nodeName: triggerNode, mode: 'inclusive' },
		};
		const started = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			body,
		);
		if (!started.executionId)
			throw new Error(
				`manual run of ${workflowId} started no execution: ${JSON.stringify(started)}`,
			);
		return started.executionId;
	}

	/** The editor's "Stop" on a running execution (`POST /rest/executions/{id}/stop`). */
	async stopExecution(executionId: string): Promise<unknown> {
		return this.rest('POST', `/rest/executions/${executionId}/stop`, {});
	}

	/** One execution with its data (`GET /api/v1/executions/{id}?includeData=true`). */
	async execution(executionId: string): Promise<Execution> {
		return this.public<Execution>('GET', `/executions/${executionId}?includeData=true`);
	}

	async executions(workflowId: string, includeData = true): Promise<Execution[]> {
		const query = new URLSearchParams({
			workflowId,
			includeData: String(includeData),
			limit: '250',
		});
		const res = await this.public<{ data: Execution[] }>('GET', `/executions?${query}`);
		return res.data;
	}

	/** Polls until `count` executions of the workflow have finished (any status); oldest first. */
	async waitForExecutions(workflowId: string, count = 1, timeoutMs = 60_000): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const done = (await this.executions(workflowId)).filter(
				(e) => e.stoppedAt !== null && e.status !== 'running' && e.status !== 'new',
			);
			if (done.length >= count) return done.sort((a, b) => Number(a.id) - Number(b.id));
			if (Date.now() > deadline)
				throw new Error(
					`only ${done.length} of ${count} executions of ${workflowId} finished within ${timeoutMs} ms`,
				);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** The node types the instance loaded (`/types/nodes.json`, what the editor reads). */
	async nodeTypeNames(): Promise<string[]> {
		return this.typeNames('/types/nodes.json');
	}

	/** The credential types the instance loaded (`/types/credentials.json`). */
	async credentialTypeNames(): Promise<string[]> {
		return this.typeNames('/types/credentials.json');
	}

	private async typeNames(urlPath: string): Promise<string[]> {
		await this.ensureOwner();
		const types = (await this.request('GET', urlPath, undefined, {
			cookie: this.cookie!,
		})) as Array<{ name: string }>;
		return [...new Set(types.map((t) => t.name))];
	}

	private async ensureOwner(): Promise<void> {
		if (this.cookie) return;
		const res = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify(OWNER),
			signal: AbortSignal.timeout(30_000),
		});
		if (!res.ok) throw new Error(`owner setup: HTTP ${res.status} ${await res.text()}`);
		const auth = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!auth) throw new Error('owner setup: no n8n-auth cookie in the answer');
		this.cookie = auth.split(';')[0];
	}

	private async ensureApiKey(): Promise<void> {
		if (this.apiKey) return;
		const scopes = await this.rest<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			label: 'e2e',
			scopes,
			expiresAt: null,
		});
		this.apiKey = created.rawApiKey;
	}

	private async request(
		method: string,
		urlPath: string,
		body: unknown,
		headers: Record<string, string>,
	): Promise<unknown> {
		const res = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'browser-id': BROWSER_ID,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 2000)}`);
		if (!text) return undefined;
		const parsed = JSON.parse(text) as unknown;
		// The internal REST API wraps answers in `{ data }`; the public API does not.
		return urlPath.startsWith('/rest/') &&
			typeof parsed === 'object' &&
			parsed !== null &&
			'data' in parsed
			? (parsed as { data: unknown }).data
			: parsed;
	}
}
