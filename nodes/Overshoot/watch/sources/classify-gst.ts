// How gst-launch-1.0 ended → a reason a person can act on, and "worth retrying or not". The
// patterns are GStreamer 1.22's messages (rtspsrc, decodebin, gst-launch; measured on Debian 12
// against the GStreamer RTSP test server). gst-launch exits 1 after printing
//   ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Unauthorized
//   Additional debug info:
//   ../gst/rtsp/gstrtspsrc.c(6899): gst_rtspsrc_send (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:
//   Unauthorized (401)
// and 0 when the camera ended the stream (EOS).

import { classifyText, type Classified } from './classify';
import { gstInstallMessage, OR_FFMPEG } from './gst-detect';
import type { MediaExit } from './media-process';

interface Rule {
	test: RegExp;
	verdict: (m: RegExpExecArray) => Classified;
}

const RULES: Rule[] = [
	{
		test: /Unauthorized|\(401\)/,
		verdict: () => ({
			reason: 'the camera rejected the username/password (401 Unauthorized)',
			retryable: false,
		}),
	},
	{
		test: /Forbidden|\(403\)/,
		verdict: () => ({
			reason: 'the camera refused access for this user (403 Forbidden)',
			retryable: false,
		}),
	},
	{
		test: /\(404\)/,
		verdict: () => ({
			reason: 'path not found: the camera has no stream at this URL path (404 Not Found)',
			retryable: false,
		}),
	},
	{
		test: /no element "([^"]+)"/,
		verdict: (m) => ({ reason: `${gstInstallMessage([m[1]])}, ${OR_FFMPEG}`, retryable: false }),
	},
	{
		test: /Missing decoder: ([^(\n]+)/,
		verdict: (m) => ({
			reason: `GStreamer has no decoder for the camera's video (${m[1].trim()}): install it with "apt-get install gstreamer1.0-libav", ${OR_FFMPEG}`,
			retryable: false,
		}),
	},
	{
		test: /missing a plug-in/,
		verdict: () => ({
			reason: `GStreamer lacks a plug-in the camera's stream needs: install it with "apt-get install gstreamer1.0-libav gstreamer1.0-plugins-good", ${OR_FFMPEG}`,
			retryable: false,
		}),
	},
	{
		test: /no property "([^"]+)" in element "([^"]+)"/,
		verdict: (m) => ({
			reason: `this GStreamer's ${m[2]} has no "${m[1]}" setting (GStreamer 1.18 or newer is required), ${OR_FFMPEG}`,
			retryable: false,
		}),
	},
	{
		test: /Could not receive any UDP packets/i,
		verdict: () => ({
			reason: 'no video arrived over UDP (a firewall or NAT may block it): try the TCP transport',
			retryable: true,
		}),
	},
];

export function gstMissingBinaryMessage(gstLaunchPath: string): string {
	return `gst-launch-1.0 was not found (looked for "${gstLaunchPath}"): install it with "apt-get install gstreamer1.0-tools", ${OR_FFMPEG}`;
}

/** The element's message and its debug text: "Could not read from resource. (Could not receive message. (Parse error))". */
export function gstErrorSummary(stderr: readonly string[]): string | undefined {
	const at = stderr.findIndex((l) => l.startsWith('ERROR: from element '));
	if (at < 0)
		return (
			stderr.find((l) => /^(WARNING: erroneous pipeline|ERROR)/.test(l)) ??
			stderr[stderr.length - 1]
		);
	const message = stderr[at].replace(/^ERROR: from element \S+: /, '').trim();
	// After "Additional debug info:" comes "<file>(<line>): <function> (): <element path>:" and then the text.
	const debug: string[] = [];
	for (let i = at + 2; i < stderr.length && !stderr[i].startsWith('ERROR:'); i++) {
		if (!/^\S+\.c\(\d+\): /.test(stderr[i])) debug.push(stderr[i]);
	}
	return debug.length ? `${message} (${debug.join(' ')})` : message;
}

export function classifyGstExit(exit: MediaExit, gstLaunchPath: string): Classified {
	const spawnError = exit.spawnError;
	if (spawnError) {
		if (spawnError.code === 'ENOENT')
			return { reason: gstMissingBinaryMessage(gstLaunchPath), retryable: false };
		if (spawnError.code === 'EACCES')
			return {
				reason: `gst-launch-1.0 at "${gstLaunchPath}" is not executable (permission denied)`,
				retryable: false,
			};
		return {
			reason: `gst-launch-1.0 could not be started: ${spawnError.message}`,
			retryable: false,
		};
	}
	const text = exit.stderr.join('\n');
	for (const rule of RULES) {
		const m = rule.test.exec(text);
		if (m) return rule.verdict(m);
	}
	// Connection refused, host name not resolved, timed out, reset: the same words as ffmpeg's.
	const network = classifyText(text, 'rtsp');
	if (network) return network;
	if (exit.code === 0) return { reason: 'the camera ended the stream', retryable: true };
	const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
	const summary = gstErrorSummary(exit.stderr);
	return { reason: `GStreamer ${how}${summary ? `: ${summary}` : ''}`, retryable: true };
}
