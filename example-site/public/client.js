// The guide's "JavaScript" example, as written there: every message is JSON, so JSON.parse works on each.
{
  const list = document.querySelector('#javascript ol');
  const eventSource = new EventSource('/events');

  eventSource.onmessage = (event) => {
    const data = JSON.parse(event.data);
    console.log(data);
    const item = document.createElement('li');
    item.textContent = JSON.stringify(data);
    list.append(item);
  };

  eventSource.onerror = (error) => {
    console.error('Connection error:', error);
  };

  // The guide closes the connection with eventSource.close(); this page keeps it open to show the feed.
  window.eventsSource = eventSource;
}

// The guide's React hook without React: useStream(url, render) calls render with each new value and returns the
// cleanup, as the hook's effect does.
function useStream(url, render) {
  const listener = Candy.listen(url, render);
  return () => listener.close();
}

{
  const status = document.querySelector('#hook .status');
  window.stopHook = useStream('/auth/listen', (data) => { status.textContent = data?.message; });
}

// Candy.listen on every route of the guide: JSON arrives parsed, plain strings as they are, and a finite stream's
// "end" event closes the listener instead of starting the stream again.
for (const path of exampleRoutes) {
  const panel = examplePanel(path);
  Candy.listen(path, (data) => {
    panel.add(typeof data === 'string' ? data : JSON.stringify(data)).dataset.type = typeof data;
  }, {
    onOpen: () => { panel.state.textContent = 'open'; },
    onError: () => { panel.state.textContent = 'reconnecting'; },
    events: { end: () => { panel.state.textContent = 'ended'; } },
  });
}
