// The Overshoot REST contract's shapes (v1, with v1beta's compatible extensions).
// See docs/overshoot-api.md §2.

export interface Model {
	id: string;
	object: 'model';
	created: number;
	owned_by: string;
	/** v1: ready | loading; v1beta: ready | unavailable. Only `ready` is safe to use. */
	status: string;
}

export interface ModelList {
	object: 'list';
	data: Model[];
}

export interface PublishTarget {
	type: 'livekit';
	url: string;
	token: string;
}

/** v1beta: a camera the service pulls itself (public addresses only). */
export interface CameraSource {
	type: 'rtsp' | 'hls';
	url: string;
}

export interface StreamCreated {
	id: string;
	state: 'active' | 'ended';
	/** null for server-pulled camera sources (v1beta). */
	publish: PublishTarget | null;
	expires_at_ms: number;
	ttl_seconds: number;
	source?: { type: 'livekit' | 'rtsp' | 'hls' };
}

export interface StreamInfo {
	id: string;
	state: 'active' | 'ended';
	stream_time_ms: number | null;
	first_frame_at_ms: number | null;
	last_frame_at_ms: number | null;
	last_frame_index: number | null;
	first_available_frame_at_ms: number | null;
	first_available_frame_index: number | null;
	created_at_ms: number | null;
	recent_fps: number | null;
	retained_frame_count: number | null;
	evicted_frame_count: number | null;
	expires_at_ms: number | null;
	ttl_seconds: number | null;
	ended_at_ms: number | null;
	end_reason: string | null;
	audio?: boolean;
	source?: { type: string };
	last_pull?: number | null;
}

export interface KeepaliveResult {
	id: string;
	expires_at_ms: number;
	ttl_seconds: number;
	stream_time_ms: number;
	publish: PublishTarget | null;
}

export interface DeleteResult {
	id: string;
	deleted: boolean;
	/** Set by the client (not the server) when the stream had already ended (404). */
	already_ended?: boolean;
}

export type ContentPart =
	| { type: 'text'; text: string }
	| { type: 'image_url'; image_url: { url: string } }
	| { type: 'video_url'; video_url: { url: string } };

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | ContentPart[] | null;
	[key: string]: unknown;
}

export type ResponseFormat =
	| { type: 'text' }
	| { type: 'json_object' }
	| {
			type: 'json_schema';
			json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean };
	  };

/** A chat request before the model of the run is added (api/models.ts chooses it). */
export interface ChatQuestion {
	messages: ChatMessage[];
	max_completion_tokens?: number;
	temperature?: number;
	response_format?: ResponseFormat;
	[key: string]: unknown;
}

export interface ChatRequest extends ChatQuestion {
	model: string;
}

export interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

export interface ChatResponse {
	id: string;
	object: 'chat.completion';
	created: number;
	model: string;
	choices: Array<{
		index: number;
		message: { role: 'assistant'; content: string | null; tool_calls?: unknown[] };
		finish_reason: string | null;
	}>;
	usage?: Usage;
	[key: string]: unknown;
}
