// twin report: draws the data inlined by `twin report` (see src/cli/picture/data.rs) as
// plain SVG. Hand-written on purpose: a few hundred lines, no library to vendor or update,
// and nothing loaded from the network.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const KIND = ["up", "down", "related", "link"];
  const KIND_COLOR = ["#1570ef", "#12b76a", "#9e77ed", "#c8ccd3"];
  const SERIES_COLOR = ["#101828", "#f04438", "#f79009", "#1570ef", "#12b76a", "#9e77ed", "#ee46bc", "#667085"];
  const N = D.notes.length;
  const [P_PATH, P_TITLE, P_LEVEL, P_SCORE, P_LINKS, P_RECIP, P_DRIFT, P_CONFLICTS] = [0, 1, 2, 3, 4, 5, 6, 7];

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") e.addEventListener("click", v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  function s(tag, attrs) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }
  const fmt = (x) => (x === null || x === undefined ? "–" : Number(x).toFixed(2));
  const notePath = (ref) => (typeof ref === "number" ? D.notes[ref][P_PATH] : ref);
  function fileLink(path, line) {
    const href = D.root_url + path.split("/").map(encodeURIComponent).join("/");
    return h("a", { href, title: "open the file" }, line ? `${path}:${line}` : path);
  }
  function scoreColor(score) {
    return `hsl(${Math.round(Math.max(0, Math.min(1, score)) * 120)}, 70%, 42%)`;
  }
  function bar(score) {
    const i = h("i", { style: `width:${Math.round(score * 100)}%;background:${scoreColor(score)}` });
    return h("span", { class: "bar", style: "width:60px" }, i);
  }

  // Findings per note, for the panel.
  const byNote = new Map();
  D.findings.forEach((f, i) => {
    if (typeof f[0] !== "number") return;
    if (!byNote.has(f[0])) byNote.set(f[0], []);
    byNote.get(f[0]).push(i);
  });

  // --- Summary ---------------------------------------------------------------------------
  document.getElementById("vault").textContent = D.vault;
  const sevCounts = [0, 0, 0, 0];
  for (const f of D.findings) sevCounts[f[3]]++;
  const sevText = D.severities.map((name, i) => `${sevCounts[i]} ${name}`).join(", ");
  document.getElementById("summary").textContent =
    `${N} notes · ${D.findings.length} findings (${sevText}) · coherence ${fmt(D.score)} · generated ${D.generated}`;

  // --- Trend -----------------------------------------------------------------------------
  function drawTrend() {
    let trend = D.trend;
    const hint = document.getElementById("trend-hint");
    if (!trend) {
      // No history yet: today's counts, one point per rule.
      const series = {};
      for (const f of D.findings) {
        const code = D.codes[f[2]];
        series[code] = [(series[code] ? series[code][0] : 0) + 1];
      }
      trend = { days: [D.generated.slice(0, 10)], series, total: [D.findings.length] };
      hint.textContent = "No history yet: today's open findings. `twin check --record` (or `twin history --from-git`) starts the trace this chart reads.";
    } else {
      hint.textContent = `Open findings per rule over ${trend.days.length} days, from .twin/trace.jsonl; red dashed lines mark days a rule's count jumped${(trend.scores || []).some((v) => v != null) ? "; the grey dashed line is the coherence score, recorded with each run of twin check --record" : ""}. Coherence now ${fmt(D.score)}.`;
    }
    const codes = Object.keys(trend.series).sort((a, b) => Math.max(...trend.series[b]) - Math.max(...trend.series[a]));
    const lines = [["all findings", trend.total]].concat(codes.slice(0, SERIES_COLOR.length - 1).map((c) => [c, trend.series[c]]));
    // The coherence score (0 to 1) from the trace's score events, on a right-hand axis.
    const scores = trend.scores || [];
    const scored = scores.some((v) => v != null);
    const W = 980, H = 280, L = 40, R = scored ? 40 : 12, T = 10, B = 28;
    const days = trend.days.length;
    const max = Math.max(1, ...trend.total);
    const x = (i) => (days === 1 ? (L + W - R) / 2 : L + (i * (W - L - R)) / (days - 1));
    const y = (v) => H - B - (v * (H - T - B)) / max;
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "open findings over time" });
    svg.append(s("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
    svg.append(s("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
    for (const v of [0, Math.round(max / 2), max]) {
      const t = s("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" });
      t.textContent = v;
      svg.append(t);
    }
    for (const i of [...new Set([0, Math.floor((days - 1) / 2), days - 1])]) {
      const anchor = days > 1 && i === 0 ? "start" : days > 1 && i === days - 1 ? "end" : "middle";
      const t = s("text", { x: x(i), y: H - 8, "text-anchor": anchor });
      t.textContent = trend.days[i];
      svg.append(t);
    }
    for (const [day, code, before, after] of D.jumps || []) {
      const j = s("line", { class: "jump", x1: x(day), y1: T, x2: x(day), y2: H - B });
      const title = s("title");
      title.textContent = `${trend.days[day]}: ${code} ${before} → ${after}`;
      j.append(title);
      svg.append(j);
    }
    const legend = document.getElementById("legend");
    lines.forEach(([name, values], k) => {
      const color = SERIES_COLOR[k];
      const points = values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
      if (days > 1) svg.append(s("polyline", { points, fill: "none", stroke: color, "stroke-width": k === 0 ? 2.5 : 1.5 }));
      // Points are drawn where the count changes (every day on short windows), with a tooltip.
      values.forEach((v, i) => {
        if (days > 60 && i > 0 && i < days - 1 && values[i - 1] === v) return;
        const c = s("circle", { class: "pt", cx: x(i), cy: y(v), r: 3, fill: color });
        const title = s("title");
        title.textContent = `${trend.days[i]} · ${name}: ${v}`;
        c.append(title);
        svg.append(c);
      });
      legend.append(h("span", {}, h("i", { style: `background:${color}` }), name));
    });
    if (scored) {
      const ys = (v) => H - B - v * (H - T - B);
      const color = "#333";
      for (const v of [0, 0.5, 1]) {
        const t = s("text", { x: W - R + 6, y: ys(v) + 4, "text-anchor": "start" });
        t.textContent = v.toFixed(1);
        svg.append(t);
      }
      const points = scores.map((v, i) => (v == null ? null : `${x(i)},${ys(v)}`)).filter(Boolean).join(" ");
      if (days > 1) svg.append(s("polyline", { class: "score", points, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": "6 3" }));
      scores.forEach((v, i) => {
        if (v == null || (days > 60 && i > 0 && i < days - 1 && scores[i - 1] === v)) return;
        const c = s("circle", { class: "pt score-pt", cx: x(i), cy: ys(v), r: 3, fill: color });
        const title = s("title");
        title.textContent = `${trend.days[i]} · coherence ${fmt(v)}`;
        c.append(title);
        svg.append(c);
      });
      legend.append(h("span", {}, h("i", { style: `background:${color}` }), "coherence (right axis, 0 to 1)"));
    }
    document.getElementById("trend").append(svg);
  }

  // --- Where it hurts --------------------------------------------------------------------
  function drawHurts() {
    const rules = D.codes.map((code) => ({ code, n: 0, sev: 3, oldest: null }));
    for (const f of D.findings) {
      const r = rules[f[2]];
      r.n++;
      r.sev = Math.min(r.sev, f[3]);
      if (f[5] !== null && (r.oldest === null || f[5] > r.oldest)) r.oldest = f[5];
    }
    rules.sort((a, b) => a.sev - b.sev || b.n - a.n || a.code.localeCompare(b.code));
    const byRule = document.getElementById("by-rule");
    byRule.append(h("tr", {}, h("th", {}, "Rule"), h("th", {}, "Severity"), h("th", {}, "Open"), h("th", {}, "Oldest")));
    for (const r of rules) {
      byRule.append(h("tr", {}, h("td", {}, h("code", {}, r.code)), h("td", { class: `sev-${D.severities[r.sev]}` }, D.severities[r.sev]),
        h("td", { class: "n" }, r.n), h("td", { class: "n" }, r.oldest === null ? "–" : `${r.oldest} d`)));
    }
    const oldest = D.findings.map((f, i) => i)
      .sort((a, b) => (D.findings[b][5] ?? -1) - (D.findings[a][5] ?? -1) || D.findings[a][3] - D.findings[b][3])
      .slice(0, 15);
    const table = document.getElementById("oldest");
    table.append(h("tr", {}, h("th", {}, "Age"), h("th", {}, "Rule"), h("th", {}, "Where"), h("th", {}, "Message")));
    for (const i of oldest) {
      const f = D.findings[i];
      table.append(h("tr", {}, h("td", { class: "n" }, f[5] === null ? "–" : `${f[5]} d`), h("td", {}, h("code", {}, D.codes[f[2]])),
        h("td", {}, fileLink(notePath(f[0]), f[1])), h("td", {}, f[4])));
    }
    const least = D.notes.map((n, i) => i).filter((i) => D.notes[i][P_SCORE] < 1)
      .sort((a, b) => D.notes[a][P_SCORE] - D.notes[b][P_SCORE] || a - b).slice(0, 20);
    const lt = document.getElementById("least");
    lt.append(h("tr", {}, ...["Note", "Score", "", "Links", "Reciprocity", "Drift", "Conflicts", ""].map((t) => h("th", {}, t))));
    for (const i of least) {
      const n = D.notes[i];
      lt.append(h("tr", {}, h("td", {}, fileLink(n[P_PATH])), h("td", { class: "n" }, fmt(n[P_SCORE])), h("td", {}, bar(n[P_SCORE])),
        h("td", { class: "n" }, fmt(n[P_LINKS])), h("td", { class: "n" }, fmt(n[P_RECIP])), h("td", { class: "n" }, fmt(n[P_DRIFT])),
        h("td", { class: "n" }, n[P_CONFLICTS]), h("td", {}, h("button", { class: "link", type: "button", onclick: () => focusNote(i) }, "show in graph"))));
    }
    if (!least.length) lt.append(h("tr", {}, h("td", {}, "Every note is fully coherent.")));
  }

  // --- Topology --------------------------------------------------------------------------
  const out = Array.from({ length: N }, () => []);
  const inc = Array.from({ length: N }, () => []);
  for (let k = 0; k < D.edges.length; k += 3) {
    const [a, b, kind] = [D.edges[k], D.edges[k + 1], D.edges[k + 2]];
    out[a].push([b, kind]);
    inc[b].push([a, kind]);
  }
  const svg = document.getElementById("graph");
  const DX = 150, DY = 80;
  let ROW = 10;
  let shown = new Set(D.shown), pos = new Map(), selected = null, view = null;

  function layout(ids) {
    // Rows about three times as wide as the rows are many, so the picture fits a screen.
    ROW = Math.max(6, Math.min(40, Math.ceil(Math.sqrt(ids.length * 3))));
    const levels = [...new Set(ids.map((i) => D.notes[i][P_LEVEL]))].sort((a, b) => a - b);
    const rows = [];
    const order = new Map();
    for (const level of levels) {
      const members = ids.filter((i) => D.notes[i][P_LEVEL] === level);
      // Barycentres of neighbours already placed keep children under their parents.
      const bary = (i) => {
        const xs = out[i].concat(inc[i]).map(([j]) => order.get(j)).filter((v) => v !== undefined);
        return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity;
      };
      members.sort((a, b) => bary(a) - bary(b) || D.notes[a][P_PATH].localeCompare(D.notes[b][P_PATH]));
      for (let r = 0; r < members.length; r += ROW) rows.push(members.slice(r, r + ROW));
      members.forEach((i, k) => order.set(i, (k % ROW) - Math.min(ROW, members.length) / 2));
    }
    pos = new Map();
    rows.forEach((row, r) => row.forEach((i, k) => pos.set(i, [(k - (row.length - 1) / 2) * DX, r * DY])));
  }

  function setView(x, y, w, hgt) {
    view = [x, y, w, hgt];
    svg.setAttribute("viewBox", view.join(" "));
  }

  function draw() {
    const ids = [...shown].sort((a, b) => a - b);
    layout(ids);
    svg.textContent = "";
    const g = s("g");
    for (const a of ids) {
      for (const [b, kind] of out[a]) {
        if (!pos.has(b)) continue;
        const [x1, y1] = pos.get(a), [x2, y2] = pos.get(b);
        g.append(s("line", { x1, y1, x2, y2, stroke: KIND_COLOR[kind], class: `l${kind}` }));
      }
    }
    for (const i of ids) {
      const [x, y] = pos.get(i);
      const n = D.notes[i];
      const node = s("g", { class: "node", transform: `translate(${x},${y})`, "data-id": i });
      const c = s("circle", { r: 7 + Math.min(6, (byNote.get(i) || []).length), fill: scoreColor(n[P_SCORE]) });
      const title = s("title");
      title.textContent = `${n[P_PATH]} · coherence ${fmt(n[P_SCORE])}`;
      c.append(title);
      const label = s("text", { x: 0, y: 22, "text-anchor": "middle" });
      label.textContent = n[P_TITLE].length > 22 ? n[P_TITLE].slice(0, 21) + "…" : n[P_TITLE];
      node.append(c, label);
      node.addEventListener("click", (e) => { e.stopPropagation(); select(i); });
      g.append(node);
    }
    svg.append(g);
    const xs = [...pos.values()].map((p) => p[0]), ys = [...pos.values()].map((p) => p[1]);
    const minX = Math.min(0, ...xs) - DX, maxX = Math.max(0, ...xs) + DX;
    const minY = Math.min(0, ...ys) - DY / 2, maxY = Math.max(0, ...ys) + DY;
    setView(minX, minY, maxX - minX, maxY - minY);
    document.getElementById("graph-status").textContent = `showing ${ids.length} of ${N} notes`;
    if (selected !== null && shown.has(selected)) highlight(selected);
  }

  function highlight(i) {
    const near = new Set([i, ...out[i].map(([j]) => j), ...inc[i].map(([j]) => j)]);
    for (const node of svg.querySelectorAll(".node")) {
      const id = Number(node.dataset.id);
      node.classList.toggle("sel", id === i);
      node.classList.toggle("nb", id !== i && near.has(id));
      node.classList.toggle("dim", !near.has(id));
    }
  }

  function select(i) {
    selected = i;
    highlight(i);
    const n = D.notes[i];
    const panel = document.getElementById("panel");
    panel.textContent = "";
    panel.append(h("h3", {}, n[P_TITLE]), h("p", {}, fileLink(n[P_PATH])));
    panel.append(h("p", {}, `coherence ${fmt(n[P_SCORE])} · links ${fmt(n[P_LINKS])} · reciprocity ${fmt(n[P_RECIP])} · drift ${fmt(n[P_DRIFT])} · ${n[P_CONFLICTS]} conflicts`));
    const findings = byNote.get(i) || [];
    panel.append(h("h3", {}, `Findings (${findings.length})`));
    const list = h("ul", { id: "panel-findings" });
    for (const k of findings) {
      const f = D.findings[k];
      list.append(h("li", {}, fileLink(n[P_PATH], f[1]), " ", h("code", {}, D.codes[f[2]]), " ", f[4]));
    }
    if (!findings.length) list.append(h("li", {}, "none"));
    panel.append(list);
    const neighbours = out[i].map(([j, k]) => [j, `${KIND[k]} →`]).concat(inc[i].map(([j, k]) => [j, `← ${KIND[k]}`]));
    panel.append(h("h3", {}, `Neighbours (${neighbours.length})`));
    const nl = h("ul");
    for (const [j, label] of neighbours.slice(0, 200)) {
      nl.append(h("li", {}, `${label} `, h("button", { class: "link", type: "button", onclick: () => focusNote(j) }, D.notes[j][P_TITLE])));
    }
    panel.append(nl);
  }

  // Shows note i with its neighbours only (at most 300), and selects it.
  function focusNote(i) {
    shown = new Set([i]);
    for (const [j] of out[i].concat(inc[i])) if (shown.size < 300) shown.add(j);
    selected = i;
    draw();
    select(i);
    document.getElementById("topology").scrollIntoView({ block: "start" });
  }

  // Pan by dragging, zoom with the wheel around the pointer.
  let drag = null;
  svg.addEventListener("pointerdown", (e) => {
    // A press on a note is a click: capturing the pointer would retarget it to the canvas.
    if (e.target.closest(".node")) return;
    drag = [e.clientX, e.clientY, view[0], view[1]];
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const k = view[2] / svg.clientWidth;
    setView(drag[2] - (e.clientX - drag[0]) * k, drag[3] - (e.clientY - drag[1]) * k, view[2], view[3]);
  });
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const f = e.deltaY > 0 ? 1.2 : 1 / 1.2;
    const r = svg.getBoundingClientRect();
    const px = view[0] + ((e.clientX - r.left) / r.width) * view[2];
    const py = view[1] + ((e.clientY - r.top) / r.height) * view[3];
    setView(px - (px - view[0]) * f, py - (py - view[1]) * f, view[2] * f, view[3] * f);
  }, { passive: false });

  const search = document.getElementById("search");
  if (N <= 5000) {
    const names = document.getElementById("note-names");
    for (const n of D.notes) names.append(h("option", { value: n[P_PATH] }));
  }
  search.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const q = search.value.trim().toLowerCase();
    if (!q) return;
    let hit = D.notes.findIndex((n) => n[P_PATH].toLowerCase() === q);
    if (hit < 0) hit = D.notes.findIndex((n) => n[P_PATH].toLowerCase().includes(q) || n[P_TITLE].toLowerCase().includes(q));
    document.getElementById("graph-status").textContent = hit < 0 ? `no note matches “${search.value}”` : "";
    if (hit >= 0) focusNote(hit);
  });
  document.getElementById("show-default").addEventListener("click", () => { shown = new Set(D.shown); selected = null; draw(); });

  drawTrend();
  drawHurts();
  draw();
})();
