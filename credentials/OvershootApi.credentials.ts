import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The Overshoot API key. One credential for the action node and the trigger.
 *
 * Why the test asks for the account balance: n8n 2.40's credential tester
 * (packages/cli/src/services/credentials-tester.service.ts) treats every non-2xx answer as a
 * failure, and `rules` can only replace the message of a failing status, never turn one into a
 * success. So the probe must answer 2xx for a good key and 401/403 for a bad one. The only
 * authenticated GET that does that and creates nothing billable is v1beta's
 * `GET /billing/accounts/me/balance`, which lives at the host root (not under /v1). A GET of a
 * nil-UUID stream would answer 404 for a *valid* key, which n8n would report as a failure; and
 * `GET /models` is public, so it cannot tell keys apart. An unreachable server is reported by n8n
 * with the connection error code (ECONNREFUSED, ENOTFOUND, ...).
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

	test: ICredentialTestRequest = {
		request: {
			// Billing lives at the host root: strip a trailing /v1 or /v1beta (and slashes).
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v1(beta)?$/, "")}}',
			url: '/billing/accounts/me/balance',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Overshoot rejected this API key (401). Paste a valid key from https://platform.overshoot.ai (keys start with "ovs-"), without spaces or the word "Bearer".',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Overshoot accepted the key but refused access (403): the key is not assigned to a user. Create a new key in https://platform.overshoot.ai.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Overshoot API answered at this Base URL (404 on /billing/accounts/me/balance). Check the Base URL, e.g. https://api.overshoot.ai/v1.',
				},
			},
		],
	};
}
