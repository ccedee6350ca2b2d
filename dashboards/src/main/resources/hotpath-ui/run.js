'use strict';
(function () {
  const id = decodeURIComponent(window.location.pathname.split('/').pop());
  const base = '/api/runs/' + encodeURIComponent(id);
  const tabs = document.getElementById('tabs');
  const panels = {
    findings: document.getElementById('panel-findings'),
    artifacts: document.getElementById('panel-artifacts'),
    view: document.getElementById('panel-view')
  };

  function show(which, button) {
    for (const [k, p] of Object.entries(panels)) p.hidden = k !== which;
    for (const b of tabs.querySelectorAll('button')) b.classList.toggle('active', b === button);
  }

  function tab(label, onOpen) {
    const b = hp.el('button', {type: 'button', 'data-tab': label, text: label});
    b.addEventListener('click', () => onOpen(b));
    tabs.appendChild(b);
    return b;
  }

  function findingCard(f) {
    const dl = hp.el('dl');
    for (const [k, v] of Object.entries(f.evidence || {})) {
      dl.appendChild(hp.el('dt', {text: k}));
      dl.appendChild(hp.el('dd', {text: typeof v === 'object' ? JSON.stringify(v, null, 1) : String(v)}));
    }
    return hp.el('div', {class: 'finding ' + f.severity, 'data-finding-id': f.id},
      hp.el('div', null, hp.sev(f.severity), ' ', hp.el('span', {class: 'ftitle', text: f.title}),
        hp.el('span', {class: 'fid', text: f.id + ' · ' + f.category + ' · ' + (f.sources || []).join(', ')})),
      hp.el('div', {class: 'fsummary', text: f.summary}),
      dl,
      f.recommendation ? hp.el('div', {class: 'rec', text: f.recommendation}) : null);
  }

  function renderFindings(run, findings) {
    const p = panels.findings;
    p.replaceChildren();
    if (run.notes && run.notes.length) {
      p.appendChild(hp.el('ul', {class: 'notes'}, ...run.notes.map(n => hp.el('li', {text: n}))));
    }
    if (findings.length === 0) p.appendChild(hp.el('p', {class: 'muted', text: 'No findings: nothing crossed a threshold.'}));
    for (const sev of ['critical', 'warning', 'info']) {
      const list = findings.filter(f => f.severity === sev);
      if (!list.length) continue;
      p.appendChild(hp.el('div', {class: 'group', 'data-severity': sev},
        hp.el('h2', null, hp.sev(sev), ' ' + list.length), ...list.map(findingCard)));
    }
  }

  function renderArtifacts(artifacts) {
    const t = hp.el('table', {class: 'grid', id: 'artifacts'},
      hp.el('thead', null, hp.el('tr', null, hp.el('th', {text: 'name'}), hp.el('th', {text: 'type'}),
        hp.el('th', {class: 'num', text: 'size'}), hp.el('th', {text: 'sha256'}), hp.el('th', {text: 'path'}))),
      hp.el('tbody'));
    const rows = artifacts.map(a => ({a, cells: [{sort: a.name}, {sort: a.type}, {sort: a.sizeBytes}, {sort: a.sha256 || ''}, {sort: a.path}]}));
    hp.sortable(t, rows, sorted => {
      const tb = t.querySelector('tbody');
      tb.replaceChildren(...sorted.map(r => hp.el('tr', null,
        hp.el('td', {text: r.a.name}), hp.el('td', {text: r.a.type}),
        hp.el('td', {class: 'num', text: hp.bytes(r.a.sizeBytes)}),
        hp.el('td', {class: 'mono', text: (r.a.sha256 || '').substring(0, 16)}),
        hp.el('td', {class: 'mono', text: r.a.path}))));
    });
    panels.artifacts.replaceChildren(t);
  }

  async function main() {
    const [run, findings] = await Promise.all([hp.api(base), hp.api(base + '/findings')]);
    document.title = 'hotpath — ' + run.name;
    document.getElementById('run-title').textContent = run.name;
    document.getElementById('run-meta').textContent = hp.time(run.createdAt) + ' · ' + run.id;
    renderFindings(run, findings);
    renderArtifacts(run.artifacts);
    const first = tab('findings', b => show('findings', b));
    tab('artifacts (' + run.artifacts.length + ')', b => show('artifacts', b));
    if (hpMemory.available(run.summaries)) {
      tab('memory', async b => {
        show('view', b);
        panels.view.replaceChildren(hp.el('p', {class: 'muted', text: 'loading memory timeline…'}));
        await hpMemory.render(panels.view, base, run.summaries);
      });
    }
    for (const kind of run.summaries) {
      tab(kind, async b => {
        show('view', b);
        panels.view.replaceChildren(hp.el('p', {class: 'muted', text: 'loading ' + kind + '…'}));
        const data = await hp.api(base + '/summaries/' + encodeURIComponent(kind));
        hpViews.render(panels.view, kind, data, {base, kind});
      });
    }
    show('findings', first);
  }

  main().catch(e => panels.findings.replaceChildren(hp.el('p', {class: 'status error', text: String(e)})));
})();
