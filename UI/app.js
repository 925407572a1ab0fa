// Sugarmill's web UI: an expression browser (table and graph), targets, rules, alerts, TSDB
// status and tenant usage, over the Prometheus HTTP API of the server that serves it. Plain
// JavaScript, no build step and nothing fetched from elsewhere (works offline).
'use strict';

// ---------- helpers ----------

const $main = () => document.getElementById('main');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVGNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// Same-origin URLs without the page's user:password (a page opened as http://user:pass@host/
// cannot fetch relative URLs; the browser sends the credentials it used for the page).
function apiURL(path) { return location.origin + path; }

async function api(path, params) {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  const response = await fetch(apiURL('/api/v1/' + path + query), { credentials: 'same-origin' });
  let body;
  try { body = await response.json(); } catch (e) { throw new Error(`${response.status} ${response.statusText}`); }
  if (body.status !== 'success') throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body.data;
}

function errorBox(error) { return el('div', { class: 'error' }, String(error.message || error)); }

function labelsText(metric) {
  const name = metric.__name__ || '';
  const pairs = Object.entries(metric).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return name + (pairs.length || !name ? `{${pairs.join(', ')}}` : '');
}

function labelChips(labels) {
  return Object.entries(labels || {}).map(([k, v]) => el('span', { class: 'label' }, `${k}="${v}"`));
}

function ago(iso) {
  if (!iso || iso.startsWith('0001-')) return 'never';
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (seconds < 1) return 'just now';
  return formatDuration(seconds) + ' ago';
}

function formatDuration(seconds) {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  let rest = Math.round(seconds), out = '';
  for (const [unit, size] of units) {
    if (rest >= size) { out += Math.floor(rest / size) + unit; rest %= size; }
  }
  return out || '0s';
}

// Prometheus's duration syntax: 1h30m, 15s, 2d, 1w, 500ms.
function parseDuration(text) {
  const re = /(\d+)(ms|y|w|d|h|m|s)/g;
  const size = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0, matched = '', m;
  while ((m = re.exec(text)) !== null) { total += Number(m[1]) * size[m[2]]; matched += m[0]; }
  return matched === text && total > 0 ? total : null;
}

// 1-2-5 steps with SI suffixes, as dashboards label value axes.
function formatValue(v) {
  if (!isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, suffix] of units) if (abs >= size) return trim(v / size) + suffix;
  if (abs !== 0 && abs < 1e-3) return v.toExponential(1);
  return trim(v);
}
function trim(v) { return String(Number(v.toPrecision(4))); }

function niceStep(range, target) {
  const raw = range / Math.max(1, target);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
function timeStep(range, target) {
  const raw = range / Math.max(1, target);
  return TIME_STEPS.find((s) => s >= raw) || Math.ceil(raw / 86400) * 86400;
}

function pad(n) { return String(n).padStart(2, '0'); }
function timeLabel(t, range) {
  const d = new Date(t * 1000);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (range > 2 * 86400) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (range <= 600) return `${hm}:${pad(d.getUTCSeconds())}`;
  return hm;
}

const PALETTE = ['#2f6fdf', '#e8710a', '#1e8e3e', '#d93025', '#9334e6', '#12b5cb', '#e52592', '#7cb342', '#f9ab00', '#5f6368',
  '#174ea6', '#a50e0e', '#0d652d', '#b06000', '#681da8', '#007b83'];

// ---------- routing ----------

const pages = {
  '/query': queryPage, '/graph': queryPage, '/targets': targetsPage, '/rules': rulesPage, '/alerts': alertsPage,
  '/tsdb-status': tsdbPage, '/tenant': tenantPage,
};

function route() {
  const path = location.pathname in pages ? location.pathname : '/query';
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.getAttribute('href') === path || (path === '/graph' && a.dataset.page === 'query'));
  }
  const main = $main();
  main.replaceChildren();
  pages[path](main).catch((error) => main.append(errorBox(error)));
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a');
  if (!a || !a.getAttribute('href') || !a.getAttribute('href').startsWith('/') || event.ctrlKey || event.metaKey) return;
  if (!(new URL(a.href).pathname in pages)) return;
  // Another page, or the same page with other parameters (a metric picked on the query page).
  if (a.getAttribute('href') === location.pathname + location.search) return;
  event.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  route();
});
window.addEventListener('popstate', route);
window.addEventListener('DOMContentLoaded', route);

// ---------- query page ----------

const FUNCTIONS = ['abs', 'absent', 'absent_over_time', 'avg', 'avg_over_time', 'bottomk', 'ceil', 'changes', 'clamp', 'clamp_max',
  'clamp_min', 'count', 'count_over_time', 'count_values', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'delta',
  'deriv', 'exp', 'floor', 'group', 'histogram_quantile', 'holt_winters', 'hour', 'idelta', 'increase', 'irate', 'label_join',
  'label_replace', 'last_over_time', 'ln', 'log10', 'log2', 'max', 'max_over_time', 'min', 'min_over_time', 'minute', 'month',
  'predict_linear', 'present_over_time', 'quantile', 'quantile_over_time', 'rate', 'resets', 'round', 'scalar', 'sgn', 'sort',
  'sort_by_label', 'sort_desc', 'sqrt', 'stddev', 'stddev_over_time', 'stdvar', 'stdvar_over_time', 'sum', 'sum_over_time',
  'time', 'timestamp', 'topk', 'vector', 'year'];

const cache = { metrics: null, labels: null, values: {} };
async function metricNames() { return cache.metrics || (cache.metrics = await api('label/__name__/values').catch(() => [])); }
async function labelNames() { return cache.labels || (cache.labels = await api('labels').catch(() => [])); }
async function labelValues(name) {
  return cache.values[name] || (cache.values[name] = await api(`label/${encodeURIComponent(name)}/values`).catch(() => []));
}

// What to complete at the cursor: a metric or function name, a label name inside braces, or a
// label value after `name="`.
function completionContext(text, cursor) {
  const before = text.slice(0, cursor);
  const value = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)$/.exec(before);
  const open = before.lastIndexOf('{'), close = before.lastIndexOf('}');
  if (value && open > close) return { kind: 'value', label: value[1], prefix: value[3] };
  const word = /[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(before);
  const prefix = word ? word[0] : '';
  if (open > close) return { kind: 'label', prefix };
  return { kind: 'name', prefix };
}

function attachAutocomplete(textarea, onExecute) {
  const box = el('div', { class: 'autocomplete', hidden: true });
  textarea.parentNode.append(box);
  let items = [], selected = 0, context = null;

  function close() { box.hidden = true; items = []; }
  function render() {
    box.replaceChildren(...items.map((item, i) => el('div', {
      class: i === selected ? 'selected' : '', onmousedown: (e) => { e.preventDefault(); accept(i); },
    }, item.text, el('span', { class: 'kind' }, item.kind))));
    box.hidden = items.length === 0;
  }
  function accept(i) {
    const item = items[i];
    if (!item) return;
    const cursor = textarea.selectionStart;
    const start = cursor - context.prefix.length;
    textarea.value = textarea.value.slice(0, start) + item.text + textarea.value.slice(cursor);
    textarea.selectionStart = textarea.selectionEnd = start + item.text.length;
    close();
    textarea.focus();
  }
  async function update() {
    context = completionContext(textarea.value, textarea.selectionStart);
    const prefix = context.prefix;
    let candidates = [];
    if (context.kind === 'value') {
      candidates = (await labelValues(context.label)).map((v) => ({ text: v, kind: 'value' }));
    } else if (context.kind === 'label') {
      candidates = (await labelNames()).map((v) => ({ text: v, kind: 'label' }));
    } else if (prefix.length > 0) {
      candidates = (await metricNames()).map((v) => ({ text: v, kind: 'metric' }))
        .concat(FUNCTIONS.map((f) => ({ text: f, kind: 'function' })));
    }
    items = candidates.filter((c) => c.text.startsWith(prefix) && c.text !== prefix).slice(0, 50);
    selected = 0;
    render();
  }
  textarea.addEventListener('input', update);
  textarea.addEventListener('blur', () => setTimeout(close, 150));
  textarea.addEventListener('keydown', (event) => {
    if (!box.hidden && items.length) {
      if (event.key === 'ArrowDown') { selected = (selected + 1) % items.length; render(); event.preventDefault(); return; }
      if (event.key === 'ArrowUp') { selected = (selected + items.length - 1) % items.length; render(); event.preventDefault(); return; }
      if (event.key === 'Tab' || (event.key === 'Enter' && !event.shiftKey)) { accept(selected); event.preventDefault(); return; }
      if (event.key === 'Escape') { close(); return; }
    }
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); onExecute(); }
  });
}

async function queryPage(main) {
  const params = new URLSearchParams(location.search);
  const state = {
    expr: params.get('g0.expr') || '',
    // Prometheus's links: g0.tab=0 graph, 1 table.
    tab: params.get('g0.tab') === '0' ? 'graph' : (params.get('g0.tab') === '1' ? 'table' : (location.pathname === '/graph' ? 'graph' : 'table')),
    range: params.get('g0.range_input') || '1h',
    end: params.get('g0.end_input') || '',
    stacked: params.get('g0.stacked') === '1',
  };
  const textarea = el('textarea', { rows: 2, placeholder: 'Expression (press Enter to execute, Shift+Enter for a new line)', spellcheck: 'false' });
  textarea.value = state.expr;
  const result = el('div', { class: 'panel' });
  const tableTab = el('button', { onclick: () => { state.tab = 'table'; execute(); } }, 'Table');
  const graphTab = el('button', { onclick: () => { state.tab = 'graph'; execute(); } }, 'Graph');
  const rangeInput = el('input', { type: 'text', value: state.range, size: 6, title: 'Range, e.g. 1h, 30m, 2d' });
  const endInput = el('input', { type: 'datetime-local', step: 1, title: 'End time (UTC); empty: now' });
  endInput.value = state.end;
  const stacked = el('input', { type: 'checkbox', id: 'stacked' });
  stacked.checked = state.stacked;
  const graphControls = el('div', { class: 'controls' },
    el('button', { class: 'secondary', onclick: () => zoom(2) }, '−'), 'Range', rangeInput,
    el('button', { class: 'secondary', onclick: () => zoom(0.5) }, '+'), 'End (UTC)', endInput,
    el('button', { class: 'secondary', onclick: () => { endInput.value = ''; execute(); } }, 'Now'),
    el('label', {}, stacked, ' Stacked'));
  const row = el('div', { class: 'expr-row' }, textarea, el('button', { onclick: () => execute() }, 'Execute'));
  main.append(el('h1', {}, 'Query'), row, el('div', { class: 'tabs' }, tableTab, graphTab), graphControls, result);
  attachAutocomplete(textarea, () => execute());
  rangeInput.addEventListener('change', () => execute());
  endInput.addEventListener('change', () => execute());
  stacked.addEventListener('change', () => execute());

  function zoom(factor) {
    const seconds = parseDuration(rangeInput.value) || 3600;
    rangeInput.value = formatDuration(Math.max(60, seconds * factor));
    execute();
  }

  function endTime() {
    if (!endInput.value) return Date.now() / 1000;
    return Date.parse(endInput.value + 'Z') / 1000;
  }

  async function execute() {
    state.expr = textarea.value.trim();
    state.range = rangeInput.value;
    state.end = endInput.value;
    state.stacked = stacked.checked;
    tableTab.classList.toggle('active', state.tab === 'table');
    graphTab.classList.toggle('active', state.tab === 'graph');
    graphControls.hidden = state.tab !== 'graph';
    const url = new URLSearchParams({ 'g0.expr': state.expr, 'g0.tab': state.tab === 'graph' ? '0' : '1', 'g0.range_input': state.range });
    if (state.end) url.set('g0.end_input', state.end);
    if (state.stacked) url.set('g0.stacked', '1');
    history.replaceState(null, '', '/query?' + url.toString());
    result.replaceChildren();
    if (!state.expr) { result.append(await starter()); return; }
    result.append(el('p', { class: 'muted' }, 'Loading…'));
    try {
      if (state.tab === 'table') await renderTable(result, state.expr, endInput.value ? endTime() : null);
      else await renderGraph(result, state.expr, parseDuration(rangeInput.value) || 3600, endTime(), state.stacked, (start, end) => {
        rangeInput.value = formatDuration(Math.max(1, end - start));
        endInput.value = new Date(end * 1000).toISOString().slice(0, 19);
        execute();
      });
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  }
  execute();
}

// With no expression yet: the metrics there are, each a link to its graph.
async function starter() {
  const names = await metricNames();
  const box = el('div', {}, el('p', { class: 'muted' },
    names.length ? `Enter an expression, or pick one of the ${names.length} metrics to graph it:` : 'No metrics yet: nothing has been scraped or written.'));
  const list = el('div', { class: 'metric-list' });
  for (const name of names.slice(0, 500)) {
    const query = new URLSearchParams({ 'g0.expr': name, 'g0.tab': '0', 'g0.range_input': '1h' });
    list.append(el('a', { href: '/query?' + query.toString(), class: 'mono' }, name));
  }
  box.append(list);
  return box;
}

async function renderTable(container, expr, time) {
  const params = { query: expr };
  if (time) params.time = time;
  const started = performance.now();
  const data = await api('query', params);
  const took = Math.round(performance.now() - started);
  const rows = [];
  if (data.resultType === 'vector') {
    for (const s of data.result) rows.push([labelsText(s.metric), s.value[1]]);
  } else if (data.resultType === 'matrix') {
    for (const s of data.result) rows.push([labelsText(s.metric), s.values.map((v) => `${v[1]} @${v[0]}`).join('\n')]);
  } else {
    rows.push([data.resultType, data.result[1]]);
  }
  container.replaceChildren(
    el('p', { class: 'muted' }, `${rows.length} result${rows.length === 1 ? '' : 's'} · ${took} ms`),
    rows.length === 0 ? el('p', { class: 'muted' }, 'Empty query result') :
      el('table', { class: 'results' }, el('tr', {}, el('th', {}, 'Series'), el('th', {}, 'Value')),
        rows.map(([series, value]) => el('tr', {}, el('td', { class: 'mono' }, series), el('td', { class: 'num mono', style: 'white-space: pre' }, value)))));
}

async function renderGraph(container, expr, range, end, stacked, onZoom) {
  const start = end - range;
  const step = Math.max(1, Math.round(range / 250));
  const started = performance.now();
  const data = await api('query_range', { query: expr, start, end, step });
  const took = Math.round(performance.now() - started);
  if (data.resultType !== 'matrix') throw new Error(`cannot graph a ${data.resultType}`);
  const series = data.result.map((s, i) => ({
    name: labelsText(s.metric), color: PALETTE[i % PALETTE.length],
    points: s.values.map(([t, v]) => [Number(t), Number(v)]), hidden: false,
  }));
  const chartBox = el('div');
  const legend = el('div', { class: 'legend' });
  container.replaceChildren(
    el('p', { class: 'muted' }, `${series.length} series · step ${formatDuration(step)} · ${took} ms`), chartBox, legend);
  const draw = () => drawChart(chartBox, series, start, end, step, stacked, onZoom);
  for (const s of series) {
    legend.append(el('div', { onclick: (e) => { s.hidden = !s.hidden; e.currentTarget.classList.toggle('hidden', s.hidden); draw(); } },
      el('i', { style: `background:${s.color}` }), s.name));
  }
  if (series.length === 0) legend.append(el('p', { class: 'muted' }, 'Empty query result'));
  draw();
}

function drawChart(box, series, start, end, step, stacked, onZoom) {
  const width = Math.max(400, box.clientWidth || 900), height = 360;
  const left = 64, right = 16, top = 12, bottom = 28;
  const plotW = width - left - right, plotH = height - top - bottom;
  const shown = series.filter((s) => !s.hidden);
  // Stacked: each point adds to the sum of the series drawn before it at that time.
  const drawn = [];
  const base = new Map();
  for (const s of shown) {
    const points = s.points.filter(([, v]) => isFinite(v)).map(([t, v]) => {
      if (!stacked) return [t, v, 0];
      const below = base.get(t) || 0;
      base.set(t, below + v);
      return [t, below + v, below];
    });
    drawn.push({ ...s, points });
  }
  let min = Infinity, max = -Infinity;
  for (const s of drawn) for (const [, v, b] of s.points) { min = Math.min(min, v, stacked ? b : v); max = Math.max(max, v); }
  if (!isFinite(min)) { min = 0; max = 1; }
  if (min === max) { min -= Math.abs(min) * 0.1 || 1; max += Math.abs(max) * 0.1 || 1; }
  if (stacked || min > 0 && min < (max - min) * 0.5) min = Math.min(0, min);
  const vStep = niceStep(max - min, 6);
  min = Math.floor(min / vStep) * vStep; max = Math.ceil(max / vStep) * vStep;
  const x = (t) => left + ((t - start) / (end - start)) * plotW;
  const y = (v) => top + (1 - (v - min) / (max - min)) * plotH;

  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
  for (let v = min; v <= max + vStep / 2; v += vStep) {
    chart.append(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    const label = svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' });
    label.textContent = formatValue(Math.abs(v) < vStep / 1e6 ? 0 : v);
    chart.append(label);
  }
  const tStep = timeStep(end - start, 8);
  for (let t = Math.ceil(start / tStep) * tStep; t <= end; t += tStep) {
    chart.append(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: top, y2: top + plotH }));
    const label = svg('text', { x: x(t), y: height - 8, 'text-anchor': 'middle' });
    label.textContent = timeLabel(t, end - start);
    chart.append(label);
  }
  chart.append(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: top + plotH }));
  chart.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));
  // A line per run of consecutive steps: missing steps leave gaps.
  for (const s of drawn) {
    let d = '', previous = null;
    for (const [t, v] of s.points) {
      d += (previous !== null && t - previous <= step * 1.5 ? 'L' : 'M') + x(t).toFixed(1) + ',' + y(v).toFixed(1);
      previous = t;
    }
    if (d) chart.append(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 1.5, 'data-series': s.name }));
  }
  if (drawn.length === 0 || drawn.every((s) => s.points.length === 0)) {
    const empty = svg('text', { x: left + plotW / 2, y: top + plotH / 2, 'text-anchor': 'middle' });
    empty.textContent = 'no data';
    chart.append(empty);
  }
  const selection = svg('rect', { class: 'selection', y: top, height: plotH, width: 0, x: 0 });
  chart.append(selection);
  box.replaceChildren(chart);

  // Hover: the nearest step's values; drag: zoom into the selected span.
  const tooltip = document.querySelector('.tooltip') || document.body.appendChild(el('div', { class: 'tooltip', hidden: true }));
  const toTime = (event) => {
    const rect = chart.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * width;
    return start + ((px - left) / plotW) * (end - start);
  };
  let dragFrom = null;
  chart.addEventListener('mousedown', (event) => { dragFrom = toTime(event); });
  chart.addEventListener('mousemove', (event) => {
    const t = toTime(event);
    if (dragFrom !== null) {
      const a = Math.min(dragFrom, t), b = Math.max(dragFrom, t);
      selection.setAttribute('x', x(a));
      selection.setAttribute('width', Math.max(0, x(b) - x(a)));
    }
    const near = Math.round((t - start) / step) * step + start;
    const lines = [];
    for (const s of drawn) {
      const point = s.points.find(([pt]) => Math.abs(pt - near) < step / 2);
      if (point) lines.push(`${s.name}: ${point[1]}`);
    }
    if (lines.length === 0) { tooltip.hidden = true; return; }
    tooltip.textContent = new Date(near * 1000).toISOString().replace('.000Z', 'Z') + '\n' + lines.slice(0, 10).join('\n');
    tooltip.style.whiteSpace = 'pre';
    tooltip.style.left = event.clientX + 14 + 'px';
    tooltip.style.top = event.clientY + 14 + 'px';
    tooltip.hidden = false;
  });
  chart.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  chart.addEventListener('mouseup', (event) => {
    const t = toTime(event);
    const a = Math.min(dragFrom, t), b = Math.max(dragFrom, t);
    dragFrom = null;
    selection.setAttribute('width', 0);
    if (b - a >= step * 2) onZoom(Math.max(start, a), Math.min(end, b));
  });
}

// ---------- targets ----------

async function targetsPage(main) {
  const data = await api('targets', { state: 'active' });
  const unhealthyOnly = el('input', { type: 'checkbox' });
  const list = el('div');
  main.append(el('h1', {}, 'Targets'), el('div', { class: 'controls' }, el('label', {}, unhealthyOnly, ' Unhealthy only')), list);
  const pools = new Map();
  for (const t of data.activeTargets) {
    if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
    pools.get(t.scrapePool).push(t);
  }
  const render = () => {
    list.replaceChildren();
    if (pools.size === 0) list.append(el('p', { class: 'muted' }, 'No targets.'));
    for (const [pool, targets] of [...pools.entries()].sort()) {
      const shown = targets.filter((t) => !unhealthyOnly.checked || t.health !== 'up');
      const up = targets.filter((t) => t.health === 'up').length;
      list.append(el('div', { class: 'panel' },
        el('h2', {}, `${pool} (${up}/${targets.length} up)`),
        el('table', {}, el('tr', {}, ['Endpoint', 'State', 'Labels', 'Last scrape', 'Scrape duration', 'Error'].map((h) => el('th', {}, h))),
          shown.map((t) => el('tr', {},
            el('td', { class: 'mono' }, el('a', { href: t.scrapeUrl }, t.scrapeUrl)),
            el('td', {}, el('span', { class: `badge ${t.health}` }, t.health.toUpperCase())),
            el('td', {}, labelChips(t.labels)),
            el('td', {}, ago(t.lastScrape)),
            el('td', { class: 'num' }, formatDuration(t.lastScrapeDuration)),
            el('td', { class: 'error-text' }, t.lastError ? el('span', { class: 'mono', style: 'color: var(--bad)' }, t.lastError) : '')))))
      );
    }
  };
  unhealthyOnly.addEventListener('change', render);
  render();
}

// ---------- rules and alerts ----------

async function rulesPage(main) {
  const data = await api('rules');
  main.append(el('h1', {}, 'Rules'));
  if (data.groups.length === 0) { main.append(el('p', { class: 'muted' }, 'No rule groups loaded (rule_files in the configuration).')); return; }
  for (const g of data.groups) {
    main.append(el('div', { class: 'panel' },
      el('h2', {}, `${g.name} `, el('span', { class: 'muted' }, `${g.file} · every ${formatDuration(g.interval)} · last evaluation ${ago(g.lastEvaluation)} · took ${formatDuration(g.evaluationTime)}`)),
      el('table', {}, el('tr', {}, ['Rule', 'State', 'Health', 'Last evaluation', 'Evaluation time'].map((h) => el('th', {}, h))),
        g.rules.map((r) => el('tr', {},
          el('td', { class: 'mono' },
            el('div', {}, r.type === 'alerting' ? `alert: ${r.name}` : `record: ${r.name}`),
            el('div', {}, 'expr: ', el('a', { href: '/query?' + new URLSearchParams({ 'g0.expr': r.query, 'g0.tab': '1' }) }, r.query)),
            r.duration ? el('div', {}, `for: ${formatDuration(r.duration)}`) : null,
            Object.keys(r.labels || {}).length ? el('div', {}, 'labels: ', labelChips(r.labels)) : null,
            r.lastError ? el('div', { style: 'color: var(--bad)' }, r.lastError) : null),
          el('td', {}, r.state ? el('span', { class: `badge ${r.state}` }, r.state) : ''),
          el('td', {}, el('span', { class: `badge ${r.health}` }, r.health)),
          el('td', {}, ago(r.lastEvaluation)),
          el('td', { class: 'num' }, formatDuration(r.evaluationTime)))))));
  }
}

async function alertsPage(main) {
  const data = await api('rules', { type: 'alert' });
  const rules = data.groups.flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
  const count = (state) => rules.filter((r) => r.state === state).length;
  main.append(el('h1', {}, 'Alerts'),
    el('div', { class: 'summary' },
      ['firing', 'pending', 'inactive'].map((s) => el('div', { class: 'panel' }, el('div', { class: 'value' }, count(s)), el('span', { class: `badge ${s}` }, s)))));
  if (rules.length === 0) { main.append(el('p', { class: 'muted' }, 'No alerting rules.')); return; }
  const order = { firing: 0, pending: 1, inactive: 2 };
  for (const r of rules.sort((a, b) => order[a.state] - order[b.state] || a.name.localeCompare(b.name))) {
    main.append(el('div', { class: 'panel' },
      el('h2', {}, el('span', { class: `badge ${r.state}` }, r.state), ` ${r.name} `, el('span', { class: 'muted' }, `(${r.alerts.length} active · group ${r.group})`)),
      el('div', { class: 'mono' }, 'expr: ', r.query, r.duration ? ` · for: ${formatDuration(r.duration)}` : ''),
      r.alerts.length === 0 ? null : el('table', {}, el('tr', {}, ['Labels', 'State', 'Active since', 'Value', 'Annotations'].map((h) => el('th', {}, h))),
        r.alerts.map((a) => el('tr', {},
          el('td', {}, labelChips(a.labels)),
          el('td', {}, el('span', { class: `badge ${a.state}` }, a.state)),
          el('td', {}, a.activeAt ? `${a.activeAt.replace(/\.\d+Z$/, 'Z')} (${ago(a.activeAt)})` : ''),
          el('td', { class: 'num mono' }, a.value),
          el('td', {}, Object.entries(a.annotations || {}).map(([k, v]) => el('div', {}, el('b', {}, k + ': '), v))))))));
  }
}

// ---------- TSDB status ----------

async function tsdbPage(main) {
  const data = await api('status/tsdb', { limit: 10 });
  const head = data.headStats;
  const time = (ms) => (ms && Math.abs(ms) < 1e15 ? new Date(ms).toISOString() : '—');
  main.append(el('h1', {}, 'TSDB status'),
    el('div', { class: 'summary' },
      [['Head series', head.numSeries], ['Label pairs', head.numLabelPairs], ['Chunks', head.chunkCount],
        ['Min time', time(head.minTime)], ['Max time', time(head.maxTime)]].map(([k, v]) =>
        el('div', { class: 'panel' }, el('div', { class: 'muted' }, k), el('div', { class: 'value' }, v)))));
  const tables = [['Top series count by metric name', data.seriesCountByMetricName, 'Metric', 'Series'],
    ['Top label names with value count', data.labelValueCountByLabelName, 'Label', 'Values'],
    ['Top label names with memory usage (bytes)', data.memoryInBytesByLabelName, 'Label', 'Bytes'],
    ['Top series count by label value pair', data.seriesCountByLabelValuePair, 'Pair', 'Series']];
  for (const [title, rows, a, b] of tables) {
    main.append(el('div', { class: 'panel' }, el('h2', {}, title),
      el('table', {}, el('tr', {}, el('th', {}, a), el('th', {}, b)),
        (rows || []).map((r) => el('tr', {}, el('td', { class: 'mono' }, r.name), el('td', { class: 'num' }, r.value))))));
  }
}

// ---------- tenant usage ----------

async function tenantPage(main) {
  main.append(el('h1', {}, 'Tenant'));
  let data;
  try {
    const response = await fetch(apiURL('/api/v1/status/tenant'), { credentials: 'same-origin' });
    if (response.status === 404) { main.append(el('p', { class: 'muted' }, 'Single-tenant mode: no tenant limits apply.')); return; }
    data = (await response.json()).data;
  } catch (error) { main.append(errorBox(error)); return; }
  const usage = data.usage || {}, limits = data.limits || {};
  main.append(el('p', {}, 'Tenant ', el('b', {}, data.tenant)));
  const pairs = [['active_series', 'max_global_series_per_user']];
  main.append(el('div', { class: 'panel' }, el('h2', {}, 'Usage against limits'),
    el('table', {}, el('tr', {}, el('th', {}, 'Usage'), el('th', {}, 'Value'), el('th', {}, 'Limit'), el('th', {}, '')),
      pairs.map(([u, l]) => {
        const share = limits[l] > 0 ? usage[u] / limits[l] : 0;
        return el('tr', {}, el('td', {}, u), el('td', { class: 'num' }, usage[u]), el('td', { class: 'num' }, limits[l] || 'none'),
          el('td', {}, el('div', { class: 'bar' + (share > 0.9 ? ' high' : '') }, el('span', { style: `width:${Math.min(100, share * 100)}%` }))));
      }),
      Object.entries(usage).filter(([k]) => !pairs.some(([u]) => u === k)).map(([k, v]) =>
        el('tr', {}, el('td', {}, k), el('td', { class: 'num mono' }, typeof v === 'object' ? JSON.stringify(v) : v), el('td', {}), el('td', {}))))));
  main.append(el('div', { class: 'panel' }, el('h2', {}, 'Limits'),
    el('table', {}, Object.entries(limits).map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'num' }, v))))));
}
