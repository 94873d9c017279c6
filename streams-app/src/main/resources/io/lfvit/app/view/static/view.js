// The lfvit live view: draws the snapshots the app streams on /view/events (Server-Sent Events).
// Plain browser JavaScript, no build step; charts by uPlot (served from its WebJar).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const pct = (x) => (x == null ? "–" : (100 * x).toFixed(1) + "%");
  const ms = (x) => (x == null ? "–" : Math.round(x) + " ms");
  const time = (t) => (t == null ? "–" : new Date(t).toLocaleTimeString());
  const charts = {};
  let etaSeriesKey = null;
  let lastState = null;

  function chart(id, title, series, yRange) {
    const el = $(id);
    const opts = {
      title: title, width: Math.max(300, el.clientWidth - 8), height: 180,
      scales: { x: { time: true }, y: yRange ? { range: yRange } : {} },
      series: [{}].concat(series.map((s) => Object.assign({ width: 2, spanGaps: false }, s))),
      axes: [{}, { size: 50 }],
    };
    el.innerHTML = "";
    return new uPlot(opts, [[]].concat(series.map(() => [])), el);
  }

  const palette = ["#e4572e", "#29335c", "#17bebb", "#ffc914", "#76b041", "#a14ebf", "#f08a4b", "#2f97c1"];

  function initCharts() {
    charts.rate = chart("chart-rate", "answers/s", [{ label: "answers/s", stroke: "#29335c", fill: "#29335c22" }]);
    charts.exit = chart("chart-exit", "early-exit rate", [{ label: "early exits", stroke: "#17632c",
      value: (u, v) => (v == null ? "–" : (100 * v).toFixed(0) + "%") }], [0, 1]);
    charts.latency = chart("chart-latency", "latency and focus lag (ms)", [
      { label: "p50", stroke: "#2f97c1" }, { label: "p99", stroke: "#e4572e" },
      { label: "focus lag (max)", stroke: "#a14ebf", dash: [4, 4] }]);
  }

  function etaChart(series) {
    const key = Object.keys(series.etaBySource).join(",");
    if (charts.eta && key === etaSeriesKey) return;
    etaSeriesKey = key;
    const s = [{ label: "eta global", stroke: "#29335c", width: 3 }];
    Object.keys(series.etaBySource).forEach((src, i) => s.push({ label: "eta " + src, stroke: palette[i % palette.length] }));
    charts.eta = chart("chart-eta", "eta (control topic)", s, [0, 1]);
  }

  function drawCharts(st) {
    const s = st.series;
    charts.rate.setData([s.t, s.answersPerSecond]);
    charts.exit.setData([s.t, s.exitRate]);
    charts.latency.setData([s.t, s.p50, s.p99, s.focusLagMs]);
    etaChart(s);
    charts.eta.setData([s.t, s.etaGlobal].concat(Object.keys(s.etaBySource).map((k) => s.etaBySource[k])));
  }

  function drawTiles(st) {
    const r = st.recent;
    $("stat-rate").textContent = r.answersPerSecond.toFixed(1);
    $("stat-exit-rate").textContent = pct(r.exitRate);
    $("stat-exit-rate").dataset.value = r.exitRate == null ? "" : r.exitRate;
    $("stat-latency").textContent = r.p50 == null ? "–" : Math.round(r.p50) + " / " + Math.round(r.p99) + " ms";
    $("stat-lag").textContent = ms(r.focusLagMs);
    $("stat-answers").textContent = st.totals.answers;
    $("stat-answers").dataset.value = st.totals.answers;
    $("stat-dlq").textContent = st.totals.deadLetters;
  }

  function drawEta(st) {
    const parts = ["global " + (st.eta.global == null ? "the model's" : st.eta.global)];
    Object.entries(st.eta.bySource).forEach(([k, v]) => parts.push(k + " " + v));
    $("eta-now").textContent = parts.join(" · ");
    $("eta-now").dataset.global = st.eta.global == null ? "" : st.eta.global;
    const sel = $("eta-scope");
    const have = new Set(Array.from(sel.options).map((o) => o.value));
    st.sources.forEach((s) => {
      if (!have.has(s.source)) { const o = document.createElement("option"); o.value = s.source; o.textContent = "source " + s.source; sel.appendChild(o); }
    });
    const body = $("changes").tBodies[0];
    body.innerHTML = "";
    st.changes.forEach((c) => {
      const tr = body.insertRow();
      tr.className = c.current ? "current" : "superseded";
      tr.dataset.scope = c.scope; tr.dataset.eta = c.eta == null ? "" : c.eta; tr.dataset.by = c.by;
      tr.dataset.effectiveAt = c.effectiveAt == null ? "" : c.effectiveAt;
      tr.dataset.answers = c.answers; tr.dataset.exitRate = c.exitRate == null ? "" : c.exitRate;
      const effect = c.eta == null ? "override removed" : c.effectiveAt == null ? (c.current ? "waiting for an answer at it…" : "never (superseded)")
        : time(c.effectiveAt) + " (+" + Math.max(0, c.effectiveAt - c.updatedAt) + " ms)";
      [c.scope, c.eta == null ? "–" : c.eta, c.by, time(c.updatedAt), time(c.seenAt), effect, c.answers, pct(c.exitRate)]
        .forEach((v) => { tr.insertCell().textContent = v; });
    });
  }

  function drawFrame(canvas, f, img) {
    const w = img.naturalWidth, h = img.naturalHeight;
    canvas.width = w; canvas.height = h;
    canvas.style.width = "160px"; canvas.style.height = Math.round(160 * h / w) + "px";
    const g = canvas.getContext("2d");
    g.drawImage(img, 0, 0);
    const sx = w / f.width, sy = h / f.height;
    if (f.grid && f.splitCells) {
      const cw = f.width / f.grid, ch = f.height / f.grid;
      g.fillStyle = "rgba(47,151,193,0.35)"; g.strokeStyle = "rgba(47,151,193,0.9)"; g.lineWidth = 1;
      f.splitCells.forEach((c) => {
        const r = Math.floor(c / f.grid), col = c % f.grid;
        g.fillRect(col * cw * sx, r * ch * sy, cw * sx, ch * sy);
        g.strokeRect(col * cw * sx + 0.5, r * ch * sy + 0.5, cw * sx - 1, ch * sy - 1);
      });
    }
    if (f.region && f.region.box) {
      const [x, y, bw, bh] = f.region.box;
      g.strokeStyle = "#ff8c1a"; g.lineWidth = 2;
      g.strokeRect(x * sx, y * sy, bw * sx, bh * sy);
    }
  }

  function frameCard(f) {
    const div = document.createElement("div");
    div.className = "frame"; div.dataset.eventId = f.eventId; div.dataset.stage = f.stage;
    const canvas = document.createElement("canvas");
    div.appendChild(canvas);
    const img = new Image();
    img.onload = () => drawFrame(canvas, f, img);
    img.onerror = () => div.remove(); // the frame left the view before its thumbnail was fetched
    img.src = f.thumb;
    const cls = document.createElement("div");
    cls.className = "cls";
    cls.textContent = f.className + " " + (100 * f.confidence).toFixed(0) + "%" + (f.label != null ? (f.label === f.classIndex ? " ✓" : " ✗") : "");
    div.appendChild(cls);
    const meta = document.createElement("div");
    meta.innerHTML = '<span class="stage-' + f.stage + '">' + f.stage + "</span> · eta " + f.eta + " · " + ms(f.latencyMs)
      + (f.degraded ? ' · <span class="degraded" title="' + (f.degradedReason || "") + '">degraded</span>' : "")
      + " · #" + f.seq;
    div.appendChild(meta);
    return div;
  }

  function drawSources(st) {
    const root = $("sources");
    const seen = new Set();
    st.sources.forEach((s) => {
      seen.add(s.source);
      let row = root.querySelector('[data-source="' + CSS.escape(s.source) + '"]');
      if (!row) {
        row = document.createElement("div"); row.dataset.source = s.source;
        row.innerHTML = '<div class="src-name"></div><div class="frames" style="display:flex;gap:8px"></div>';
        root.appendChild(row);
      }
      row.querySelector(".src-name").innerHTML = s.source + "<small>" + s.answers + " answers, " + pct(s.answers ? s.exits / s.answers : null) + " early exits</small>";
      const frames = row.querySelector(".frames");
      const ids = s.frames.map((f) => f.eventId).join(",");
      if (frames.dataset.ids !== ids) {
        frames.dataset.ids = ids;
        frames.innerHTML = "";
        s.frames.forEach((f) => frames.appendChild(frameCard(f)));
      }
    });
    Array.from(root.children).forEach((row) => { if (!seen.has(row.dataset.source)) row.remove(); });
  }

  function drawDeadLetters(st) {
    const body = $("dead-letters").tBodies[0];
    body.innerHTML = "";
    st.deadLetters.forEach((d) => {
      const tr = body.insertRow();
      [time(d.failedAt), d.source || "–", d.reasonCode, d.stage, d.reason, d.topic + "-" + d.partition + "@" + d.offset]
        .forEach((v) => { tr.insertCell().textContent = v; });
    });
  }

  function onState(st) {
    lastState = st;
    drawTiles(st); drawEta(st); drawCharts(st); drawSources(st); drawDeadLetters(st);
  }

  function publish(body) {
    const res = $("eta-result");
    res.className = ""; res.textContent = "publishing…";
    fetch("/view/eta", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body })
      .then((r) => r.json().then((j) => ({ ok: r.ok, j: j })))
      .then(({ ok, j }) => {
        if (!ok) { res.className = "err"; res.textContent = j.error; return; }
        res.textContent = (j.cleared ? "override of " + j.cleared + " removed" : "published eta " + j.eta + " (" + j.scope + ")")
          + " at " + new Date().toLocaleTimeString() + "; see below when it took effect";
      })
      .catch((e) => { res.className = "err"; res.textContent = String(e); });
  }

  function initControls() {
    const range = $("eta-range"), value = $("eta-value");
    range.addEventListener("input", () => { value.value = Number(range.value).toFixed(2); });
    value.addEventListener("input", () => { range.value = value.value; });
    $("eta-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const p = new URLSearchParams({ eta: value.value });
      if ($("eta-scope").value) p.set("source", $("eta-scope").value);
      publish(p.toString());
    });
    $("eta-clear").addEventListener("click", () => {
      if (!$("eta-scope").value) { $("eta-result").className = "err"; $("eta-result").textContent = "choose a source: the global eta cannot be cleared here"; return; }
      publish(new URLSearchParams({ clear: "1", source: $("eta-scope").value }).toString());
    });
  }

  function connect() {
    const es = new EventSource("/view/events");
    es.addEventListener("state", (e) => {
      $("conn").className = "conn on"; $("conn").textContent = "live";
      onState(JSON.parse(e.data));
    });
    es.onerror = () => { $("conn").className = "conn off"; $("conn").textContent = "reconnecting…"; };
  }

  initCharts();
  initControls();
  connect();
})();
