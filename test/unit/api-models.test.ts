// Automatic model choice (api/models.ts): the contract's capability rule by id family, the
// deterministic order, and the "pick again once" rule when the server stops serving a model.
import { OvershootClient } from '../../nodes/Overshoot/api/client';
import { OvershootApiError } from '../../nodes/Overshoot/api/errors';
import {
	AUTOMATIC,
	chooseModel,
	isModelRefusal,
	ModelSelection,
	NoModelError,
	rankModels,
	takesVideo,
	toModelChoice,
} from '../../nodes/Overshoot/api/models';
import type { HttpRequest, HttpResponse, Transport } from '../../nodes/Overshoot/api/http';
import type { Model } from '../../nodes/Overshoot/api/types';

const model = (id: string, status = 'ready'): Model => ({
	id,
	object: 'model',
	created: 1,
	owned_by: 'overshoot',
	status,
});
const IMAGE = { video: false };
const VIDEO = { video: true };

describe('the capability rule (docs/overshoot-api.md §5)', () => {
	it('hosted owner/model ids and gemini-* take clips; claude-* and gpt-* are image-only; other bare ids are unknown', () => {
		expect(takesVideo('some-owner/Some-Model-7B')).toBe(true);
		expect(takesVideo('gemini-9-flash')).toBe(true);
		expect(takesVideo('claude-x-1')).toBe(false);
		expect(takesVideo('gpt-x')).toBe(false);
		expect(takesVideo('mystery-model')).toBeUndefined();
	});

	it('a clip never goes to an image-only model, and to one of unknown capability only after the known ones', () => {
		const models = [model('claude-a'), model('gpt-b'), model('mystery'), model('gemini-c')];
		expect(rankModels(models, VIDEO)).toEqual(['gemini-c', 'mystery']);
		expect(rankModels([model('claude-a'), model('gpt-b')], VIDEO)).toEqual([]);
	});

	it('images: hosted first, then passthrough models known to take images, then unknown ones', () => {
		const models = [
			model('mystery'),
			model('gpt-b'),
			model('zeta/one'),
			model('claude-a'),
			model('gemini-c'),
		];
		expect(rankModels(models, IMAGE)).toEqual([
			'zeta/one',
			'claude-a',
			'gemini-c',
			'gpt-b',
			'mystery',
		]);
	});
});

describe('the deterministic choice', () => {
	const catalog = [
		model('b-owner/m2'),
		model('a-owner/m9', 'loading'),
		model('B-owner/m1'),
		model('gemini-z'),
		model('a-owner/m3', 'unavailable'),
	];

	it('only ready models, hosted first, the smallest id in code-unit order (upper case before lower case)', () => {
		expect(chooseModel(catalog, VIDEO)).toBe('B-owner/m1');
		expect(chooseModel(catalog, IMAGE)).toBe('B-owner/m1');
	});

	it('does not depend on the order the server lists the models in', () => {
		const reversed = [...catalog].reverse();
		expect(chooseModel(reversed, VIDEO)).toBe(chooseModel(catalog, VIDEO));
		expect(rankModels(reversed, IMAGE)).toEqual(rankModels(catalog, IMAGE));
	});

	it('no ready model that fits: an error that lists what is ready and what to do', () => {
		const error = (() => {
			try {
				return chooseModel([model('claude-a'), model('x/y', 'loading')], VIDEO);
			} catch (e) {
				return e;
			}
		})() as NoModelError;
		expect(error).toBeInstanceOf(NoModelError);
		expect(error.message).toMatch(/no ready model that can answer a clip/);
		expect(error.description).toMatch(/Ready models: claude-a\./);
		expect(error.description).toMatch(/latest frame/);
	});

	it('an id or a choice becomes a choice; empty names the field', () => {
		expect(toModelChoice(' a/b ')).toEqual({ kind: 'fixed', id: 'a/b' });
		expect(toModelChoice(AUTOMATIC)).toEqual(AUTOMATIC);
		expect(() => toModelChoice('  ')).toThrow(/Model is empty/);
	});
});

/** A server whose catalogue and chat answers the test scripts. */
function server(opts: { catalog: () => Model[]; chat: (model: string) => HttpResponse }) {
	const calls: HttpRequest[] = [];
	const transport: Transport = async (req) => {
		calls.push(req);
		if (req.path === '/models')
			return { status: 200, headers: {}, body: { object: 'list', data: opts.catalog() } };
		const body = req.body as { model: string };
		return opts.chat(body.model);
	};
	return { client: new OvershootClient(transport, { sleep: async () => undefined }), calls };
}

const answer = (m: string): HttpResponse => ({
	status: 200,
	headers: {},
	body: { id: 'c', object: 'chat.completion', created: 1, model: m, choices: [] },
});
const gone = (m: string): HttpResponse => ({
	status: 404,
	headers: {},
	body: {
		detail: {
			error: {
				message: `Model not found: ${m}`,
				type: 'provider_error',
				code: 'model_unavailable',
			},
		},
	},
});

describe('ModelSelection', () => {
	it('Automatic: one GET /models, the same model for every call', async () => {
		const { client, calls } = server({ catalog: () => [model('z/z'), model('a/a')], chat: answer });
		const selection = new ModelSelection(client, AUTOMATIC, VIDEO);
		const chat = (id: string) => client.chat({ model: id, messages: [] });
		expect((await selection.run(chat)).model).toBe('a/a');
		expect((await selection.run(chat)).model).toBe('a/a');
		expect(calls.filter((c) => c.path === '/models')).toHaveLength(1);
	});

	it('Automatic: a model that is no longer served is replaced once, and the call is made again', async () => {
		let catalog = [model('a/a'), model('b/b')];
		const { client } = server({
			catalog: () => catalog,
			chat: (m) => (catalog.some((c) => c.id === m) ? answer(m) : gone(m)),
		});
		const selection = new ModelSelection(client, AUTOMATIC, IMAGE);
		const chat = (id: string) => client.chat({ model: id, messages: [] });
		expect((await selection.run(chat)).model).toBe('a/a');
		catalog = [model('b/b')];
		await expect(selection.run(chat)).resolves.toMatchObject({ model: 'b/b', replaced: 'a/a' });
		// b/b answered: when it goes too, the next one is picked again.
		catalog = [model('c/c')];
		await expect(selection.run(chat)).resolves.toMatchObject({ model: 'c/c', replaced: 'b/b' });
	});

	it('Automatic: a replacement refused before it answered once is not replaced again (no loop)', async () => {
		let listed = 0;
		const { client } = server({
			catalog: () => (listed++, [model('a/a'), model('b/b'), model('c/c')]),
			chat: gone,
		});
		const selection = new ModelSelection(client, AUTOMATIC, IMAGE);
		const error = await selection
			.run((id) => client.chat({ model: id, messages: [] }))
			.catch((e) => e);
		expect(error).toBeInstanceOf(OvershootApiError);
		expect(error.detail).toBe('Model not found: b/b');
		expect(error.hint).toMatch(/Ready models now: a\/a, b\/b, c\/c/);
		const again = await selection
			.run((id) => client.chat({ model: id, messages: [] }))
			.catch((e) => e);
		expect(again.detail).toBe('Model not found: b/b'); // still the replacement: not replaced again
	});

	it('a Specific Model is never replaced: the error says it is not served and lists the ready models', async () => {
		const { client, calls } = server({
			catalog: () => [model('x/ready'), model('y/loading', 'loading')],
			chat: gone,
		});
		const selection = new ModelSelection(client, { kind: 'fixed', id: 'old/model' }, IMAGE);
		const error = await selection
			.run((id) => client.chat({ model: id, messages: [] }))
			.catch((e) => e);
		expect(isModelRefusal(error)).toBe(true);
		expect(error.status).toBe(404);
		expect(error.hint).toMatch(/"old\/model" is not served by Overshoot/);
		expect(error.hint).toMatch(/Ready models now: x\/ready\./);
		expect(error.hint).not.toMatch(/stream has ended/);
		expect(calls.map((c) => c.path)).toEqual(['/chat/completions', '/models']); // one extra GET /models, no retry
	});

	it('other errors are not model refusals and are not replaced', async () => {
		const { client } = server({
			catalog: () => [model('a/a'), model('b/b')],
			chat: () => ({ status: 402, headers: {}, body: { detail: 'no credits' } }),
		});
		const selection = new ModelSelection(client, AUTOMATIC, IMAGE);
		const error = await selection
			.run((id) => client.chat({ model: id, messages: [] }))
			.catch((e) => e);
		expect(error.status).toBe(402);
		expect(isModelRefusal(error)).toBe(false);
	});
});
