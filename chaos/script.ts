// The chaos run's script: when each camera's scene turns red (an event every trigger on that
// camera must alert on once) and which faults happen when, several overlapping. Times are seconds
// after the scene starts. Each fault declares the outage it causes: an event that lies entirely
// inside an outage of its camera (overlapping outages count as one) is excused if missed; no
// other event is.

export type CameraName = 'A' | 'B';

export type FaultKind =
	| 'camera killed and back'
	| 'camera frozen and thawed'
	| 'camera refusing connections'
	| 'livekit-server restarted'
	| 'API 503 burst (chat)'
	| 'API 429 + Retry-After (chat, keepalive)'
	| 'keepalive 404 (stream gone)'
	| 'publisher SIGKILLed'
	| 'slow API (2 s answers)'
	| 'n8n SIGKILLed and restarted';

export interface FaultStep {
	kind: FaultKind;
	atS: number;
	/** How long the fault lasts (0: a single blow, e.g. a SIGKILL). */
	forS: number;
	/** The camera it hits (camera faults); undefined: every trigger. */
	camera?: CameraName;
	/** Seconds after `atS` during which the triggers it hits may miss an event (excused). */
	outageS: number;
}

export interface SceneEvent {
	camera: CameraName;
	startS: number;
	endS: number;
}

export interface ChaosScript {
	/** Seconds of scene after the triggers all watch; the final stop comes after it. */
	durationS: number;
	events: SceneEvent[];
	faults: FaultStep[];
}

/** A red scene lasts this long: several questions at "ask every 2 s" even with 2 s answers. */
const EVENT_S = 12;

function events(camera: CameraName, firstS: number, everyS: number, untilS: number): SceneEvent[] {
	const out: SceneEvent[] = [];
	for (let t = firstS; t + EVENT_S <= untilS; t += everyS)
		out.push({ camera, startS: t, endS: t + EVENT_S });
	return out;
}

/**
 * The short variant (CI, ~5 min in all on 2 cores): every fault kind once, the n8n crash last so
 * its recovery is measured without others in the way. The full run repeats the same script
 * `rounds` times back to back, shifted, so faults meet events at other phases.
 */
export function chaosScript(rounds: number): ChaosScript {
	const roundS = 200;
	const base: FaultStep[] = [
		{ kind: 'camera killed and back', atS: 30, forS: 8, camera: 'A', outageS: 25 },
		{ kind: 'API 503 burst (chat)', atS: 34, forS: 0, outageS: 15 },
		{ kind: 'camera frozen and thawed', atS: 44, forS: 10, camera: 'B', outageS: 25 },
		{ kind: 'API 429 + Retry-After (chat, keepalive)', atS: 50, forS: 0, outageS: 15 },
		{ kind: 'livekit-server restarted', atS: 66, forS: 0, outageS: 30 },
		// 25 s, so that its recovery is measured before the next fault (at 104 s) hits everyone.
		{ kind: 'slow API (2 s answers)', atS: 72, forS: 25, outageS: 0 },
		{ kind: 'keepalive 404 (stream gone)', atS: 104, forS: 0, outageS: 20 },
		{ kind: 'publisher SIGKILLed', atS: 110, forS: 0, outageS: 20 },
		{ kind: 'camera refusing connections', atS: 118, forS: 14, camera: 'A', outageS: 35 },
		{ kind: 'n8n SIGKILLed and restarted', atS: 146, forS: 0, outageS: 60 },
	];
	const out: ChaosScript = { durationS: roundS * rounds + 15, events: [], faults: [] };
	for (let r = 0; r < rounds; r++) {
		const shift = r * roundS + (r % 2) * 7; // odd rounds meet the events at another phase
		out.faults.push(...base.map((f) => ({ ...f, atS: f.atS + shift })));
	}
	out.events.push(
		...events('A', 14, 26, out.durationS - 5),
		...events('B', 21, 26, out.durationS - 5),
	);
	return out;
}

/**
 * Outage windows [from, to] (seconds) that excuse a missed event on `camera`. Overlapping windows
 * merge: a camera that is still down from one fault when the next one hits was down throughout.
 */
export function outagesFor(script: ChaosScript, camera: CameraName): Array<[number, number]> {
	const windows = script.faults
		.filter((f) => f.outageS > 0 && (f.camera === undefined || f.camera === camera))
		.map((f): [number, number] => [f.atS, f.atS + Math.max(f.forS, f.outageS)])
		.sort((a, b) => a[0] - b[0]);
	const merged: Array<[number, number]> = [];
	for (const [from, to] of windows) {
		const last = merged.at(-1);
		if (last && from <= last[1]) last[1] = Math.max(last[1], to);
		else merged.push([from, to]);
	}
	return merged;
}

export function excused(script: ChaosScript, e: SceneEvent): boolean {
	return outagesFor(script, e.camera).some(([from, to]) => e.startS >= from && e.endS <= to);
}

/** Whether fault `f` hits a trigger watching `camera`. */
export function hits(f: FaultStep, camera: CameraName): boolean {
	return f.camera === undefined || f.camera === camera;
}
