'use strict';
(function () {
  const tbody = document.querySelector('#runs tbody');
  const filter = document.getElementById('filter');
  const status = document.getElementById('upload-status');
  let runs = [];
  const selected = [];

  function rowsOf(list) {
    return list.map(r => ({
      run: r,
      cells: [
        {sort: 0}, {sort: r.createdAt}, {sort: r.name.toLowerCase()},
        {sort: ({critical: 3, warning: 2, info: 1})[r.worst] || 0},
        {sort: r.counts.critical}, {sort: r.counts.warning}, {sort: r.counts.info}, {sort: r.artifacts}
      ]
    }));
  }

  function render(rows) {
    tbody.replaceChildren();
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const r = row.run;
      const hay = (r.name + ' ' + r.id + ' ' + (r.worst || '')).toLowerCase();
      if (q && !hay.includes(q)) continue;
      shown++;
      const box = hp.el('input', {type: 'checkbox', 'aria-label': 'select ' + r.name, 'data-run-id': r.id});
      if (selected.includes(r.id)) box.checked = true;
      box.addEventListener('change', () => {
        if (box.checked) selected.push(r.id); else selected.splice(selected.indexOf(r.id), 1);
        while (selected.length > 2) selected.shift();
        redraw();
      });
      tbody.appendChild(hp.el('tr', {'data-run-id': r.id},
        hp.el('td', null, box),
        hp.el('td', {class: 'mono', text: hp.time(r.createdAt)}),
        hp.el('td', null, hp.el('a', {href: '/runs/' + encodeURIComponent(r.id), text: r.name})),
        hp.el('td', null, r.worst ? hp.sev(r.worst) : hp.el('span', {class: 'muted', text: 'clean'})),
        hp.el('td', {class: 'num', text: r.counts.critical}),
        hp.el('td', {class: 'num', text: r.counts.warning}),
        hp.el('td', {class: 'num', text: r.counts.info}),
        hp.el('td', {class: 'num', text: r.artifacts})));
    }
    document.getElementById('empty').hidden = runs.length !== 0;
    document.getElementById('compare-btn').disabled = selected.length !== 2;
    return shown;
  }

  let redraw = () => {};
  async function load() {
    runs = await hp.api('/api/runs');
    redraw = hp.sortable(document.getElementById('runs'), rowsOf(runs), render);
  }
  filter.addEventListener('input', () => redraw());
  document.getElementById('compare-btn').addEventListener('click', () => {
    // A is the older run: runs are listed newest first, so order the pair by creation time.
    const pair = runs.filter(r => selected.includes(r.id)).sort((x, y) => x.createdAt < y.createdAt ? -1 : 1);
    window.location.href = '/compare?a=' + encodeURIComponent(pair[0].id) + '&b=' + encodeURIComponent(pair[1].id);
  });

  function upload(files) {
    if (!files || files.length === 0) return;
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    const name = document.getElementById('upload-name').value.trim();
    if (name) form.append('name', name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/runs');
    xhr.setRequestHeader('X-CSRF-Token', hp.cookie('hotpath_csrf') || '');
    xhr.setRequestHeader('Accept', 'application/json');
    status.className = 'status';
    xhr.upload.onprogress = e => {
      if (e.lengthComputable) status.textContent = 'uploading… ' + Math.round(100 * e.loaded / e.total) + '%';
    };
    xhr.upload.onload = () => { status.textContent = 'analysing…'; };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
      if (xhr.status === 201) {
        status.textContent = 'stored run ' + body.name + ' with ' + body.findings + ' findings';
        window.location.href = '/runs/' + encodeURIComponent(body.id);
      } else {
        status.className = 'status error';
        status.textContent = 'upload failed: ' + (body.error || body.title || ('HTTP ' + xhr.status));
      }
    };
    xhr.onerror = () => { status.className = 'status error'; status.textContent = 'upload failed: connection error'; };
    xhr.send(form);
  }

  const input = document.getElementById('upload-files');
  input.addEventListener('change', () => upload(input.files));
  const zone = document.getElementById('dropzone');
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => { e.preventDefault(); zone.classList.remove('over'); upload(e.dataTransfer.files); });

  load().catch(e => { status.className = 'status error'; status.textContent = String(e); });
})();
