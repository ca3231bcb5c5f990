// The trigger's message when a native module cannot load: on musl (the official Alpine n8n image)
// it says that the C library is the reason and where a working image is, not npm's generic
// "Cannot find native binding" advice alone.
import { NativeModuleError, onMuslLinux } from '../../nodes/Overshoot/watch/native';

// What @livekit/rtc-ffi-bindings 0.12 throws when no binding for this platform was installed.
const NO_BINDING = new Error(
	'Cannot find native binding. npm has a bug related to optional dependencies (https://github.com/npm/cli/issues/4828). Please try `npm i` again after removing both package-lock.json and node_modules directory.\n    at Object.<anonymous>',
);

describe('NativeModuleError', () => {
	test('this (glibc) test host is not musl', () => {
		expect(onMuslLinux()).toBe(false);
	});

	test('on musl: names the C library, the official image and the way out, with the first line of the cause', () => {
		const { message } = new NativeModuleError('@livekit/rtc-node', NO_BINDING, true);
		expect(message).toMatch(
			/^The Overshoot Trigger cannot run on this n8n: its host uses the musl C library \(Alpine Linux, as the official n8nio\/n8n Docker image does\)/,
		);
		expect(message).toContain(
			'"@livekit/rtc-node" has no build for musl (Cannot find native binding. npm has a bug',
		);
		expect(message).toContain('docker/Dockerfile');
		expect(message).toContain('The action node works without it.');
		expect(message).not.toContain('at Object.<anonymous>');
	});

	test('elsewhere: the module could not be loaded, with the platforms it has builds for', () => {
		const { message } = new NativeModuleError(
			'sharp',
			new Error('libvips.so: cannot open shared object file'),
			false,
		);
		expect(message).toContain(
			'needs the native module "sharp", which could not be loaded on this host (libvips.so: cannot open shared object file)',
		);
		expect(message).toContain('glibc Linux (x64, arm64), macOS and Windows x64');
	});
});
