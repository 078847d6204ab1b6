// Who is in the chat: the chat page calls window.chatPresence.onOpen() when its stream opens and
// window.chatPresence.onEvent(name, data) for the stream's "join" and "leave" events. The list in
// <ul id="online"> is filled from GET /chat/presence on every open (so a reconnect starts from the truth)
// and kept current by join/leave, which are also said between the chat's lines. A small form before the
// list signs the browser in by name (POST /chat/login), so two browsers are two users. The list names users,
// not their connections: join and leave come for a user's first and last connection only, so a count kept from
// them would go stale when the same user opens a second tab.
(() => {
  const members = new Map(); // userId -> name
  let loading = null;        // events that arrive while the list loads, applied after it
  let signedIn = null;

  const list = () => document.getElementById('online');

  function render() {
    const ul = list();
    if (!ul) return;
    ul.replaceChildren(...[...members].map(([id, name]) => {
      const li = document.createElement('li');
      li.dataset.user = id;
      li.textContent = name;
      if (id === signedIn) li.classList.add('me');
      return li;
    }));
  }

  function nameOf(userId, info) {
    const first = Array.isArray(info) ? info[0] : info;
    return (first && typeof first.name === 'string' && first.name) || userId;
  }

  // A join or leave is also said in the room, between the lines, as it happens.
  function note(name, data) {
    const lines = document.getElementById('lines');
    if (!lines) return;
    const item = document.createElement('li');
    item.className = 'presence';
    item.dataset.user = data.userId;
    item.dataset.change = name;
    item.textContent = `${nameOf(data.userId, data.info)} ${name === 'join' ? 'joined' : 'left'}`;
    lines.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function apply(name, data) {
    if (!data || typeof data.userId !== 'string') return;
    if (name === 'join') {
      if (!members.has(data.userId)) members.set(data.userId, nameOf(data.userId, data.info));
    } else if (name === 'leave') {
      members.delete(data.userId);
    }
  }

  async function load() {
    loading = [];
    try {
      const response = await fetch('/chat/presence', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`GET /chat/presence answered ${response.status}`);
      members.clear();
      for (const m of await response.json()) {
        members.set(m.userId, nameOf(m.userId, m.info));
      }
    } catch (error) {
      console.error('chat presence:', error);
    } finally {
      const queued = loading;
      loading = null;
      for (const [name, data] of queued) apply(name, data);
      render();
    }
  }

  async function showSignIn() {
    const ul = list();
    if (!ul || document.getElementById('chat-login')) return;
    const me = await (await fetch('/chat/me')).json();
    signedIn = me.name;
    const form = document.createElement('form');
    form.id = 'chat-login';
    if (me.name) {
      form.textContent = `Signed in as ${me.name}`;
    } else {
      const input = Object.assign(document.createElement('input'), { name: 'name', placeholder: 'your name', required: true, maxLength: 32 });
      const button = Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Sign in' });
      form.append(input, button);
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const response = await fetch('/chat/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: input.value }),
        });
        if (response.ok) location.reload(); // the stream reopens as the signed-in user
        else form.title = await response.text();
      });
    }
    ul.before(form);
    render();
  }

  window.chatPresence = {
    onOpen() { return load(); },
    onEvent(name, data) {
      if (data && typeof data.userId === 'string') note(name, data);
      if (loading) loading.push([name, data]);
      else { apply(name, data); render(); }
    },
    members,
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showSignIn);
  else showSignIn();
})();
