/*
 * useStream: the React hook over listen(). It returns the latest message, the connection's state and transport, and
 * a send function (WebSocket only), and closes the stream when the component unmounts or the URL changes.
 *
 *   const status = useStream('/auth/listen');
 *   return <div>{status.data?.message} ({status.state})</div>;
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { listen } from './candy.js';

const initial = { data: undefined, lastEventId: '', state: 'connecting', transport: null };

export function useStream(url, options) {
  const [snapshot, setSnapshot] = useState(initial);
  // The latest options without reopening the stream when a caller passes a new object on each render.
  const latest = useRef(options);
  latest.current = options;
  const current = useRef(null);
  // Stable across renders; it reaches whichever listener is open now.
  const send = useCallback((data) => {
    if (!current.current) {
      throw new Error('useStream: send before the stream was opened, or after it closed');
    }
    return current.current.send(data);
  }, []);

  useEffect(() => {
    if (!url) {
      setSnapshot({ ...initial, state: 'closed' });
      return undefined;
    }

    setSnapshot(initial);
    const call = (name, ...args) => latest.current && latest.current[name] && latest.current[name](...args);
    const settings = latest.current || {};
    const listener = listen(
      url,
      (data, event) => setSnapshot((s) => ({ ...s, data, lastEventId: event.lastEventId, state: 'open' })),
      {
        transport: settings.transport,
        autoReconnect: settings.autoReconnect,
        reconnectDelay: settings.reconnectDelay,
        lastEventId: settings.lastEventId,
        maxReconnectDelay: settings.maxReconnectDelay,
        withCredentials: settings.withCredentials,
        events: settings.events,
        onStreamError: settings.onStreamError && ((message, event) => call('onStreamError', message, event)),
        onOpen: (event) => {
          setSnapshot((s) => ({ ...s, state: 'open', transport: listener.transport }));
          call('onOpen', event);
        },
        onError: (event) => {
          setSnapshot((s) => ({ ...s, state: settings.autoReconnect === false ? 'closed' : 'reconnecting', transport: null }));
          call('onError', event);
        },
        onEnd: (event) => {
          setSnapshot((s) => ({ ...s, state: 'ended', transport: null }));
          call('onEnd', event);
        },
      });
    current.current = listener;
    return () => {
      current.current = null;
      listener.close();
    };
  }, [url]);

  return { ...snapshot, send };
}

export default useStream;
