// Opens every example route of the streaming guide with a plain EventSource and lists its messages.
for (const path of exampleRoutes) {
  const panel = examplePanel(path);
  const source = new EventSource(path);
  source.onopen = () => { panel.state.textContent = 'open'; };
  source.onmessage = (event) => { panel.add(event.data); };
  // A finite stream ends with an "end" event; without closing here, EventSource would reconnect and replay it.
  source.addEventListener('end', () => { source.close(); panel.state.textContent = 'ended'; });
  source.onerror = () => { panel.state.textContent = 'reconnecting'; };
}
