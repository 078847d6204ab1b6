import type { ListenOptions, StreamData } from './candy.js';

/**
 * The connection's state: `connecting` until it opens, `open`, `reconnecting` after an error (the client retries),
 * `ended` once the server sent `end`, `closed` when it stays closed (no URL, or an error with autoReconnect false).
 */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'closed';

export interface StreamSnapshot<T = StreamData> {
  /** The latest message's data (parsed as JSON when it is JSON); undefined until the first message. */
  data: T | undefined;
  /** The latest message's id, empty when it had none. */
  lastEventId: string;
  state: StreamState;
  /** The open connection's transport; null while connecting, reconnecting or closed. */
  transport: 'websocket' | 'sse' | null;
  /** The listener's send (see Listener.send): over WebSocket only; throws over SSE and while nothing is listening. */
  send(data: unknown): boolean;
}

/** Listens to `url` while the component is mounted (a falsy url listens to nothing); closes on unmount. Options are listen's. */
export function useStream<T = StreamData>(url: string | null | undefined, options?: ListenOptions): StreamSnapshot<T>;
export default useStream;
