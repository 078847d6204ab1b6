/*
 * candy.js: the browser client of CandyPack's event streams, as an ES module. Dependency-free. Every site serves it
 * at /_candy/candy.esm.js, and as a classic script that defines the global Candy at /_candy/candy.js (built from
 * this file by `npm run build`).
 *
 *   import { listen } from '/_candy/candy.esm.js';
 *   const listener = listen('/notifications/stream', (data, event) => show(data), {
 *     onOpen: (event) => {},          // each time the connection opens
 *     onError: (event) => {},         // each time it fails; it reconnects after reconnectDelay
 *     onEnd: (event) => {},           // once, when the server says the stream is done
 *     autoReconnect: true,            // false: stay closed after an error
 *     reconnectDelay: 3000,           // milliseconds before reconnecting
 *     events: { reset: reload },      // handlers for named events, called like onMessage
 *     withCredentials: false,         // send cookies cross-origin (EventSource's own option)
 *   });
 *   listener.close();                 // stops for good: no more messages, no reconnects
 *
 * Data is parsed as JSON when it is JSON and passed through as a string otherwise. The "end" event, which
 * CandyPack sends when a finite stream is done, closes the listener instead of letting EventSource start it again.
 * After an error the listener reconnects by itself, sending the id of the last message it received as
 * ?lastEventId=..., so a channel replays what was missed (a browser's own EventSource only sends its
 * Last-Event-ID header on the reconnects it makes itself). A channel that no longer has those messages sends a
 * "reset" event: handle it in `events` to reload the page's state.
 */

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function withLastEventId(url, id) {
  const target = new URL(url, globalThis.location ? globalThis.location.href : undefined);
  target.searchParams.set('lastEventId', id);
  return target.toString();
}

export function listen(url, onMessage, options) {
  // Options left undefined keep their defaults (Object.assign would copy the undefined over them).
  const settings = { autoReconnect: true, reconnectDelay: 3000, events: {} };
  for (const [name, value] of Object.entries(options || {})) {
    if (value !== undefined && value !== null) {
      settings[name] = value;
    }
  }
  let source = null;
  let timer = null;
  let closed = false;
  let lastEventId = '';

  function deliver(event, handler) {
    if (event.lastEventId) {
      lastEventId = event.lastEventId;
    }
    if (handler) {
      handler(parse(event.data), event);
    }
  }

  function connect() {
    timer = null;
    source = new EventSource(lastEventId ? withLastEventId(url, lastEventId) : url, { withCredentials: !!settings.withCredentials });
    source.onopen = (event) => settings.onOpen && settings.onOpen(event);
    source.onmessage = (event) => deliver(event, onMessage);
    source.addEventListener('end', (event) => {
      close();
      if (settings.onEnd) {
        settings.onEnd(event);
      }
    });
    // A reset carries the channel's newest id: keep it even without a handler, so the next reconnect starts there.
    source.addEventListener('reset', (event) => deliver(event, settings.events.reset));
    for (const name of Object.keys(settings.events)) {
      if (name !== 'reset') {
        source.addEventListener(name, (event) => deliver(event, settings.events[name]));
      }
    }
    source.onerror = (event) => {
      if (closed) {
        return;
      }
      // Reconnect here rather than in EventSource: the delay is ours, and the last id travels in the URL.
      source.close();
      if (settings.onError) {
        settings.onError(event);
      }
      if (settings.autoReconnect && !closed) {
        timer = setTimeout(connect, settings.reconnectDelay);
      }
    };
  }

  function close() {
    closed = true;
    clearTimeout(timer);
    if (source) {
      source.close();
    }
  }

  connect();
  return { close };
}

export default { listen };
