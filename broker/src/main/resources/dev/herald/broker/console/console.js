// The Herald console: three views over the broker's JSON API, polled while open. Everything shown
// is set with textContent (event data is whatever a sender wrote: never parsed as HTML).
'use strict';

const BROKER = '-broker';
const state = { tab: 'services', dlService: null, dlType: null, config: null, timer: null, version: {} };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function getJson(path) {
  const r = await fetch(path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

async function act(path, body) {
  const headers = { 'Content-Type': 'application/json', 'X-Herald-Console': '1' };
  const token = sessionStorage.getItem('heraldToken');
  if (token) headers['X-Herald-Token'] = token;
  let r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (r.status === 401) {
    const t = prompt('This action needs the console token (HERALD_CONSOLE_TOKEN of the broker):');
    if (!t) return null;
    sessionStorage.setItem('heraldToken', t);
    return act(path, body);
  }
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.error || ('HTTP ' + r.status));
  return json;
}

function status(text, bad) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = bad ? 'bad' : 'muted';
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
}

// ------------------------------------------------------------------ services

async function renderServices() {
  const data = await getJson('/api/services');
  document.getElementById('namespace').textContent = 'namespace ' + data.namespace;
  document.getElementById('broker-line').textContent = 'broker ' + data.broker + ': ' + data.brokerStats.routed
    + ' inbox entries routed, ' + data.brokerDeadLetters + ' in its dead letters';
  const body = document.querySelector('#services-table tbody');
  body.replaceChildren(...data.services.map(s => el('tr', { id: 'svc-' + s.service, 'data-service': s.service },
    el('td', {}, el('strong', {}, s.service)),
    el('td', {}, s.listensTo.map(p => el('span', { class: 'chip' }, p))),
    el('td', {}, s.instances.length === 0 ? el('span', { class: 'muted' }, 'none running')
      : s.instances.map(i => el('span', { class: 'chip' + (i.workersEnabled ? '' : ' off'),
        title: i.id + ' on ' + i.host + ', seen ' + ago(i.lastSeen) }, i.workersEnabled ? i.host : i.host + ' (canary: workers off)'))),
    el('td', { class: 'n' }, s.handledPerSecond),
    el('td', { class: 'n' }, s.streamLength),
    el('td', { class: 'n' }, s.pending),
    el('td', { class: 'n' + (s.lag > 1000 ? ' bad' : '') }, s.lag),
    el('td', { class: 'n' }, s.retries),
    el('td', { class: 'n' }, s.deadLetters > 0
      ? el('a', { href: '#dead-letters', class: 'bad', onclick: () => { state.dlService = s.service; state.dlType = null; } }, s.deadLetters)
      : 0))));
  if (data.services.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No service has registered in this namespace yet.')));
  }
  return data;
}

// ------------------------------------------------------------------ dead letters

async function fillServiceChoice() {
  const data = await getJson('/api/services');
  const select = document.getElementById('dl-service');
  const names = [BROKER, ...data.services.map(s => s.service)];
  if (!state.dlService) {
    const withDead = data.services.find(s => s.deadLetters > 0);
    state.dlService = withDead ? withDead.service : (data.services[0] ? data.services[0].service : BROKER);
  }
  select.replaceChildren(...names.map(n => {
    const count = n === BROKER ? data.brokerDeadLetters : data.services.find(s => s.service === n).deadLetters;
    return el('option', { value: n, selected: n === state.dlService }, (n === BROKER ? 'broker (inbox)' : n) + ' — ' + count);
  }));
}

async function renderDeadLetters() {
  await fillServiceChoice();
  const cfg = state.config;
  const ro = document.getElementById('dl-readonly');
  ro.hidden = cfg.actionsAllowed;
  ro.textContent = cfg.actionsAllowed ? '' : 'Read-only: this broker listens beyond loopback and has no HERALD_CONSOLE_TOKEN.';
  const data = await getJson('/api/dead-letters?service=' + encodeURIComponent(state.dlService) + '&max=100');
  let letters = data.deadLetters;
  if (state.dlType) letters = letters.filter(d => d.type === state.dlType);
  document.getElementById('dl-total').textContent = data.total + ' dead letters' + (state.dlType ? ', showing ' + state.dlType : '')
    + (data.total > data.deadLetters.length ? ' (newest ' + data.deadLetters.length + ' shown)' : '');
  const list = document.getElementById('dl-list');
  list.replaceChildren(...letters.map(d => el('div', { class: 'card dead-letter', id: 'dl-' + d.id, 'data-event-id': d.eventId || '' },
    el('h3', {}, (d.type || 'unreadable entry') + ' ', el('span', { class: 'chip' }, d.reason)),
    el('div', { class: 'meta' }, 'failed ' + d.failedAt + ' after ' + d.attempts + ' attempt(s), by ' + d.by + ' · event ' + (d.eventId || '?')),
    el('div', { class: 'warn' }, d.error),
    el('pre', {}, d.event ? JSON.stringify(d.event, null, 2) : d.raw),
    el('div', { class: 'toolbar' },
      el('button', { class: 'primary replay', type: 'button', disabled: !cfg.actionsAllowed || !d.event,
        onclick: () => action('/api/dead-letters/replay', { service: state.dlService, id: d.id }, 'replayed') }, 'Replay'),
      el('button', { class: 'danger delete', type: 'button', disabled: !cfg.actionsAllowed,
        onclick: () => confirm('Delete this dead letter for good?') && action('/api/dead-letters/delete', { service: state.dlService, id: d.id }, 'deleted') },
        'Delete')))));
  if (letters.length === 0) list.append(el('p', { class: 'muted' }, 'No dead letters here.'));
}

async function action(path, body, what) {
  try {
    const r = await act(path, body);
    if (r) status(what + ': ' + (r.replayed ?? r.deleted));
    await refresh();
  } catch (e) {
    status(e.message, true);
  }
}

// ------------------------------------------------------------------ catalogue

const CONSTRAINTS = ['format', 'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'uniqueItems', 'const', 'default'];

function typeOf(s) {
  if (!s) return '';
  if (s['x-ref']) return (s.title || s['x-ref']) + (s.type ? ' (' + s.type + ')' : '');
  if (s.enum) return 'enum';
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array' && s.items) return 'array of ' + (typeOf(s.items) || 'any');
  return s.type || (s.oneOf ? 'one of' : s.anyOf ? 'any of' : s.$ref ? s.$ref : 'any');
}

function constraintsOf(s) {
  const out = [];
  for (const k of CONSTRAINTS) if (s[k] !== undefined) out.push(k + ' ' + JSON.stringify(s[k]));
  if (s.enum) out.push(s.enum.map(v => JSON.stringify(v)).join(', '));
  if (s.additionalProperties === false) out.push('no other fields');
  return out.join('; ');
}

function fieldRows(schema, prefix, rows, depth) {
  const props = schema && schema.properties;
  if (!props || depth > 6) return rows;
  const required = new Set(schema.required || []);
  for (const [name, s] of Object.entries(props)) {
    const path = prefix + name;
    rows.push(el('tr', {}, el('td', {}, path), el('td', {}, typeOf(s)), el('td', {}, required.has(name) ? 'required' : 'optional'),
      el('td', {}, constraintsOf(s)), el('td', {}, s.description || '')));
    fieldRows(s, path + '.', rows, depth + 1);
    if (s.type === 'array' && s.items) fieldRows(s.items, path + '[].', rows, depth + 1);
  }
  return rows;
}

async function renderCatalogue() {
  const data = await getJson('/api/catalog');
  const filter = document.getElementById('cat-filter').value.trim().toLowerCase();
  const list = document.getElementById('cat-list');
  const events = data.events.filter(e => !filter || JSON.stringify(e).toLowerCase().includes(filter));
  list.replaceChildren(...events.map(e => {
    const v = state.version[e.name] || e.version;
    const schema = e.schemas[v];
    return el('div', { class: 'card event', id: 'evt-' + e.name, 'data-event': e.name },
      el('h3', {}, e.name + ' ', e.deprecated ? el('span', { class: 'chip off' }, 'deprecated') : null),
      el('div', { class: 'meta' }, 'owner ' + (e.owner || '—') + ' · versions ',
        e.versions.map(n => el('button', { type: 'button', class: n === v ? 'primary' : '',
          onclick: () => { state.version[e.name] = n; renderCatalogue(); } }, 'v' + n)),
        ' · in flight ' + e.inFlight),
      el('p', {}, (schema && schema.description) || e.description || ''),
      el('div', {}, e.listeners.length === 0 ? el('span', { class: 'muted' }, 'Nobody listens to it right now.')
        : ['Listening now: ', e.listeners.map(l => el('span', { class: 'chip listener' },
          l.service + ' (' + l.instances + ' running' + (l.lag !== undefined ? ', ' + (l.pending + l.lag) + ' waiting' : '') + ') ',
          el('a', { href: '#dead-letters', onclick: () => { state.dlService = l.service; state.dlType = e.name; } }, 'dead letters')))]),
      el('table', { class: 'fields' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Type'), el('th', {}, ''), el('th', {}, 'Constraints'), el('th', {}, 'Description'))),
        el('tbody', {}, fieldRows(schema, '', [], 0))));
  }));
}

// ------------------------------------------------------------------ tabs and polling

const VIEWS = { services: [renderServices, 2000], 'dead-letters': [renderDeadLetters, 3000], catalogue: [renderCatalogue, 5000] };

async function refresh() {
  try {
    await VIEWS[state.tab][0]();
    status('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    status('cannot reach the broker: ' + e.message, true);
  }
}

function show() {
  state.tab = VIEWS[location.hash.slice(1)] ? location.hash.slice(1) : 'services';
  for (const name of Object.keys(VIEWS)) {
    document.getElementById(name).hidden = name !== state.tab;
    document.getElementById('tab-' + name).classList.toggle('active', name === state.tab);
  }
  clearInterval(state.timer);
  refresh();
  state.timer = setInterval(() => { if (!document.hidden) refresh(); }, VIEWS[state.tab][1]);
}

document.addEventListener('DOMContentLoaded', async () => {
  state.config = await getJson('/api/config').catch(() => ({ actionsAllowed: false }));
  document.getElementById('dl-service').addEventListener('change', ev => { state.dlService = ev.target.value; state.dlType = null; refresh(); });
  document.getElementById('dl-replay-all').addEventListener('click', () => {
    if (confirm('Replay every dead letter of ' + state.dlService + '?')) action('/api/dead-letters/replay-all', { service: state.dlService }, 'replayed');
  });
  document.getElementById('cat-filter').addEventListener('input', () => renderCatalogue());
  window.addEventListener('hashchange', show);
  show();
});
