// Reading the run data `n8n execute --rawOutput` prints. The JSON is pretty-printed with a `{` and
// a `}` on lines of their own, but log lines may come before it (migrations, community packages,
// task runner) and, on a failed run, before and after it; so try every top-level block.

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: {
		main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null>;
	};
}

export interface RunData {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; node?: { name?: string } };
		};
	};
}

export function parseRunOutput(text: string): RunData | undefined {
	const lines = text.split('\n');
	let found: RunData | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trimEnd() !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end].trimEnd() !== '}') continue;
			const parsed = tryParse(lines.slice(start, end + 1).join('\n'));
			if (parsed && isRunData(parsed)) {
				found = parsed;
				start = end;
				break;
			}
		}
	}
	return found;
}

function tryParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function isRunData(value: unknown): value is RunData {
	const v = value as RunData;
	return typeof v === 'object' && v !== null && typeof v.data?.resultData?.runData === 'object';
}

/** The `json` of every item a node put on output `outputIndex` in its last run. */
export function nodeItems(
	run: RunData,
	nodeName: string,
	outputIndex = 0,
): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	const last = runs[runs.length - 1];
	return (last.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

/** A short description of why a run failed, for assertion messages. */
export function runError(run: RunData): string | undefined {
	const err = run.data.resultData.error;
	if (err) return `${err.node?.name ?? '?'}: ${err.message ?? ''} ${err.description ?? ''}`.trim();
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		const failed = runs.find((r) => r.error);
		if (failed) return `${name}: ${failed.error?.message ?? ''}`;
	}
	return undefined;
}
