// Opens every example route of the streaming guide with a plain EventSource and lists its messages.
const examples = ['/hello', '/hello/inline', '/message', '/callback', '/cleanup', '/array', '/users',
  '/app', '/file', '/monitor', '/data/fetch', '/logs', '/posts'];

for (const path of examples) {
  const section = document.createElement('section');
  section.dataset.path = path;
  section.innerHTML = `<h2><a href="${path}">${path}</a><span class="state">connecting</span></h2><ol></ol>`;
  document.getElementById('examples').append(section);

  const list = section.querySelector('ol');
  const state = section.querySelector('.state');
  const source = new EventSource(path);
  source.onopen = () => { state.textContent = 'open'; };
  source.onmessage = (event) => {
    const item = document.createElement('li');
    item.textContent = event.data;
    list.append(item);
  };
  // A finite stream ends with an "end" event; without closing here, EventSource would reconnect and replay it.
  source.addEventListener('end', () => { source.close(); state.textContent = 'ended'; });
  source.onerror = () => { state.textContent = 'reconnecting'; };
}
