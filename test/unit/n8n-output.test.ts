// The e2e harness reads `n8n execute --rawOutput` from a stream that also carries log lines.
import { nodeItems, parseRunOutput, runError } from '../../harness/n8n-output';

const run = (status: string, error?: object) => ({
	status,
	data: {
		resultData: {
			runData: { List: [{ data: { main: [[{ json: { id: 'a' } }, { json: { id: 'b' } }]] } }] },
			...(error ? { error } : {}),
		},
	},
});

test('finds the run JSON after log lines', () => {
	const text = [
		'Migrations in progress…',
		'n8n Task Broker ready on 127.0.0.1, port 1234',
		JSON.stringify(run('success'), null, 2),
		'',
	].join('\n');
	const parsed = parseRunOutput(text)!;
	expect(parsed.status).toBe('success');
	expect(nodeItems(parsed, 'List')).toEqual([{ id: 'a' }, { id: 'b' }]);
});

test('finds the run JSON of a failed run between log lines, and names the error', () => {
	const failed = run('error', { message: 'boom', node: { name: 'List' } });
	const text = [
		'Execution error:',
		'====',
		JSON.stringify(failed, null, 2),
		'Error executing workflow.',
		'{',
		'not json',
		'}',
	].join('\n');
	const parsed = parseRunOutput(text)!;
	expect(parsed.status).toBe('error');
	expect(runError(parsed)).toBe('List: boom');
});

test('ignores JSON blocks that are not run data, and says so when there is none', () => {
	expect(parseRunOutput(['{', '  "level": "info"', '}'].join('\n'))).toBeUndefined();
	expect(() => nodeItems(run('success'), 'Missing')).toThrow(/did not run/);
});
