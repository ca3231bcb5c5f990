// Turns an Analysis plus the user's question into the model's reply: text, a json_object, or an
// object shaped by a json_schema (so JSON.parse on the reply always works). Rules: README.md.

import { COLOR_NAMES, type Analysis, type ColorName } from './analysis';

const COLOR_WORDS: Record<string, ColorName> = {
	...Object.fromEntries(COLOR_NAMES.map((c) => [c, c])),
	grey: 'gray',
	purple: 'magenta',
	violet: 'magenta',
};
const COLOR_RE = new RegExp(`\\b(${Object.keys(COLOR_WORDS).join('|')})\\b`, 'i');
const CHANGE_RE = /\b(chang\w*|mov\w*|motion|different|differ)\b/i;
const YES_NO_RE =
	/^\s*(is|are|does|do|did|can|could|was|were|has|have|had|any|will|would|should)\b/i;

export interface Question {
	kind: 'color' | 'change' | 'none';
	color?: ColorName;
}

export function parseQuestion(text: string): Question {
	const t = text.trim();
	const yesNo = /\?\s*$/.test(t) || YES_NO_RE.test(t);
	if (!yesNo) return { kind: 'none' };
	const m = COLOR_RE.exec(t);
	if (m) return { kind: 'color', color: COLOR_WORDS[m[1].toLowerCase()] };
	if (CHANGE_RE.test(t)) return { kind: 'change' };
	return { kind: 'none' };
}

export function describe(a: Analysis): string {
	if (a.frames === 0) return 'There is no image to look at (0 frames).';
	const extra = a.frames > 1 ? `, change ${a.changeScore}` : '';
	return `The scene is mostly ${a.dominantColor} (brightness ${a.brightness}%, ${a.frames} frame${a.frames === 1 ? '' : 's'}${extra}).`;
}

/** The yes/no verdict of a question, or undefined when the text asks none. */
export function verdict(a: Analysis, q: Question): boolean | undefined {
	if (q.kind === 'color') return q.color !== undefined && a.present.includes(q.color);
	if (q.kind === 'change') return a.changed;
	return undefined;
}

export function answerText(a: Analysis, q: Question): string {
	const v = verdict(a, q);
	return v === undefined ? describe(a) : `${v ? 'Yes.' : 'No.'} ${describe(a)}`;
}

export function analysisObject(a: Analysis, q: Question) {
	return {
		dominant_color: a.dominantColor,
		brightness: a.brightness,
		mean_rgb: a.meanRgb,
		frames: a.frames,
		change_score: a.changeScore,
		changed: a.changed,
		answer: answerText(a, q),
	};
}

type Schema = Record<string, unknown>;

function schemaType(schema: Schema): string | undefined {
	const t = schema.type;
	if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
	if (typeof t === 'string') return t;
	if (schema.properties) return 'object';
	if (schema.enum && Array.isArray(schema.enum)) return typeof schema.enum[0];
	return undefined;
}

/**
 * Fills a JSON schema from the analysis. Known names map to analysis fields; other names are
 * guessed by type: booleans naming a colour → is that colour present; naming change/motion →
 * `changed`; other booleans → the question's yes/no verdict (false without one); strings naming
 * colour → dominant colour; other strings → the answer text; numbers naming brightness/change/
 * frames → those values, else 0; enums → the dominant colour or verdict if listed, else the first
 * value; arrays → [] (mean_rgb → the RGB triple); objects → filled recursively.
 */
export function fillSchema(schema: unknown, a: Analysis, q: Question, name = ''): unknown {
	if (!schema || typeof schema !== 'object') return null;
	const s = schema as Schema;
	const lname = name.toLowerCase();
	const obj = analysisObject(a, q);
	const v = verdict(a, q);
	const colorIn = COLOR_RE.exec(lname.replace(/_/g, ' '));
	if ('const' in s) return s.const;
	if (Array.isArray(s.enum) && s.enum.length > 0) {
		const options = s.enum as unknown[];
		const candidates: unknown[] = [
			a.dominantColor,
			v === undefined ? undefined : v ? 'yes' : 'no',
			v,
		];
		return candidates.find((c) => c !== undefined && options.includes(c)) ?? options[0];
	}
	if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
		const options = (s.anyOf ?? s.oneOf) as unknown[];
		const first = options.find((o) => (o as Schema)?.type !== 'null') ?? options[0];
		return fillSchema(first, a, q, name);
	}
	switch (schemaType(s)) {
		case 'object': {
			const props = (s.properties ?? {}) as Record<string, unknown>;
			const out: Record<string, unknown> = {};
			for (const [key, sub] of Object.entries(props)) out[key] = fillSchema(sub, a, q, key);
			return out;
		}
		case 'boolean':
			if (lname === 'changed' || CHANGE_RE.test(lname.replace(/_/g, ' '))) return a.changed;
			if (colorIn) return a.present.includes(COLOR_WORDS[colorIn[1].toLowerCase()]);
			return v ?? false;
		case 'string':
			if (/colou?r/.test(lname) || lname === 'color') return a.dominantColor ?? 'black';
			if (lname in obj && typeof obj[lname as keyof typeof obj] === 'string')
				return obj[lname as keyof typeof obj];
			return answerText(a, q);
		case 'integer':
		case 'number': {
			const int = schemaType(s) === 'integer';
			let n = 0;
			if (lname.includes('bright')) n = a.brightness ?? 0;
			else if (lname.includes('change') || lname.includes('motion')) n = a.changeScore;
			else if (lname.includes('frame') || lname.includes('count')) n = a.frames;
			return int ? Math.round(n) : n;
		}
		case 'array':
			if (lname.includes('rgb')) return a.meanRgb;
			return [];
		case 'null':
			return null;
		default:
			return lname in obj ? obj[lname as keyof typeof obj] : null;
	}
}
