// ffmpeg's last words: the final lines of stderr, redacted, for error messages and logs.

export class StderrTail {
	private readonly lines: string[] = [];
	private partial = '';

	constructor(
		private readonly maxLines = 50,
		private readonly scrub: (line: string) => string = (line) => line,
	) {}

	push(chunk: Buffer | string): void {
		const text = this.partial + chunk.toString();
		const parts = text.split(/\r?\n|\r/);
		// The last piece may be a line ffmpeg has not finished writing yet.
		this.partial = parts.pop() ?? '';
		if (this.partial.length > 4096) {
			parts.push(this.partial);
			this.partial = '';
		}
		for (const line of parts) this.add(line);
	}

	/** The kept lines, oldest first, including an unterminated last line. */
	snapshot(): string[] {
		const out = [...this.lines];
		if (this.partial.trim()) out.push(this.scrub(this.partial.trim()));
		return out.slice(-this.maxLines);
	}

	private add(line: string): void {
		const trimmed = line.trim();
		if (!trimmed) return;
		this.lines.push(this.scrub(trimmed));
		if (this.lines.length > this.maxLines) this.lines.shift();
	}
}
