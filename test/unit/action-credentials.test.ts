// The credentials: Bearer auth, the credential test's URL (host root + billing balance) for
// every base URL shape, its status rules, and the camera credential's offline test.
import { Workflow, type ICredentialTestFunctions, type ICredentialsDecrypted, type IAuthenticateRuleResponseCode } from 'n8n-workflow';
import { OvershootApi } from '../../credentials/OvershootApi.credentials';
import { OvershootCameraApi } from '../../credentials/OvershootCameraApi.credentials';
import { overshootCameraApiTest } from '../../nodes/Overshoot/actions/shared/camera-credential-test';

const workflow = new Workflow({
	nodes: [{ id: '1', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never,
});

/** Resolves an expression the way n8n resolves credential expressions ($credentials in scope). */
function resolve(expression: string, credentials: Record<string, string>): unknown {
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'N', [], 'internal', { $credentials: credentials } as never);
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

	it.each([
		['https://api.overshoot.ai/v1', 'https://api.overshoot.ai'],
		['https://api.overshoot.ai/v1/', 'https://api.overshoot.ai'],
		['https://api.overshoot.ai/v1beta', 'https://api.overshoot.ai'],
		[' http://127.0.0.1:4010/v1 ', 'http://127.0.0.1:4010'],
		['https://proxy.example/ovs/v1', 'https://proxy.example/ovs'],
	])('tests %s against <root>/billing/accounts/me/balance', (baseUrl, root) => {
		expect(resolve(cred.test.request.baseURL as string, { baseUrl })).toBe(root);
		expect(cred.test.request).toMatchObject({ url: '/billing/accounts/me/balance', method: 'GET' });
	});

	it('has actionable messages for 401, 403 and 404', () => {
		const rules = (cred.test.rules ?? []) as IAuthenticateRuleResponseCode[];
		const by = Object.fromEntries(rules.map((r) => [r.properties.value, r.properties.message]));
		expect(by[401]).toMatch(/rejected this API key/);
		expect(by[403]).toMatch(/not assigned to a user/);
		expect(by[404]).toMatch(/Check the Base URL/);
	});
});

describe('overshootCameraApi credential', () => {
	const camera = new OvershootCameraApi();
	const run = (data: Record<string, string>) =>
		overshootCameraApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'cam', type: 'overshootCameraApi', data } as ICredentialsDecrypted);

	it('has a username and a password field', () => {
		expect(camera.name).toBe('overshootCameraApi');
		expect(camera.properties.map((p) => [p.name, p.typeOptions?.password ?? false])).toEqual([
			['username', false],
			['password', true],
		]);
	});

	it('checks what it can offline and says the login is verified on connect', async () => {
		expect(await run({ username: 'admin', password: 'p@ss:word' })).toMatchObject({ status: 'OK', message: expect.stringMatching(/first connects/) });
		expect(await run({ username: '', password: '' })).toMatchObject({ status: 'OK' });
		expect(await run({ username: '', password: 'x' })).toMatchObject({ status: 'Error' });
		expect(await run({ username: 'admin\n', password: 'x' })).toMatchObject({ status: 'Error' });
		expect(await run({ username: ' admin', password: 'x' })).toMatchObject({ status: 'Error' });
	});
});
