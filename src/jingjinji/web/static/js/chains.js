/* 产业链: one industry's segments as an upstream → midstream → downstream flow.
 * Data: /api/industries/{slug}. Columns: each stage is a band; inside a band, a segment sits one
 * column right of its same-stage suppliers, so arrows run left to right. */
(function () {
  "use strict";

  var STAGES = ["upstream", "midstream", "downstream"];
  var STAGE_LABELS = { upstream: "上游", midstream: "中游", downstream: "下游" };
  var STAGE_COLORS = { upstream: "#2b6cb0", midstream: "#2f855a", downstream: "#c05621" };
  var ROW_HEIGHT = 54;
  var HEADER = 8;

  var graphEl = document.getElementById("chain-graph");
  var panel = document.getElementById("segment-panel");
  if (!graphEl || typeof echarts === "undefined") {
    return;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Place segments: x by stage band and depth within the band, y by barycentre of suppliers. */
  function layout(industry) {
    var byStage = {};
    var stageOf = {};
    var order = {};
    industry.segments.forEach(function (s, i) {
      stageOf[s.slug] = s.stage;
      order[s.slug] = i;
    });
    var preds = {};
    industry.edges.forEach(function (e) {
      if (e.cycle_ok) { return; }
      (preds[e.target] = preds[e.target] || []).push(e.source);
    });
    var depth = {};
    function depthOf(slug, seen) {
      if (depth[slug] !== undefined) { return depth[slug]; }
      var best = 0;
      (preds[slug] || []).forEach(function (p) {
        if (stageOf[p] === stageOf[slug] && !seen[p]) {
          seen[p] = true;
          best = Math.max(best, depthOf(p, seen) + 1);
        }
      });
      depth[slug] = best;
      return best;
    }
    industry.segments.forEach(function (s) { depthOf(s.slug, {}); });
    var columns = [];
    var bands = [];
    STAGES.forEach(function (stage) {
      var members = industry.segments.filter(function (s) { return s.stage === stage; });
      var levels = 1 + Math.max.apply(null, members.map(function (s) { return depth[s.slug]; }));
      bands.push({ stage: stage, start: columns.length, width: levels });
      for (var level = 0; level < levels; level++) {
        columns.push(members.filter(function (s) { return depth[s.slug] === level; }));
      }
      byStage[stage] = members;
    });
    var y = {};
    var tallest = Math.max.apply(null, columns.map(function (c) { return c.length; }));
    columns.forEach(function (column) {
      column.forEach(function (s) {
        var ys = (preds[s.slug] || []).filter(function (p) { return y[p] !== undefined; })
          .map(function (p) { return y[p]; });
        s._key = ys.length ? ys.reduce(function (a, b) { return a + b; }, 0) / ys.length : -1;
      });
      column.sort(function (a, b) {
        if (a._key === -1 || b._key === -1) { return order[a.slug] - order[b.slug]; }
        return a._key - b._key || order[a.slug] - order[b.slug];
      });
      var offset = (tallest - column.length) / 2;
      column.forEach(function (s, i) { y[s.slug] = (offset + i) * ROW_HEIGHT; });
    });
    var column = {};
    columns.forEach(function (members, index) {
      members.forEach(function (s) { column[s.slug] = index; });
    });
    return { column: column, y: y, bands: bands, columns: columns.length, tallest: tallest };
  }

  function showSegment(segment) {
    if (!panel) { return; }
    var parts = [
      el("h2", { "data-slug": segment.slug }, [segment.name]),
      el("p", {}, [el("span", { class: "stage stage-" + segment.stage }, [STAGE_LABELS[segment.stage]])]),
      el("p", {}, [segment.description]),
      el("h3", {}, ["关键词"]),
      el("p", {}, segment.keywords.map(function (k) { return el("span", { class: "chip" }, [k]); })),
    ];
    if (segment.synonyms.length) {
      parts.push(el("p", { class: "muted small" }, ["又称：" + segment.synonyms.join("、")]));
    }
    if (segment.gbt4754.length) {
      parts.push(el("h3", {}, ["国民经济行业分类（GB/T 4754-2017）"]));
      parts.push(el("ul", {}, segment.gbt4754.map(function (c) {
        return el("li", {}, [c.code + " " + c.name]);
      })));
    }
    panel.replaceChildren.apply(panel, parts);
    document.querySelectorAll(".segment.highlight").forEach(function (n) { n.classList.remove("highlight"); });
    var card = document.getElementById("segment-" + segment.slug);
    if (card) { card.classList.add("highlight"); }
  }

  function render(industry) {
    var place = layout(industry);
    var height = place.tallest * ROW_HEIGHT + HEADER;
    graphEl.style.height = height + "px";
    /* Node centres in pixels: column i sits in the middle of the i-th of `columns` equal slots,
     * so the stage header (flex widths = sub-column counts) lines up with the bands. */
    var width = graphEl.clientWidth;
    var spacing = width / place.columns;
    var nodeWidth = Math.max(96, Math.min(176, spacing - 20));
    var fontSize = nodeWidth >= 130 ? 13 : 12;
    var header = document.getElementById("stage-header");
    if (header) {
      place.bands.forEach(function (band) {
        var node = header.querySelector('[data-stage="' + band.stage + '"]');
        if (node) { node.style.flex = String(band.width); }
      });
    }
    var bySlug = {};
    industry.segments.forEach(function (s) { bySlug[s.slug] = s; });
    var chart = echarts.init(graphEl);
    chart.setOption({
      tooltip: {
        formatter: function (params) {
          if (params.dataType === "edge") {
            return bySlug[params.data.source].name + " → " + bySlug[params.data.target].name;
          }
          var s = bySlug[params.data.id];
          return s.name + "<br>" + s.keywords.slice(0, 5).join("、");
        },
      },
      animationDuration: 600,
      series: [
        {
          type: "graph",
          layout: "none",
          roam: false,
          left: spacing / 2,
          right: spacing / 2,
          top: HEADER + ROW_HEIGHT / 2,
          bottom: ROW_HEIGHT / 2,
          categories: STAGES.map(function (s) {
            return { name: STAGE_LABELS[s], itemStyle: { color: STAGE_COLORS[s] } };
          }),
          symbol: "roundRect",
          symbolSize: [nodeWidth, 34],
          label: {
            show: true,
            color: "#fff",
            fontSize: fontSize,
            overflow: "truncate",
            width: nodeWidth - 10,
          },
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 7,
          lineStyle: { color: "#a0aec0", width: 1.2, curveness: 0.12, opacity: 0.9 },
          emphasis: { focus: "adjacency", lineStyle: { width: 2.5, color: "#2d3748" } },
          data: industry.segments.map(function (s) {
            return {
              id: s.slug,
              name: s.name,
              x: spacing / 2 + place.column[s.slug] * spacing,
              y: HEADER + ROW_HEIGHT / 2 + place.y[s.slug],
              category: STAGES.indexOf(s.stage),
            };
          }),
          links: industry.edges.map(function (e) {
            var link = { source: e.source, target: e.target };
            if (e.cycle_ok) {
              link.lineStyle = { type: "dashed", curveness: 0.35, color: "#805ad5" };
            }
            return link;
          }),
        },
      ],
    });
    chart.on("click", function (params) {
      if (params.dataType === "node") { showSegment(bySlug[params.data.id]); }
    });
    graphEl.setAttribute("data-ready", "true");
  }

  fetch("/api/industries/" + encodeURIComponent(graphEl.getAttribute("data-slug")))
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(render)
    .catch(function (error) {
      graphEl.replaceChildren(el("p", { class: "alert" }, ["产业链图加载失败：" + error.message]));
    });
})();
