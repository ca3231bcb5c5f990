// n8n's formatting: the settings of n8n-nodes-starter's .prettierrc.js (the community-node
// template), checked by `npm run lint` (`prettier --check`).
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
};
