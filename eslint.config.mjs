// Lint with n8n's own community-node rules: the config `@n8n/node-cli` ships
// (packages/@n8n/node-cli/src/configs/eslint.ts, `configWithoutCloudSupport`), rebuilt here
// because the CLI is not a dependency of this package. Of its `import-x` rules only `no-cycle` is
// used (`tsc --noEmit` already checks that every import resolves); with the per-folder
// `no-restricted-imports` below it keeps the layers of ARCHITECTURE.md a checked rule.
import eslint from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { defineConfig, globalIgnores } from 'eslint/config';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// The layers (ARCHITECTURE.md, "Layers"): the nodes' files → actions/ and trigger/ (never each
// other) → shared/ → the engine (watch/) → the client (api/). Lower layers never import upper
// ones, and api/ and watch/ never import n8n, not even its types: the client, the engine, the
// tests and the benchmarks run them outside n8n, and an n8n type there is how n8n creeps in.
const nodeFiles = ['**/*.node', '**/*.node.ts'];
const layer = (message, group) => ({ group, message });
const noN8n = layer(
	'api/ and watch/ are free of n8n (ARCHITECTURE.md): pass plain values and typed errors; the node layer adapts.',
	['n8n-workflow', 'n8n-workflow/**', 'n8n-core', 'n8n-core/**', '@n8n/**'],
);
const noNodeLayer = (here) =>
	layer(
		`${here} is below the node layer: it never imports actions/, trigger/, shared/ or a node file.`,
		[
			'**/actions',
			'**/actions/**',
			'**/trigger',
			'**/trigger/**',
			'**/shared',
			'**/shared/**',
			...nodeFiles,
		],
	);
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// "Without cloud support": the trigger needs native modules and timers, which n8n Cloud forbids,
// so the cloud-only rules (no-restricted-imports, no-restricted-globals) do not apply.
const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default defineConfig(
	globalIgnores(['dist', '.build', 'node_modules']),
	{
		files: ['**/*.ts'],
		extends: [eslint.configs.recommended, tseslint.configs.recommended, communityNodes],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesPlugin },
	},
	{
		files: ['package.json', '**/*.node.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesPlugin.configs.community.rules,
			// The trigger publishes video with @livekit/rtc-node and encodes snapshots with sharp:
			// native runtime dependencies n8n's verification forbids. This package targets
			// self-hosted n8n (glibc), as the README says; every other package.json rule stays on.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// n8n-workflow is a peer at ">=2.37.0 <3", not "*": the nodes pass `failure` to
			// NodeApiError, which n8n-workflow has since 2.37.0 (they do not compile against 2.36),
			// and 3.x is unknown. n8n's own installer drops peerDependencies, so this only tells
			// people who install by hand what the code needs; only 2.40 (n8n 2.40.7) is tested.
			'@n8n/community-nodes/valid-peer-dependencies': 'off',
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['./credentials/**/*.ts'],
		rules: {
			...n8nNodesPlugin.configs.credentials.rules,
			// Not valid for community nodes (their docs live outside docs.n8n.io).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// @n8n/community-nodes/credential-password-field checks this more accurately.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesPlugin.configs.nodes.rules,
			// Inputs and outputs use the NodeConnectionTypes enum instead of the string "main".
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// The API does have limits (Max FPS 60, clip length 600 s), so maxValue is meaningful.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// api/ and watch/ are free of n8n by design (ARCHITECTURE.md): the client, the watcher, the
		// tests and the benchmarks share them, so they cannot construct NodeApiError. They throw typed
		// errors (OvershootApiError, InputError, NetworkError, ...) that the node boundary turns into
		// NodeApiError / NodeOperationError with the item index (shared/errors.ts, the trigger).
		files: ['./nodes/Overshoot/api/**/*.ts', './nodes/Overshoot/watch/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// No import cycles anywhere in the nodes. import-x counts runtime imports only: it skips every
		// `import type` and has no option to count them, so test/unit/no-import-cycles.test.ts checks
		// type-only loops too (shared types go in a file of their own, as api/http.ts).
		files: ['./nodes/**/*.ts', './credentials/**/*.ts'],
		plugins: { 'import-x': importX },
		settings: {
			// import-x's TypeScript settings (which parser reads an imported .ts file), with the resolver
			// that follows tsconfig.json.
			...importX.flatConfigs.typescript.settings,
			'import-x/resolver': undefined,
			'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
		},
		rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
	},
	{
		files: ['./nodes/Overshoot/api/**/*.ts'],
		rules: restrict(
			noN8n,
			noNodeLayer('api/'),
			layer('api/ is the bottom layer: the engine (watch/) uses it, never the other way.', [
				'**/watch',
				'**/watch/**',
			]),
		),
	},
	{
		files: ['./nodes/Overshoot/watch/**/*.ts'],
		rules: restrict(noN8n, noNodeLayer('watch/ (the engine)')),
	},
	{
		files: ['./nodes/Overshoot/shared/**/*.ts'],
		rules: restrict(
			layer(
				'shared/ is what both nodes use: it never imports one of them (actions/, trigger/, a node file).',
				['**/actions', '**/actions/**', '**/trigger', '**/trigger/**', ...nodeFiles],
			),
		),
	},
	{
		files: ['./nodes/Overshoot/actions/**/*.ts'],
		rules: restrict(
			layer('actions/ never imports trigger/ (or a node file): move what both need to shared/.', [
				'**/trigger',
				'**/trigger/**',
				...nodeFiles,
			]),
		),
	},
	{
		files: ['./nodes/Overshoot/trigger/**/*.ts'],
		rules: restrict(
			layer('trigger/ never imports actions/ (or a node file): move what both need to shared/.', [
				'**/actions',
				'**/actions/**',
				...nodeFiles,
			]),
		),
	},
);
