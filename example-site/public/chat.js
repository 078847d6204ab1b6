// The chat page: Candy.listen on /chat/stream, over a WebSocket where one opens (lines are sent on the same socket)
// and over Server-Sent Events otherwise (lines are sent with POST /chat). ?transport=sse|websocket|auto chooses.
// Presence (chat-presence.js) hears about the stream opening and about the channel's join and leave events.
(() => {
  const params = new URLSearchParams(location.search);
  const transport = params.get('transport') || 'auto';
  const lines = document.getElementById('lines');
  const state = document.getElementById('state');
  const notice = document.getElementById('notice');
  const name = document.getElementById('name');
  const text = document.getElementById('text');
  let listener = null;
  let lastId = '';

  name.value = params.get('name') || 'guest-' + Math.floor(Math.random() * 9000 + 1000);

  function show(line, event) {
    const item = document.createElement('li');
    const who = document.createElement('b');
    who.textContent = line.name;
    item.append(who, line.text);
    item.dataset.id = event.lastEventId;
    lines.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function presence(eventName) {
    return (data) => window.chatPresence?.onEvent(eventName, data);
  }

  // Over a WebSocket the name travels in the stream's URL, so a new name opens the stream again, resuming after the
  // last line shown: nothing is missed and nothing is shown twice.
  function open() {
    if (listener) {
      listener.close();
    }
    listener = Candy.listen('/chat/stream?name=' + encodeURIComponent(name.value.trim()), (line, event) => {
      lastId = event.lastEventId;
      show(line, event);
    }, {
      transport,
      lastEventId: lastId,
      onOpen: () => {
        state.textContent = 'open';
        state.dataset.transport = listener.transport;
        state.title = listener.transport === 'websocket' ? 'WebSocket' : 'Server-Sent Events';
        window.chatPresence?.onOpen();
      },
      onError: () => {
        state.textContent = 'reconnecting';
        delete state.dataset.transport;
      },
      onStreamError: (message) => { notice.textContent = message; },
      events: {
        refused: (refusal) => { notice.textContent = refusal.error; },
        reset: () => { notice.textContent = 'Some older lines are no longer kept; showing what is new from here.'; },
        join: presence('join'),
        leave: presence('leave'),
      },
    });
  }

  async function say(line) {
    if (listener.transport === 'websocket' && listener.send({ text: line })) {
      return true;
    }
    const response = await fetch('/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: name.value.trim(), text: line }),
    });
    if (!response.ok) {
      notice.textContent = `${response.status}: ${await response.text()}`;
    }
    return response.ok;
  }

  document.getElementById('say').addEventListener('submit', async (event) => {
    event.preventDefault();
    notice.textContent = '';
    if (await say(text.value)) {
      text.value = '';
    }
  });
  name.addEventListener('change', open);
  open();
})();
