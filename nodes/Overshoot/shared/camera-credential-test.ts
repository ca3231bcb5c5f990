// The test of the `overshootCameraApi` credential (an RTSP login). No HTTP request can check an
// RTSP login, and n8n's credential tester only sends HTTP, so the trigger node references this
// function: `credentials: [{ name: 'overshootCameraApi', testedBy: 'overshootCameraApiTest' }]`
// and `methods.credentialTest.overshootCameraApiTest`. It checks what can be checked offline and
// says plainly that the login itself is verified on the first connection.

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export async function overshootCameraApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const username = String(credential.data?.username ?? '');
	const password = String(credential.data?.password ?? '');
	if (!username && password)
		return {
			status: 'Error',
			message:
				'A password without a username cannot be sent to an RTSP camera: enter the camera user too.',
		};
	if (CONTROL.test(username) || CONTROL.test(password))
		return {
			status: 'Error',
			message:
				'The username or password contains a line break or another control character: paste it again.',
		};
	if (username !== username.trim())
		return { status: 'Error', message: 'The username starts or ends with a space: remove it.' };
	return {
		status: 'OK',
		message: username
			? 'Saved. Only the camera can check this login: it is verified when the Overshoot Trigger first connects (use "Fetch Test Event").'
			: 'Saved without a login (for cameras that need none).',
	};
}
