// Checks the trigger e2e test and the Docker image test share: the gray scene stays quiet, and
// the red one fires with a red snapshot. Test-only (they use jest's expect), so they live here
// and not in harness/, which the benchmarks and the chaos run use too.
import type { ChatRecord } from '../../emulator/chat';
import type { N8nInstance } from '../../harness/n8n';
import {
	binaryBytes,
	meanRgb,
	type BinaryRef,
	type TriggerStack,
} from '../../harness/trigger-stack';
import { waitFor } from '../../harness/wait';

/** Answered (HTTP 200) questions about a stream, oldest first. */
export async function answeredCalls(stack: TriggerStack, streamId: string): Promise<ChatRecord[]> {
	return (await stack.chatCalls()).filter(
		(c) => c.streamIds.includes(streamId) && c.status === 200,
	);
}

/**
 * The camera's gray scene: `count` answers about the stream, every one "No.", and no execution of
 * the workflow. Used before the scene turns red, so a later execution can only be the red one.
 */
export async function expectQuietOnGray(
	stack: TriggerStack,
	workflowId: string,
	streamId: string,
	count: number,
): Promise<void> {
	const gray = await waitFor(
		`${count} answers about the gray scene`,
		async () => {
			const calls = await answeredCalls(stack, streamId);
			return calls.length >= count ? calls : undefined;
		},
		30_000,
		250,
	);
	expect(gray.map((c) => c.responseText?.slice(0, 3))).toEqual(gray.map(() => 'No.'));
	expect(await stack.n8n.api.executions(workflowId, false)).toEqual([]);
}

/** A fired item's snapshot: a JPEG (by type and by its bytes) whose centre is the camera's red. */
export async function expectRedSnapshot(
	n8n: N8nInstance,
	snapshot: BinaryRef | undefined,
): Promise<void> {
	expect(snapshot?.mimeType).toBe('image/jpeg');
	const jpeg = await binaryBytes(n8n, snapshot!);
	expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
	const [r, g, b] = await meanRgb(jpeg);
	expect({ r: r > 200, g: g < 60, b: b < 60 }).toEqual({ r: true, g: true, b: true });
}
