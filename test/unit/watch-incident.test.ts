// Incidents: start after N matches in a row, clear after M misses in a row, one id shared by the
// start and the clear, the last matching answer kept for the clear's snapshot.

import { IncidentGate, stableId } from '../../nodes/Overshoot/watch/incident';

function run(gate: IncidentGate<string>, answers: Array<[boolean, number]>) {
	return answers.map(([matched, at]) => gate.feed(matched, at, `answer@${at}`, `s|${at}`));
}

test('one start and one clear per incident, sharing the incident id; duration and last match on the clear', () => {
	const gate = new IncidentGate<string>({ consecutive: 1, clearAfter: 2 });
	const out = run(gate, [
		[false, 0],
		[true, 1000],
		[true, 2000],
		[false, 3000],
		[true, 4000],
		[false, 5000],
		[false, 6000],
		[false, 7000],
	]);
	const fired = out.filter((r) => r.fired);
	expect(fired.map((r) => r.incident?.state)).toEqual(['started', 'cleared']);
	const [started, cleared] = fired.map((r) => r.incident!);
	expect(started.id).toBe(cleared.id);
	expect(started.id).toBe(stableId('inc', 's|1000'));
	expect(cleared).toMatchObject({ startedAtMs: 1000, durationMs: 5000, lastMatch: 'answer@4000' });
	// A single miss does not clear (one wrong answer must not close a ticket).
	expect(out[3]).toMatchObject({
		fired: false,
		reason: 'not matched 1 of 2 times in a row before it clears',
	});
	expect(gate.isOpen).toBe(false);
});

test('Matches in a Row applies to the start; undecided while confirming either way', () => {
	const gate = new IncidentGate<string>({ consecutive: 2, clearAfter: 1 });
	expect(gate.undecided).toBe(false);
	expect(gate.feed(true, 1, 'a', 'k1').fired).toBe(false);
	expect(gate.undecided).toBe(true);
	expect(gate.feed(false, 2, 'b', 'k2').fired).toBe(false); // streak broken
	expect(gate.feed(true, 3, 'c', 'k3').fired).toBe(false);
	const start = gate.feed(true, 4, 'd', 'k4');
	expect(start).toMatchObject({
		fired: true,
		reason: 'incident started (2 matches in a row)',
		incident: { state: 'started', id: stableId('inc', 'k4') },
	});
	expect(gate.undecided).toBe(false);
	expect(gate.feed(false, 5, 'e', 'k5').incident).toMatchObject({
		state: 'cleared',
		durationMs: 1,
		lastMatch: 'd',
	});
});

test('each incident gets its own id; ids are stable for the same key', () => {
	const gate = new IncidentGate<string>({ consecutive: 1, clearAfter: 1 });
	const ids = run(gate, [
		[true, 1],
		[false, 2],
		[true, 3],
		[false, 4],
	]).map((r) => r.incident?.id);
	expect(ids[0]).toBe(ids[1]);
	expect(ids[2]).toBe(ids[3]);
	expect(ids[0]).not.toBe(ids[2]);
	expect(stableId('evt', 'a', 1)).toBe(stableId('evt', 'a', 1));
	expect(stableId('evt', 'a', 1)).toMatch(/^evt_[0-9a-f]{24}$/);
});
