import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Overshoot API key. One credential for the action node and the trigger.
 *
 * Its test is the nodes' `overshootApiTest` (nodes/Overshoot/shared/api-credential-test.ts,
 * referenced with `testedBy`), not a declarative `test` here: n8n 2.40's credential tester
 * (packages/cli/src/services/credentials-tester.service.ts) uses a credential's own `test` before
 * looking at `testedBy`, and a declarative test counts every non-2xx answer as a failure. On a
 * server with only the v1 endpoints the one harmless probe of a key answers 404 when the key is
 * accepted (GET /streams/<nil UUID>), which only a function can call a success.
 */
export class OvershootApi implements ICredentialType {
	name = 'overshootApi';

	displayName = 'Overshoot API';

	icon: Icon = { light: 'file:overshoot.svg', dark: 'file:overshoot.dark.svg' };

	documentationUrl = 'https://docs.overshoot.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'Create one at https://platform.overshoot.ai. Overshoot keys start with "ovs-".',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.overshoot.ai/v1',
			description:
				'The Overshoot API base URL including its version path. Change it only for a proxy, a regional endpoint or a local emulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};
}
