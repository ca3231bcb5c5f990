import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The login of an RTSP camera, kept out of the workflow JSON (and so out of exports, logs and
 * screenshots). The trigger inserts it into the camera URL itself; the URL in the node stays
 * free of secrets.
 *
 * There is no HTTP request that could check an RTSP login, so this credential has no declarative
 * `test`. It is tested by the trigger node (`testedBy: 'overshootCameraApiTest'`, implemented in
 * nodes/Overshoot/shared/camera-credential-test.ts), which checks what can be checked
 * without the camera and says that the login itself is verified on the first connection.
 */
export class OvershootCameraApi implements ICredentialType {
	name = 'overshootCameraApi';

	displayName = 'Overshoot Camera (RTSP Login) API';

	icon: Icon = { light: 'file:overshoot.svg', dark: 'file:overshoot.dark.svg' };

	documentationUrl = 'https://docs.overshoot.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'The camera user (RTSP login). Leave empty for cameras without a login.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The camera password. Special characters are fine: they are URL-encoded for you.',
		},
	];
}
