'use strict';
// I/O call sites (agent snapshot): a sortable, filterable table; selecting a row shows that site's latency
// histogram (the agent's log-linear buckets, non-empty ones only) above the table.
hpViews.special.push(function ioView(panel, kind, data) {
  const sites = data.callSites;
  if (!Array.isArray(sites) || !sites.length || !sites.every(s => s && typeof s.site === 'string')) return null;
  const lat = (s, q) => (s.latencyNanos || {})[q];
  // file reads carry the agent's distinct bytes read; amplification = bytes / distinct. A saturated estimate is a
  // lower bound of the distinct bytes (shown ≥), hence an upper bound of the amplification (shown ≤).
  const distinct = s => typeof s.distinctBytes === 'number' && s.distinctBytes >= 0 ? s.distinctBytes : undefined;
  const amplif = s => distinct(s) > 0 && typeof s.bytes === 'number' ? s.bytes / s.distinctBytes : undefined;
  const cols = [
    ['site', s => s.site, false], ['kind', s => s.kind, false], ['op', s => s.op, false], ['target', s => s.target, false],
    ['count', s => s.count, true], ['bytes', s => s.bytes, true], ['distinct', distinct, true],
    ['amplif', amplif, true], ['p50', s => lat(s, 'p50'), true],
    ['p99', s => lat(s, 'p99'), true], ['max', s => lat(s, 'max'), true], ['pattern', s => s.pattern, false]];
  const bound = (s, mark) => s.distinctSaturated === true ? mark : '';
  const show = (c, v, s) => v === undefined || v === null ? '' : c === 'bytes' ? hp.bytes(v)
    : c === 'distinct' ? bound(s, '≥') + hp.bytes(v) : c === 'amplif' ? bound(s, '≤') + v.toFixed(1) + 'x'
    : ['p50', 'p99', 'max'].includes(c) ? hp.nanos(v) : String(v);
  const filter = hp.el('input', {type: 'search', placeholder: 'filter sites', 'aria-label': 'filter sites'});
  const count = hp.el('span', {class: 'muted'});
  const histo = hp.el('div', {class: 'io-histogram'},
    hp.el('p', {class: 'muted', text: 'Select a call site to see its latency histogram.'}));
  const table = hp.el('table', {class: 'grid io-sites'},
    hp.el('thead', null, hp.el('tr', null, ...cols.map(([c, , num]) => hp.el('th', {class: num ? 'num' : null, text: c})))),
    hp.el('tbody'));
  const model = sites.map((s, i) => ({s, i, cells: cols.map(([, f, num]) => ({sort: num ? (f(s) ?? -Infinity) : String(f(s) ?? '').toLowerCase()}))}));
  let selected = -1;

  function select(m, tr) {
    selected = m.i;
    table.querySelectorAll('tr.selected').forEach(r => r.classList.remove('selected'));
    tr.classList.add('selected');
    const s = m.s;
    const buckets = Array.isArray(s.latencyBuckets) ? s.latencyBuckets : [];
    const head = hp.el('div', null, hp.el('span', {class: 'mono ftitle', text: s.site}),
      hp.el('span', {class: 'muted', text: ' · ' + s.kind + ' ' + s.op + ' · ' + (s.target || '') + ' · ' + s.count + ' calls'}));
    if (!buckets.length) {
      histo.replaceChildren(head, hp.el('p', {class: 'muted', text: 'This snapshot has no latency buckets for the site '
        + '(an older agent); percentiles: p50 ' + hp.nanos(lat(s, 'p50')) + ', p99 ' + hp.nanos(lat(s, 'p99'))
        + ', max ' + hp.nanos(lat(s, 'max')) + '.'}));
      return;
    }
    const most = Math.max(...buckets.map(b => b.count));
    const total = buckets.reduce((a, b) => a + b.count, 0);
    const bars = hp.el('table', {class: 'histogram'}, hp.el('tbody', null, ...buckets.map(b => {
      const bar = hp.el('div', {class: 'bar'});
      bar.style.width = Math.max(0.5, 100 * b.count / most) + '%';
      return hp.el('tr', {'data-from': b.fromNanos, 'data-to': b.toNanos, 'data-count': b.count},
        hp.el('td', {class: 'num mono', text: hp.nanos(b.fromNanos) + ' – ' + hp.nanos(b.toNanos)}),
        hp.el('td', {class: 'barcell'}, bar),
        hp.el('td', {class: 'num', text: String(b.count)}),
        hp.el('td', {class: 'num muted', text: (100 * b.count / total).toFixed(1) + '%'}));
    })));
    histo.replaceChildren(head, bars);
  }

  const render = sorted => {
    const q = filter.value.trim().toLowerCase();
    const frag = document.createDocumentFragment();
    let shown = 0, matched = 0;
    for (const m of sorted) {
      if (q && !cols.some(([, f]) => String(f(m.s) ?? '').toLowerCase().includes(q))) continue;
      matched++;
      if (shown >= hpViews.MAX_ROWS) continue;
      shown++;
      const tr = hp.el('tr', {'data-site-index': m.i, class: m.i === selected ? 'selected' : null},
        ...cols.map(([c, f, num]) => hp.el('td', {class: num ? 'num' : 'mono', text: show(c, f(m.s), m.s)})));
      tr.addEventListener('click', () => select(m, tr));
      frag.appendChild(tr);
    }
    table.querySelector('tbody').replaceChildren(frag);
    count.textContent = matched + ' of ' + sites.length + ' sites' + (matched > shown ? ' (first ' + shown + ' shown)' : '');
  };
  const redraw = hp.sortable(table, model, render);
  filter.addEventListener('input', () => redraw());
  panel.appendChild(hp.el('h3', {text: 'call sites'}));
  panel.appendChild(hp.el('div', {class: 'table-view'}, hp.el('div', {class: 'flame-controls'}, filter, count), histo, table));
  return ['callSites'];
});
