// n8n inside the Docker image (docker/Dockerfile), run the way `docker run` would run it, on a
// machine where no container runtime works (`podman run` fails on setrlimit here): the image,
// built by scripts/docker-build.sh, is mounted with `buildah mount`, and each n8n command runs
// chrooted into it, with the image's own entrypoint, environment, user and working directory,
// a fresh host folder bind-mounted as the data volume (/home/node/.n8n), and the host's network
// (n8n on 127.0.0.1, like `docker run --network host`). Each command gets a private mount
// namespace (`unshare --mount`), so its /proc, /dev and volume mounts vanish with it.

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
	N8nInstance,
	randomEncryptionKey,
	type N8nLauncher,
	type StartN8nOptions,
} from '../../harness/n8n';
import { n8nSettings } from '../../harness/n8n-env';
import { REPO_ROOT } from '../../harness/paths';
import { freePort } from '../../harness/processes';

const exec = promisify(execFile);

/** The image the docker tests run (`OVS_DOCKER_IMAGE`, printed by scripts/docker-build.sh). */
export const DOCKER_IMAGE = process.env.OVS_DOCKER_IMAGE ?? '';

/** The part of an image's Docker config that says how `docker run` starts it. */
export interface ImageConfig {
	User: string;
	Env: string[];
	Entrypoint: string[] | null;
	Cmd: string[] | null;
	WorkingDir: string;
	Volumes: Record<string, unknown> | null;
	ExposedPorts: Record<string, unknown> | null;
	Healthcheck?: { Test: string[] } | null;
}

/** buildah with the project's image store (scripts/buildah-env.sh). */
export async function buildah(args: string[], timeoutMs = 120_000): Promise<string> {
	const script = `source ${JSON.stringify(path.join(REPO_ROOT, 'scripts', 'buildah-env.sh'))}; ovs_buildah "$@"`;
	const { stdout } = await exec('bash', ['-c', script, 'buildah', ...args], {
		timeout: timeoutMs,
		maxBuffer: 64 * 1024 * 1024,
	});
	return stdout.trim();
}

export async function imageConfig(image: string): Promise<ImageConfig> {
	// buildah 1.28's --format has no json function: the whole inspection, then its Docker config.
	return (
		JSON.parse(await buildah(['inspect', '--type', 'image', image])) as {
			Docker: { config: ImageConfig };
		}
	).Docker.config;
}

/** A user of the image's /etc/passwd, by name or uid. */
export async function imageUser(
	rootfs: string,
	user: string,
): Promise<{ uid: number; gid: number; home: string }> {
	const [name] = user.split(':');
	const line = (await fs.readFile(path.join(rootfs, 'etc', 'passwd'), 'utf8'))
		.split('\n')
		.map((l) => l.split(':'))
		.find((f) => f[0] === name || f[2] === name);
	if (!line) throw new Error(`user ${JSON.stringify(user)} is not in the image's /etc/passwd`);
	return { uid: Number(line[2]), gid: Number(line[3]), home: line[5] };
}

/**
 * The mounts a container gets, then the chroot as the image's user. Arguments: rootfs, volume
 * (host folder), volume path in the image, uid, gid, working dir, then `env -i` arguments.
 */
const RUN_IN_ROOTFS = `set -e
root="$1"; volume="$2"; target="$3"; uid="$4"; gid="$5"; workdir="$6"; shift 6
mount --rbind /proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount --bind "$volume" "$root$target"
exec chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i -C "$workdir" "$@"`;

export const VOLUME = '/home/node/.n8n';

/** A working container of the image, mounted, with n8n's data volume in a fresh host folder. */
export class ImageContainer {
	private constructor(
		readonly image: string,
		readonly config: ImageConfig,
		private readonly container: string,
		readonly rootfs: string,
		readonly volume: string,
		readonly user: { uid: number; gid: number; home: string },
	) {}

	static async create(image = DOCKER_IMAGE): Promise<ImageContainer> {
		if (!image)
			throw new Error(
				'OVS_DOCKER_IMAGE is not set: run the docker tests through scripts/docker-test.sh',
			);
		const config = await imageConfig(image);
		const container = await buildah(['from', '--pull=false', '--quiet', image]);
		try {
			const rootfs = await buildah(['mount', container]);
			const user = await imageUser(rootfs, config.User || 'root');
			// A bind-mounted volume as `docker run -v ./data:/home/node/.n8n` with the folder owned by the image's user.
			const volume = await fs.mkdtemp(path.join(os.tmpdir(), 'ovs-docker-volume-'));
			await fs.chown(volume, user.uid, user.gid);
			return new ImageContainer(image, config, container, rootfs, volume, user);
		} catch (error) {
			await buildah(['rm', container]).catch(() => undefined);
			throw error;
		}
	}

	/**
	 * `docker run --network host -v <volume>:/home/node/.n8n -e K=V … IMAGE args…` as one command
	 * line; with `entrypoint: false`, `args` is the whole command (as `docker exec`, or a health check).
	 */
	command(
		args: string[],
		env: Record<string, string>,
		{ entrypoint = true } = {},
	): { cmd: string; args: string[] } {
		const imageEnv = Object.fromEntries(
			this.config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
		);
		const merged = { HOME: this.user.home, HOSTNAME: 'n8n-overshoot', ...imageEnv, ...env };
		const argv = entrypoint
			? [...(this.config.Entrypoint ?? []), ...(args.length ? args : (this.config.Cmd ?? []))]
			: args;
		const envArgs = Object.entries(merged).map(([k, v]) => `${k}=${v}`);
		const mountArgs = [
			this.rootfs,
			this.volume,
			VOLUME,
			String(this.user.uid),
			String(this.user.gid),
			this.config.WorkingDir || '/',
		];
		return {
			cmd: 'unshare',
			args: [
				'--mount',
				'--propagation',
				'private',
				'--',
				'sh',
				'-c',
				RUN_IN_ROOTFS,
				'run-in-image',
				...mountArgs,
				...envArgs,
				...argv,
			],
		};
	}

	/** The health check's command (`HEALTHCHECK CMD …`), as `command(…, { entrypoint: false })` takes it. */
	healthcheck(): string[] {
		const [kind, ...rest] = this.config.Healthcheck?.Test ?? [];
		if (kind === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
		if (kind === 'CMD') return rest;
		throw new Error(`the image has no health check (${JSON.stringify(this.config.Healthcheck)})`);
	}

	/** Pids of the processes running inside the container (their root is its rootfs). */
	async processes(): Promise<number[]> {
		const pids: number[] = [];
		for (const name of await fs.readdir('/proc')) {
			if (!/^\d+$/.test(name)) continue;
			const root = await fs.readlink(`/proc/${name}/root`).catch(() => '');
			if (root === this.rootfs) pids.push(Number(name));
		}
		return pids;
	}

	/** Kills whatever still runs inside, unmounts and removes the container, deletes the volume. */
	async remove(): Promise<void> {
		for (const pid of await this.processes()) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		await buildah(['umount', this.container]).catch(() => undefined);
		await buildah(['rm', this.container]);
		await fs.rm(this.volume, { recursive: true, force: true, maxRetries: 3 });
	}
}

/** The launcher for N8nInstance: every n8n command runs in the container, its files go to the volume. */
export function imageLauncher(container: ImageContainer): N8nLauncher {
	return {
		filesDir: container.volume,
		pathForN8n: (hostPath) => path.posix.join(VOLUME, path.relative(container.volume, hostPath)),
		command: (args, settings) => ({
			...container.command(args, n8nSettings(settings)),
			env: { PATH: process.env.PATH },
		}),
		dispose: () => container.remove(),
	};
}

/** `startN8n` for the image: nothing is installed, the image brings n8n and the package. */
export async function startImageN8n(
	container: ImageContainer,
	options: StartN8nOptions = {},
): Promise<N8nInstance> {
	return new N8nInstance(
		imageLauncher(container),
		options.port ?? (await freePort()),
		randomEncryptionKey(),
		options.env ?? {},
	);
}
