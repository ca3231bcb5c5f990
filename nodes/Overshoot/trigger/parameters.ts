// The trigger's parameters → the engine's typed options: the shared source, video and question
// readers (shared/parameters.ts) plus what only the trigger has (When to Ask, the condition, when
// to fire, change gating). Pure (no n8n context); field names in errors are the display names.

import { InputError } from '../api/errors';
import type { ModelChoice } from '../api/models';
import type { AskWhen } from '../watch/ask-schedule';
import type { ConditionSpec, FireMode, JsonOperator } from '../watch/condition';
import { HEARTBEAT_FIELD, type FieldNames, type WatcherOptionsInput } from '../watch/options';
import {
	bool,
	optionsReader,
	readQuestion,
	readPulledCamera,
	readSourceParams,
	readVideo,
	str,
	type CameraLogin,
	type SourceParams,
	type VideoParams,
} from '../shared/parameters';
import type { ParamReader } from '../shared/param-reader';
import { QUESTION_NUMBERS, readNumber } from '../shared/numbers';
import { ASK_NUMBERS, CHANGE_NUMBERS, FIRE_NUMBERS } from './numbers';
import { triggerDefaults } from './versions';

export interface TriggerConfig {
	source: SourceParams;
	video: VideoParams;
	watcher: WatcherOptionsInput;
	/** Skip matches while the previous run of the workflow is still going (donePromise). */
	oneRunAtATime: boolean;
}

/**
 * The trigger's names for the engine options whose engine names differ (watch/options.ts
 * ENGINE_FIELD_NAMES): handed to resolveWatcherOptions, so its errors name the trigger's fields.
 */
export const TRIGGER_FIELD_NAMES: FieldNames = {
	intervalSeconds: 'Ask Every (Seconds)',
	heartbeatSeconds: HEARTBEAT_FIELD,
	staleFrameSeconds: 'Camera Frozen After (Seconds)',
	sourceDownSeconds: 'Give Up After Camera Down (Minutes)',
	roomDownSeconds: 'Give Up After Camera Down (Minutes)',
};

export function readCondition(read: ParamReader): ConditionSpec {
	const kind = str(read, 'condition') || 'yes';
	// Read only where the field is shown: n8n drops hidden parameters.
	const caseSensitive = () => bool(read, 'caseSensitive', false);
	switch (kind) {
		case 'contains':
		case 'notContains':
			return { kind, value: str(read, 'conditionText'), caseSensitive: caseSensitive() };
		case 'equals':
			return { kind, value: str(read, 'conditionText') };
		case 'regex':
			return { kind, pattern: str(read, 'conditionRegex'), flags: caseSensitive() ? '' : 'i' };
		case 'jsonField': {
			const operator = (str(read, 'jsonOperator') || 'isTrue') as JsonOperator;
			const needsValue = operator !== 'isTrue' && operator !== 'isFalse';
			return {
				kind,
				path: str(read, 'jsonField'),
				operator,
				value: needsValue ? str(read, 'jsonValue') : undefined,
			};
		}
		case 'yes':
		case 'no':
		case 'changed':
		case 'always':
			return { kind };
		default:
			throw new InputError('Condition', `Unknown Condition ${JSON.stringify(kind)}.`);
	}
}

/** When to Ask and its timing; a camera Overshoot pulls itself can only be asked on the clock. */
function readAskWhen(
	read: ParamReader,
	source: SourceParams,
	version: number,
): Pick<WatcherOptionsInput, 'askWhen' | 'intervalSeconds'> {
	const mode =
		source.kind === 'pulledCamera'
			? 'interval'
			: ((str(read, 'askWhen') || triggerDefaults(version).askWhen) as AskWhen);
	if (mode !== 'change')
		return { askWhen: { mode }, intervalSeconds: readNumber(read, ASK_NUMBERS.askEverySeconds) };
	return {
		askWhen: {
			mode,
			minGapSeconds: readNumber(read, ASK_NUMBERS.minGapSeconds),
			settleMs: readNumber(optionsReader(read), ASK_NUMBERS.settleMs),
		},
		intervalSeconds: readNumber(read, ASK_NUMBERS.heartbeatSeconds),
	};
}

/**
 * All trigger parameters → config. `model` is read by the caller (it is a resource locator whose
 * value n8n extracts); `login` comes from the optional camera credential; `version` is the node's
 * typeVersion (defaults that depend on it: versions.ts).
 */
export function readTriggerConfig(
	read: ParamReader,
	model: string | ModelChoice,
	login: CameraLogin = {},
	version = 1,
): TriggerConfig {
	const opts = optionsReader(read);
	const source = readSourceParams(read, login);
	const video = readVideo(read);
	const condition = readCondition(read);
	const always = condition.kind === 'always';
	// "Every answer" would fire once under onBecomingTrue: the Fire field is hidden for it.
	const fireMode = always ? 'everyMatch' : ((str(read, 'fire') || 'onBecomingTrue') as FireMode);
	const watcher: WatcherOptionsInput = {
		...readQuestion(read, model),
		...readAskWhen(read, source, version),
		condition,
		fire: {
			mode: fireMode,
			// Read only where the field is shown: n8n drops hidden parameters.
			cooldownSeconds: fireMode === 'incident' ? 0 : readNumber(read, FIRE_NUMBERS.cooldownSeconds),
			consecutive: readNumber(read, FIRE_NUMBERS.matchesInARow),
			clearAfter:
				fireMode === 'incident' ? readNumber(read, FIRE_NUMBERS.clearAfterAnswers) : undefined,
		},
		changeGate: {
			enabled: bool(opts, 'changeGating', false),
			sensitivity: readNumber(opts, CHANGE_NUMBERS.changeSensitivity),
			maxSkipSeconds: readNumber(opts, CHANGE_NUMBERS.askAtLeastEverySeconds),
		},
		emitEveryAnswer: bool(read, 'emitEveryAnswer', false),
		snapshot: {
			enabled: bool(opts, 'snapshot', true),
			quality: readNumber(opts, QUESTION_NUMBERS.snapshotQuality),
		},
		limits: {
			staleFrameSeconds: video.stallSeconds,
			sourceDownSeconds: video.maxDownSeconds,
			roomDownSeconds: video.maxDownSeconds,
		},
	};
	if (source.kind === 'pulledCamera') watcher.cameraSource = readPulledCamera(read, login);
	return { source, video, watcher, oneRunAtATime: bool(opts, 'oneRunAtATime', true) };
}
