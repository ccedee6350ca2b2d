'use strict';
// Heap summary: leak suspects with their path to a GC root, and the dominator tree, expanded a level at a time from
// the API (GET …/heap/dominators?parent=ID) so the page never holds more of the tree than the user opened. The
// histogram, growth between dumps and waste are arrays of records and are drawn by the generic tables.
hpViews.special.push(function heapView(panel, kind, data, ctx) {
  if (!Array.isArray(data.histogram) || !Array.isArray(data.dominators)) return null;
  const s = data.summary || {};
  const heapBytes = data.reachableBytes || s.shallowBytes || 0;
  panel.appendChild(hp.el('p', {class: 'muted heap-facts',
    text: (s.objects ?? '?') + ' objects · ' + (s.classes ?? '?') + ' classes · ' + hp.bytes(s.shallowBytes)
      + ' shallow · ' + hp.bytes(heapBytes) + ' reachable · ' + (s.gcRoots ?? '?') + ' GC roots'}));

  if (Array.isArray(data.suspects) && data.suspects.length) {
    panel.appendChild(hp.el('h3', {text: 'leak suspects'}));
    const list = hp.el('div', {class: 'suspects'});
    for (const x of data.suspects) {
      const acc = x.accumulation && x.accumulation.elementClass
        ? 'accumulates ' + x.accumulation.elements + ' × ' + x.accumulation.elementClass + ' in ' + x.accumulation.class : '';
      const path = Array.isArray(x.pathToRoot) && x.pathToRoot.length
        ? hp.el('ol', {class: 'path mono'}, ...x.pathToRoot.map(p => hp.el('li', {text: p}))) : null;
      list.appendChild(hp.el('div', {class: 'suspect'},
        hp.el('div', {class: 'ftitle', text: x.title}),
        hp.el('div', {class: 'muted', text: hp.bytes(x.retainedBytes) + ' retained (' + x.percent + '% of the heap) · '
          + x.class + (x.holder ? ' · held by ' + x.holder : '')}),
        acc ? hp.el('div', {text: acc}) : null,
        path ? hp.el('div', {class: 'muted', text: 'path to a GC root:'}) : null, path));
    }
    panel.appendChild(list);
  }

  panel.appendChild(hp.el('h3', {text: 'dominator tree'}));
  // the columns and what each sorts by; a header click sorts every open level's siblings by it, children stay under
  // their parent (the server's order, largest retained first, until a header is clicked)
  const columns = [['class', false, n => n.class], ['object', false, n => n.objectId],
    ['shallow', true, n => n.shallowBytes], ['retained', true, n => n.retainedBytes],
    ['% of heap', true, n => n.percent], ['holder', false, n => n.holder || '']];
  const ths = columns.map(([label, num]) => hp.el('th', {class: num ? 'num sortable' : 'sortable', text: label}));
  const table = hp.el('table', {class: 'grid dom-tree'}, hp.el('thead', null, hp.el('tr', null, ...ths)), hp.el('tbody'));
  let sortKey = -1, sortDir = 1;
  const cmp = (a, b) => {
    const x = sortKey < 0 ? 0 : columns[sortKey][2](a.node), y = sortKey < 0 ? 0 : columns[sortKey][2](b.node);
    return x !== y ? (x < y ? -1 : 1) * sortDir : a.order - b.order;
  };
  const nodeOf = new WeakMap();
  const resort = hp.sortHeaders(table, (key, dir) => {
    sortKey = key;
    sortDir = dir;
    const tbody = table.tBodies[0];
    // rebuild the open tree from the rows (pre-order, depth per row), sort each level, write it back in pre-order
    const roots = [], open = [];
    for (const tr of Array.from(tbody.children)) {
      const item = {tr, kids: [], ...nodeOf.get(tr)};
      open.length = Number(tr.getAttribute('data-depth'));
      (open.length ? open[open.length - 1].kids : roots).push(item);
      open.push(item);
    }
    const out = [];
    const walk = list => { list.sort(cmp); for (const it of list) { out.push(it.tr); walk(it.kids); } };
    walk(roots);
    tbody.replaceChildren(...out);
    table.setAttribute('data-sort', key < 0 ? '' : columns[key][0] + (dir > 0 ? ' asc' : ' desc'));
  });
  const status = hp.el('div', {class: 'status'});
  panel.appendChild(table);
  panel.appendChild(status);
  const url = parent => ctx.base + '/heap/dominators?summary=' + encodeURIComponent(kind)
    + (parent ? '&parent=' + encodeURIComponent(parent) : '');

  const row = (n, depth, order) => {
    const toggle = n.children > 0
      ? hp.el('button', {type: 'button', class: 'expand', 'aria-expanded': 'false', 'aria-label': 'expand', text: '▸'})
      : hp.el('span', {class: 'leaf', text: '·'});
    const cls = hp.el('td', {class: 'mono'}, toggle, ' ', hp.el('span', {class: 'cls', text: n.class}));
    cls.style.paddingLeft = (8 + depth * 18) + 'px';
    const tr = hp.el('tr', {class: 'dom-node', 'data-object-id': n.objectId, 'data-depth': depth, 'data-children': n.children},
      cls, hp.el('td', {class: 'mono', text: n.objectId}),
      hp.el('td', {class: 'num', text: hp.bytes(n.shallowBytes)}),
      hp.el('td', {class: 'num', text: hp.bytes(n.retainedBytes)}),
      hp.el('td', {class: 'num', text: n.percent.toFixed(2) + '%'}),
      hp.el('td', {class: 'mono', text: n.holder || ''}));
    if (n.children > 0) toggle.addEventListener('click', () => expand(tr, toggle, n.objectId, depth));
    nodeOf.set(tr, {node: n, order});
    return tr;
  };

  async function expand(tr, toggle, objectId, depth) {
    if (toggle.getAttribute('aria-expanded') === 'true') {
      // collapse: drop every row below this one that is deeper than it
      while (tr.nextElementSibling && Number(tr.nextElementSibling.getAttribute('data-depth')) > depth) {
        tr.nextElementSibling.remove();
      }
      toggle.setAttribute('aria-expanded', 'false');
      toggle.textContent = '▸';
      return;
    }
    toggle.disabled = true;
    try {
      const r = await hp.api(url(objectId));
      const frag = document.createDocumentFragment();
      const kids = r.nodes.map((c, i) => ({node: c, order: i})).sort(cmp);
      for (const c of kids) frag.appendChild(row(c.node, depth + 1, c.order));
      tr.after(frag);
      toggle.setAttribute('aria-expanded', 'true');
      toggle.textContent = '▾';
    } catch (e) {
      status.className = 'status error';
      status.textContent = String(e);
    } finally {
      toggle.disabled = false;
    }
  }

  hp.api(url(null)).then(r => {
    table.querySelector('tbody').replaceChildren(...r.nodes.map((n, i) => row(n, 0, i)));
    resort();
    table.setAttribute('data-loaded', 'true');
  }).catch(e => { status.className = 'status error'; status.textContent = String(e); });
  return ['dominators', 'dominatorTree', 'suspects', 'reachableBytes'];
});
