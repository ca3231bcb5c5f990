// Picks which live frames to keep so the output holds a steady rate, without waiting for any.
//
// ffmpeg's fps filter (and `-r`) must see the frame after a slot boundary before it emits the
// slot's frame: at 5 fps from a 15 fps camera that held every frame back ~200 ms (measured with
// the stamped test camera: 360 ms → 157 ms glass-to-frame once the choice moved here). So for
// live cameras ffmpeg passes every frame through and this keeps the first frame to arrive in
// each 1/fps slot. Slots are anchored to the first kept frame, so the rate does not drift; a
// stall longer than a slot re-anchors instead of bursting to catch up.

export class FramePacer {
	private readonly periodMs: number;
	private nextDueMs: number | undefined;

	/** `jitterMs`: how early a frame may arrive and still open the next slot. */
	constructor(
		fps: number,
		private readonly jitterMs = 10,
	) {
		this.periodMs = 1000 / fps;
	}

	admit(nowMs: number): boolean {
		if (this.nextDueMs !== undefined && nowMs < this.nextDueMs - this.jitterMs) return false;
		const due = this.nextDueMs ?? nowMs;
		this.nextDueMs = nowMs - due > this.periodMs ? nowMs + this.periodMs : due + this.periodMs;
		return true;
	}
}
