// Bearer-key rules. Default: any non-empty bearer string is a key (the docs disagree on the prefix,
// `ovs-` vs `ovs_`, so none is required), except that a key containing `invalid` is refused, which
// gives tests an easy 401 without configuration. With `apiKeys`, only those keys (plus the
// unassigned/no-credit keys) exist.

import type { IncomingMessage } from 'node:http';
import { detailError } from './errors';

export interface AuthOptions {
	apiKeys?: string[];
	unassignedKeys?: string[];
	noCreditKeys?: string[];
}

export function bearer(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	if (typeof header !== 'string') return undefined;
	const m = /^Bearer\s+(\S.*)$/i.exec(header.trim());
	return m ? m[1].trim() : undefined;
}

/** Returns the caller's key, or throws 401 (shape 1 on every route, chat included). */
export function authenticate(req: IncomingMessage, opts: AuthOptions): string {
	const key = bearer(req);
	if (!key) throw detailError(401, 'Not authenticated', { 'www-authenticate': 'Bearer' });
	const known = (list?: string[]) => list?.includes(key) ?? false;
	if (opts.apiKeys) {
		if (!known(opts.apiKeys) && !known(opts.unassignedKeys) && !known(opts.noCreditKeys)) {
			throw detailError(401, 'Invalid API key');
		}
	} else if (key.toLowerCase().includes('invalid')) {
		throw detailError(401, 'Invalid API key');
	}
	return key;
}

export function isUnassigned(key: string, opts: AuthOptions): boolean {
	return opts.unassignedKeys?.includes(key) ?? false;
}

export function hasNoCredit(key: string, opts: AuthOptions): boolean {
	return opts.noCreditKeys?.includes(key) ?? false;
}
