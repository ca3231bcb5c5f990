// Where the tests find the real programs they run. Installed by .ci/run (scripts/install-*.sh).
import os from 'node:os';
import path from 'node:path';

export const CACHE_DIR =
	process.env.OVS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-overshoot');
export const LIVEKIT_BIN =
	process.env.OVS_LIVEKIT_BIN ?? path.join(CACHE_DIR, 'bin', 'livekit-server');
export const FFMPEG_BIN = process.env.OVS_FFMPEG ?? 'ffmpeg';
/** Debian's python: the one that has `gi` (GStreamer) — a pyenv python3 on PATH does not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
// Compiled into .build/harness (demo, benchmarks), one level up is .build itself.
const UP_ONE = path.resolve(__dirname, '..');
export const REPO_ROOT = path.basename(UP_ONE) === '.build' ? path.dirname(UP_ONE) : UP_ONE;
