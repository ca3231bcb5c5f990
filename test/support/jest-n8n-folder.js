// The trigger keeps a file of the streams it owns in n8n's folder (N8N_USER_FOLDER, else the home
// folder): tests that run the trigger in-process get a folder of their own instead of ~/.n8n,
// removed after the test file (jest gives every test file its own process.env).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-jest-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	afterAll(() => {
		fs.rmSync(folder, { recursive: true, force: true });
		if (process.env.N8N_USER_FOLDER === folder) delete process.env.N8N_USER_FOLDER;
	});
}
