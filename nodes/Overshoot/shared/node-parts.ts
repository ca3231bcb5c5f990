// What both node descriptions share: the icon and the methods their descriptions name (the
// model list, the credential tests). The credential lists stay literal in the node files, where
// n8n's lint rules read them.

import type { INodeTypeDescription } from 'n8n-workflow';

import { overshootApiTest } from './api-credential-test';
import { overshootCameraApiTest } from './camera-credential-test';
import { searchModels } from './model';

export const OVERSHOOT_ICON: INodeTypeDescription['icon'] = {
	light: 'file:overshoot.svg',
	dark: 'file:overshoot.dark.svg',
};

/** The model list of the picker and the credential tests, by the names the descriptions use. */
export function nodeMethods() {
	return {
		listSearch: { searchModels },
		credentialTest: { overshootApiTest, overshootCameraApiTest },
	};
}
