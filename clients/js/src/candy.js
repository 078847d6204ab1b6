/*
 * candy.js: the browser client of CandyPack's event streams, as an ES module. Dependency-free. Every site serves it
 * at /_candy/candy.esm.js, and as a classic script that defines the global Candy at /_candy/candy.js (built from
 * this file by `npm run build`).
 *
 *   import { listen } from '/_candy/candy.esm.js';
 *   const listener = listen('/chat/stream', (data, event) => show(data), {
 *     transport: 'auto',              // 'websocket' first, SSE where it cannot open; or 'websocket', or 'sse'
 *     onOpen: (event) => {},          // each time a connection opens (listener.transport says which)
 *     onError: (event) => {},         // each time it fails or drops; it reconnects unless autoReconnect is false
 *     onEnd: (event) => {},           // once, when the server says the stream is done
 *     onStreamError: (message, event) => {},  // the server's {"error": "..."} message (else onMessage gets it)
 *     autoReconnect: true,            // false: stay closed after an error
 *     reconnectDelay: 3000,           // milliseconds before the first reconnect (the server's retry hint wins)
 *     maxReconnectDelay: 30000,       // the longest wait once failures in a row have doubled it
 *     events: { reset: reload },      // handlers for named events, called like onMessage
 *     lastEventId: '',                // resume after this id from the first connection on
 *     token: () => fetchToken(),      // a subscribe token (string or promise), asked for before every connection
 *     withCredentials: false,         // SSE: send cookies cross-origin
 *   });
 *   listener.send({ text: 'hi' });    // over WebSocket: true once sent, false while (re)connecting; throws over SSE
 *   listener.close();                 // stops for good: no more messages, no reconnects
 *
 * Both transports carry the same messages: over SSE the text of each event (read from a fetch response, so that
 * the server's retry: hint is honoured), over WebSocket one JSON frame per message ({"data", "event", "id"}, or
 * {"retry": ms}). Data is parsed as JSON when it is JSON and passed through as a string otherwise, whichever
 * transport carried it. The "end" event closes the listener instead of starting the stream over. Every reconnect,
 * on either transport, sends the id of the last message received as ?lastEventId=..., so a channel replays what was
 * missed; one that no longer has those messages sends a "reset" event: handle it in `events` to reload the state.
 */

// Origins where a WebSocket would not open while the same stream did over SSE (a proxy that blocks upgrades, a site
// with WebSocket turned off): 'auto' goes straight to SSE there for the rest of the page's life.
const sseOnly = new Set();

const transports = ['auto', 'websocket', 'sse'];

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function resolve(url, lastEventId, token) {
  const target = new URL(url, globalThis.location ? globalThis.location.href : undefined);
  if (lastEventId) {
    target.searchParams.set('lastEventId', lastEventId);
  }
  if (token) {
    target.searchParams.set('token', token);
  }
  return target;
}

// A handler that throws is reported like any uncaught error, and the stream goes on.
function safely(handler, ...args) {
  try {
    handler(...args);
  } catch (error) {
    if (globalThis.reportError) {
      globalThis.reportError(error);
    } else {
      setTimeout(() => { throw error; });
    }
  }
}

function failure(message, error) {
  return new ErrorEvent('error', { message, error: error || new Error(message) });
}

// Event stream parsing as the WHATWG HTML standard, section 9.2.6, describes it: lines end with CR LF, LF or CR
// (a CR at the end of a chunk waits for the next one, which may start with LF); a blank line dispatches.
async function readEvents(body, on) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const lineBreak = /\r\n|\n|\r(?!$)/g;
  let buffer = '';
  let data = [];
  let type = '';
  let id = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let from = 0;
    lineBreak.lastIndex = 0;
    for (let match = lineBreak.exec(buffer); match; match = lineBreak.exec(buffer)) {
      const line = buffer.slice(from, match.index);
      from = lineBreak.lastIndex;
      if (line === '') {
        if (data.length > 0) {
          const text = data.join('\n');
          on.event(type || 'message', text, parse(text), id);
        }
        data = [];
        type = '';
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const fieldValue = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'data') {
        data.push(fieldValue);
      } else if (field === 'event') {
        type = fieldValue;
      } else if (field === 'id' && !fieldValue.includes('\0')) {
        id = fieldValue;
      } else if (field === 'retry' && /^\d+$/.test(fieldValue)) {
        on.retry(Number(fieldValue));
      }
    }
    buffer = buffer.slice(from);
  }
}

function openSse(target, settings, on) {
  const abort = new AbortController();
  let opened = false;
  (async () => {
    const response = await fetch(target, {
      headers: { Accept: 'text/event-stream' },
      cache: 'no-store',
      credentials: settings.withCredentials ? 'include' : 'same-origin',
      signal: abort.signal,
    });
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('text/event-stream')) {
      throw new Error(`${target.pathname} answered ${response.status} ${type || 'with no content type'}, not an event stream`);
    }
    opened = true;
    on.open(new Event('open'));
    await readEvents(response.body, on);
    on.drop(failure(`${target.pathname}: the server closed the stream without end`), true);
  })().catch((error) => {
    if (!abort.signal.aborted) {
      on.drop(failure(`${target.pathname}: ${error.message}`, error), opened);
    }
  });
  return {
    close: () => abort.abort(),
    send: () => false,
  };
}

function openWebSocket(target, on) {
  target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(target);
  let opened = false;
  socket.onopen = (event) => {
    opened = true;
    on.open(event);
  };
  socket.onmessage = (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch (error) {
      // Not the framework's frame format: say so and let the listener reconnect, rather than guess.
      socket.onclose = null;
      socket.close(1003, 'frames must be JSON');
      on.drop(failure(`${target.pathname}: a WebSocket frame is not JSON: ${String(event.data).slice(0, 80)}`, error), opened);
      return;
    }
    if (typeof frame.retry === 'number') {
      on.retry(frame.retry);
    }
    if ('data' in frame || 'event' in frame) {
      // A string travels as a JSON string: parse it as SSE would, so both transports hand over the same values.
      const text = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
      on.event(frame.event || 'message', text, typeof frame.data === 'string' ? parse(frame.data) : frame.data, frame.id || '');
    }
  };
  // An error is always followed by close, which carries the code (1001: the host went away; 1006: no handshake).
  socket.onclose = (event) => on.drop(event, opened);
  return {
    close: () => {
      socket.onclose = null;
      socket.close(1000);
    },
    send: (text) => {
      if (socket.readyState !== WebSocket.OPEN) {
        return false;
      }
      socket.send(text);
      return true;
    },
  };
}

export function listen(url, onMessage, options) {
  // Options left undefined keep their defaults (Object.assign would copy the undefined over them).
  const settings = { transport: 'auto', autoReconnect: true, reconnectDelay: 3000, maxReconnectDelay: 30000, events: {} };
  for (const [name, value] of Object.entries(options || {})) {
    if (value !== undefined && value !== null) {
      settings[name] = value;
    }
  }
  if (!transports.includes(settings.transport)) {
    throw new TypeError(`listen: transport must be 'auto', 'websocket' or 'sse', not ${JSON.stringify(settings.transport)}`);
  }
  const origin = resolve(url).origin;
  let connection = null;
  let transport = null;
  let timer = null;
  let closed = false;
  let lastEventId = String(settings.lastEventId || '');
  let retryHint = null;
  let failures = 0;
  // 'auto' after a WebSocket that did not open: SSE is tried at once; if it opens, WebSocket is what fails here.
  let probing = false;

  function choose() {
    if (settings.transport !== 'auto') {
      return settings.transport;
    }
    return probing || sseOnly.has(origin) || typeof WebSocket === 'undefined' ? 'sse' : 'websocket';
  }

  // A token provider is asked before every connection, so a reconnect never presents a token that has expired
  // meanwhile; a provider that fails counts as a failed connection and is asked again after the backoff.
  function connect() {
    timer = null;
    if (typeof settings.token !== 'function') {
      open(settings.token);
      return;
    }
    let token;
    try {
      token = Promise.resolve(settings.token());
    } catch (error) {
      token = Promise.reject(error);
    }
    token.then(
      (value) => !closed && open(value == null ? '' : String(value)),
      (error) => !closed && dropped('token', failure(`${url}: the token provider failed: ${error && error.message}`, error), false),
    );
  }

  function open(token) {
    const kind = choose();
    let live = true; // false once this connection is closed or dropped: its late callbacks change nothing
    const on = {
      open: (event) => live && opened(kind, event),
      retry: (milliseconds) => {
        if (live) {
          retryHint = milliseconds;
        }
      },
      event: (type, text, value, id) => live && dispatch(type, text, value, id),
      drop: (event, wasOpen) => {
        if (live) {
          live = false;
          dropped(kind, event, wasOpen);
        }
      },
    };
    try {
      const target = resolve(url, lastEventId, token);
      const current = kind === 'websocket' ? openWebSocket(target, on) : openSse(target, settings, on);
      connection = { close: () => { live = false; current.close(); }, send: current.send };
    } catch (error) {
      on.drop(failure(`${url}: ${error.message}`, error), false);
    }
  }

  function opened(kind, event) {
    transport = kind;
    failures = 0;
    if (probing) {
      probing = false;
      sseOnly.add(origin);
    }
    if (settings.onOpen) {
      safely(settings.onOpen, event);
    }
  }

  function dropped(kind, event, wasOpen) {
    connection = null;
    transport = null;
    if (kind === 'websocket' && !wasOpen && settings.transport === 'auto') {
      probing = true;
      connect();
      return;
    }
    // SSE did not open either: the server is away, not WebSocket. The next attempt tries WebSocket again.
    probing = false;
    if (settings.onError) {
      safely(settings.onError, event);
    }
    if (settings.autoReconnect && !closed) {
      failures += 1;
      timer = setTimeout(connect, delay());
    }
  }

  // The server's retry hint, else reconnectDelay, doubled for each failure in a row up to maxReconnectDelay, plus up
  // to half again at random, so clients dropped together do not all come back in the same instant.
  function delay() {
    const base = retryHint ?? settings.reconnectDelay;
    const wait = Math.max(base, Math.min(settings.maxReconnectDelay, base * 2 ** Math.min(failures - 1, 20)));
    return wait * (1 + Math.random() / 2);
  }

  function dispatch(type, text, value, id) {
    if (id) {
      lastEventId = id;
    }
    const event = new MessageEvent(type, { data: text, lastEventId, origin });
    if (type === 'end') {
      close();
      if (settings.events.end) {
        safely(settings.events.end, value, event);
      }
      if (settings.onEnd) {
        safely(settings.onEnd, event);
      }
    } else if (type !== 'message') {
      const handler = settings.events[type];
      if (handler) {
        safely(handler, value, event);
      }
    } else if (settings.onStreamError && value && typeof value === 'object' && typeof value.error === 'string' && Object.keys(value).length === 1) {
      safely(settings.onStreamError, value.error, event);
    } else if (onMessage) {
      safely(onMessage, value, event);
    }
  }

  function send(data) {
    if (closed) {
      throw new Error(`listener.send: the listener of ${url} is closed`);
    }
    if (settings.transport === 'sse' || transport === 'sse') {
      throw new Error(`listener.send: sending is not available over SSE (${url}); send with a request such as POST, or listen with transport 'websocket'`);
    }
    return connection !== null && transport === 'websocket' && connection.send(typeof data === 'string' ? data : JSON.stringify(data));
  }

  function close() {
    closed = true;
    clearTimeout(timer);
    if (connection) {
      connection.close();
    }
    connection = null;
    transport = null;
  }

  connect();
  return {
    close,
    send,
    get transport() {
      return transport;
    },
  };
}

export default { listen };
