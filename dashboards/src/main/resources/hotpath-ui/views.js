'use strict';
// Views of stored summaries, chosen by the shape of the data rather than by its kind, so that a new summary kind
// is browsable without a UI change: collapsed stacks → flame graph; arrays of records → sortable, filterable tables;
// arrays of records with a time key → line charts; anything else → JSON text.
const hpViews = {};

hpViews.TIME_KEYS = ['epochMillis', 't', 'time', 'timeMillis', 'startMillis', 'timestamp', 'atMillis', 'uptimeMillis', 'startMs', 'tMs'];
hpViews.MAX_ROWS = 2000;

// Views for known shapes (heap, GC, I/O...) register here: fn(panel, kind, data, ctx) draws what it understands and
// returns the top-level keys it took care of (or null when the data is not its shape); the rest is drawn generically.
hpViews.special = [];

hpViews.render = function (panel, kind, data, ctx) {
  panel.replaceChildren(hp.el('h2', {text: kind}));
  const handled = new Set();
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const view of hpViews.special) {
      const keys = view(panel, kind, data, ctx || {});
      if (keys) keys.forEach(k => handled.add(k));
    }
    if (handled.size) {
      const restData = {};
      for (const [k, v] of Object.entries(data)) if (!handled.has(k)) restData[k] = v;
      data = restData;
    }
  }
  data = hpViews.rows(data);
  if (data && Array.isArray(data.comparisons) && data.comparisons.some(c => typeof c.change === 'number')) {
    panel.appendChild(hpViews.abChart(data.comparisons));
  }
  const stacks = hpViews.findStacks(data);
  if (stacks) {
    panel.appendChild(hpViews.flame(stacks));
  }
  let shown = !!stacks || handled.size > 0;
  const sections = Array.isArray(data) ? [['', data]] : (data && typeof data === 'object' ? Object.entries(data) : []);
  for (const [name, value] of sections) {
    if (name === 'collapsed' || name === 'stacks') continue;
    if (Array.isArray(value) && value.length && value.every(v => v && typeof v === 'object' && !Array.isArray(v))) {
      const tk = hpViews.TIME_KEYS.find(k => typeof value[0][k] === 'number');
      if (name) panel.appendChild(hp.el('h3', {text: name}));
      if (tk && value.length > 1) panel.appendChild(hpViews.chart(value, tk));
      panel.appendChild(hpViews.table(value));
      shown = true;
    }
  }
  const rest = {};
  if (!Array.isArray(data) && data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (!(Array.isArray(v) && v.length && typeof v[0] === 'object') && k !== 'collapsed' && k !== 'stacks') rest[k] = v;
    }
  }
  if ((!shown && !handled.size) || Object.keys(rest).length) {
    panel.appendChild(hp.el('pre', {class: 'json', text: JSON.stringify(shown ? rest : data, null, 2)}));
  }
};

// A columnar time series ({epochMillis: [...], rssKb: [...], ...}) becomes {samples: [{epochMillis, rssKb, ...}]}
// so that it is charted and tabulated like any array of records.
hpViews.rows = function (data) {
  if (!data || Array.isArray(data) || typeof data !== 'object') return data;
  const tk = hpViews.TIME_KEYS.find(k => Array.isArray(data[k]) && data[k].length && typeof data[k][0] === 'number');
  if (!tk) return data;
  const n = data[tk].length;
  const cols = Object.keys(data).filter(k => Array.isArray(data[k]) && data[k].length === n && typeof data[k][0] === 'number');
  const samples = [];
  for (let i = 0; i < n; i++) {
    const r = {};
    for (const c of cols) r[c] = data[c][i];
    samples.push(r);
  }
  const rest = {};
  for (const [k, v] of Object.entries(data)) if (!cols.includes(k)) rest[k] = v;
  rest.samples = samples;
  return rest;
};

// Accepts {collapsed: [...]}, {stacks: [...]}, or the array itself; entries are {stack, value|samples|weight|count},
// [stack, value], or "a;b;c 123" lines (also one newline-separated string).
hpViews.findStacks = function (data) {
  let src = null;
  if (data && !Array.isArray(data) && typeof data === 'object') src = data.collapsed || data.stacks || null;
  if (!src) return null;
  if (typeof src === 'string') src = src.split('\n');
  const out = [];
  for (const e of src) {
    if (typeof e === 'string') {
      const i = e.lastIndexOf(' ');
      if (i > 0) out.push([e.substring(0, i), Number(e.substring(i + 1))]);
    } else if (Array.isArray(e)) {
      out.push([String(e[0]), Number(e[1])]);
    } else if (e && typeof e === 'object') {
      out.push([String(e.stack || e.frames || ''), Number(e.value ?? e.weight ?? e.samples ?? e.count ?? e.bytes ?? 0)]);
    }
  }
  return out.filter(s => s[0] && s[1] > 0);
};

hpViews.flatten = function (row) {
  const out = {};
  for (const [k, v] of Object.entries(row)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) out[k + '.' + k2] = v2;
    } else out[k] = v;
  }
  return out;
};

hpViews.table = function (records) {
  const rows = records.map(hpViews.flatten);
  const cols = [];
  for (const r of rows.slice(0, 200)) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const numeric = cols.map(c => rows.every(r => r[c] === undefined || r[c] === null || typeof r[c] === 'number'));
  const filter = hp.el('input', {type: 'search', placeholder: 'filter rows', 'aria-label': 'filter rows'});
  const count = hp.el('span', {class: 'muted'});
  const table = hp.el('table', {class: 'grid'},
    hp.el('thead', null, hp.el('tr', null, ...cols.map((c, i) => hp.el('th', {class: numeric[i] ? 'num' : null, text: c})))),
    hp.el('tbody'));
  const model = rows.map(r => ({r, cells: cols.map((c, i) => ({sort: numeric[i] ? (r[c] ?? -Infinity) : String(r[c] ?? '').toLowerCase()}))}));
  const render = sorted => {
    const q = filter.value.trim().toLowerCase();
    const tb = table.querySelector('tbody');
    const frag = document.createDocumentFragment();
    let n = 0, matched = 0;
    for (const m of sorted) {
      if (q && !cols.some(c => String(m.r[c] ?? '').toLowerCase().includes(q))) continue;
      matched++;
      if (n >= hpViews.MAX_ROWS) continue;
      n++;
      frag.appendChild(hp.el('tr', null, ...cols.map((c, i) => {
        const v = m.r[c];
        const text = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        return hp.el('td', {class: numeric[i] ? 'num' : 'mono', text});
      })));
    }
    tb.replaceChildren(frag);
    count.textContent = matched + ' of ' + rows.length + ' rows' + (matched > n ? ' (first ' + n + ' shown)' : '');
  };
  const redraw = hp.sortable(table, model, render);
  filter.addEventListener('input', () => redraw());
  return hp.el('div', {class: 'table-view'}, hp.el('div', {class: 'flame-controls'}, filter, count), table);
};

hpViews.COLORS = ['#1f5fa8', '#b3261e', '#2e7d32', '#a15c00', '#6a1b9a', '#00838f', '#5d4037', '#c2185b'];

/** Sizes a canvas's backing store to w × h CSS pixels at the screen's pixel ratio; returns its scaled 2D context. */
hpViews.sizeCanvas = function (canvas, w, h) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  return g;
};

hpViews.chart = function (records, timeKey) {
  const keys = Object.keys(records[0]).filter(k => k !== timeKey && records.every(r => typeof r[k] === 'number' || r[k] === undefined));
  const canvas = hp.el('canvas', {class: 'chart'});
  const legend = hp.el('div', {class: 'muted'}, ...keys.map((k, i) => hp.el('span', {text: '■ ' + k + '  ', style: null, 'data-color': hpViews.COLORS[i % 8]})));
  legend.querySelectorAll('span').forEach(s => { s.style.color = s.getAttribute('data-color'); });
  const draw = () => {
    const w = canvas.clientWidth || 800, h = canvas.clientHeight || 260;
    const g = hpViews.sizeCanvas(canvas, w, h);
    g.clearRect(0, 0, w, h);
    const xs = records.map(r => r[timeKey]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs);
    let y1 = 0;
    for (const k of keys) for (const r of records) if (typeof r[k] === 'number') y1 = Math.max(y1, r[k]);
    const L = 60, R = 10, T = 10, B = 20;
    const sx = x => L + (x1 === x0 ? 0 : (x - x0) / (x1 - x0)) * (w - L - R);
    const sy = y => h - B - (y1 === 0 ? 0 : y / y1) * (h - T - B);
    g.strokeStyle = '#dcdde0'; g.fillStyle = '#6b6f75'; g.font = '11px sans-serif';
    g.beginPath(); g.moveTo(L, T); g.lineTo(L, h - B); g.lineTo(w - R, h - B); g.stroke();
    g.fillText(String(Math.round(y1 * 100) / 100), 2, T + 8);
    g.fillText('0', 2, h - B);
    g.fillText(String(x0), L, h - 4);
    const right = String(x1);
    g.fillText(right, w - R - g.measureText(right).width, h - 4);
    keys.forEach((k, i) => {
      g.strokeStyle = hpViews.COLORS[i % 8];
      g.beginPath();
      let started = false;
      for (const r of records) {
        if (typeof r[k] !== 'number') continue;
        if (!started) { g.moveTo(sx(r[timeKey]), sy(r[k])); started = true; } else g.lineTo(sx(r[timeKey]), sy(r[k]));
      }
      g.stroke();
      // Sparse series (a few NMT snapshots among many RSS samples) get a marker per point: one point draws no line.
      const pts = records.filter(r => typeof r[k] === 'number');
      if (pts.length <= 60) {
        g.fillStyle = hpViews.COLORS[i % 8];
        for (const r of pts) g.fillRect(sx(r[timeKey]) - 2.5, sy(r[k]) - 2.5, 5, 5);
      }
    });
  };
  requestAnimationFrame(draw);
  return hp.el('div', {class: 'chart-view'}, canvas, legend);
};

// Flame graph (icicle: root on top) drawn on a canvas. Frames narrower than half a pixel are not drawn, so a
// profile of a million frames costs the nodes that are visible, not the nodes that exist.
hpViews.flame = function (stacks) {
  const root = {name: 'all', value: 0, children: new Map(), depth: 0, x: 0, parent: null};
  let maxDepth = 0;
  for (const [stack, value] of stacks) {
    let node = root;
    root.value += value;
    const frames = stack.split(';');
    for (let d = 0; d < frames.length; d++) {
      const name = frames[d];
      let child = node.children.get(name);
      if (!child) {
        child = {name, value: 0, children: new Map(), depth: d + 1, x: 0, parent: node};
        node.children.set(name, child);
      }
      child.value += value;
      node = child;
    }
    maxDepth = Math.max(maxDepth, frames.length);
  }
  let frameCount = 0;
  // Children sorted by name once; x is each node's offset in sample units from the left of the whole graph.
  (function layout(node) {
    let x = node.x;
    node.kids = Array.from(node.children.values()).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const c of node.kids) { c.x = x; x += c.value; frameCount++; layout(c); }
  })(root);

  const ROW = 16;
  const canvas = hp.el('canvas', {class: 'flame', 'data-frames': frameCount});
  const search = hp.el('input', {type: 'search', placeholder: 'search frames (substring)', 'aria-label': 'search frames'});
  const reset = hp.el('button', {type: 'button', text: 'reset zoom'});
  const info = hp.el('span', {class: 'muted flame-info'});
  const tip = hp.el('div', {class: 'tooltip', hidden: ''});
  let zoom = root, query = '', matched = 0;

  const color = (n, matched) => {
    if (matched) return '#e040fb';
    let h = 0;
    for (let i = 0; i < n.name.length; i++) h = (h * 31 + n.name.charCodeAt(i)) | 0;
    const java = n.name.includes('.') && !n.name.includes('/');
    return java ? 'hsl(' + (100 + Math.abs(h) % 60) + ',55%,' + (55 + Math.abs(h >> 8) % 15) + '%)'
                : 'hsl(' + (10 + Math.abs(h) % 40) + ',75%,' + (55 + Math.abs(h >> 8) % 15) + '%)';
  };
  const isAncestor = (a, n) => { for (let p = n; p; p = p.parent) if (p === a) return true; return false; };

  function matchedShare() {
    if (!query) return 0;
    let sum = 0;
    const walk = n => {
      if (n !== root && n.name.toLowerCase().includes(query)) { sum += n.value; return; }
      for (const c of n.kids) walk(c);
    };
    walk(root);
    return sum;
  }

  function draw() {
    const w = canvas.clientWidth || 1000;
    const h = (maxDepth + 1) * ROW;
    canvas.style.height = h + 'px';
    const g = hpViews.sizeCanvas(canvas, w, h);
    g.font = '11px ui-monospace, monospace';
    g.textBaseline = 'middle';
    const scale = w / zoom.value;
    const paint = (n, x, width) => {
      const y = n.depth * ROW;
      g.fillStyle = color(n, query && n !== root && n.name.toLowerCase().includes(query));
      g.fillRect(x, y, Math.max(width - 0.5, 0.5), ROW - 1);
      if (width > 24) {
        g.fillStyle = '#1d1f21';
        let label = n.name;
        const max = width - 6;
        if (g.measureText(label).width > max) {
          let lo = 0, hi = label.length;
          while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (g.measureText(label.substring(0, mid) + '…').width <= max) lo = mid; else hi = mid - 1; }
          label = lo > 0 ? label.substring(0, lo) + '…' : '';
        }
        if (label) g.fillText(label, x + 3, y + ROW / 2);
      }
    };
    // Ancestors of the zoomed frame span the whole width; below it, only frames at least half a pixel wide are
    // visited, so the cost of a draw is the number of visible frames.
    for (let a = zoom.parent; a; a = a.parent) paint(a, 0, w);
    const visit = n => {
      const width = n.value * scale;
      if (width < 0.5) return;
      paint(n, (n.x - zoom.x) * scale, width);
      for (const c of n.kids) visit(c);
    };
    visit(zoom);
    const m = matched;
    info.textContent = frameCount + ' frames · total ' + root.value
      + (zoom !== root ? ' · zoomed to ' + zoom.name : '')
      + (query ? ' · matched ' + (100 * m / root.value).toFixed(2) + '%' : '');
  }

  function hit(ev) {
    const r = canvas.getBoundingClientRect();
    const px = ev.clientX - r.left, depth = Math.floor((ev.clientY - r.top) / ROW);
    const w = canvas.clientWidth || 1000;
    const value = zoom.x + px / w * zoom.value;
    let node = root;
    if (depth === 0) return root;
    for (let d = 1; d <= depth; d++) {
      let next = null;
      for (const c of node.children.values()) {
        if (isAncestor(c, zoom) || (value >= c.x && value < c.x + c.value)) { next = c; break; }
      }
      if (!next) return null;
      node = next;
    }
    return node;
  }

  canvas.addEventListener('click', ev => { const n = hit(ev); if (n) { zoom = n; draw(); } });
  canvas.addEventListener('mousemove', ev => {
    const n = hit(ev);
    if (!n) { tip.hidden = true; return; }
    tip.hidden = false;
    tip.textContent = n.name + ' — ' + n.value + ' (' + (100 * n.value / root.value).toFixed(2) + '%)';
    tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  reset.addEventListener('click', () => { zoom = root; draw(); });
  search.addEventListener('input', () => { query = search.value.trim().toLowerCase(); matched = matchedShare(); draw(); });
  window.addEventListener('resize', draw);
  requestAnimationFrame(draw);
  return hp.el('div', {class: 'flame-view'}, hp.el('div', {class: 'flame-controls'}, search, reset, info), canvas, tip);
};

// Allocator A/B: per metric, each variant's relative change against the baseline as a bar from zero, with its 95%
// confidence interval as a whisker; bars whose interval excludes zero are solid, the others hollow.
hpViews.abChart = function (comparisons) {
  const box = hp.el('div', {class: 'ab-chart'});
  const metrics = [];
  for (const c of comparisons) if (!metrics.includes(c.metric)) metrics.push(c.metric);
  for (const metric of metrics) {
    const rows = comparisons.filter(c => c.metric === metric && typeof c.change === 'number');
    let extent = 0.05;
    for (const c of rows) {
      extent = Math.max(extent, Math.abs(c.change));
      if (Array.isArray(c.ci95)) extent = Math.max(extent, Math.abs(c.ci95[0]), Math.abs(c.ci95[1]));
    }
    const table = hp.el('table', {class: 'grid ab', 'data-metric': metric},
      hp.el('thead', null, hp.el('tr', null, hp.el('th', {text: metric + ' vs ' + (rows[0] ? rows[0].baseline : '')}),
        hp.el('th', {class: 'num', text: 'change'}), hp.el('th', {class: 'num', text: '95% CI'}), hp.el('th', {text: ''}),
        hp.el('th', {text: 'verdict'}))), hp.el('tbody'));
    for (const c of rows) {
      const pct = v => (v >= 0 ? '+' : '') + (100 * v).toFixed(1) + '%';
      const ci = Array.isArray(c.ci95) ? pct(c.ci95[0]) + ' … ' + pct(c.ci95[1]) : '—';
      const canvas = hp.el('canvas', {class: 'ab-bar', width: 240, height: 18});
      const g = canvas.getContext('2d');
      const x = v => 120 + v / extent * 110;
      g.strokeStyle = '#dcdde0'; g.beginPath(); g.moveTo(120, 0); g.lineTo(120, 18); g.stroke();
      const significant = Array.isArray(c.ci95) && (c.ci95[0] > 0 || c.ci95[1] < 0);
      g.fillStyle = c.change < 0 ? '#2e7d32' : '#b3261e';
      g.strokeStyle = g.fillStyle;
      const x0 = Math.min(x(0), x(c.change)), w = Math.max(1, Math.abs(x(c.change) - x(0)));
      if (significant) g.fillRect(x0, 4, w, 10); else g.strokeRect(x0 + 0.5, 4.5, w - 1, 9);
      if (Array.isArray(c.ci95)) {
        g.strokeStyle = '#1d1f21'; g.beginPath();
        g.moveTo(x(c.ci95[0]), 9); g.lineTo(x(c.ci95[1]), 9);
        g.moveTo(x(c.ci95[0]), 5); g.lineTo(x(c.ci95[0]), 13);
        g.moveTo(x(c.ci95[1]), 5); g.lineTo(x(c.ci95[1]), 13); g.stroke();
      }
      table.querySelector('tbody').appendChild(hp.el('tr', {'data-variant': c.variant, 'data-significant': String(significant)},
        hp.el('td', {text: c.variant}), hp.el('td', {class: 'num', text: pct(c.change)}), hp.el('td', {class: 'num', text: ci}),
        hp.el('td', null, canvas), hp.el('td', {text: c.verdict || ''})));
    }
    box.appendChild(table);
  }
  return box;
};
