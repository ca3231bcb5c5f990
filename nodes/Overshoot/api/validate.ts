// Input checks shared by the action node, the trigger and the watcher. Each failure is an
// InputError naming the field as the user sees it in the node.

import { InputError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function streamId(value: unknown, field = 'Stream ID'): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id) throw new InputError(field, `${field} is empty. Use the "id" returned by Stream → Create, e.g. {{ $json.id }}.`);
	if (!UUID.test(id)) throw new InputError(field, `${field} "${id.slice(0, 60)}" is not a stream id: stream ids are UUIDs like 5f0c2a7e-9b1d-4e6a-8c3f-2d7b9a41e6c0.`);
	return id.toLowerCase();
}

export function integer(value: unknown, field: string, opts: { min?: number; max?: number } = {}): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n)) throw new InputError(field, `${field} must be a whole number (got ${JSON.stringify(value)}).`);
	if (opts.min !== undefined && n < opts.min) throw new InputError(field, `${field} must be at least ${opts.min} (got ${n}).`);
	if (opts.max !== undefined && n > opts.max) throw new InputError(field, `${field} must be at most ${opts.max} (got ${n}).`);
	return n;
}

export function positive(value: unknown, field: string, opts: { max?: number } = {}): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) throw new InputError(field, `${field} must be a number (got ${JSON.stringify(value)}).`);
	if (n <= 0) throw new InputError(field, `${field} must be greater than 0 (got ${n}).`);
	if (opts.max !== undefined && n > opts.max) throw new InputError(field, `${field} must be at most ${opts.max} (got ${n}).`);
	return n;
}

export function nonEmpty(value: unknown, field: string): string {
	const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	if (!s.trim()) throw new InputError(field, `${field} is empty.`);
	return s;
}
