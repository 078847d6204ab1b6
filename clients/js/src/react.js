/*
 * useStream: the React hook over listen(). It returns the latest message and the connection's state, and closes
 * the stream when the component unmounts or the URL changes.
 *
 *   const status = useStream('/auth/listen');
 *   return <div>{status.data?.message} ({status.state})</div>;
 */
import { useEffect, useRef, useState } from 'react';
import { listen } from './candy.js';

const initial = { data: undefined, lastEventId: '', state: 'connecting' };

export function useStream(url, options) {
  const [snapshot, setSnapshot] = useState(initial);
  // The latest options without reopening the stream when a caller passes a new object on each render.
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    if (!url) {
      setSnapshot({ ...initial, state: 'closed' });
      return undefined;
    }

    setSnapshot(initial);
    const call = (name, event) => latest.current && latest.current[name] && latest.current[name](event);
    const settings = latest.current || {};
    const listener = listen(
      url,
      (data, event) => setSnapshot({ data, lastEventId: event.lastEventId, state: 'open' }),
      {
        autoReconnect: settings.autoReconnect,
        reconnectDelay: settings.reconnectDelay,
        withCredentials: settings.withCredentials,
        events: settings.events,
        onOpen: (event) => {
          setSnapshot((s) => ({ ...s, state: 'open' }));
          call('onOpen', event);
        },
        onError: (event) => {
          setSnapshot((s) => ({ ...s, state: settings.autoReconnect === false ? 'closed' : 'reconnecting' }));
          call('onError', event);
        },
        onEnd: (event) => {
          setSnapshot((s) => ({ ...s, state: 'ended' }));
          call('onEnd', event);
        },
      });
    return () => listener.close();
  }, [url]);

  return snapshot;
}

export default useStream;
