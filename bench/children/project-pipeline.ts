// The project's own publishing path, as the trigger runs it: createSource (camera → I420 frames) →
// PublisherProcess (frames piped to its own process, captureFrame into the room). No Overshoot
// session: the token comes from the parent.
import { createSource } from '../../nodes/Overshoot/watch/sources';
import { PublisherProcess } from '../../nodes/Overshoot/watch/publisher-process';
import { send, stopRequested } from '../lib/ipc';
import { benchReader } from '../lib/pipeline';

export async function runProjectPipeline(a: Record<string, string>): Promise<void> {
	const width = Number(a.width ?? 640);
	const height = Number(a.height ?? 360);
	const fps = Number(a.fps ?? 5);
	const target = { url: a.url, token: a.token };
	const publisher = new PublisherProcess(
		{ width, height, fps },
		{
			freshTarget: () => target,
			onFatal: (e) => send({ type: 'error', message: `publisher fatal: ${e.message}` }),
		},
	);
	await publisher.connect(target);
	const source = createSource({
		kind: 'rtsp',
		url: a.rtsp,
		width,
		height,
		fps,
		reader: benchReader(),
	});
	source.start({
		frame: (f) => publisher.publish(f),
		status: (s) => send({ type: 'event', name: 'source', data: { ...s } }),
		fatal: (e) => send({ type: 'error', message: `source fatal: ${e.message}` }),
	});
	send({ type: 'ready' });
	await stopRequested();
	await source.stop();
	send({ type: 'result', data: { ...publisher.stats } });
	await publisher.close();
}
