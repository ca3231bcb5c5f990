// Where a test listen runs in n8n's queue mode. n8n 2.40 runs "Test this trigger" on a worker when
// the main has OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true (its WorkflowRunner then enqueues manual
// runs too); otherwise on the main, like active triggers. On a worker the test listen opens the
// camera or video from there, so a failure that comes from the host (no ffmpeg, GStreamer parts,
// native modules, a file, a camera out of reach) gets a hint saying so and what to change. API
// errors (key, credits, limits) and field errors are the same wherever they happen and get none.

import type { NodeOperationError } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { InputError } from '../api/errors';

export const WORKER_TEST_HINT =
	'This test run executed on an n8n worker: in queue mode with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, n8n runs "Test this trigger" on a worker. ' +
	'The worker then needs what the main needs to watch video: ffmpeg (GStreamer optional), this package with its native modules, the video files, and a network path to the camera. ' +
	'Install them on every worker, or unset OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS on the main to test on the main. Active workflows always watch on the main.';

/** `n8n worker` (bin/n8n's first argument); `n8n start` and `n8n webhook` are not. */
export function runsOnQueueWorker(argv: readonly string[] = process.argv): boolean {
	return argv[2] === 'worker';
}

/** Adds the worker hint to `error` (the n8n error made of `cause`) when it is a host-side failure of a manual run on a worker. */
export function withWorkerHint<E extends NodeApiError | NodeOperationError>(
	error: E,
	cause: unknown,
	where: { manual: boolean; onWorker: boolean },
): E {
	if (
		!where.manual ||
		!where.onWorker ||
		error instanceof NodeApiError ||
		cause instanceof InputError
	)
		return error;
	if (error.description?.includes(WORKER_TEST_HINT)) return error;
	error.description = error.description
		? `${error.description} ${WORKER_TEST_HINT}`
		: WORKER_TEST_HINT;
	return error;
}
