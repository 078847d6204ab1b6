/** What listen() passes to a message handler: the data parsed as JSON when it is JSON, else the string. */
export type StreamData = unknown;

/** Called for every message (or named event) with its parsed data and the browser's MessageEvent. */
export type MessageHandler<T = StreamData> = (data: T, event: MessageEvent<string>) => void;

export interface ListenOptions {
  /** Each time the connection opens. */
  onOpen?: (event: Event) => void;
  /** Each time the connection fails; the listener reconnects after reconnectDelay unless autoReconnect is false. */
  onError?: (event: Event) => void;
  /** Once, when the server sends `end` (a finite stream is done); the listener is closed by then. */
  onEnd?: (event: MessageEvent<string>) => void;
  /** Reconnect after an error, sending ?lastEventId= so a channel replays what was missed. Default true. */
  autoReconnect?: boolean;
  /** Milliseconds before reconnecting. Default 3000. */
  reconnectDelay?: number;
  /** Handlers for named events, such as `reset` (the channel no longer has the missed messages). */
  events?: Record<string, MessageHandler>;
  /** Send cookies cross-origin (EventSource's own option). Default false. */
  withCredentials?: boolean;
}

export interface Listener {
  /** Stops for good: the connection closes and nothing reconnects. */
  close(): void;
}

/** Listens to a CandyPack event stream with EventSource, parsing JSON, honouring `end` and resuming after errors. */
export function listen<T = StreamData>(url: string, onMessage: MessageHandler<T>, options?: ListenOptions): Listener;

declare const Candy: { listen: typeof listen };
export default Candy;
