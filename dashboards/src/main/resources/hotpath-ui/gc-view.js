'use strict';
// GC summary: every stored pause at its time with its duration, coloured by collector and cause (the summary's
// `pauses` entries, whose index each timeline point names), and the heap left after each collection. Dragging across
// the timeline zooms into that stretch (the y axis rescales to its longest pause); a double-click or the button shows
// the whole run again.
hpViews.special.push(function gcView(panel, kind, data) {
  const t = data.timeline;
  if (!t || !Array.isArray(t.startMs) || !Array.isArray(t.pauseNanos) || !Array.isArray(data.pauses)) return null;
  const n = Math.min(t.startMs.length, t.pauseNanos.length);
  const series = Array.isArray(t.series) ? t.series : [];
  const unit = data.clock === 'uptime' ? 's of uptime' : 's from the first pause';
  panel.appendChild(hp.el('h3', {text: 'pause timeline'}));
  const x0 = n ? Math.min(...t.startMs.slice(0, n)) : 0;
  let xEnd = x0;
  for (let i = 0; i < n; i++) xEnd = Math.max(xEnd, t.startMs[i]);
  const whole = n + ' pauses' + (t.collections > n ? ' shown (the longest of each stretch of '
    + t.collections + ' collections)' : '') + (n ? ' · longest ' + hp.nanos(Math.max(...t.pauseNanos.slice(0, n))) : '');
  const info = hp.el('div', {class: 'muted gc-info', text: whole});
  const canvas = hp.el('canvas', {class: 'chart gc-timeline', 'data-pauses': n,
    title: 'drag across the timeline to zoom into a stretch of time; double-click to see all of it'});
  const reset = hp.el('button', {type: 'button', class: 'gc-reset', hidden: '', text: 'show the whole run'});
  const tip = hp.el('div', {class: 'tooltip', hidden: ''});
  const legend = hp.el('div', {class: 'legend'});
  data.pauses.forEach((p, i) => {
    const sw = hp.el('span', {class: 'swatch', text: '■'});
    sw.style.color = hpViews.COLORS[i % 8];
    const count = series.slice(0, n).filter(s => s === i).length;
    legend.appendChild(hp.el('span', {class: 'series', 'data-series': i, 'data-count': count},
      sw, ' ' + p.collector + ' · ' + p.cause + ' (' + count + ')'));
  });
  const L = 60, R = 10, T = 10, B = 20;
  // the time range on show: the whole run, or the stretch a drag selected (ms on the summary's clock)
  let view = null;
  let points = [];
  let scale = null;
  const seconds = ms => ((ms - x0) / 1000).toFixed(1);
  const draw = (selection) => {
    const w = canvas.clientWidth || 800, h = canvas.clientHeight || 260;
    const g = hpViews.sizeCanvas(canvas, w, h);
    const xa = view ? view.from : x0, xb = view ? view.to : xEnd;
    let y1 = 1, shown = 0, longest = 0;
    for (let i = 0; i < n; i++) {
      if (t.startMs[i] < xa || t.startMs[i] > xb) continue;
      y1 = Math.max(y1, t.pauseNanos[i]);
      longest = Math.max(longest, t.pauseNanos[i]);
      shown++;
    }
    const sx = x => L + (xb === xa ? (w - L - R) / 2 : (x - xa) / (xb - xa) * (w - L - R));
    const sy = y => h - B - y / y1 * (h - T - B);
    scale = px => xa + (xb === xa ? 0 : (px - L) / (w - L - R) * (xb - xa));
    g.strokeStyle = '#dcdde0'; g.fillStyle = '#6b6f75'; g.font = '11px sans-serif';
    g.beginPath(); g.moveTo(L, T); g.lineTo(L, h - B); g.lineTo(w - R, h - B); g.stroke();
    g.fillText(hp.nanos(y1), 2, T + 8);
    g.fillText('0', 2, h - B);
    g.fillText(view ? seconds(xa) : '0', L, h - 4);
    const right = (view ? seconds(xb) : ((xb - xa) / 1000).toFixed(1)) + ' ' + unit;
    g.fillText(right, w - R - g.measureText(right).width, h - 4);
    points = [];
    for (let i = 0; i < n; i++) {
      if (t.startMs[i] < xa || t.startMs[i] > xb) continue;
      const x = sx(t.startMs[i]), y = sy(t.pauseNanos[i]);
      g.strokeStyle = g.fillStyle = hpViews.COLORS[(series[i] || 0) % 8];
      g.beginPath(); g.moveTo(x, h - B); g.lineTo(x, y); g.stroke();
      g.fillRect(x - 1.5, y - 1.5, 3, 3);
      points.push([x, y, i]);
    }
    if (selection) {
      g.fillStyle = 'rgba(60, 110, 200, 0.15)';
      g.fillRect(Math.min(selection[0], selection[1]), T, Math.abs(selection[1] - selection[0]), h - T - B);
    }
    canvas.setAttribute('data-drawn', points.length);
    info.textContent = view ? shown + ' of ' + n + ' pauses between ' + seconds(xa) + ' and ' + seconds(xb) + ' ' + unit
      + (shown ? ' · longest ' + hp.nanos(longest) : '') : whole;
    reset.hidden = !view;
  };
  const zoom = (from, to) => {
    view = from === null ? null : {from: Math.max(x0, Math.min(from, to)), to: Math.min(xEnd, Math.max(from, to))};
    if (view && view.to <= view.from) view = null;
    tip.hidden = true;
    draw();
  };
  let dragFrom = null;
  const canvasX = ev => ev.clientX - canvas.getBoundingClientRect().left - canvas.clientLeft;
  canvas.addEventListener('mousedown', ev => { if (ev.button === 0 && n > 1) { dragFrom = canvasX(ev); ev.preventDefault(); } });
  window.addEventListener('mouseup', ev => {
    if (dragFrom === null) return;
    const to = canvasX(ev), from = dragFrom;
    dragFrom = null;
    // a click is not a zoom: only a drag of a few pixels selects a stretch
    if (Math.abs(to - from) >= 5) zoom(scale(from), scale(to)); else draw();
  });
  canvas.addEventListener('dblclick', () => zoom(null));
  reset.addEventListener('click', () => zoom(null));
  canvas.addEventListener('mousemove', ev => {
    const px = canvasX(ev);
    if (dragFrom !== null) { tip.hidden = true; draw([dragFrom, px]); return; }
    let best = null;
    for (const p of points) if (!best || Math.abs(p[0] - px) < Math.abs(best[0] - px)) best = p;
    if (!best || Math.abs(best[0] - px) > 6) { tip.hidden = true; return; }
    const i = best[2], p = data.pauses[series[i] || 0] || {};
    tip.hidden = false;
    tip.textContent = hp.nanos(t.pauseNanos[i]) + ' at ' + ((t.startMs[i] - x0) / 1000).toFixed(3) + ' s · '
      + p.collector + ' · ' + p.cause;
    tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  window.addEventListener('resize', () => draw());
  requestAnimationFrame(() => draw());
  panel.appendChild(hp.el('div', {class: 'chart-view'}, info, reset, canvas, legend, tip));

  const heap = data.heapAfterGc;
  if (heap && Array.isArray(heap.timeMs) && heap.timeMs.length > 1) {
    panel.appendChild(hp.el('h3', {text: 'heap after GC (MiB)'}));
    const h0 = Math.min(...heap.timeMs);
    const records = heap.timeMs.map((tm, i) => {
      const r = {seconds: (tm - h0) / 1000, 'used after GC': heap.usedBytes[i] / 1048576};
      if (data.heapMaxBytes > 0) r['heap max'] = data.heapMaxBytes / 1048576;
      return r;
    });
    const chart = hpViews.chart(records, 'seconds');
    chart.classList.add('heap-after-gc');
    chart.setAttribute('data-samples', records.length);
    panel.appendChild(chart);
  }
  return ['timeline', 'heapAfterGc'];
});
