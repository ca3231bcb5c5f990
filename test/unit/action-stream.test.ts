// Stream operations: parameters → requests → output items.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { Overshoot } from '../../nodes/Overshoot/Overshoot.node';
import {
	AUTOMATIC_BY_DEFAULT_FROM,
	CAMERA_LOGIN_FROM_CREDENTIAL_FROM,
} from '../../nodes/Overshoot/shared/model';
import { fakeExecute, STREAM_ID } from './helpers/fake-execute';

const CREATED = {
	id: STREAM_ID,
	state: 'active',
	publish: { type: 'livekit', url: 'wss://livekit.example', token: 'jwt-token' },
	expires_at_ms: 1777600300000,
	ttl_seconds: 300,
};

describe('Stream → Create', () => {
	it('POSTs {} and returns id, publish target and lease', async () => {
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'create' },
			respond: [{ statusCode: 201, body: CREATED }],
		});
		const [item] = await f.run();
		expect(f.requests).toHaveLength(1);
		expect(f.requests[0]).toMatchObject({
			method: 'POST',
			url: 'https://api.example.test/v1/streams',
			body: {},
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		expect(item.json).toEqual({
			id: STREAM_ID,
			state: 'active',
			source_type: 'livekit',
			publish_url: 'wss://livekit.example',
			publish_token: 'jwt-token',
			expires_at_ms: 1777600300000,
			expires_at: new Date(1777600300000).toISOString(),
			ttl_seconds: 300,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('sends a camera source and never echoes its URL', async () => {
		const url = 'rtsp://admin:s3cret-pass@cam.example.net:554/live';
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'create', source: 'rtsp', sourceUrl: url },
			respond: [{ statusCode: 201, body: { ...CREATED, publish: null, source: { type: 'rtsp' } } }],
		});
		const [item] = await f.run();
		expect(f.requests[0].body).toEqual({ source: { type: 'rtsp', url } });
		expect(item.json).toMatchObject({
			source_type: 'rtsp',
			publish_url: null,
			publish_token: null,
		});
		expect(JSON.stringify(item.json)).not.toContain('s3cret');
	});

	it('redacts a camera password from a 422 that echoes the URL', async () => {
		const f = fakeExecute({
			params: {
				resource: 'stream',
				operation: 'create',
				source: 'rtsp',
				sourceUrl: 'rtsp://admin:s3cret-pass@cam.example.net/live',
			},
			respond: [
				{
					statusCode: 422,
					body: { detail: 'Could not open rtsp://admin:s3cret-pass@cam.example.net/live' },
				},
			],
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('rtsp://***@cam.example.net/live');
		expect(
			JSON.stringify({ m: error.message, d: error.description, c: error.context }),
		).not.toContain('s3cret');
	});

	it.each([
		['rtsp', '', /Source URL is empty/],
		['rtsp', 'http://cam.example.net/live', /must start with rtsp:\/\/ or rtsps:\/\//],
		['hls', 'rtsp://cam.example.net/live', /must start with http:\/\/ or https:\/\//],
		['hls', 'not-a-url', /not a valid URL/],
		[
			'rtsp',
			'rtsp://cam.example.net/live;reboot|nc evil 1',
			/^Source URL contains characters a URL cannot have \(\| space\)/,
		],
		[
			'rtsp',
			`rtsp://cam.example.net/${'a'.repeat(10_000)}`,
			/^Source URL is 10023 characters long; addresses up to 2048 characters are accepted\.$/,
		],
	])('rejects a %s source %# before any request', async (source, sourceUrl, message) => {
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'create', source, sourceUrl },
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(error.description).toContain('"Source URL"');
		expect(f.requests).toHaveLength(0);
	});

	it('version 1.2 takes the login from the Overshoot Camera credential and refuses one in the URL', async () => {
		const ok = fakeExecute({
			typeVersion: CAMERA_LOGIN_FROM_CREDENTIAL_FROM,
			camera: { username: 'admin', password: 'p@ss word' },
			params: {
				resource: 'stream',
				operation: 'create',
				source: 'rtsp',
				sourceUrl: 'rtsp://cam.example.net:554/live',
			},
			respond: [{ statusCode: 201, body: { ...CREATED, publish: null, source: { type: 'rtsp' } } }],
		});
		await ok.run();
		expect(ok.requests[0].body).toEqual({
			source: { type: 'rtsp', url: 'rtsp://admin:p%40ss%20word@cam.example.net:554/live' },
		});

		const refused = fakeExecute({
			typeVersion: CAMERA_LOGIN_FROM_CREDENTIAL_FROM,
			params: {
				resource: 'stream',
				operation: 'create',
				source: 'rtsp',
				sourceUrl: 'rtsp://admin:s3cret@cam.example.net/live',
			},
		});
		const error = await refused.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'Source URL contains a login (user:password@). Remove it from the URL and put it into the Camera credential, so the password stays out of the workflow.',
		);
		expect(refused.requests).toHaveLength(0);
	});

	it.each([1, AUTOMATIC_BY_DEFAULT_FROM])(
		'version %s (saved workflows) keeps a login typed into the URL',
		async (typeVersion) => {
			const url = 'rtsp://admin:s3cret@cam.example.net/live';
			const f = fakeExecute({
				typeVersion,
				params: { resource: 'stream', operation: 'create', source: 'rtsp', sourceUrl: url },
				respond: [
					{ statusCode: 201, body: { ...CREATED, publish: null, source: { type: 'rtsp' } } },
				],
			});
			await f.run();
			expect(f.requests[0].body).toEqual({ source: { type: 'rtsp', url } });
		},
	);

	it('the newest version is 1.2, with Automatic by default and the login from the credential', () => {
		const { version, defaultVersion } = new Overshoot().description;
		expect(version).toEqual([1, 1.1, 1.2]);
		expect(defaultVersion).toBe(1.2);
		expect(CAMERA_LOGIN_FROM_CREDENTIAL_FROM).toBeGreaterThan(AUTOMATIC_BY_DEFAULT_FROM);
	});

	it('the placeholder suggests no login in the URL', () => {
		const field = new Overshoot().description.properties.find((p) => p.name === 'sourceUrl');
		expect(field?.placeholder).not.toMatch(/@/);
	});

	it('a success without a stream id is an error that says a stream may be billed', async () => {
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'create' },
			respond: [{ statusCode: 200, body: { ok: true } }],
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The server answered Create Stream with success but without a stream id (got {"ok":true}). Check that the Base URL points at an Overshoot API. If a stream was created, it is billed until its lease runs out (about 5 minutes).',
		);
		expect(f.requests).toHaveLength(1);
	});

	it('a lost response is not retried and says the stream may exist and for how long it is billed', async () => {
		const reset = Object.assign(new Error('socket hang up'), {
			code: 'ECONNRESET',
			isAxiosError: true,
		});
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'create' },
			respond: () => reset,
		});
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(f.requests).toHaveLength(1);
		expect(error.description).toContain(
			'Cannot reach https://api.example.test (ECONNRESET). The stream may have been created anyway: if so it is billed until its lease runs out (about 5 minutes, as nothing renews it).',
		);
	});

	it('is sent once per item with that item’s parameters', async () => {
		const f = fakeExecute({
			params: [
				{ resource: 'stream', operation: 'create' },
				{
					resource: 'stream',
					operation: 'create',
					source: 'hls',
					sourceUrl: 'https://cdn.example/live.m3u8',
				},
			],
			respond: [
				{ statusCode: 201, body: CREATED },
				{ statusCode: 201, body: CREATED },
			],
		});
		const out = await f.run();
		expect(f.requests.map((r) => r.body)).toEqual([
			{},
			{ source: { type: 'hls', url: 'https://cdn.example/live.m3u8' } },
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Stream → Get / Renew Lease / Delete', () => {
	it('Get reads the stream and adds readable times', async () => {
		const info = {
			id: STREAM_ID,
			state: 'active',
			last_frame_at_ms: 1777600014480,
			expires_at_ms: 1777600300000,
			last_frame_index: 312,
		};
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'get', streamId: ` ${STREAM_ID.toUpperCase()} ` },
			respond: [{ statusCode: 200, body: info }],
		});
		const [item] = await f.run();
		expect(f.requests[0]).toMatchObject({
			method: 'GET',
			url: `https://api.example.test/v1/streams/${STREAM_ID}`,
		});
		expect(item.json).toMatchObject({
			...info,
			has_frames: true,
			expires_at: new Date(1777600300000).toISOString(),
		});
	});

	it('Renew Lease POSTs keepalive and returns the fresh token', async () => {
		const body = {
			id: STREAM_ID,
			expires_at_ms: 5,
			ttl_seconds: 300,
			stream_time_ms: 118000,
			publish: { type: 'livekit', url: 'wss://x', token: 'new' },
		};
		const f = fakeExecute({
			params: { resource: 'stream', operation: 'renewLease', streamId: STREAM_ID },
			respond: [{ statusCode: 200, body }],
		});
		const [item] = await f.run();
		expect(f.requests[0]).toMatchObject({
			method: 'POST',
			url: `https://api.example.test/v1/streams/${STREAM_ID}/keepalive`,
		});
		expect(item.json).toMatchObject({
			id: STREAM_ID,
			ttl_seconds: 300,
			stream_time_ms: 118000,
			publish_token: 'new',
			publish_url: 'wss://x',
		});
	});

	it('Delete: 200 → deleted; 404 → already_ended, both successes', async () => {
		const f = fakeExecute({
			params: [
				{ resource: 'stream', operation: 'delete', streamId: STREAM_ID },
				{ resource: 'stream', operation: 'delete', streamId: STREAM_ID },
			],
			respond: [
				{ statusCode: 200, body: { id: STREAM_ID, deleted: true } },
				{ statusCode: 404, body: { detail: 'Stream not found' } },
			],
		});
		const out = await f.run();
		expect(f.requests[0]).toMatchObject({
			method: 'DELETE',
			url: `https://api.example.test/v1/streams/${STREAM_ID}`,
		});
		expect(out.map((o) => o.json)).toEqual([
			{ id: STREAM_ID, deleted: true, already_ended: false },
			{ id: STREAM_ID, deleted: true, already_ended: true },
		]);
	});

	it.each([
		['get', '', /Stream ID is empty/],
		['renewLease', 'abc', /is not a stream id/],
		['delete', '   ', /Stream ID is empty/],
	])('%s rejects stream id %j before any request', async (operation, streamId, message) => {
		const f = fakeExecute({ params: { resource: 'stream', operation, streamId } });
		const error = await f.run().catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(error.context.itemIndex).toBe(0);
		expect(f.requests).toHaveLength(0);
	});
});
