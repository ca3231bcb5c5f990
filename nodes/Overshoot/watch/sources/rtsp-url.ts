// The camera URL in two forms: with credentials, only ever for ffmpeg's argv, and without,
// for everything people see; plus the login on its own (GStreamer's rtspsrc takes it apart).

export interface RtspTarget {
	/** Credentials percent-encoded into the userinfo. Goes into ffmpeg's argv and nowhere else. */
	argvUrl: string;
	/** No userinfo: safe for statuses, errors and logs. */
	displayUrl: string;
	/** Strings to scrub from anything ffmpeg prints. */
	secrets: string[];
	/** The login, decoded (undefined: none). Goes into gst-launch's argv and nowhere else. */
	username?: string;
	password?: string;
}

export function buildRtspUrl(url: string, username?: string, password?: string): RtspTarget {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		throw new Error('The camera URL is not a valid URL; expected rtsp://host[:port]/path');
	}
	if (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:') {
		throw new Error(
			`The camera URL must start with rtsp:// or rtsps:// (got ${parsed.protocol}//)`,
		);
	}
	if (!parsed.hostname)
		throw new Error('The camera URL has no host; expected rtsp://host[:port]/path');
	const rest = `${parsed.host}${parsed.pathname}${parsed.search}`;
	const displayUrl = `${parsed.protocol}//${rest}`;

	let userinfo = '';
	const secrets: string[] = [];
	let login: Pick<RtspTarget, 'username' | 'password'> = {};
	if (username) {
		// The credential wins over userinfo typed into the URL. WHATWG URL would drop a blank
		// password ("user@host"), and ffmpeg then fails to authenticate; "user:@host" works.
		userinfo = `${encodeURIComponent(username)}:${encodeURIComponent(password ?? '')}@`;
		if (password) secrets.push(password);
		login = { username, password: password ?? '' };
	} else if (parsed.username || parsed.password) {
		// Already percent-encoded by the URL parser.
		userinfo = `${parsed.username}:${parsed.password}@`;
		if (parsed.password) secrets.push(parsed.password, safeDecode(parsed.password));
		login = { username: safeDecode(parsed.username), password: safeDecode(parsed.password) };
	}
	return { argvUrl: `${parsed.protocol}//${userinfo}${rest}`, displayUrl, secrets, ...login };
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}
