// The bad-input catalogue's table (test/e2e/bad-input.test.ts runs it): each case is one
// Overshoot node of a single workflow, with the exact message the user must see, the field it
// names, and the requests it may send. Builders, not copies: a case is its parameters.

import { NODE_TYPE, type WorkflowJson } from '../../harness/n8n';
import { EXAMPLE_CREDENTIAL } from './fixtures';

/** The action node's defaultVersion in the packed package (what a new node gets). */
const NEWEST_VERSION = 1.2;
export const STREAM = '5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0';
/** Distinct unknown streams, so each request in the log belongs to exactly one case. */
const UNKNOWN_GET = '00000000-0000-4000-8000-000000000001';
const UNKNOWN_RENEW = '00000000-0000-4000-8000-000000000002';
export const UNKNOWN_DELETE = '00000000-0000-4000-8000-000000000003';
// A Specific Model (the node's default since 1.1 is Automatic, which first asks GET /models): the
// emulator's catalogue, so each case's requests are exactly its own.
const MODEL = {
	modelChoice: 'fixed',
	model: { __rl: true, mode: 'id', value: 'google/gemma-4-26B-A4B-it' },
};
export const NOTHING_SENT = 'Nothing was sent to Overshoot.';
const BIG_PROMPT = `Is the scene red? ${'x'.repeat(1024 * 1024)}`;
const UNICODE_PROMPT = 'Ist die Szene rot? 🚚 — 是红色的吗？ ‮ zero​width';

export type Expect =
	/** An error item: its exact message and the field its description names (null: an API error). */
	| { message: string | RegExp; field: string | null }
	/** A success item that must match these values. */
	| { ok: Record<string, unknown> };

export interface Case {
	name: string;
	params: Record<string, unknown>;
	/** Key of CREDENTIALS (default: the working one). */
	credential?: keyof typeof BAD_CREDENTIALS;
	expect: Expect;
	/** "METHOD /path" of every request this case sends (path without the /v1 prefix). */
	requests?: string[];
	/** Version of the node (default: the newest, what a new node gets). */
	typeVersion?: number;
}

export const BAD_CREDENTIALS = {
	fileUrl: { baseUrl: 'file:///etc/passwd' },
	ftpUrl: { baseUrl: 'ftp://127.0.0.1/v1' },
	emptyUrl: { baseUrl: '  ' },
	metadataUrl: { baseUrl: 'http://169.254.169.254/latest/meta-data' },
	traversalUrl: { baseUrl: 'EMULATOR/v1/../../_emulator' },
	crlfKey: { apiKey: 'ovs-test-key\r\nX-Injected: 1' },
	spaceKey: { apiKey: 'ovs-test key' },
} satisfies Record<string, { baseUrl?: string; apiKey?: string }>;

const get = (streamId: unknown) => ({ resource: 'stream', operation: 'get', streamId });
const chat = (extra: Record<string, unknown>) => ({
	resource: 'chat',
	operation: 'complete',
	...MODEL,
	prompt: 'Is the scene red?',
	...extra,
});
const media = (item: Record<string, unknown>) => chat({ media: { items: [item] } });
const frame = (extra: Record<string, unknown>) =>
	media({ kind: 'frameIndex', streamId: STREAM, ...extra });
const clip = (extra: Record<string, unknown>) =>
	media({ kind: 'clipRange', streamId: STREAM, ...extra });
const check = (extra: Record<string, unknown>) => ({
	resource: 'check',
	operation: 'run',
	...MODEL,
	prompt: 'Is the parking lot empty?',
	recordSeconds: 2,
	...extra,
});
const camera = (cameraUrl: string) => check({ source: 'rtsp', cameraUrl });
const video = (videoPath: string) => check({ source: 'videoFile', videoPath });
const refused = (message: string | RegExp, field: string): Expect => ({ message, field });
const notAnImage = (name: string, label: string, file: string) =>
	`Input Binary Field "${name}" is not an image (labelled ${label}, but its bytes are not a PNG, JPEG, GIF or WebP image, file "${file}"). Use a PNG, JPEG, GIF or WebP image.`;
const huge = (field: string, got: string) =>
	`${field} is too large (got ${got}): use a whole number between -9007199254740991 and 9007199254740991.`;
const notText = (field: string, kind: string, json: string) =>
	`${field} is ${kind} (${json}), not text. An expression here must give text: pick one field, e.g. {{ $json.text }}, or use {{ JSON.stringify($json.data) }}.`;

/** Filled in beforeAll: paths in the media folder n8n may read, and a port nobody listens on. */
export const env = { dir: '', outside: '', symlink: '', deadPort: 0 };

export function cases(): Case[] {
	return [
		// ---- stream ids ----
		{
			name: 'stream id malformed',
			params: get('not-a-uuid'),
			expect: refused(
				'Stream ID "not-a-uuid" is not a stream id: stream ids are UUIDs like 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0.',
				'Stream ID',
			),
		},
		// An empty literal in a required field is n8n's own to refuse (it will not run the workflow); an
		// expression that gives nothing (a field the item lacks) reaches the node.
		{
			name: 'stream id empty',
			params: get('={{ $json.streamId }}'),
			expect: refused(
				'Stream ID is empty. Use the "id" returned by Stream → Create, e.g. {{ $json.id }}.',
				'Stream ID',
			),
		},
		{
			name: 'stream id a number',
			params: get('={{ 12345 }}'),
			expect: refused(
				'Stream ID "12345" is not a stream id: stream ids are UUIDs like 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0.',
				'Stream ID',
			),
		},
		{
			name: 'stream id an object',
			params: get("={{ { id: 'abc' } }}"),
			expect: refused(notText('Stream ID', 'an object', '{"id":"abc"}'), 'Stream ID'),
		},
		{
			name: 'stream id unknown (get)',
			params: get(UNKNOWN_GET),
			expect: { message: 'Overshoot API error 404: Stream not found', field: null },
			requests: [`GET /streams/${UNKNOWN_GET}`],
		},
		{
			name: 'stream id unknown (renew)',
			params: { resource: 'stream', operation: 'renewLease', streamId: UNKNOWN_RENEW },
			expect: { message: 'Overshoot API error 404: Stream not found', field: null },
			requests: [`POST /streams/${UNKNOWN_RENEW}/keepalive`],
		},
		{
			name: 'stream id unknown (delete)',
			params: { resource: 'stream', operation: 'delete', streamId: UNKNOWN_DELETE },
			expect: { ok: { id: UNKNOWN_DELETE, deleted: true, already_ended: true } },
			requests: [`DELETE /streams/${UNKNOWN_DELETE}`],
		},
		// ---- numbers: zero, negative, NaN, huge ----
		{
			name: 'frame index huge',
			params: frame({ frameIndex: 1e21 }),
			expect: refused(huge('Frame Index', '1e+21'), 'Frame Index'),
		},
		{
			name: 'frame index fraction',
			params: frame({ frameIndex: 1.5 }),
			expect: refused('Frame Index must be a whole number (got 1.5).', 'Frame Index'),
		},
		{
			name: 'frame index NaN',
			params: frame({ frameIndex: '={{ NaN }}' }),
			expect: refused('Frame Index must be a whole number (got NaN).', 'Frame Index'),
		},
		{
			name: 'frame time negative',
			params: media({ kind: 'frameTime', streamId: STREAM, timeMs: -5 }),
			expect: refused('Time (Milliseconds) must be at least 0 (got -5).', 'Time (Milliseconds)'),
		},
		{
			name: 'frame time huge',
			params: media({ kind: 'frameTime', streamId: STREAM, timeMs: 1e300 }),
			expect: refused(huge('Time (Milliseconds)', '1e+300'), 'Time (Milliseconds)'),
		},
		{
			name: 'frame offset huge',
			params: media({ kind: 'frameOffset', streamId: STREAM, offsetMs: -1e20 }),
			expect: refused(
				huge('Offset (Milliseconds)', '-100000000000000000000'),
				'Offset (Milliseconds)',
			),
		},
		{
			name: 'tolerance negative',
			params: media({ kind: 'frameOffset', streamId: STREAM, offsetMs: -1000, toleranceMs: -1 }),
			expect: refused(
				'Tolerance (Milliseconds) must be at least 1 (got -1).',
				'Tolerance (Milliseconds)',
			),
		},
		{
			name: 'clip seconds zero',
			params: media({ kind: 'lastSeconds', streamId: STREAM, seconds: 0 }),
			expect: refused('Seconds must be greater than 0 (got 0).', 'Seconds'),
		},
		{
			name: 'clip seconds huge',
			params: media({ kind: 'lastSeconds', streamId: STREAM, seconds: 1e9 }),
			expect: refused('Seconds must be at most 600 (got 1000000000).', 'Seconds'),
		},
		{
			name: 'max fps zero',
			params: media({ kind: 'lastSeconds', streamId: STREAM, seconds: 5, maxFps: 0 }),
			expect: refused('Max FPS must be greater than 0 (got 0).', 'Max FPS'),
		},
		{
			name: 'max fps NaN',
			params: media({ kind: 'lastSeconds', streamId: STREAM, seconds: 5, maxFps: '={{ NaN }}' }),
			expect: refused('Max FPS must be a number (got NaN).', 'Max FPS'),
		},
		{
			name: 'max tokens zero',
			params: chat({ options: { maxTokens: 0 } }),
			expect: refused('Max Tokens must be at least 1 (got 0).', 'Max Tokens'),
		},
		{
			name: 'max tokens huge',
			params: chat({ options: { maxTokens: 1e21 } }),
			expect: refused(huge('Max Tokens', '1e+21'), 'Max Tokens'),
		},
		{
			name: 'temperature NaN',
			params: chat({ options: { temperature: '={{ NaN }}' } }),
			expect: refused('Temperature must be a number (got NaN).', 'Temperature'),
		},
		{
			name: 'temperature negative',
			params: chat({ options: { temperature: -1 } }),
			expect: refused('Temperature must be between 0 and 2 (got -1).', 'Temperature'),
		},
		{
			name: 'timeout zero',
			params: chat({ options: { timeoutSeconds: 0 } }),
			expect: refused('Timeout (Seconds) must be at least 1 (got 0).', 'Timeout (Seconds)'),
		},
		// ---- clip anchors ----
		{
			name: 'clip end before start',
			params: clip({
				startBy: 'offset',
				startOffsetMs: -5000,
				endBy: 'offset',
				endOffsetMs: -10000,
			}),
			expect: refused(
				'Clip End (-10000) must be after Clip Start (-5000); the end is exclusive.',
				'Clip End',
			),
		},
		{
			name: 'clip start missing',
			params: clip({ startBy: 'index', startFrameIndex: '', endBy: 'now' }),
			expect: refused(
				'Clip Start Frame Index must be a whole number (got "").',
				'Clip Start Frame Index',
			),
		},
		// ---- prompts ----
		{
			name: 'prompt 1 MB',
			params: chat({ prompt: BIG_PROMPT }),
			expect: { ok: { answer: expect.any(String) } },
			requests: ['POST /chat/completions'],
		},
		{
			name: 'prompt unicode',
			params: chat({ prompt: UNICODE_PROMPT }),
			expect: { ok: { answer: expect.any(String) } },
			requests: ['POST /chat/completions'],
		},
		{
			name: 'prompt an object',
			params: chat({ prompt: "={{ { question: 'red?' } }}" }),
			expect: refused(notText('Prompt', 'an object', '{"question":"red?"}'), 'Prompt'),
		},
		{
			name: 'prompt empty',
			params: chat({ prompt: '={{ $json.question }}' }),
			expect: refused('Prompt is empty.', 'Prompt'),
		},
		{
			name: 'system prompt a list',
			params: chat({ options: { systemPrompt: "={{ ['be brief', 'be exact'] }}" } }),
			expect: refused(
				notText('System Prompt', 'a list', '["be brief","be exact"]'),
				'System Prompt',
			),
		},
		// ---- binary inputs ----
		{
			name: 'binary missing',
			params: media({ kind: 'binaryImage', binaryProperty: 'photo' }),
			expect: refused(
				'Input Binary Field "photo" does not exist on the input item. Binary fields on this item: png, textAsPng, svg.',
				'Input Binary Field',
			),
		},
		{
			name: 'binary not an image',
			params: media({ kind: 'binaryImage', binaryProperty: 'textAsPng' }),
			expect: refused(notAnImage('textAsPng', 'image/png', 'error.png'), 'Input Binary Field'),
		},
		{
			name: 'binary svg',
			params: media({ kind: 'binaryImage', binaryProperty: 'svg' }),
			expect: refused(notAnImage('svg', 'image/svg+xml', 'logo.svg'), 'Input Binary Field'),
		},
		// ---- JSON schema and raw messages ----
		{
			name: 'schema not JSON',
			params: chat({ responseFormat: 'jsonSchema', jsonSchema: '{"type": "object",' }),
			expect: refused(/^JSON Schema is not valid JSON: /, 'JSON Schema'),
		},
		{
			name: 'schema an array',
			params: chat({ responseFormat: 'jsonSchema', jsonSchema: '[1, 2]' }),
			expect: refused(
				'JSON Schema must be a JSON object such as {"type": "object", "properties": {...}}.',
				'JSON Schema',
			),
		},
		{
			name: 'raw messages garbage',
			params: chat({ inputMode: 'raw', messagesJson: '[{"role": "user", "content": ' }),
			expect: refused(/^Messages \(JSON\) is not valid JSON: /, 'Messages (JSON)'),
		},
		{
			name: 'raw messages not a list',
			params: chat({ inputMode: 'raw', messagesJson: '"hello"' }),
			expect: refused(
				'Messages (JSON) must be a non-empty array like [{"role": "user", "content": "..."}].',
				'Messages (JSON)',
			),
		},
		{
			name: 'raw messages bad role',
			params: chat({ inputMode: 'raw', messagesJson: '[{"role": "root", "content": "x"}]' }),
			expect: refused(
				'Messages (JSON): message 1 needs a "role" of system, user, assistant, tool.',
				'Messages (JSON)',
			),
		},
		// ---- model ids ----
		{
			name: 'model id with spaces',
			params: chat({ model: { __rl: true, mode: 'id', value: 'gemma 4 it' } }),
			expect: refused(
				'Model "gemma 4 it" is not a model id: ids have no spaces or control characters (see Model → List for the exact ids).',
				'Model',
			),
		},
		{
			name: 'model id traversal',
			params: chat({ model: { __rl: true, mode: 'id', value: '../../billing' } }),
			expect: refused(
				'Model "../../billing" is not a model id: ids have no empty, "." or ".." parts (see Model → List for the exact ids).',
				'Model',
			),
		},
		// ---- credentials: base URL and API key ----
		{
			name: 'base url file',
			params: get(STREAM),
			credential: 'fileUrl',
			expect: refused(
				'Base URL in the Overshoot credential must start with http:// or https:// (got "file:"), e.g. https://api.overshoot.ai/v1.',
				'Base URL',
			),
		},
		{
			name: 'base url ftp',
			params: get(STREAM),
			credential: 'ftpUrl',
			expect: refused(
				'Base URL in the Overshoot credential must start with http:// or https:// (got "ftp:"), e.g. https://api.overshoot.ai/v1.',
				'Base URL',
			),
		},
		{
			name: 'base url empty',
			params: get(STREAM),
			credential: 'emptyUrl',
			expect: refused(
				"Base URL in the Overshoot credential is empty: use https://api.overshoot.ai/v1 or your server's address.",
				'Base URL',
			),
		},
		{
			name: 'base url metadata',
			params: get(STREAM),
			credential: 'metadataUrl',
			expect: refused(
				'Base URL in the Overshoot credential points at a link-local address (169.254.169.254), such as a cloud metadata service, not an Overshoot API.',
				'Base URL',
			),
		},
		{
			name: 'base url traversal',
			params: get(STREAM),
			credential: 'traversalUrl',
			expect: refused(
				'Base URL in the Overshoot credential contains "." or ".." path segments; write the API\'s path directly, e.g. https://api.overshoot.ai/v1.',
				'Base URL',
			),
		},
		{
			name: 'api key with CR/LF',
			params: get(STREAM),
			credential: 'crlfKey',
			expect: refused(
				'API Key in the Overshoot credential contains a line break; paste the key alone (it starts with "ovs-").',
				'API Key',
			),
		},
		{
			name: 'api key with a space',
			params: get(STREAM),
			credential: 'spaceKey',
			expect: refused(
				'API Key in the Overshoot credential contains spaces or control characters; paste the key alone (it starts with "ovs-").',
				'API Key',
			),
		},
		// ---- video and image paths ----
		{
			name: 'video outside allowed folder',
			params: video('/etc/hostname'),
			expect: refused(
				/^Video File Path: access to "\/etc\/hostname" is not allowed\./,
				'Video File Path',
			),
		},
		{
			name: 'video path with ..',
			params: video(`${env.dir}/../../etc/hostname`),
			expect: refused(
				new RegExp(
					`^Video File Path: access to "${escape(env.dir)}/\\.\\./\\.\\./etc/hostname" is not allowed\\.`,
				),
				'Video File Path',
			),
		},
		{
			name: 'video through a symlink',
			params: video(env.symlink),
			expect: refused(
				new RegExp(`^Video File Path: access to "${escape(env.symlink)}" is not allowed\\.`),
				'Video File Path',
			),
		},
		{
			name: 'video concat:',
			params: video(`concat:${env.dir}/a.mp4|${env.outside}`),
			expect: refused(
				`Video File Path must be a full path starting with "/" (got "concat:${env.dir}/a.mp4|${env.outside}").`,
				'Video File Path',
			),
		},
		{
			name: 'video file:',
			params: video('file:/etc/hostname'),
			expect: refused(
				'Video File Path must be a full path starting with "/" (got "file:/etc/hostname").',
				'Video File Path',
			),
		},
		{
			name: 'video pipe:',
			params: video('pipe:0'),
			expect: refused(
				'Video File Path must be a full path starting with "/" (got "pipe:0").',
				'Video File Path',
			),
		},
		{
			name: 'video subfile,',
			params: video('subfile,,start,0,end,100,,:/etc/hostname'),
			expect: refused(
				'Video File Path must be a full path starting with "/" (got "subfile,,start,0,end,100,,:/etc/hostname").',
				'Video File Path',
			),
		},
		{
			name: 'images outside allowed folder',
			params: check({ source: 'imageFiles', imagePath: '/etc/*.png' }),
			expect: refused(
				/^Images Folder or Pattern: access to "\/etc" is not allowed\./,
				'Images Folder or Pattern',
			),
		},
		// ---- camera URLs ----
		{
			name: 'camera url other scheme',
			params: camera('http://127.0.0.1:8080/cam'),
			expect: refused(
				'Camera URL must start with rtsp:// or rtsps://, e.g. rtsp://192.168.1.20:554/stream1.',
				'Camera URL',
			),
		},
		{
			name: 'camera url shell characters',
			params: camera('rtsp://127.0.0.1:554/cam`reboot`$(id)|nc'),
			expect: refused(
				'Camera URL contains characters a URL cannot have (` |); percent-encode them or fix the address.',
				'Camera URL',
			),
		},
		{
			name: 'camera url 10 kB',
			params: camera(`rtsp://127.0.0.1:554/${'a'.repeat(10_000)}`),
			expect: refused(
				'Camera URL is 10021 characters long; addresses up to 2048 characters are accepted.',
				'Camera URL',
			),
		},
		{
			name: 'camera url with a login',
			params: camera('rtsp://admin:hunter22@127.0.0.1:554/cam'),
			expect: refused(
				'Camera URL contains a login (user:password@). Remove it from the URL and put it into the Camera credential, so the password stays out of the workflow.',
				'Camera URL',
			),
		},
		{
			name: 'check record zero',
			params: check({ source: 'rtsp', cameraUrl: 'rtsp://127.0.0.1:554/cam', recordSeconds: 0 }),
			expect: refused(
				'Record For (Seconds) must be greater than 0 (got 0).',
				'Record For (Seconds)',
			),
		},
		{
			name: 'check model traversal',
			params: check({
				source: 'rtsp',
				cameraUrl: 'rtsp://127.0.0.1:554/cam',
				model: { __rl: true, mode: 'id', value: 'a/../b' },
			}),
			expect: refused(
				'Model "a/../b" is not a model id: ids have no empty, "." or ".." parts (see Model → List for the exact ids).',
				'Model',
			),
		},
		// A camera that never delivers: the stream is opened (it has to be, to publish) and deleted; no question.
		{
			name: 'camera that never delivers',
			params: camera(`rtsp://127.0.0.1:${env.deadPort}/cam`),
			expect: {
				message: `Camera rtsp://127.0.0.1:${env.deadPort}/cam delivered no frame in 2 s: connection refused: nothing is listening at that address and port (camera offline or wrong port). Nothing was asked, so no question was billed.`,
				field: null,
			},
			requests: ['POST /streams', 'DELETE /streams/*'],
		},
		// Stream → Create: a login typed into the Source URL (version 1.2 refuses it; workflows saved with 1 or 1.1 keep theirs).
		{
			name: 'create with a login in the url',
			params: {
				resource: 'stream',
				operation: 'create',
				source: 'rtsp',
				sourceUrl: 'rtsp://admin:hunter22@cam.example.net/live',
			},
			expect: refused(
				'Source URL contains a login (user:password@). Remove it from the URL and put it into the Camera credential, so the password stays out of the workflow.',
				'Source URL',
			),
		},
	];
}

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const INPUTS_CODE = [
	"const png = 'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAOklEQVRIie3WSwkAMBAD0SoZ/6IipioKPTzYe2DJZ87q6R0CeVFcNEFLVUybZnBmMkMVAa+gY1/T9QWSNmA9Yaf+lAAAAABJRU5ErkJggg==';",
	"const b64 = (s) => Buffer.from(s).toString('base64');",
	'return [{ json: {}, binary: {',
	"  png: { data: png, mimeType: 'image/png', fileName: 'ok.png' },",
	"  textAsPng: { data: b64('<html>502 Bad Gateway</html>'), mimeType: 'image/png', fileName: 'error.png' },",
	'  svg: { data: b64(\'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>\'), mimeType: \'image/svg+xml\', fileName: \'logo.svg\' },',
	'} }];',
].join('\n');

function credentialFor(c: Case) {
	return c.credential
		? { id: `bad-${c.credential}`, name: `Bad: ${c.credential}` }
		: EXAMPLE_CREDENTIAL;
}

/** Start → Inputs (a Code node with the binaries) → one Overshoot node per case, each Continue On Fail. */
export function catalogueWorkflow(list: Case[]): WorkflowJson {
	const nodes: unknown[] = [
		{
			id: 'cat-start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'cat-inputs',
			name: 'Inputs',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: INPUTS_CODE },
		},
	];
	list.forEach((c, i) =>
		nodes.push({
			id: `cat-${i}`,
			name: c.name,
			type: NODE_TYPE,
			typeVersion: c.typeVersion ?? NEWEST_VERSION,
			position: [400, i * 100],
			parameters: c.params,
			credentials: { overshootApi: credentialFor(c) },
			onError: 'continueRegularOutput',
		}),
	);
	return {
		name: 'e2e: bad-input catalogue',
		nodes,
		connections: {
			Start: { main: [[{ node: 'Inputs', type: 'main', index: 0 }]] },
			Inputs: { main: [list.map((c) => ({ node: c.name, type: 'main', index: 0 }))] },
		},
		settings: { executionOrder: 'v1' },
	};
}
