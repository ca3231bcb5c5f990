// Where a trigger's stream ledger lives (see watch/stream-ledger.ts): inside n8n's own folder,
// found the way n8n finds it (N8N_USER_FOLDER, else the home folder, then `.n8n`). That folder is
// the volume Docker users keep, so the ledger survives a container restart as well as a crash.
// One file per workflow, node and mode: a test run ("Listen for test event") must never end the
// stream of the same trigger running in the active workflow.

import os from 'node:os';
import path from 'node:path';

import { FileStreamLedger, type StreamLedger } from '../watch/stream-ledger';

type Env = Record<string, string | undefined>;

const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]/g, '_');

export function n8nFolder(env: Env = process.env): string {
	return path.join(env.N8N_USER_FOLDER || os.homedir(), '.n8n');
}

/** undefined for a workflow that has no id yet (nothing to key the ledger by). */
export function triggerStreamLedger(
	workflowId: string | undefined,
	nodeId: string,
	manual: boolean,
	env: Env = process.env,
): StreamLedger | undefined {
	if (!workflowId) return undefined;
	const file = `${safe(workflowId)}.${safe(nodeId)}${manual ? '.test' : ''}.json`;
	return new FileStreamLedger(path.join(n8nFolder(env), 'overshoot-streams', file));
}
