// The credentials the example workflows reference (by id and name), filled in for the emulator:
// the e2e tests, the benchmarks and the demo import them with the examples.

import type { Credential } from './n8n';

/** The id and name `examples/*.json` use, so imported examples find their credential. */
export const EXAMPLE_CREDENTIAL = { id: 'ovsExampleCred01', name: 'Overshoot account' };

export function overshootCredential(emulatorUrl: string): Credential {
	return {
		...EXAMPLE_CREDENTIAL,
		type: 'overshootApi',
		data: { apiKey: 'ovs-test-key', baseUrl: `${emulatorUrl}/v1` },
	};
}

/** camera-alert.json names a camera login; a placeholder lets it open without a credential issue. */
export const EXAMPLE_CAMERA_CREDENTIAL: Credential = {
	id: 'ovsExampleCam01',
	name: 'Front door camera login',
	type: 'overshootCameraApi',
	data: { username: 'viewer', password: 'change-me' },
};
