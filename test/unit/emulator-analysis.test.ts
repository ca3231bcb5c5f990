// The emulator's deterministic image analysis and answer rules (emulator/README.md).
import { analyse, classify, type FramePixels, type Rgb } from '../../emulator/analysis';
import { answerText, fillSchema, parseQuestion } from '../../emulator/answer';
import { FrameStore, downscaleRgba, solidRgba } from '../../emulator/frames';

const solid = (rgb: Rgb, w = 32, h = 18): FramePixels => ({
	rgba: solidRgba(rgb, w, h),
	width: w,
	height: h,
});

/** Left `frac` of the frame in `a`, the rest in `b`. */
function split(a: Rgb, b: Rgb, frac: number, w = 32, h = 16): FramePixels {
	const rgba = new Uint8Array(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const c = x < w * frac ? a : b;
			rgba.set([...c, 255], (y * w + x) * 4);
		}
	return { rgba, width: w, height: h };
}

describe('classify', () => {
	it.each([
		[[255, 0, 0], 'red'],
		[[120, 0, 0], 'red'],
		[[200, 50, 10], 'red'],
		[[255, 140, 0], 'orange'],
		[[139, 69, 19], 'orange'],
		[[250, 240, 10], 'yellow'],
		[[0, 128, 0], 'green'],
		[[0, 200, 200], 'cyan'],
		[[10, 20, 230], 'blue'],
		[[128, 0, 128], 'magenta'],
		[[0, 0, 0], 'black'],
		[[30, 10, 10], 'black'],
		[[128, 128, 128], 'gray'],
		[[250, 250, 250], 'white'],
		[[40, 40, 45], 'black'],
	] as Array<[Rgb, string]>)('%j → %s', (rgb, name) => {
		expect(classify(rgb)).toBe(name);
	});
});

describe('analyse', () => {
	it('single frame stats', () => {
		const a = analyse([solid([255, 0, 0])]);
		expect(a).toMatchObject({
			frames: 1,
			meanRgb: [255, 0, 0],
			dominantColor: 'red',
			brightness: 30,
			changeScore: 0,
			changed: false,
		});
	});

	it('change score is the largest consecutive difference', () => {
		const a = analyse([solid([0, 0, 0]), solid([0, 0, 0]), solid([255, 255, 255])]);
		expect(a.changeScore).toBe(100);
		expect(a.changed).toBe(true);
		expect(analyse([solid([100, 100, 100]), solid([110, 100, 100])]).changed).toBe(false);
	});

	it('presence: a colour covering ≥ 25 % of a frame counts even when the mean says otherwise', () => {
		const a = analyse([split([255, 0, 0], [0, 0, 255], 0.5)]);
		expect(a.dominantColor).toBe('magenta');
		expect(a.present).toEqual(expect.arrayContaining(['red', 'blue', 'magenta']));
		expect(analyse([split([0, 255, 0], [128, 128, 128], 0.1)]).present).not.toContain('green');
	});
});

describe('answers', () => {
	const red = analyse([solid([255, 0, 0])]);

	it('describes the scene in one sentence', () => {
		expect(answerText(red, parseQuestion('Describe the scene.'))).toBe(
			'The scene is mostly red (brightness 30%, 1 frame).',
		);
		expect(
			answerText(analyse([solid([0, 0, 255]), solid([0, 0, 255])]), parseQuestion('what is it')),
		).toBe('The scene is mostly blue (brightness 11%, 2 frames, change 0).');
		expect(answerText(analyse([]), parseQuestion('hello'))).toBe(
			'There is no image to look at (0 frames).',
		);
	});

	it('answers yes/no colour and change questions', () => {
		expect(answerText(red, parseQuestion('Is the scene red?'))).toBe(
			'Yes. The scene is mostly red (brightness 30%, 1 frame).',
		);
		expect(answerText(red, parseQuestion('Is there something green?'))).toMatch(/^No\. /);
		expect(answerText(red, parseQuestion('Is it grey'))).toMatch(/^No\. /);
		const moving = analyse([solid([0, 0, 0]), solid([255, 255, 255])]);
		expect(answerText(moving, parseQuestion('Did anything change?'))).toMatch(/^Yes\. /);
		expect(answerText(red, parseQuestion('Did anything move?'))).toMatch(/^No\. /);
		expect(parseQuestion('The red car is parked.').kind).toBe('none');
	});

	it('fills a json schema from the analysis', () => {
		const schema = {
			type: 'object',
			properties: {
				dominant_color: { type: 'string' },
				brightness: { type: 'integer' },
				is_red: { type: 'boolean' },
				has_green: { type: 'boolean' },
				match: { type: 'boolean' },
				answer: { type: 'string' },
				level: { type: 'string', enum: ['low', 'high'] },
				mean_rgb: { type: 'array', items: { type: 'integer' } },
				nested: {
					type: 'object',
					properties: { changed: { type: 'boolean' }, frames: { type: 'number' } },
				},
				note: { type: ['string', 'null'] },
			},
		};
		const out = fillSchema(schema, red, parseQuestion('Is the scene red?')) as Record<
			string,
			unknown
		>;
		expect(out).toEqual({
			dominant_color: 'red',
			brightness: 30,
			is_red: true,
			has_green: false,
			match: true,
			answer: 'Yes. The scene is mostly red (brightness 30%, 1 frame).',
			level: 'low',
			mean_rgb: [255, 0, 0],
			nested: { changed: false, frames: 1 },
			note: 'Yes. The scene is mostly red (brightness 30%, 1 frame).',
		});
	});
});

describe('frame store', () => {
	it('keeps lifetime indices and bounds memory by count and bytes', () => {
		const s = new FrameStore({ retentionMs: 600_000, maxFrames: 3, maxBytes: 1e9 });
		for (let i = 0; i < 10; i++) s.add(new Uint8Array(4), 1, 1);
		expect(s.retained().map((f) => f.index)).toEqual([7, 8, 9]);
		expect(s.evicted).toBe(7);
		const b = new FrameStore({ retentionMs: 600_000, maxFrames: 100, maxBytes: 10 });
		for (let i = 0; i < 5; i++) b.add(new Uint8Array(4), 1, 1);
		expect(b.retained().length).toBe(2);
	});

	it('evicts by age', () => {
		const s = new FrameStore({ retentionMs: 1000, maxFrames: 100, maxBytes: 1e9 });
		const now = Date.now();
		s.add(new Uint8Array(4), 1, 1, now - 5000);
		s.add(new Uint8Array(4), 1, 1, now - 10);
		expect(s.retained(now).map((f) => f.index)).toEqual([1]);
	});

	it('downscales by box filter to at most 160 px wide', () => {
		const d = downscaleRgba(solidRgba([10, 200, 30], 640, 360), 640, 360);
		expect([d.width, d.height]).toEqual([160, 90]);
		expect(Array.from(d.rgba.slice(0, 4))).toEqual([10, 200, 30, 255]);
		expect(d.rgba.byteOffset).toBe(0);
	});
});
