// The trigger keeps a file of the streams it owns in n8n's folder (N8N_USER_FOLDER, else the home
// folder): tests that run the trigger in-process get a folder of their own instead of ~/.n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-jest-n8n-'));
}
