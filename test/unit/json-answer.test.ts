// One rule for a model's JSON answer (api/json.ts parseModelJson), the same in Chat → Complete
// and in the trigger/Check (watch/asker.ts readAnswer): the same answers give the same JSON.
// The bug it pins: `Sure! {"red": true}` failed Chat → Complete but matched in the trigger.
import { readAnswer } from '../../nodes/Overshoot/watch/asker';
import { chatResponse, fakeExecute } from './helpers/fake-execute';

const chatParams = {
	resource: 'chat',
	operation: 'complete',
	model: { mode: 'list', value: 'some/model' },
	prompt: 'Is it red?',
	responseFormat: 'jsonObject',
};

const CASES: Array<[string, unknown]> = [
	['{"red": true}', { red: true }],
	['  {"red": false}\n', { red: false }],
	['```json\n{"red": true}\n```', { red: true }],
	['Sure! {"red": true}', { red: true }],
	['Here you go: {"red": true, "items": [1, 2]} hope it helps', { red: true, items: [1, 2] }],
	['The list: [1, 2, 3].', [1, 2, 3]],
	['Answer:\n```\n{"red": true}\n```\nDone.', { red: true }],
];
const NOT_JSON = ['no', 'Sure! {"red": tru', ''];

async function chatJson(answer: string): Promise<{ json?: unknown; error?: string }> {
	const f = fakeExecute({ params: chatParams, respond: [chatResponse(answer)] });
	try {
		const [item] = await f.run();
		return { json: item.json.json };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

function triggerJson(answer: string): { json?: unknown; error?: string } {
	const reply = {
		id: 'c',
		object: 'chat.completion',
		created: 0,
		model: 'm',
		choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
	};
	const read = readAnswer(reply as never, { kind: 'jsonObject' });
	return read.json === undefined ? { error: read.jsonError } : { json: read.json };
}

describe('a JSON answer is read by one rule in both nodes', () => {
	it.each(CASES)('%j', async (answer, expected) => {
		expect(await chatJson(answer)).toEqual({ json: expected });
		expect(triggerJson(answer)).toEqual({ json: expected });
	});

	it.each(NOT_JSON)('%j is an error in both', async (answer) => {
		expect((await chatJson(answer)).error).toMatch(/not valid JSON/);
		expect(triggerJson(answer).error).toMatch(/not valid JSON/);
	});
});
