// The trigger's node versions and every default that depends on them, in one table. n8n leaves
// default-valued parameters out of saved workflows, so a saved node gets the defaults of *its*
// version: a new default is only ever added as a new version here (never by changing a row).
// The fields read their defaults from this table (`versionedField`), and parameters.ts falls back
// to the same row when a parameter is missing.

import type { INodeProperties } from 'n8n-workflow';

import { AUTOMATIC_BY_DEFAULT_FROM } from '../shared/model';
import type { AskWhen } from '../watch/ask-schedule';

export interface TriggerVersionDefaults {
	/** When to Ask. */
	askWhen: AskWhen;
}

export const TRIGGER_VERSION_DEFAULTS: Record<number, TriggerVersionDefaults> = {
	/** The first release: a question every N seconds. */
	1: { askWhen: 'interval' },
	/** Model Choice defaults to Automatic (shared with the action node: shared/model.ts keeps that default). */
	[AUTOMATIC_BY_DEFAULT_FROM]: { askWhen: 'interval' },
	/** New nodes ask when the picture changes (faster alerts, fewer paid calls); Automatic as in 1.1. */
	2: { askWhen: 'change' },
};

export const TRIGGER_VERSIONS = Object.keys(TRIGGER_VERSION_DEFAULTS)
	.map(Number)
	.sort((a, b) => a - b); // object keys list "1.1" after the integers
export const LATEST_TRIGGER_VERSION = Math.max(...TRIGGER_VERSIONS);

export function triggerDefaults(version: number): TriggerVersionDefaults {
	return TRIGGER_VERSION_DEFAULTS[version] ?? TRIGGER_VERSION_DEFAULTS[LATEST_TRIGGER_VERSION];
}

/**
 * One copy of `field` per distinct default of `key`, each shown only for the versions that have
 * that default (n8n's `@version` display option), so the editor and the saved JSON agree.
 */
export function versionedField<K extends keyof TriggerVersionDefaults>(
	key: K,
	field: Omit<INodeProperties, 'default'>,
): INodeProperties[] {
	const byDefault = new Map<TriggerVersionDefaults[K], number[]>();
	for (const version of TRIGGER_VERSIONS) {
		const value = triggerDefaults(version)[key];
		byDefault.set(value, [...(byDefault.get(value) ?? []), version]);
	}
	return [...byDefault].map(([value, versions]) => ({
		...field,
		default: value,
		displayOptions: {
			...field.displayOptions,
			show: { ...field.displayOptions?.show, '@version': versions },
		},
	}));
}
