// The credentials: Bearer auth, the API key's test (a node-side function that works on a v1-only
// server and creates nothing), and the camera credential's offline test.
import { Workflow, type ICredentialTestFunctions, type ICredentialsDecrypted } from 'n8n-workflow';
import { OvershootApi } from '../../credentials/OvershootApi.credentials';
import { OvershootCameraApi } from '../../credentials/OvershootCameraApi.credentials';
import {
	overshootApiTest,
	PROBE_STREAM_ID,
	testApiKey,
} from '../../nodes/Overshoot/shared/api-credential-test';
import { overshootCameraApiTest } from '../../nodes/Overshoot/shared/camera-credential-test';
import type { HttpRequest, HttpResponse, Transport } from '../../nodes/Overshoot/api/http';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import { OvershootTrigger } from '../../nodes/Overshoot/OvershootTrigger.node';

const workflow = new Workflow({
	nodes: [{ id: '1', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	} as never,
});

/** Resolves an expression the way n8n resolves credential expressions ($credentials in scope). */
function resolve(expression: string, credentials: Record<string, string>): unknown {
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'N', [], 'internal', {
		$credentials: credentials,
	} as never);
}

const cred = new OvershootApi();

describe('overshootApi credential', () => {
	it('keeps its public names and fields', () => {
		expect(cred.name).toBe('overshootApi');
		expect(cred.properties.map((p) => p.name)).toEqual(['apiKey', 'baseUrl']);
		expect(cred.properties[0].typeOptions?.password).toBe(true);
		expect(cred.properties[1].default).toBe('https://api.overshoot.ai/v1');
	});

	it('authenticates with a trimmed Bearer key', () => {
		const header = cred.authenticate.properties.headers?.Authorization as string;
		expect(resolve(header, { apiKey: '  ovs-abc123 \n' })).toBe('Bearer ovs-abc123');
	});

	it("has no declarative test: n8n would use it before the nodes' test function", () => {
		expect((cred as { test?: unknown }).test).toBeUndefined();
		for (const node of [new Overshoot(), new OvershootTrigger()]) {
			expect(node.description.credentials?.find((c) => c.name === 'overshootApi')?.testedBy).toBe(
				'overshootApiTest',
			);
			expect(node.methods.credentialTest.overshootApiTest).toBe(overshootApiTest);
		}
	});
});

describe('overshootApi credential test (a v1-only server, nothing created)', () => {
	type Route = (req: HttpRequest) => HttpResponse;
	function probe(route: Route) {
		const calls: HttpRequest[] = [];
		const transport: Transport = async (req) => (calls.push(req), route(req));
		return { calls, run: () => testApiKey(transport, 'http://server.test/v1') };
	}
	const models: HttpResponse = {
		status: 200,
		headers: {},
		body: {
			object: 'list',
			data: [
				{ id: 'a/b', status: 'ready' },
				{ id: 'c/d', status: 'loading' },
			],
		},
	};
	const status = (code: number, detail = 'x'): HttpResponse => ({
		status: code,
		headers: {},
		body: { detail },
	});

	it('404 for the nil stream is a key the server accepted; only GETs are sent, GET /models without the key', async () => {
		const { calls, run } = probe((req) =>
			req.path === '/models' ? models : status(404, 'Stream not found'),
		);
		expect(await run()).toEqual({
			status: 'OK',
			message: 'Overshoot accepted the API key (1 model ready).',
		});
		expect(calls.map((c) => [c.method, c.path, c.anonymous ?? false])).toEqual([
			['GET', '/models', true],
			['GET', `/streams/${PROBE_STREAM_ID}`, false],
		]);
	});

	it.each([
		[401, /rejected this API key/],
		[403, /not assigned to a user/],
		[500, /answered 500/],
	])('%i on the probe is an error that says what to do', async (code, message) => {
		const { run } = probe((req) => (req.path === '/models' ? models : status(code)));
		expect(await run()).toMatchObject({ status: 'Error', message: expect.stringMatching(message) });
	});

	it('a Base URL that is not an Overshoot API (404 on GET /models) is not mistaken for an accepted key', async () => {
		const { calls, run } = probe(() => status(404, 'Not Found'));
		expect(await run()).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(
				/No Overshoot API answered at http:\/\/server\.test\/v1 \(404 on GET \/models\)/,
			),
		});
		expect(calls).toHaveLength(1);
	});

	it('the key never appears in a message, and an empty key sends nothing', async () => {
		const request = jest.fn(async () => ({
			statusCode: 500,
			headers: {},
			body: 'echo ovs-secret-key-123',
		}));
		const ctx = { helpers: { request } } as unknown as ICredentialTestFunctions;
		const data = { apiKey: 'ovs-secret-key-123', baseUrl: 'http://server.test/v1' };
		const result = await overshootApiTest.call(ctx, {
			id: '1',
			name: 'k',
			type: 'overshootApi',
			data,
		} as ICredentialsDecrypted);
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('ovs-secret-key-123');
		request.mockClear();
		const empty = await overshootApiTest.call(ctx, {
			id: '1',
			name: 'k',
			type: 'overshootApi',
			data: { apiKey: ' ', baseUrl: '' },
		} as ICredentialsDecrypted);
		expect(empty).toMatchObject({ status: 'Error', message: expect.stringMatching(/empty/) });
		expect(request).not.toHaveBeenCalled();
	});
});

describe('overshootCameraApi credential', () => {
	const camera = new OvershootCameraApi();
	const run = (data: Record<string, string>) =>
		overshootCameraApiTest.call(
			{} as ICredentialTestFunctions,
			{ id: '1', name: 'cam', type: 'overshootCameraApi', data } as ICredentialsDecrypted,
		);

	it('has a username and a password field', () => {
		expect(camera.name).toBe('overshootCameraApi');
		expect(camera.properties.map((p) => [p.name, p.typeOptions?.password ?? false])).toEqual([
			['username', false],
			['password', true],
		]);
	});

	it('checks what it can offline and says the login is verified on connect', async () => {
		expect(await run({ username: 'admin', password: 'p@ss:word' })).toMatchObject({
			status: 'OK',
			message: expect.stringMatching(/first connects/),
		});
		expect(await run({ username: '', password: '' })).toMatchObject({ status: 'OK' });
		expect(await run({ username: '', password: 'x' })).toMatchObject({ status: 'Error' });
		expect(await run({ username: 'admin\n', password: 'x' })).toMatchObject({ status: 'Error' });
		expect(await run({ username: ' admin', password: 'x' })).toMatchObject({ status: 'Error' });
	});
});
