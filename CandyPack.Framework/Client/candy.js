// Built from clients/js/src/candy.js by npm run build in clients/js: edit that file, not this one.
var Candy = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
  var candy_exports = {};
  __export(candy_exports, {
    default: () => candy_default,
    listen: () => listen
  });
  const sseOnly = /* @__PURE__ */ new Set();
  const transports = ["auto", "websocket", "sse"];
  function parse(data) {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }
  function resolve(url, lastEventId, token) {
    const target = new URL(url, globalThis.location ? globalThis.location.href : void 0);
    if (lastEventId) {
      target.searchParams.set("lastEventId", lastEventId);
    }
    if (token) {
      target.searchParams.set("token", token);
    }
    return target;
  }
  function safely(handler, ...args) {
    try {
      handler(...args);
    } catch (error) {
      if (globalThis.reportError) {
        globalThis.reportError(error);
      } else {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
  function failure(message, error) {
    return new ErrorEvent("error", { message, error: error || new Error(message) });
  }
  async function readEvents(body, on) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    const lineBreak = /\r\n|\n|\r(?!$)/g;
    let buffer = "";
    let data = [];
    let type = "";
    let id = "";
    for (; ; ) {
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
        if (line === "") {
          if (data.length > 0) {
            const text = data.join("\n");
            on.event(type || "message", text, parse(text), id);
          }
          data = [];
          type = "";
          continue;
        }
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
        if (field === "data") {
          data.push(fieldValue);
        } else if (field === "event") {
          type = fieldValue;
        } else if (field === "id" && !fieldValue.includes("\0")) {
          id = fieldValue;
        } else if (field === "retry" && /^\d+$/.test(fieldValue)) {
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
        headers: { Accept: "text/event-stream" },
        cache: "no-store",
        credentials: settings.withCredentials ? "include" : "same-origin",
        signal: abort.signal
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.startsWith("text/event-stream")) {
        throw new Error(`${target.pathname} answered ${response.status} ${type || "with no content type"}, not an event stream`);
      }
      opened = true;
      on.open(new Event("open"));
      await readEvents(response.body, on);
      on.drop(failure(`${target.pathname}: the server closed the stream without end`), true);
    })().catch((error) => {
      if (!abort.signal.aborted) {
        on.drop(failure(`${target.pathname}: ${error.message}`, error), opened);
      }
    });
    return {
      close: () => abort.abort(),
      send: () => false
    };
  }
  function openWebSocket(target, on) {
    target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
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
        socket.onclose = null;
        socket.close(1003, "frames must be JSON");
        on.drop(failure(`${target.pathname}: a WebSocket frame is not JSON: ${String(event.data).slice(0, 80)}`, error), opened);
        return;
      }
      if (typeof frame.retry === "number") {
        on.retry(frame.retry);
      }
      if ("data" in frame || "event" in frame) {
        const text = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data);
        on.event(frame.event || "message", text, typeof frame.data === "string" ? parse(frame.data) : frame.data, frame.id || "");
      }
    };
    socket.onclose = (event) => on.drop(event, opened);
    return {
      close: () => {
        socket.onclose = null;
        socket.close(1e3);
      },
      send: (text) => {
        if (socket.readyState !== WebSocket.OPEN) {
          return false;
        }
        socket.send(text);
        return true;
      }
    };
  }
  function listen(url, onMessage, options) {
    const settings = { transport: "auto", autoReconnect: true, reconnectDelay: 3e3, maxReconnectDelay: 3e4, events: {} };
    for (const [name, value] of Object.entries(options || {})) {
      if (value !== void 0 && value !== null) {
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
    let lastEventId = String(settings.lastEventId || "");
    let retryHint = null;
    let failures = 0;
    let probing = false;
    function choose() {
      if (settings.transport !== "auto") {
        return settings.transport;
      }
      return probing || sseOnly.has(origin) || typeof WebSocket === "undefined" ? "sse" : "websocket";
    }
    function connect() {
      timer = null;
      if (typeof settings.token !== "function") {
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
        (value) => !closed && open(value == null ? "" : String(value)),
        (error) => !closed && dropped("token", failure(`${url}: the token provider failed: ${error && error.message}`, error), false)
      );
    }
    function open(token) {
      const kind = choose();
      let live = true;
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
        }
      };
      try {
        const target = resolve(url, lastEventId, token);
        const current = kind === "websocket" ? openWebSocket(target, on) : openSse(target, settings, on);
        connection = { close: () => {
          live = false;
          current.close();
        }, send: current.send };
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
      if (kind === "websocket" && !wasOpen && settings.transport === "auto") {
        probing = true;
        connect();
        return;
      }
      probing = false;
      if (settings.onError) {
        safely(settings.onError, event);
      }
      if (settings.autoReconnect && !closed) {
        failures += 1;
        timer = setTimeout(connect, delay());
      }
    }
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
      if (type === "end") {
        close();
        if (settings.events.end) {
          safely(settings.events.end, value, event);
        }
        if (settings.onEnd) {
          safely(settings.onEnd, event);
        }
      } else if (type !== "message") {
        const handler = settings.events[type];
        if (handler) {
          safely(handler, value, event);
        }
      } else if (settings.onStreamError && value && typeof value === "object" && typeof value.error === "string" && Object.keys(value).length === 1) {
        safely(settings.onStreamError, value.error, event);
      } else if (onMessage) {
        safely(onMessage, value, event);
      }
    }
    function send(data) {
      if (closed) {
        throw new Error(`listener.send: the listener of ${url} is closed`);
      }
      if (settings.transport === "sse" || transport === "sse") {
        throw new Error(`listener.send: sending is not available over SSE (${url}); send with a request such as POST, or listen with transport 'websocket'`);
      }
      return connection !== null && transport === "websocket" && connection.send(typeof data === "string" ? data : JSON.stringify(data));
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
      }
    };
  }
  var candy_default = { listen };
  return __toCommonJS(candy_exports);
})();
Candy = Candy.default;
