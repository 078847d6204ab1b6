/*
 * candy.js: the browser client of CandyPack's event streams. Dependency-free; served by every site at
 * /_candy/candy.js (a classic script that defines the global Candy) and /_candy/candy.esm.js (an ES module).
 *
 *   const listener = Candy.listen('/notifications/stream', (data, event) => show(data), {
 *     onOpen: (event) => {},          // each time the connection opens
 *     onError: (event) => {},         // each time it fails; it reconnects after reconnectDelay
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
(function (global) {
  'use strict';

  function parse(data) {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }

  function withLastEventId(url, id) {
    const target = new URL(url, global.location ? global.location.href : undefined);
    target.searchParams.set('lastEventId', id);
    return target.toString();
  }

  function listen(url, onMessage, options) {
    const settings = Object.assign({ autoReconnect: true, reconnectDelay: 3000, events: {} }, options);
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
      source.addEventListener('end', close);
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

  global.Candy = Object.assign(global.Candy || {}, { listen });
})(globalThis);
