// The CandyPack dashboard: polls /_candy/dashboard/data every second and charts the differences between the meter's
// totals (messages/s, slow-consumer cuts/s, requests/s, mean latency) and the open streams, with uPlot.
(function () {
  'use strict';

  // One sample per poll, a poll a second after the last answer: 901 samples span at least 15 minutes.
  const interval = 1000;
  const points = (15 * 60 * 1000) / interval + 1;
  let samples = 0;
  const series = { time: [], messages: [], streams: [], slow: [], requests: [], latency: [] };
  const color = { messages: '#ff5fa2', streams: '#5fb4ff', slow: '#ffb35f', requests: '#5fe3a1', latency: '#c79bff' };
  let previous = null;
  const charts = {};

  function chart(id, lines) {
    const element = document.getElementById(id);
    const options = {
      width: element.clientWidth || 500,
      height: 170,
      legend: { show: lines.length > 1, live: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] }, ms: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      axes: [
        { stroke: '#8a94ad', grid: { stroke: '#26304a' }, ticks: { stroke: '#26304a' } },
        { stroke: '#8a94ad', grid: { stroke: '#26304a' }, ticks: { stroke: '#26304a' }, size: 50 },
      ].concat(lines.some((l) => l.scale === 'ms') ? [{ scale: 'ms', side: 1, stroke: '#8a94ad', grid: { show: false }, size: 50 }] : []),
      series: [{}].concat(lines.map((l) => ({ label: l.label, stroke: color[l.key], fill: color[l.key] + '22', width: 2, scale: l.scale || 'y', points: { show: false } }))),
    };
    charts[id] = { plot: new uPlot(options, [[]].concat(lines.map(() => [])), element), lines, element };
  }

  function redraw() {
    for (const { plot, lines } of Object.values(charts)) {
      plot.setData([series.time].concat(lines.map((l) => series[l.key])));
    }
  }

  function push(key, value) {
    series[key].push(value);
    if (series[key].length > points) {
      series[key].shift();
    }
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function rows(id, items) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren(...items.map((cells) => {
      const row = document.createElement('tr');
      for (const cell of cells) {
        const td = document.createElement('td');
        td.textContent = cell;
        if (typeof cell === 'number') {
          td.className = 'number';
        }
        row.append(td);
      }
      return row;
    }));
  }

  function show(data) {
    const t = data.totals;
    if (previous) {
      const seconds = Math.max(0.001, (t.time - previous.time) / 1000);
      const requests = t.requests - previous.requests;
      const rate = (value) => Math.max(0, value) / seconds;
      push('time', t.time / 1000);
      push('messages', rate(t.messages - previous.messages));
      push('streams', t.openStreams);
      push('slow', rate(t.slowConsumers - previous.slowConsumers));
      push('requests', rate(requests));
      push('latency', requests > 0 ? (t.requestMilliseconds - previous.requestMilliseconds) / requests : 0);
      text('messages', Math.round(series.messages.at(-1)).toLocaleString());
      text('requests', (Math.round(series.requests.at(-1) * 10) / 10).toLocaleString());
      text('latency', series.latency.at(-1).toFixed(1) + ' ms');
      redraw();
      document.body.dataset.points = series.time.length;
      document.body.dataset.samples = ++samples;
    }
    previous = t;
    text('streams', t.openStreams.toLocaleString());
    text('slow', t.slowConsumers.toLocaleString());
    rows('channels', data.sites.flatMap((s) => s.channels.map((c) => [s.name, c.name, c.subscribers, c.history])));
    rows('routes', data.sites.flatMap((s) => s.routes.map((r) => [s.name, r.method, (r.subdomain && r.subdomain !== 'www' ? r.subdomain + '.' : '') + r.pattern, r.target || '(inline)'])));
  }

  async function poll() {
    try {
      const response = await fetch('/_candy/dashboard/data', { cache: 'no-store' });
      if (!response.ok) {
        throw new Error(response.status + ' ' + response.statusText);
      }
      show(await response.json());
      const state = document.getElementById('state');
      state.textContent = 'live';
      state.className = 'state live';
    } catch (error) {
      const state = document.getElementById('state');
      state.textContent = 'offline: ' + error.message;
      state.className = 'state';
    }
    setTimeout(poll, interval);
  }

  chart('chart-messages', [{ key: 'messages', label: 'messages/s' }]);
  chart('chart-streams', [{ key: 'streams', label: 'open streams' }]);
  chart('chart-slow', [{ key: 'slow', label: 'cuts/s' }]);
  chart('chart-requests', [{ key: 'requests', label: 'requests/s' }, { key: 'latency', label: 'latency ms', scale: 'ms' }]);
  window.addEventListener('resize', () => {
    for (const { plot, element } of Object.values(charts)) {
      plot.setSize({ width: element.clientWidth, height: 170 });
    }
  });
  poll();
})();
