// Everything trigger() must do before anything connects: read and validate the parameters and
// credentials, check that the native modules load and that n8n may read the files, and build the
// watcher. Any failure here is a NodeOperationError naming the field, and nothing was started.

import type { ITriggerFunctions } from 'n8n-workflow';

import { OvershootClient } from '../api/client';
import { readCameraLogin } from '../shared/camera-login';
import { readModelChoice } from '../shared/model';
import { isV1beta } from '../api/transport';
import { stableId } from '../watch/incident';
import { createN8nTransport } from '../shared/transport';
import { loadRtc, loadSharp } from '../watch/native';
import { resolveWatcherOptions } from '../watch/options';
import { createSource } from '../watch/sources';
import { Watcher } from '../watch/watcher';
import { toTriggerError } from './errors';
import { watchLogger } from '../shared/logger';
import type { ParamReader } from '../shared/param-reader';
import { readTriggerConfig, TRIGGER_FIELD_NAMES } from './parameters';
import { runsOnQueueWorker, withWorkerHint } from './queue-worker';
import { TriggerRun } from './run';
import { checkSourceFiles, pathGuard, toSourceOptions } from '../shared/source';
import { triggerStreamLedger } from './stream-ledger-file';

export function nodeReader(ctx: Pick<ITriggerFunctions, 'getNodeParameter'>): ParamReader {
	return (name, fallback) => ctx.getNodeParameter(name, fallback) as unknown;
}

export async function setUpTrigger(ctx: ITriggerFunctions): Promise<TriggerRun> {
	const node = ctx.getNode();
	const where = { manual: ctx.getMode() === 'manual', onWorker: runsOnQueueWorker() };
	let secrets: string[] = [];
	try {
		const sourceKind = ctx.getNodeParameter('source', 'rtsp') as string;
		const login =
			sourceKind === 'rtsp' || sourceKind === 'pulledCamera' ? await readCameraLogin(ctx) : {};
		if (login.password) secrets.push(login.password);
		const model = readModelChoice((n, f, o) => ctx.getNodeParameter(n, f, o));
		const config = readTriggerConfig(nodeReader(ctx), model, login, node.typeVersion);
		const watcherOptions = resolveWatcherOptions(config.watcher, TRIGGER_FIELD_NAMES); // field-naming errors before anything starts
		const sourceOptions = toSourceOptions(config.source, config.video);

		// Native modules: fail with the clear NativeModuleError now, not on the first frame.
		if (sourceOptions) loadRtc();
		if (sourceOptions && (watcherOptions.snapshot.enabled || sourceOptions.kind === 'imageFiles'))
			loadSharp();
		await checkSourceFiles(config.source);

		// The watcher calls Overshoot after trigger() returned: see N8nTransportOptions.selfAuthenticate.
		const n8n = await createN8nTransport(ctx, { selfAuthenticate: true });
		secrets = [...n8n.secrets, ...secrets];
		// v1beta: one prompt-cache thread per trigger node, so its repeated question hits the cache.
		if (isV1beta(n8n.baseUrl))
			watcherOptions.threadId = stableId('n8n-trigger', ctx.getWorkflow().id ?? '', node.id);
		const logger = watchLogger(
			ctx.logger,
			{ workflowId: ctx.getWorkflow().id, node: node.name },
			secrets,
		);
		const run = new TriggerRun(ctx, {
			...where,
			emitEveryAnswer: watcherOptions.emitEveryAnswer,
			oneRunAtATime: config.oneRunAtATime,
			secrets,
			logger,
		});
		const guard = pathGuard(config.source);
		const watcher = new Watcher(watcherOptions, {
			client: new OvershootClient(n8n.transport),
			createSource: sourceOptions
				? ({ logger }) => createSource(sourceOptions, guard, logger)
				: undefined,
			logger,
			ledger: triggerStreamLedger(ctx.getWorkflow().id, node.id, where.manual),
			waitForStreamSlot: !where.manual, // a test run reports the full stream cap at once
			...run.callbacks(),
		});
		run.attach(watcher);
		return run;
	} catch (error) {
		throw withWorkerHint(toTriggerError(node, error, secrets), error, where);
	}
}
