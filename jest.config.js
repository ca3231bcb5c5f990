// Three levels, one run: unit (pure logic, mocks welcome), integration (real HTTP emulator,
// livekit-server, RTSP server, ffmpeg), e2e (a real n8n loading the packed package); and docker
// (the image's n8n running the trigger) when asked for.
const tsJest = ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }];
// Per-project time budgets live in test/support/jest-timeout.js: `testTimeout` is global-only in jest 29.
const common = {
	transform: { '^.+\\.ts$': tsJest },
	testEnvironment: 'node',
	moduleFileExtensions: ['ts', 'js', 'json'],
	setupFilesAfterEnv: [
		'<rootDir>/test/support/jest-timeout.js',
		'<rootDir>/test/support/jest-n8n-folder.js',
	],
};

module.exports = {
	// rtc-node keeps the process alive until its process-wide dispose(), which the engine never calls
	// (n8n keeps running): the runner exits once the tests are done instead.
	forceExit: true,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{
			...common,
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
		},
		// The Docker image running the trigger: only with an image to test (scripts/docker-test.sh
		// builds it and sets OVS_DOCKER_IMAGE), so a plain `npm test` needs no buildah.
		...(process.env.OVS_DOCKER_IMAGE
			? [{ ...common, displayName: 'docker', testMatch: ['<rootDir>/test/docker/**/*.test.ts'] }]
			: []),
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// Packs the package once for all e2e files (harness/n8n.ts installs the tarball).
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
		},
	],
};
