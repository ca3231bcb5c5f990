// One project Watcher running until stopped: RTSP camera → source → room, asking the emulator.
// Reports every answer (time, text, whether asked) so the parent can count paid calls.
import { loadRtc } from '../../nodes/Overshoot/watch/native';
import { childArgs, runChild, send, stopRequested } from '../lib/ipc';
import { buildWatcher } from '../lib/watcher-setup';

runChild(async () => {
	const a = childArgs();
	const answers: Array<{ atMs: number; answer: string; frameSeq?: number }> = [];
	const skipped: Record<string, number> = {};
	const watcher = buildWatcher({
		baseUrl: a.baseUrl,
		rtsp: a.rtsp,
		options: JSON.parse(a.options ?? '{}'),
		onAnswer: (e) => {
			answers.push({ atMs: e.question.askedAtMs, answer: e.answer, frameSeq: e.frame?.seq });
			send({
				type: 'event',
				name: 'answer',
				data: { atMs: e.question.askedAtMs, answer: e.answer },
			});
		},
		onFatal: (e) => send({ type: 'error', message: `watcher fatal: ${e.message}` }),
	});
	await watcher.start();
	send({ type: 'ready', info: { streamId: watcher.streamId } });
	await stopRequested();
	const stats = watcher.stats();
	await watcher.stop();
	send({ type: 'result', data: { answers, skipped, stats } });
	await loadRtc().dispose();
});
