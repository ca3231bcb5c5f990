// The settings the alert benchmark runs with (the trigger's defaults for a new node), and the
// incident_clear target that follows from them: 600 ms (the alert budget) plus the clear window,
// the extra answers "Clear After (Answers)" needs, one minimum gap apart.
import { CHANGE_MODE_DEFAULTS } from '../../nodes/Overshoot/trigger/fields/condition';
import { WATCHER_DEFAULTS } from '../../nodes/Overshoot/watch/options';

export const ALERT_SCENE = {
	minGapSeconds: CHANGE_MODE_DEFAULTS.minGapSeconds,
	clearAfterAnswers: WATCHER_DEFAULTS.fire.clearAfter,
};

export function incidentClearTargetMs(): number {
	return 600 + (ALERT_SCENE.clearAfterAnswers - 1) * ALERT_SCENE.minGapSeconds * 1000;
}
