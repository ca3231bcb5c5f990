// v1beta server-pulled camera sources: the emulator's ffmpeg pulls a local HLS playlist into the
// same frame store; URLs (with passwords) never leak; ffmpeg is killed on delete.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../../emulator/server';
import { rawClient } from '../../emulator/http-test-client';
import { waitFor } from '../../harness/wait';
import { FFMPEG_BIN } from '../../harness/paths';

let dir: string;
let files: http.Server;
let base: string;
let emu: Emulator;
let call: ReturnType<typeof rawClient>;
const logs: string[] = [];

function makeHls(name: string, color: string, seconds: number): void {
	execFileSync(
		FFMPEG_BIN,
		[
			'-hide_banner',
			'-loglevel',
			'error',
			'-f',
			'lavfi',
			'-i',
			`color=c=${color}:s=320x180:r=10`,
			'-t',
			String(seconds),
			'-c:v',
			'libx264',
			'-g',
			'10',
			'-pix_fmt',
			'yuv420p',
			'-f',
			'hls',
			'-hls_time',
			'1',
			'-hls_playlist_type',
			'vod',
			'-hls_segment_filename',
			path.join(dir, `${name}-%03d.ts`),
			path.join(dir, `${name}.m3u8`),
		],
		{ timeout: 30_000 },
	);
}

function ffmpegArgsRunning(): string[] {
	return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
		.split('\n')
		.filter((l) => l.includes(base));
}

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-emu-hls-'));
	makeHls('red', 'red', 20);
	makeHls('short', 'blue', 2);
	files = http.createServer((req, res) => {
		const file = path.join(dir, path.basename(req.url ?? ''));
		if (!fs.existsSync(file)) res.writeHead(404).end();
		else res.writeHead(200).end(fs.readFileSync(file));
	});
	await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
	base = `http://user:s3cret@127.0.0.1:${(files.address() as AddressInfo).port}`;
	emu = await startEmulator({
		allowPrivateSources: true,
		sourceOpenTimeoutMs: 3000,
		log: (l) => logs.push(l),
	});
	call = rawClient(emu.url);
}, 60_000);

afterAll(async () => {
	await emu?.close();
	await new Promise((r) => files?.close(r));
	fs.rmSync(dir, { recursive: true, force: true });
});

it('pulls an HLS source: 201 without publish, frames flow, last_pull, answers red; delete kills ffmpeg', async () => {
	const created = await call('POST', '/v1beta/streams', {
		body: { source: { type: 'hls', url: `${base}/red.m3u8` } },
	});
	expect(created.status).toBe(201);
	expect(created.body).toMatchObject({ state: 'active', publish: null, source: { type: 'hls' } });
	expect(created.text).not.toContain('s3cret');
	const id = created.body.id;
	await waitFor(
		'pulled frames',
		async () => ((await call('GET', `/v1beta/streams/${id}`)).body.last_frame_index ?? -1) >= 2,
		15_000,
		200,
	);
	const info = await call('GET', `/v1beta/streams/${id}`);
	expect(info.body).toMatchObject({ source: { type: 'hls' }, last_pull: expect.any(Number) });
	expect(info.text).not.toContain('s3cret');
	expect((await call('POST', `/v1beta/streams/${id}/keepalive`)).body.publish).toBeNull();
	const r = await call('POST', '/v1beta/chat/completions', {
		body: {
			model: 'Qwen/Qwen3.6-27B-FP8',
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'Is the scene red?' },
						{ type: 'image_url', image_url: { url: `ovs://streams/${id}?frame_index=-1` } },
					],
				},
			],
		},
	});
	expect(r.body.choices[0].message.content).toMatch(/^Yes\. The scene is mostly red/);
	expect((await emu.control.state()).streams.find((s) => s.id === id)).toMatchObject({
		source: 'hls',
		ingestConnected: true,
	});
	expect(ffmpegArgsRunning().length).toBeGreaterThan(0);

	expect((await call('DELETE', `/v1beta/streams/${id}`)).status).toBe(200);
	expect(ffmpegArgsRunning()).toEqual([]);
	expect(logs.join('\n')).not.toContain('s3cret');
}, 40_000);

it('a source that ends cleanly twice ends the stream (end_reason expired under v1beta)', async () => {
	const { id } = (
		await call('POST', '/v1beta/streams', {
			body: { source: { type: 'hls', url: `${base}/short.m3u8` } },
		})
	).body;
	const ended = await waitFor(
		'the source to end',
		async () => {
			const b = (await call('GET', `/v1beta/streams/${id}`)).body;
			return b.state === 'ended' ? b : undefined;
		},
		20_000,
		250,
	);
	expect(ended.end_reason).toBe('expired');
	expect((await call('GET', `/v1/streams/${id}`)).body.end_reason).toBe('reaped');
}, 30_000);

it('a source that cannot be opened → 422 after the open timeout, no stream left, no secret in the body', async () => {
	const t = Date.now();
	const r = await call('POST', '/v1beta/streams', {
		body: { source: { type: 'rtsp', url: 'rtsp://admin:s3cret@127.0.0.1:9/cam' } },
	});
	expect(r.status).toBe(422);
	expect(typeof r.body.detail).toBe('string');
	expect(r.text).not.toContain('s3cret');
	expect(Date.now() - t).toBeLessThan(8000);
	expect((await emu.control.state()).streams.filter((s) => s.source === 'rtsp')).toEqual([]);
	expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(
		's3cret@127.0.0.1:9',
	);
}, 20_000);
