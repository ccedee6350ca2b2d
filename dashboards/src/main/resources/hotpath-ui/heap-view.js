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
  const table = hp.el('table', {class: 'grid dom-tree'},
    hp.el('thead', null, hp.el('tr', null, hp.el('th', {text: 'class'}), hp.el('th', {text: 'object'}),
      hp.el('th', {class: 'num', text: 'shallow'}), hp.el('th', {class: 'num', text: 'retained'}),
      hp.el('th', {class: 'num', text: '% of heap'}), hp.el('th', {text: 'holder'}))),
    hp.el('tbody'));
  const status = hp.el('div', {class: 'status'});
  panel.appendChild(table);
  panel.appendChild(status);
  const url = parent => ctx.base + '/heap/dominators?summary=' + encodeURIComponent(kind)
    + (parent ? '&parent=' + encodeURIComponent(parent) : '');

  const row = (n, depth) => {
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
      for (const c of r.nodes) frag.appendChild(row(c, depth + 1));
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
    table.querySelector('tbody').replaceChildren(...r.nodes.map(n => row(n, 0)));
    table.setAttribute('data-loaded', 'true');
  }).catch(e => { status.className = 'status error'; status.textContent = String(e); });
  return ['dominators', 'dominatorTree', 'suspects', 'reachableBytes'];
});
