// The error a source hands to sink.fatal(): a message for people plus the bare reason.

export class SourceError extends Error {
	constructor(
		message: string,
		/** The cause alone, e.g. "the camera rejected the username/password (401 Unauthorized)". */
		readonly reason: string,
	) {
		super(message);
		this.name = 'SourceError';
	}
}
