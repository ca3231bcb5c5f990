// The optional Overshoot Camera credential (a camera's RTSP login), read the same way by the
// trigger, Check → Run Once and Stream → Create.

import type { IExecuteFunctions, ITriggerFunctions } from 'n8n-workflow';

import type { CameraLogin } from './parameters';

export const CAMERA_CREDENTIAL = 'overshootCameraApi';

/**
 * The optional camera login; only read when the node has one selected (getCredentials throws
 * otherwise). The action node passes the item index, the trigger has none.
 */
export async function readCameraLogin(
	ctx: Pick<ITriggerFunctions | IExecuteFunctions, 'getNode' | 'getCredentials'>,
	itemIndex?: number,
): Promise<CameraLogin> {
	if (!ctx.getNode().credentials?.[CAMERA_CREDENTIAL]) return {};
	const c = await ctx.getCredentials<{ username?: string; password?: string }>(
		CAMERA_CREDENTIAL,
		itemIndex,
	);
	return { username: c.username?.trim() || undefined, password: c.password || undefined };
}
