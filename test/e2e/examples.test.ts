// Every example workflow that starts with a Manual Trigger runs in a real n8n against the
// emulator (a separate process, with LiveKit), finishes with status success, and its nodes
// output what examples/README.md promises. The expectations live in the table below; the test
// fails when an example has no row (so a new example cannot go unchecked), when a row names a
// missing example, and when README.md does not describe an example. The emulator serves a model
// catalogue that shares no id with anything we ship (`--catalog`, test/support/foreign-catalog.ts):
// the examples run unchanged on any contract-faithful server, and say which model answered.

import fs from 'node:fs';
import path from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulator-process';
import {
	catalogIdsInShippedFiles,
	FOREIGN_AUTOMATIC,
	writeCatalog,
} from '../support/foreign-catalog';
import { makeColorVideo, makeTempDir, type TempDir } from '../../harness/media';
import {
	nodeItems,
	runError,
	startN8n,
	type N8nInstance,
	type WorkflowJson,
} from '../../harness/n8n';
import { REPO_ROOT } from '../../harness/paths';
import { overshootCredential } from './fixtures';

/** node name → keys every item it output must have, and values they must match (partially). */
type Expectation = Record<string, { keys: string[]; values?: Record<string, unknown> }>;

const STREAM_DELETED = {
	keys: ['id', 'deleted', 'already_ended'],
	values: { deleted: true, already_ended: false },
};
const CREATED_KEYS = [
	'id',
	'state',
	'source_type',
	'publish_url',
	'publish_token',
	'expires_at_ms',
	'expires_at',
	'ttl_seconds',
];
const CHAT_KEYS = ['answer', 'finish_reason', 'model', 'usage', 'id', 'stream_ids'];

/** file in examples/ → what its run must produce (examples/README.md, "last node's output"). */
const EXPECTED: Record<string, Expectation> = {
	'model-list.json': {
		'List Models': {
			keys: ['id', 'status', 'ready', 'owned_by', 'created'],
			values: { status: 'ready', ready: true },
		},
	},
	'stream-create.json': {
		'Create Stream': { keys: CREATED_KEYS, values: { state: 'active', source_type: 'livekit' } },
		'Delete Stream': STREAM_DELETED,
	},
	'stream-get.json': {
		'Get Stream': {
			keys: ['id', 'state', 'last_frame_at_ms', 'has_frames', 'expires_at', 'last_frame_at'],
			values: { state: 'active', last_frame_at_ms: null, has_frames: false },
		},
	},
	'stream-renew-lease.json': {
		'Renew Lease': {
			keys: [
				'id',
				'expires_at_ms',
				'expires_at',
				'ttl_seconds',
				'stream_time_ms',
				'publish_url',
				'publish_token',
			],
		},
	},
	'stream-delete.json': {
		'Delete Stream': STREAM_DELETED,
		'Delete Again': { keys: ['id', 'deleted', 'already_ended'], values: { deleted: true } },
	},
	'chat-complete-image.json': {
		'Ask About Snapshot': {
			keys: CHAT_KEYS,
			values: {
				answer: expect.stringMatching(/red/i),
				stream_ids: [],
				model: FOREIGN_AUTOMATIC.image,
			},
		},
	},
	'chat-scheduled-check.json': {
		'Check Snapshot': {
			keys: [...CHAT_KEYS, 'json'],
			values: { json: { red: true }, stream_ids: [], model: FOREIGN_AUTOMATIC.image },
		},
	},
	'check-once.json': {
		'Check Parking Lot': {
			keys: [
				'answer',
				'json',
				'stream_id',
				'stream_deleted',
				'model',
				'media',
				'frames_published',
				'timing',
				'usage',
			],
			values: { stream_deleted: true, model: FOREIGN_AUTOMATIC.video },
		},
	},
};

/** Sample videos the examples point at; the test makes them (red, as the prompts ask about red). */
const SAMPLES_DIR = '/tmp/overshoot-samples/';

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

function manualExamples(): Array<{ file: string; workflow: WorkflowJson }> {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson,
		}))
		.filter(({ workflow }) =>
			(workflow.nodes as Array<{ type: string }>).some((n) => n.type === MANUAL_TRIGGER),
		);
}

const examples = manualExamples();

test('every manual-trigger example has an expectation row, and every row an example', () => {
	expect(Object.keys(EXPECTED).sort()).toEqual(examples.map((e) => e.file));
});

test("the emulator's catalogue shares no model id with nodes/, examples/ or credentials/", () => {
	expect(catalogIdsInShippedFiles()).toEqual([]);
});

test('examples/README.md describes every manual-trigger example', () => {
	const readme = fs.readFileSync(path.join(EXAMPLES_DIR, 'README.md'), 'utf8');
	expect(examples.map((e) => e.file).filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
});

/** Points `videoPath` parameters at sample videos made in `dir` (n8n may read only that dir). */
async function withSamples(workflow: WorkflowJson, dir: string): Promise<WorkflowJson> {
	const nodes = await Promise.all(
		(workflow.nodes as Array<{ parameters?: Record<string, unknown> }>).map(async (node) => {
			const videoPath = node.parameters?.videoPath;
			if (typeof videoPath !== 'string' || !videoPath.startsWith(SAMPLES_DIR)) return node;
			const name = path.basename(videoPath);
			const file = path.join(dir, name);
			if (!fs.existsSync(file))
				await makeColorVideo({ dir, name, colors: ['ff0000'], segmentS: 8 });
			return { ...node, parameters: { ...node.parameters, videoPath: file } };
		}),
	);
	return { ...workflow, nodes };
}

describe('examples run in n8n against the emulator', () => {
	let emulator: EmulatorProcess;
	let n8n: N8nInstance;
	let media: TempDir;
	const ids = new Map<string, string>();

	beforeAll(async () => {
		if (examples.length === 0) return;
		media = await makeTempDir('ovs-examples-');
		const workflows: WorkflowJson[] = [];
		for (const e of examples) workflows.push(await withSamples(e.workflow, media.dir));
		emulator = await startEmulatorProcess({
			withLivekit: true,
			args: ['--catalog', writeCatalog(media.dir)],
		});
		// n8n 2.x lets nodes read files only below N8N_RESTRICT_FILE_ACCESS_TO.
		n8n = await startN8n({ env: { N8N_RESTRICT_FILE_ACCESS_TO: media.dir } });
		await n8n.importCredentials([overshootCredential(emulator.url)]);
		const imported = await n8n.importWorkflows(workflows);
		examples.forEach((e, i) => ids.set(e.file, imported[i]));
	});

	afterAll(async () => {
		await Promise.all([n8n?.stop(), emulator?.stop(), media?.cleanup()]);
	});

	if (examples.length === 0) {
		test.skip('no example starts with a Manual Trigger yet', () => undefined);
		return;
	}

	test.each(examples.map((e) => e.file))('%s', async (file) => {
		const run = await n8n.execute(ids.get(file)!);
		expect({ status: run.status, error: runError(run) }).toEqual({
			status: 'success',
			error: undefined,
		});
		const expected = EXPECTED[file];
		if (!expected) return; // reported by the table test above
		for (const [node, { keys, values }] of Object.entries(expected)) {
			const items = nodeItems(run, node);
			expect(items.length).toBeGreaterThan(0);
			for (const item of items) {
				expect(Object.keys(item)).toEqual(expect.arrayContaining(keys));
				if (values) expect(item).toMatchObject(values);
			}
		}
	});
});
