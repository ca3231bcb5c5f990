// Jest 29 ignores `testTimeout` inside `projects` (it is a global option and only warns), so each
// project's time budget is set here from the level folder the test file lives in.
const path = require('node:path');

const BUDGET_MS = { unit: 5_000, integration: 120_000, e2e: 300_000, docker: 300_000 };
const parts = (expect.getState().testPath ?? '').split(path.sep);
const level = parts[parts.lastIndexOf('test') + 1];
if (BUDGET_MS[level]) jest.setTimeout(BUDGET_MS[level]);
