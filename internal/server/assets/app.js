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

  function cellGraph() {
    var box = document.getElementById("cell-graph");
    var d = readJSON("cell-data");
    if (!box || !d) return;
    if (typeof cytoscape === "undefined") { note(box, "The graph needs JavaScript."); return; }
    var elements = [];
    (d.nodes || []).forEach(function (n) {
      elements.push({ group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, url: n.url || "", colour: n.kind === "person" ? (levelColours[n.level] || levelColours.none) : "#64748b" } });
    });
    (d.edges || []).forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target } });
    });
    var cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 11, "color": "#1f2937", "text-valign": "bottom", "text-margin-y": 5,
          "background-color": "data(colour)", "width": 22, "height": 22, "text-wrap": "ellipsis", "text-max-width": 170,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2, "text-background-shape": "roundrectangle" } },
        { selector: "node[kind = 'person']", style: { "width": 34, "height": 34, "font-weight": "bold", "border-width": 2, "border-color": "#ffffff" } },
        { selector: "node[kind != 'person']", style: { "shape": "round-rectangle", "font-size": 10, "color": "#475569" } },
        { selector: "edge", style: { "width": 1.5, "line-color": "#cbd5e1", "curve-style": "bezier" } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#1d4ed8" } }
      ],
      // People on the outer ring, the identifiers they share inside it:
      // every edge runs between the rings, and no label sits on another.
      layout: { name: "concentric", animate: false, padding: 40, minNodeSpacing: 70, avoidOverlap: true,
        concentric: function (n) { return n.data("kind") === "person" ? 1 : 2; }, levelWidth: function () { return 1; } },
      wheelSensitivity: 0.3
    });
    cy.on("tap", "node[kind = 'person']", function (evt) {
      var url = evt.target.data("url");
      if (typeof url === "string" && url.indexOf("/people/") === 0) window.location.assign(url);
    });
    cy.ready(function () { box.setAttribute("data-ready", "true"); box.setAttribute("data-nodes", String(cy.nodes().length)); });
    window.rollcallGraph = cy;
  }

  // htmx requests that are not forms carry the session's CSRF token.
  document.addEventListener("htmx:config:request", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && evt.detail && evt.detail.ctx && evt.detail.ctx.request) {
      evt.detail.ctx.request.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  function init() { findingsChart(); hoursChart(); cellGraph(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
