/** What listen() passes to a message handler: the data parsed as JSON when it is JSON, else the string. */
export type StreamData = unknown;

/**
 * Called for every message (or named event) with its parsed data and a MessageEvent whose `data` is the message's
 * text and whose `lastEventId` is the id a reconnect would resume from.
 */
export type MessageHandler<T = StreamData> = (data: T, event: MessageEvent<string>) => void;

/** `auto` tries WebSocket and falls back to SSE where it cannot open; `websocket` and `sse` use only that one. */
export type Transport = 'auto' | 'websocket' | 'sse';

export interface ListenOptions {
  /** Which transport to use. Default `auto`. */
  transport?: Transport;
  /** Each time a connection opens; `listener.transport` then says which transport it is. */
  onOpen?: (event: Event) => void;
  /**
   * Each time a connection fails or drops (an ErrorEvent, or the WebSocket's CloseEvent with its code); the listener
   * reconnects unless autoReconnect is false.
   */
  onError?: (event: Event) => void;
  /** Once, when the server sends `end` (a finite stream is done); the listener is closed by then. */
  onEnd?: (event: MessageEvent<string>) => void;
  /**
   * The server's error message (`{"error": "..."}`, what `stream.Error` and a failing producer send). Without this
   * option onMessage receives it as data. The stream then ends, or for a transient failure the listener reconnects.
   */
  onStreamError?: (message: string, event: MessageEvent<string>) => void;
  /** Reconnect after an error, sending ?lastEventId= so a channel replays what was missed. Default true. */
  autoReconnect?: boolean;
  /**
   * Milliseconds before the first reconnect, unless the server sent a retry hint; each failure in a row doubles it,
   * and a random part of up to half again is added. Default 3000.
   */
  reconnectDelay?: number;
  /** The longest reconnect wait the doubling reaches (a longer server hint still wins). Default 30000. */
  maxReconnectDelay?: number;
  /** Handlers for named events, such as `reset` (the channel no longer has the missed messages). */
  events?: Record<string, MessageHandler>;
  /** Resume after this id from the first connection on, as after a reconnect (a page that kept the last id it showed). */
  lastEventId?: string;
  /**
   * A subscribe token for the stream URL (`?token=`), as a string or as a function asked before every connection
   * (reconnects included), so a short-lived token is renewed before it is presented again. A function that throws or
   * rejects counts as a failed connection: `onError`, then another try after the backoff.
   */
  token?: string | (() => string | Promise<string>);
  /** SSE: send cookies cross-origin (fetch's `credentials: 'include'`). Default false. */
  withCredentials?: boolean;
}

export interface Listener {
  /** Stops for good: the connection closes and nothing reconnects. */
  close(): void;
  /**
   * Sends a message to the server over WebSocket (a string as it is, anything else as JSON): true once handed to the
   * socket, false while connecting or reconnecting. Throws over SSE, which cannot carry messages to the server (send
   * those with a request such as POST), and after close().
   */
  send(data: unknown): boolean;
  /** The transport of the open connection; null while connecting, reconnecting or closed. */
  readonly transport: 'websocket' | 'sse' | null;
}

/**
 * Listens to a CandyPack stream over WebSocket or SSE, parsing JSON, honouring `end`, `reset` and the server's retry
 * hint, and resuming from the last id after errors, on either transport.
 */
export function listen<T = StreamData>(url: string, onMessage: MessageHandler<T>, options?: ListenOptions): Listener;

declare const Candy: { listen: typeof listen };
export default Candy;
