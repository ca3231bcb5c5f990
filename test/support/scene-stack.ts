// What the trigger and Check integration tests share: a real livekit-server, the emulator with
// LiveKit ingest, and a one-colour sample video in a folder n8n's file-access rule allows
// (n8n 2.x default: ~/.n8n-files, so the folder is named in N8N_RESTRICT_FILE_ACCESS_TO).

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator/server';
import { startLivekit, type LivekitServer } from '../../harness/livekit';
import { makeColorVideo, makeTempDir, type TempDir } from '../../harness/media';

export interface SceneStack {
	lk: LivekitServer;
	emu: Emulator;
	/** The folder the trigger may read (N8N_RESTRICT_FILE_ACCESS_TO). */
	allowed: string;
	/** A 320×180 video of one colour, inside `allowed`. */
	video: string;
	stop(): Promise<void>;
}

export async function startSceneStack(opts: {
	prefix: string;
	color: string;
	seconds: number;
}): Promise<SceneStack> {
	const env = { ...process.env };
	let lk: LivekitServer | undefined;
	let emu: Emulator | undefined;
	let tmp: TempDir | undefined;
	const stop = async () => {
		process.env = env;
		await emu?.close();
		await lk?.stop();
		await tmp?.cleanup();
	};
	try {
		lk = await startLivekit();
		emu = await startEmulator({
			livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret },
		});
		tmp = await makeTempDir(opts.prefix);
		const allowed = path.join(tmp.dir, 'n8n-files');
		mkdirSync(allowed);
		// 16:9 like the published size: no letterbox bars in snapshots.
		const video = await makeColorVideo({
			dir: allowed,
			name: 'scene.mp4',
			colors: [opts.color],
			segmentS: opts.seconds,
			width: 320,
			height: 180,
			fps: 10,
		});
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = allowed;
		return { lk, emu, allowed, video, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
