// rollcall workbench: charts (uPlot), the cell graph (cytoscape.js) and the
// CSRF header for htmx requests. Data comes from <script type="application/json">
// blocks that the server fills; nothing here evaluates text from the page, and
// text from the data is only ever drawn on a canvas or set as textContent.
(function () {
  "use strict";

  var levelColours = { none: "#9ca3af", low: "#3b82f6", medium: "#f59e0b", high: "#f97316", critical: "#dc2626", unknown: "#9ca3af" };

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function note(box, text) {
    var p = document.createElement("p");
    p.className = "empty";
    p.textContent = text;
    box.appendChild(p);
    box.setAttribute("data-ready", "true");
  }

  function barChart(box, xs, series, xlabel, fmtX) {
    if (typeof uPlot === "undefined") { note(box, "Charts need JavaScript."); return; }
    var width = Math.max(280, box.clientWidth || 600);
    var opts = {
      width: width, height: 220,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { label: xlabel, space: 80, values: function (u, vals) { return vals.map(fmtX); } },
        { label: "count" }
      ],
      series: [{ label: xlabel, value: function (u, v) { return v == null ? "" : fmtX(v); } }].concat(series.map(function (s) {
        return {
          label: s.label, stroke: s.colour, fill: s.fill, width: s.bars ? 0 : 2,
          paths: s.bars && uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined,
          points: { show: false }
        };
      }))
    };
    var u = new uPlot(opts, [xs].concat(series.map(function (s) { return s.data; })), box);
    window.addEventListener("resize", function () { u.setSize({ width: Math.max(280, box.clientWidth), height: 220 }); });
    box.setAttribute("data-ready", "true");
  }

  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  function findingsChart() {
    var box = document.getElementById("findings-chart");
    var d = readJSON("findings-data");
    if (!box || !d) return;
    if (!d.days || d.days.length === 0) { note(box, "No findings with dated evidence."); return; }
    barChart(box, d.days, [{ label: "findings per week", data: d.counts, colour: "#f97316", fill: "rgba(249,115,22,0.6)", bars: true }], "week of",
      function (v) { var t = new Date(v * 1000); return months[t.getUTCMonth()] + " " + t.getUTCDate() + (t.getUTCMonth() === 0 ? " " + t.getUTCFullYear() : ""); });
  }

  function hoursChart() {
    var box = document.getElementById("hours-chart");
    var d = readJSON("hours-data");
    if (!box || !d) return;
    if (!d.total) { note(box, "No dated activity."); return; }
    var zone = d.zone ? d.zone : "UTC";
    barChart(box, d.hours, [
      { label: "activity, " + zone, data: d.local, colour: "#2f5fc4", fill: "rgba(47,95,196,0.55)", bars: true },
      { label: "activity, UTC", data: d.utc, colour: "#9ca3af" }
    ], "hour", function (v) { return pad(v) + ":00"; });
  }

  // Identifier kinds: one shape and colour each, the same as the legend
  // and the cell timeline (app.css).
  var kinds = {
    bank_account: { shape: "diamond", colour: "#b45309" },
    device: { shape: "round-rectangle", colour: "#0f766e" },
    address: { shape: "round-pentagon", colour: "#7c3aed" },
    phone: { shape: "hexagon", colour: "#db2777" },
    email: { shape: "round-tag", colour: "#2563eb" },
    url: { shape: "rhomboid", colour: "#65a30d" },
    ip: { shape: "triangle", colour: "#475569" }
  };
  var otherKind = { shape: "octagon", colour: "#64748b" };

  // graph draws people and the identifiers they share (and, for the graph
  // of all cells, a box per cell) from the JSON block dataId into boxId.
  function graph(boxId, dataId) {
    var box = document.getElementById(boxId);
    var d = readJSON(dataId);
    if (!box || !d) return;
    if (typeof cytoscape === "undefined") { note(box, "The graph needs JavaScript."); return; }
    if (!d.nodes || d.nodes.length === 0) { note(box, "No cells."); return; }
    var elements = [];
    (d.nodes || []).forEach(function (n) {
      var k = n.kind === "person" || n.kind === "cell" ? null : (kinds[n.kind] || otherKind);
      var data = { id: n.id, label: n.label, kind: n.kind, url: n.url || "",
        colour: n.kind === "person" ? (levelColours[n.level] || levelColours.none) : (k ? k.colour : "#e2e8f0"),
        shape: k ? k.shape : "ellipse" };
      if (n.parent) data.parent = n.parent;
      elements.push({ group: "nodes", data: data });
    });
    (d.edges || []).forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, label: e.label || "", colour: (kinds[e.label] || otherKind).colour } });
    });
    var compound = (d.nodes || []).some(function (n) { return n.kind === "cell"; });
    var cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 11, "color": "#1f2937", "text-valign": "bottom", "text-margin-y": 5,
          "background-color": "data(colour)", "shape": "data(shape)", "width": 24, "height": 24, "text-wrap": "wrap", "text-max-width": 240,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2, "text-background-shape": "roundrectangle" } },
        { selector: "node[kind = 'person']", style: { "width": 34, "height": 34, "font-weight": "bold", "border-width": 2, "border-color": "#ffffff" } },
        { selector: "node[kind != 'person'][kind != 'cell']", style: { "font-size": 10, "color": "#334155", "font-family": "ui-monospace, Menlo, Consolas, monospace" } },
        { selector: "node[kind = 'cell']", style: { "shape": "round-rectangle", "background-color": "#f8fafc", "background-opacity": 0.9, "border-width": 1, "border-color": "#cbd5e1",
          "text-valign": "top", "text-halign": "center", "text-margin-y": -4, "font-size": 13, "font-weight": "bold", "color": "#17263c", "padding": 18, "text-background-opacity": 0 } },
        { selector: "edge", style: { "width": 1.6, "line-color": "data(colour)", "line-opacity": 0.55, "curve-style": "bezier", "label": "data(label)", "font-size": 9,
          "color": "#475569", "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.9, "text-background-padding": 1 } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#1d4ed8" } }
      ],
      // People on the outer ring, the identifiers they share inside it,
      // so that every edge runs between the rings. The graph of all cells
      // lays each cell out so, in its own box on a grid (below).
      layout: compound ? { name: "null" } : ringLayout(null),
      maxZoom: 1.4,
      wheelSensitivity: 0.3
    });
    if (compound) {
      var cells = cy.nodes("[kind = 'cell']");
      var biggest = 0;
      cells.forEach(function (c) { biggest = Math.max(biggest, c.children().length); });
      var size = Math.max(320, 70 * Math.sqrt(biggest) * 2.2);
      var cols = Math.max(1, Math.ceil(Math.sqrt(cells.length)));
      cells.forEach(function (c, i) {
        var x = (i % cols) * (size + 140), y = Math.floor(i / cols) * (size + 140);
        c.children().layout(ringLayout({ x1: x, y1: y, w: size, h: size })).run();
      });
      cy.fit(undefined, 30);
    }
    cy.on("tap", "node", function (evt) {
      var url = evt.target.data("url");
      if (typeof url === "string" && (url.indexOf("/people/") === 0 || url.indexOf("/cells/") === 0)) window.location.assign(url);
    });
    cy.ready(function () {
      box.setAttribute("data-ready", "true");
      box.setAttribute("data-nodes", String(cy.nodes().length));
      box.setAttribute("data-edges", String(cy.edges().length));
    });
    window.rollcallGraph = cy;
  }

  function ringLayout(box) {
    var l = { name: "concentric", animate: false, padding: 40, minNodeSpacing: 80, avoidOverlap: true,
      concentric: function (n) { return n.data("kind") === "person" ? 1 : 2; }, levelWidth: function () { return 1; } };
    if (box) { l.boundingBox = box; l.fit = false; }
    return l;
  }

  function cellGraph() { graph("cell-graph", "cell-data"); }
  function cellsGraph() { graph("cells-graph", "cells-data"); }

  // The event timeline: bars per day, stacked (each series is drawn as
  // the running total, the largest first, so that the next covers it).
  function timelineChart() {
    var box = document.getElementById("timeline-chart");
    var d = readJSON("timeline-data");
    if (!box || !d) return;
    if (!d.total || !d.days || d.days.length === 0) { note(box, "No dated activity."); return; }
    if (typeof uPlot === "undefined") { note(box, "Charts need JavaScript."); return; }
    var parts = [
      { label: "other activity", data: d.other, colour: "#94a3b8" },
      { label: "failed sign-ins", data: d.failed, colour: "#f59e0b" },
      { label: "sign-ins via proxy or hosting", data: d.anon, colour: "#dc2626" },
      { label: "sign-ins, ordinary networks", data: d.ordinary, colour: "#2f5fc4" }
    ];
    var stacked = parts.map(function (p, i) {
      return d.days.map(function (_, j) { var t = 0; for (var k = i; k < parts.length; k++) t += parts[k].data[j] || 0; return t; });
    });
    var width = Math.max(280, box.clientWidth || 900);
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.9, 24] }) : undefined;
    var opts = {
      width: width, height: 200,
      legend: { show: true, live: false },
      cursor: { drag: { x: true, y: false } },
      // Half a bar of room at each end, so that the first and last bars
      // are whole.
      scales: { x: { time: true, range: function (u, lo, hi) { var half = (d.bucket === "week" ? 7 : 1) * 43200; return [lo - half, hi + half]; } } },
      axes: [{ space: 70 }, { label: "events per " + (d.bucket || "day") }],
      series: [{ label: "day" }].concat(parts.map(function (p) {
        return { label: p.label, stroke: p.colour, fill: p.colour, width: 0, paths: bars, points: { show: false } };
      }))
    };
    var u = new uPlot(opts, [d.days].concat(stacked), box);
    window.addEventListener("resize", function () { u.setSize({ width: Math.max(280, box.clientWidth), height: 200 }); });
    box.setAttribute("data-ready", "true");
  }

  // A link to an indicator's evidence opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  window.addEventListener("hashchange", openTarget);

  // htmx requests that are not forms carry the session's CSRF token.
  document.addEventListener("htmx:config:request", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && evt.detail && evt.detail.ctx && evt.detail.ctx.request) {
      evt.detail.ctx.request.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  function init() { findingsChart(); hoursChart(); timelineChart(); cellGraph(); cellsGraph(); openTarget(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
