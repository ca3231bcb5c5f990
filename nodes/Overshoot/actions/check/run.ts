// Check → Run Once ("every hour, check the parking lot"): opens a stream from the same sources
// as the trigger, records N seconds, asks one question, returns the answer with a snapshot and
// always deletes the stream (watch/one-shot.ts guarantees that, also on error and cancel).

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OvershootClient } from '../../api/client';
import { loadRtc, loadSharp } from '../../watch/native';
import { runCheck, type CheckOptions } from '../../watch/one-shot';
import { createSource } from '../../watch/sources';
import { checkToItem } from '../../shared/item';
import { watchLogger } from '../../shared/logger';
import type { ParamReader } from '../../shared/param-reader';
import { QUESTION_NUMBERS, readNumber } from '../../shared/numbers';
import {
	optionsReader,
	readPulledCamera,
	readQuestion,
	readSourceParams,
	readVideo,
} from '../../shared/parameters';
import { checkSourceFiles, pathGuard, toSourceOptions } from '../../shared/source';
import { readCameraLogin } from '../../shared/camera-login';
import { readModel } from '../../shared/model';
import type { OperationDefinition } from '../types';
import { checkProperties } from './fields';
import { CHECK_NUMBERS } from './numbers';

/** Runs the check for one item and returns the item with the snapshot in binary "snapshot". */
export async function runCheckItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	client: OvershootClient,
): Promise<INodeExecutionData> {
	const read: ParamReader = (name, fallback) =>
		ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const kind = read('source', 'rtsp');
	const login =
		kind === 'rtsp' || kind === 'pulledCamera' ? await readCameraLogin(ctx, itemIndex) : {};
	const secrets = login.password ? [login.password] : [];
	const model = readModel(ctx, itemIndex);
	const source = readSourceParams(read, login);
	const video = readVideo(read);
	const opts = optionsReader(read);
	// Checked by the engine (runCheck), which names the field.
	const publishSeconds = read(
		CHECK_NUMBERS.recordSeconds.key,
		CHECK_NUMBERS.recordSeconds.default,
	) as number;
	// "Recorded Clip" is the whole recording: its length is Record For (Seconds).
	const question = readQuestion(read, model, publishSeconds);
	const options: CheckOptions = {
		...question,
		publishSeconds,
		snapshot: {
			enabled: opts('snapshot') !== false,
			quality: readNumber(opts, QUESTION_NUMBERS.snapshotQuality),
		},
		firstFrameTimeoutSeconds: readNumber(opts, CHECK_NUMBERS.firstFrameTimeoutSeconds),
	};
	if (source.kind === 'pulledCamera') {
		// Same rules as the trigger (no login in the URL; the credential is put in here).
		options.cameraSource = readPulledCamera(read, login);
	}
	const sourceOptions = toSourceOptions(source, video);
	if (sourceOptions) {
		loadRtc();
		if (options.snapshot?.enabled || sourceOptions.kind === 'imageFiles') loadSharp();
	}
	// Execute contexts have n8n's own file-access helpers: use them (the trigger has to re-implement them).
	await checkSourceFiles(source, ctx.helpers);
	const logger = watchLogger(
		ctx.logger,
		{ workflowId: ctx.getWorkflow().id, node: ctx.getNode().name, itemIndex },
		secrets,
	);
	const guard = pathGuard(source, ctx.helpers);
	const result = await runCheck(options, {
		client,
		createSource: sourceOptions
			? ({ logger }) => createSource(sourceOptions, guard, logger)
			: undefined,
		logger,
		signal: ctx.getExecutionCancelSignal?.(),
	});
	const item = await checkToItem(
		result,
		(data, name, mime) => ctx.helpers.prepareBinaryData(data, name, mime),
		secrets,
	);
	return { ...item, pairedItem: { item: itemIndex } };
}

export const run: OperationDefinition = {
	value: 'run',
	name: 'Run Once',
	action: 'Check a camera or video once',
	description:
		'Record a few seconds of a camera or video, ask one question about it, and delete the stream again',
	properties: checkProperties,
	async executeItems(ctx, itemIndex, client) {
		return [await runCheckItem(ctx, itemIndex, client)];
	},
};
