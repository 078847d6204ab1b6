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
  function parse(data) {
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }
  function withLastEventId(url, id) {
    const target = new URL(url, globalThis.location ? globalThis.location.href : void 0);
    target.searchParams.set("lastEventId", id);
    return target.toString();
  }
  function listen(url, onMessage, options) {
    const settings = { autoReconnect: true, reconnectDelay: 3e3, events: {} };
    for (const [name, value] of Object.entries(options || {})) {
      if (value !== void 0 && value !== null) {
        settings[name] = value;
      }
    }
    let source = null;
    let timer = null;
    let closed = false;
    let lastEventId = "";
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
      source.addEventListener("end", (event) => {
        close();
        if (settings.onEnd) {
          settings.onEnd(event);
        }
      });
      source.addEventListener("reset", (event) => deliver(event, settings.events.reset));
      for (const name of Object.keys(settings.events)) {
        if (name !== "reset") {
          source.addEventListener(name, (event) => deliver(event, settings.events[name]));
        }
      }
      source.onerror = (event) => {
        if (closed) {
          return;
        }
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
  var candy_default = { listen };
  return __toCommonJS(candy_exports);
})();
Candy = Candy.default;
