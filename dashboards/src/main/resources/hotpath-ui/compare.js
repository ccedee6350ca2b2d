'use strict';
// Two runs side by side: findings matched by id and culprit (title), with what appeared, disappeared or changed
// severity between run A (older, the baseline) and run B.
(function () {
  const q = new URLSearchParams(window.location.search);
  const a = q.get('a'), b = q.get('b');
  const rank = {critical: 3, warning: 2, info: 1};

  async function main() {
    const [ra, rb, fa, fb] = await Promise.all([
      hp.api('/api/runs/' + encodeURIComponent(a)), hp.api('/api/runs/' + encodeURIComponent(b)),
      hp.api('/api/runs/' + encodeURIComponent(a) + '/findings'), hp.api('/api/runs/' + encodeURIComponent(b) + '/findings')]);
    document.getElementById('col-a').textContent = 'A: ' + ra.name;
    document.getElementById('col-b').textContent = 'B: ' + rb.name;
    document.getElementById('compare-meta').textContent = hp.time(ra.createdAt) + ' → ' + hp.time(rb.createdAt);
    const key = f => f.id + '\u0000' + f.title;
    const rows = new Map();
    for (const f of fa) rows.set(key(f), {f, a: f.severity, b: null});
    for (const f of fb) {
      const r = rows.get(key(f));
      if (r) r.b = f.severity; else rows.set(key(f), {f, a: null, b: f.severity});
    }
    const list = Array.from(rows.values()).sort((x, y) =>
      (rank[y.b] || 0) - (rank[x.b] || 0) || (rank[y.a] || 0) - (rank[x.a] || 0) || x.f.id.localeCompare(y.f.id));
    const tb = document.querySelector('#compare tbody');
    for (const r of list) {
      const change = r.a === null ? 'new in B' : r.b === null ? 'gone in B'
        : rank[r.b] > rank[r.a] ? 'worse' : rank[r.b] < rank[r.a] ? 'better' : 'same';
      tb.appendChild(hp.el('tr', {'data-change': change},
        hp.el('td', null, hp.el('div', {class: 'ftitle', text: r.f.title}), hp.el('div', {class: 'muted', text: r.f.id})),
        hp.el('td', {text: r.f.category}),
        hp.el('td', null, r.a ? hp.sev(r.a) : hp.el('span', {class: 'muted', text: '—'})),
        hp.el('td', null, r.b ? hp.sev(r.b) : hp.el('span', {class: 'muted', text: '—'})),
        hp.el('td', {text: change})));
    }
  }
  main().catch(e => document.querySelector('main').appendChild(hp.el('p', {class: 'status error', text: String(e)})));
})();
