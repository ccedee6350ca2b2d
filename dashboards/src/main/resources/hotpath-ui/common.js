'use strict';
// Shared helpers. Every string that comes from an artifact (class, thread, file, host names) is inserted with
// textContent, never as HTML; the Content-Security-Policy forbids inline scripts as a second line of defence.
const hp = {};

hp.el = function (tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
};

hp.cookie = function (name) {
  for (const part of document.cookie.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return null;
};

hp.api = async function (path) {
  const r = await fetch(path, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'});
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
};

hp.sev = function (s) {
  return hp.el('span', {class: 'sev sev-' + s, text: s});
};

hp.bytes = function (n) {
  if (typeof n !== 'number') return String(n);
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
};

hp.time = function (iso) {
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').substring(0, 19);
};

// A table with click-to-sort headers; rows are arrays of {text, sort, cls} cells.
/**
 * Sortable headers: a click on a column sorts by it (a numeric `th.num` column largest first), a second click
 * reverses. Calls draw(key, dir) (key -1: the given order) now and after each click; returns the redraw function.
 */
hp.sortHeaders = function (table, draw) {
  let key = -1, dir = 1;
  const ths = Array.from(table.querySelectorAll('th'));
  const redraw = () => {
    draw(key, dir);
    ths.forEach((th, i) => {
      th.classList.toggle('sorted-asc', i === key && dir === 1);
      th.classList.toggle('sorted-desc', i === key && dir === -1);
    });
  };
  ths.forEach((th, i) => th.addEventListener('click', () => {
    if (key === i) dir = -dir; else { key = i; dir = th.classList.contains('num') ? -1 : 1; }
    redraw();
  }));
  redraw();
  return redraw;
};

/** A flat table's rows ({cells: [{sort}]}) sorted by the clicked header and handed to render. */
hp.sortable = function (table, rows, render) {
  return hp.sortHeaders(table, (key, dir) => render(key < 0 ? rows : rows.slice().sort((a, b) => {
    const x = a.cells[key].sort, y = b.cells[key].sort;
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  })));
};

hp.nanos = function (n) {
  if (typeof n !== 'number') return String(n);
  if (n < 1000) return n + ' ns';
  if (n < 1e6) return (n / 1e3).toFixed(n < 1e4 ? 2 : 1) + ' µs';
  if (n < 1e9) return (n / 1e6).toFixed(n < 1e7 ? 2 : 1) + ' ms';
  return (n / 1e9).toFixed(2) + ' s';
};
