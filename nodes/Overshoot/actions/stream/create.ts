// Stream → Create: POST /streams. Either a LiveKit room you publish into yourself, or (v1beta) a
// camera Overshoot pulls itself. Never retried after a lost response (api/client.ts): a second
// create could leak a billed stream. The camera URL is never echoed in outputs or errors.

import type { IDataObject } from 'n8n-workflow';
import type { CameraSource } from '../../api/types';
import { cameraUrl } from '../../api/validate';
import { withLogin, type CameraLogin } from '../../shared/parameters';
import { readCameraLogin } from '../../shared/camera-login';
import { callOptions, isoTime } from '../params';
import type { OperationDefinition } from '../types';
import { CAMERA_LOGIN_FROM_CREDENTIAL_FROM } from '../../shared/model';

export const SOURCE_URL_FIELD = 'Source URL';

/**
 * The camera Overshoot pulls. `allowUrlLogin`: version 1 nodes (saved workflows) keep a login
 * typed into the URL working; later versions refuse it (it would sit in the workflow JSON, its
 * history and execution data) and take the login from the camera credential, as the trigger does.
 */
export function readCameraSource(
	type: string,
	rawUrl: unknown,
	login: CameraLogin = {},
	allowUrlLogin = false,
): CameraSource | undefined {
	if (type !== 'rtsp' && type !== 'hls') return undefined;
	const emptyMessage = `${SOURCE_URL_FIELD} is empty: enter the ${type.toUpperCase()} address Overshoot should pull.`;
	const { url } = cameraUrl(rawUrl, SOURCE_URL_FIELD, [type], {
		allowLogin: allowUrlLogin,
		emptyMessage,
	});
	return { type, url: withLogin(url, login) };
}

export const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a stream',
	description: 'Open a live video stream that models can be asked about',
	properties: [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			default: 'publish',
			options: [
				{
					name: 'Publish It Yourself (LiveKit)',
					value: 'publish',
					description:
						'Returns a LiveKit URL and token; send video from a browser, an app or the Overshoot Trigger',
				},
				{
					name: 'RTSP Camera (Pulled by Overshoot)',
					value: 'rtsp',
					description: 'Overshoot connects to a publicly reachable RTSP camera itself (v1beta)',
				},
				{
					name: 'HLS Playlist (Pulled by Overshoot)',
					value: 'hls',
					description: 'Overshoot reads a public HLS playlist itself (v1beta)',
				},
			],
			description: 'Where the stream gets its video',
		},
		{
			displayName: SOURCE_URL_FIELD,
			name: 'sourceUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'rtsp://camera.example.com:554/live',
			description:
				'A public address (private and local addresses are refused by Overshoot), without a login: a camera that needs one gets it from the Overshoot Camera credential. It is never shown in outputs or errors.',
			displayOptions: { show: { source: ['rtsp', 'hls'] } },
		},
	],
	async execute(ctx, itemIndex, client) {
		const sourceType = ctx.getNodeParameter('source', itemIndex, 'publish') as string;
		const pulled = sourceType === 'rtsp' || sourceType === 'hls';
		const login = pulled ? await readCameraLogin(ctx, itemIndex) : {};
		const allowUrlLogin = ctx.getNode().typeVersion < CAMERA_LOGIN_FROM_CREDENTIAL_FROM;
		const source = pulled
			? readCameraSource(
					sourceType,
					ctx.getNodeParameter('sourceUrl', itemIndex, ''),
					login,
					allowUrlLogin,
				)
			: undefined;
		// A camera source answers only after the service opened it (up to ~15 s of its own retries).
		const created = await client.createStream(
			source,
			callOptions(ctx, source ? 90_000 : undefined),
		);
		const out: IDataObject = {
			id: created.id,
			state: created.state,
			source_type: created.source?.type ?? source?.type ?? 'livekit',
			publish_url: created.publish?.url ?? null,
			publish_token: created.publish?.token ?? null,
			expires_at_ms: created.expires_at_ms,
			expires_at: isoTime(created.expires_at_ms),
			ttl_seconds: created.ttl_seconds,
		};
		return out;
	},
};
