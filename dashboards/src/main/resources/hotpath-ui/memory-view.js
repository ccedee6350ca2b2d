'use strict';
// Native memory over time, joined across a run's summaries on the wall clock: RSS (native.rss), NMT's committed
// total and its Java Heap committed (each native.nmt snapshot), and the heap used after GC (gc.pauses, when its clock
// is epoch time). Shows what part of RSS growth NMT and the heap account for.
const hpMemory = {};

hpMemory.kinds = function (summaries) {
  return summaries.filter(k => /^native\.(rss|nmt)(\[|$)/.test(k) || /^gc\.pauses(\[|$)/.test(k));
};

hpMemory.available = function (summaries) {
  return summaries.some(k => /^native\.(rss|nmt)(\[|$)/.test(k));
};

hpMemory.render = async function (panel, base, summaries) {
  panel.replaceChildren(hp.el('h2', {text: 'memory timeline'}));
  const kinds = hpMemory.kinds(summaries);
  const data = await Promise.all(kinds.map(k => hp.api(base + '/summaries/' + encodeURIComponent(k))));
  const points = [];
  const SERIES = ['RSS', 'NMT committed', 'heap committed (NMT)', 'heap used after GC'];
  const add = (t, key, mib) => { if (typeof t === 'number' && typeof mib === 'number') points.push([t, key, mib]); };
  kinds.forEach((k, i) => {
    const d = data[i];
    if (k.startsWith('native.rss') && Array.isArray(d.epochMillis)) {
      d.epochMillis.forEach((t, j) => add(t, 'RSS', d.rssKb[j] / 1024));
    } else if (k.startsWith('native.nmt')) {
      add(d.epochMillis, 'NMT committed', d.totalCommittedKb / 1024);
      const heap = d.categories && d.categories['Java Heap'];
      if (heap) add(d.epochMillis, 'heap committed (NMT)', heap.committedKb / 1024);
    } else if (k.startsWith('gc.pauses') && d.clock === 'epoch' && d.heapAfterGc) {
      d.heapAfterGc.timeMs.forEach((t, j) => add(t, 'heap used after GC', d.heapAfterGc.usedBytes[j] / 1048576));
    }
  });
  if (!points.length) {
    panel.appendChild(hp.el('p', {class: 'muted', text: 'No timed RSS or NMT samples in this run.'}));
    return;
  }
  points.sort((a, b) => a[0] - b[0]);
  const t0 = points[0][0];
  const present = SERIES.filter(s => points.some(p => p[1] === s));
  const records = points.map(([t, key, mib]) => {
    const r = {seconds: (t - t0) / 1000};
    for (const s of present) r[s + ' MiB'] = undefined;
    r[key + ' MiB'] = Math.round(mib * 10) / 10;
    return r;
  });
  const chart = hpViews.chart(records, 'seconds');
  chart.classList.add('memory-timeline');
  panel.appendChild(chart);
  const counts = present.map(s => s + ': ' + points.filter(p => p[1] === s).length + ' samples');
  panel.appendChild(hp.el('p', {class: 'muted memory-series', text: counts.join(' · ')}));
  panel.appendChild(hpViews.table(records.map(r => {
    const o = {};
    for (const [k, v] of Object.entries(r)) o[k] = v === undefined ? null : v;
    return o;
  })));
};
