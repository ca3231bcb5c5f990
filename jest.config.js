// Three levels, one run: unit (pure logic, mocks welcome), integration (real HTTP emulator,
// livekit-server, RTSP server, ffmpeg), e2e (a real n8n loading the packed package).
const tsJest = ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }];
// Per-project time budgets live in test/support/jest-timeout.js: `testTimeout` is global-only in jest 29.
const common = {
	transform: { '^.+\\.ts$': tsJest },
	testEnvironment: 'node',
	moduleFileExtensions: ['ts', 'js', 'json'],
	setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.js', '<rootDir>/test/support/jest-n8n-folder.js'],
};

module.exports = {
	// rtc-node keeps the process alive until its process-wide dispose(), which the engine never calls
	// (n8n keeps running): the runner exits once the tests are done instead.
	forceExit: true,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// Packs the package once for all e2e files (test/support/n8n.ts installs the tarball).
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
		},
	],
};
