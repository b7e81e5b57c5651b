/* 产业链: one industry's segments as an upstream → midstream → downstream flow.
 * Data: /api/industries/{slug}. Layout: elkjs (layered, left to right), one partition per stage so
 * the stages are column groups in order and no segment sits between two stages; ELK also orders
 * the nodes of each column to keep crossings low and routes the arrows orthogonally around the
 * nodes. Drawing: ECharts on a hidden value grid whose units are ELK's pixels — series[0] is the
 * `graph` of the segments (chain_coverage.js colours it and listens to its clicks; its links are
 * kept, one per edge, but not drawn), series[1] the edge routes as polylines, series[2] their last
 * segments with the arrow heads. The dashed 闭环 (recycling) edges are kept out of the layout and
 * drawn as a rounded loop below or around the flow. */
(function () {
  "use strict";

  var STAGES = ["upstream", "midstream", "downstream"];
  var STAGE_LABELS = { upstream: "上游", midstream: "中游", downstream: "下游" };
  var STAGE_COLORS = { upstream: "#2b6cb0", midstream: "#2f855a", downstream: "#c05621" };
  var NODE_HEIGHT = 34;
  var MIN_WIDTH = 96;
  var MAX_WIDTH = 176;
  var NARROW_MAX_WIDTH = 132; /* phones: the flow scrolls anyway; keep the columns compact */
  var GAP_MIN = 44; /* between columns, before ELK widens a gap for its edge channels */
  var GAP_MAX = 200; /* a flow narrower than the panel even so is centred */
  var PAD_X = 6;
  var PAD_X_CYCLE = 22; /* room left and right of the flow for a 闭环 curve around it */
  var PAD_TOP = 6;
  var PAD_BOTTOM = 8;
  var CYCLE_DEPTH = 24; /* room below the flow for the dashed 闭环 curves */
  var EDGE_COLOR = "#a0aec0";
  var CYCLE_COLOR = "#805ad5";

  var graphEl = document.getElementById("chain-graph");
  var panel = document.getElementById("segment-panel");
  if (!graphEl || typeof echarts === "undefined") {
    return;
  }
  var scroller = document.getElementById("chain-graph-scroll");
  var canvas = document.getElementById("chain-graph-canvas");
  var header = document.getElementById("stage-header");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Node width: enough for the longest name plus the enterprise count chain_coverage.js appends
   * ("名称 12"), within [MIN_WIDTH, cap]; longer names are truncated (full name in the tooltip). */
  function labelWidth(industry, fontSize, cap) {
    var context = document.createElement("canvas").getContext("2d");
    context.font = fontSize + "px sans-serif";
    var widest = 0;
    industry.segments.forEach(function (s) {
      widest = Math.max(widest, context.measureText(s.name + " 000").width);
    });
    return Math.round(Math.max(MIN_WIDTH, Math.min(cap, widest + 16)));
  }

  function elkGraph(industry, nodeWidth, gap) {
    return {
      id: "chain",
      layoutOptions: {
        "elk.algorithm": "layered",
        "elk.direction": "RIGHT",
        "elk.partitioning.activate": "true",
        "elk.edgeRouting": "ORTHOGONAL",
        "elk.padding": "[top=0,left=0,bottom=0,right=0]",
        "elk.spacing.nodeNode": "18",
        "elk.layered.spacing.nodeNodeBetweenLayers": String(Math.round(gap)),
        "elk.spacing.edgeNode": "10",
        "elk.layered.spacing.edgeNodeBetweenLayers": "12",
        "elk.spacing.edgeEdge": "7",
        "elk.layered.spacing.edgeEdgeBetweenLayers": "7",
        "elk.layered.crossingMinimization.thoroughness": "40",
        "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
        "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
        "elk.layered.mergeEdges": "false",
      },
      /* One port per edge end, so the arrows into (and out of) a segment spread along its side
       * instead of meeting in one point; ELK picks the sides and the order. */
      children: industry.segments.map(function (s) {
        var ports = [];
        industry.edges.forEach(function (e, i) {
          if (e.cycle_ok) { return; }
          if (e.source === s.slug) { ports.push({ id: "e" + i + ":out", width: 1, height: 1 }); }
          if (e.target === s.slug) { ports.push({ id: "e" + i + ":in", width: 1, height: 1 }); }
        });
        return {
          id: s.slug,
          width: nodeWidth,
          height: NODE_HEIGHT,
          ports: ports,
          layoutOptions: {
            "elk.partitioning.partition": String(STAGES.indexOf(s.stage)),
            "elk.portConstraints": "FREE",
          },
        };
      }),
      edges: industry.edges
        .map(function (e, i) { return { id: "e" + i, sources: ["e" + i + ":out"], targets: ["e" + i + ":in"], cycle: e.cycle_ok }; })
        .filter(function (e) { return !e.cycle; })
        .map(function (e) { return { id: e.id, sources: e.sources, targets: e.targets }; }),
    };
  }

  function columnCount(result) {
    var xs = {};
    result.children.forEach(function (c) { xs[Math.round(c.x)] = true; });
    return Object.keys(xs).length;
  }

  /* The first pass gives the number of columns; later passes use a node width and a column gap
   * that fill the panel (wide screens), or keep the nodes at their label width and let the flow
   * scroll inside its panel (phones). The columns ELK assigns do not depend on these sizes, but
   * ELK may widen a gap for its edge channels, so the gap is corrected once if it overshoots. */
  function computeLayout(industry, padX) {
    var elk = new ELK();
    var available = Math.max(240, (scroller || graphEl).clientWidth - 2 * padX);
    var narrow = available < 640;
    var fontSize = narrow ? 12 : 13;
    var want = labelWidth(industry, fontSize, narrow ? NARROW_MAX_WIDTH : MAX_WIDTH);
    function done(result, nodeWidth) {
      return { result: result, nodeWidth: nodeWidth, fontSize: fontSize, padX: padX };
    }
    return elk.layout(elkGraph(industry, want, GAP_MIN)).then(function (first) {
      var columns = columnCount(first);
      if (first.width > available) {
        var fit = Math.floor(want - (first.width - available) / columns);
        if (fit < MIN_WIDTH) { return done(first, want); } /* too wide anyway: scroll */
        return elk.layout(elkGraph(industry, fit, GAP_MIN)).then(function (second) { return done(second, fit); });
      }
      if (columns < 2 || available - first.width < 4 * (columns - 1)) { return done(first, want); }
      var gap = Math.min(GAP_MAX, GAP_MIN + (available - first.width) / (columns - 1));
      return elk.layout(elkGraph(industry, want, gap)).then(function (second) {
        if (second.width <= available) { return done(second, want); }
        var smaller = Math.max(GAP_MIN, gap - (second.width - available) / (columns - 1) - 1);
        return elk.layout(elkGraph(industry, want, smaller)).then(function (third) {
          return done(third.width <= available ? third : first, want);
        });
      });
    });
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

  /* Each stage label spans the x-extent of its segments' column group. */
  function placeStageHeader(industry, boxes, offset) {
    if (!header) { return; }
    header.classList.add("stage-header-placed");
    STAGES.forEach(function (stage) {
      var label = header.querySelector('[data-stage="' + stage + '"]');
      if (!label) { return; }
      var left = Infinity;
      var right = -Infinity;
      industry.segments.forEach(function (s) {
        if (s.stage !== stage) { return; }
        left = Math.min(left, boxes[s.slug].x);
        right = Math.max(right, boxes[s.slug].x + boxes[s.slug].width);
      });
      if (left === Infinity) {
        label.hidden = true;
        return;
      }
      label.hidden = false;
      label.style.left = offset + left + "px";
      label.style.width = right - left + "px";
    });
  }

  function showScrollHint(overflowing) {
    var hint = document.getElementById("chain-scroll-hint");
    if (!overflowing || !scroller) {
      if (hint) { hint.remove(); }
      return;
    }
    if (!hint) {
      hint = el("p", { id: "chain-scroll-hint", class: "chain-scroll-hint muted small" }, ["左右滑动查看完整产业链 →"]);
      scroller.parentNode.insertBefore(hint, scroller);
    }
  }

  /* A polyline through `points` with its corners rounded (sampled quadratic curves). */
  function rounded(points, radius) {
    var out = [points[0]];
    for (var i = 1; i < points.length - 1; i++) {
      var p = points[i];
      var a = points[i - 1];
      var b = points[i + 1];
      var la = Math.hypot(p[0] - a[0], p[1] - a[1]);
      var lb = Math.hypot(b[0] - p[0], b[1] - p[1]);
      var r = Math.min(radius, la / 2, lb / 2);
      var p0 = [p[0] + ((a[0] - p[0]) * r) / (la || 1), p[1] + ((a[1] - p[1]) * r) / (la || 1)];
      var p2 = [p[0] + ((b[0] - p[0]) * r) / (lb || 1), p[1] + ((b[1] - p[1]) * r) / (lb || 1)];
      for (var k = 0; k <= 6; k++) {
        var t = k / 6;
        out.push([
          (1 - t) * (1 - t) * p0[0] + 2 * (1 - t) * t * p[0] + t * t * p2[0],
          (1 - t) * (1 - t) * p0[1] + 2 * (1 - t) * t * p[1] + t * t * p2[1],
        ]);
      }
    }
    out.push(points[points.length - 1]);
    return out;
  }

  /* How many segments (other than the ends) a polyline passes through. */
  function crossings(points, boxes, skip) {
    var hit = {};
    for (var i = 1; i < points.length; i++) {
      var a = points[i - 1];
      var b = points[i];
      var steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 4));
      for (var k = 0; k <= steps; k++) {
        var x = a[0] + ((b[0] - a[0]) * k) / steps;
        var y = a[1] + ((b[1] - a[1]) * k) / steps;
        Object.keys(boxes).forEach(function (id) {
          var n = boxes[id];
          if (skip.indexOf(id) < 0 && x > n.x - 2 && x < n.x + n.width + 2 && y > n.y - 2 && y < n.y + n.height + 2) {
            hit[id] = true;
          }
        });
      }
    }
    return Object.keys(hit).length;
  }

  /* A 闭环 edge (kept out of the layout): a dashed loop below the flow, from the bottom of the
   * source to the bottom of the target, or around the outside of the flow (out of the source's
   * right side, into the target's left side) when that crosses fewer segments. */
  function cycleRoute(a, b, width, height, padX, boxes, skip) {
    var below = height + CYCLE_DEPTH * 0.6;
    var candidates = [[
      [a.x + a.width / 2, a.y + a.height], [a.x + a.width / 2, below],
      [b.x + b.width / 2, below], [b.x + b.width / 2, b.y + b.height],
    ]];
    if (b.x + b.width < a.x) {
      var side = padX - 6;
      candidates.push([
        [a.x + a.width, a.y + a.height / 2], [width + side, a.y + a.height / 2], [width + side, below],
        [-side, below], [-side, b.y + b.height / 2], [b.x, b.y + b.height / 2],
      ]);
    }
    var best = null;
    candidates.forEach(function (points) {
      var path = rounded(points, 12);
      var cost = crossings(path, boxes, skip);
      if (!best || cost < best.cost) { best = { path: path, cost: cost }; }
    });
    return best.path;
  }

  function render(industry, layout) {
    var result = layout.result;
    var nodeWidth = layout.nodeWidth;
    var boxes = {};
    result.children.forEach(function (c) { boxes[c.id] = c; });
    var bySlug = {};
    industry.segments.forEach(function (s) { bySlug[s.slug] = s; });
    var cycles = industry.edges.filter(function (e) { return e.cycle_ok; });
    var width = Math.max(1, result.width);
    var height = Math.max(1, result.height);
    var padX = layout.padX;
    var chartWidth = Math.ceil(width + 2 * padX);
    var chartHeight = Math.ceil(height + PAD_TOP + PAD_BOTTOM + (cycles.length ? CYCLE_DEPTH : 0));

    /* A flow wider than the panel keeps its size and scrolls inside the panel. */
    var panelWidth = (scroller || graphEl).clientWidth;
    var overflowing = chartWidth > panelWidth + 1;
    var left = padX + (overflowing ? 0 : Math.floor((panelWidth - chartWidth) / 2));
    if (canvas) { canvas.style.width = overflowing ? chartWidth + "px" : ""; }
    graphEl.style.height = chartHeight + "px";
    placeStageHeader(industry, boxes, left);
    showScrollHint(overflowing);

    /* ELK routes (series[1]) and their last segments with the arrow heads (series[2]). */
    var routes = [];
    var heads = [];
    var touching = {}; /* segment slug -> indices into routes / heads, for hover emphasis */
    function touch(slug, index) { (touching[slug] = touching[slug] || []).push(index); }
    (result.edges || []).forEach(function (edge) {
      (edge.sections || []).forEach(function (section) {
        var points = [section.startPoint].concat(section.bendPoints || [], [section.endPoint])
          .map(function (p) { return [p.x, p.y]; });
        var original = industry.edges[Number(edge.id.slice(1))];
        var source = original.source;
        var target = original.target;
        var name = bySlug[source].name + " → " + bySlug[target].name;
        touch(source, routes.length);
        touch(target, routes.length);
        routes.push({ name: name, coords: points });
        heads.push({ name: name, coords: points.slice(-2) });
      });
    });
    cycles.forEach(function (e) {
      var path = cycleRoute(boxes[e.source], boxes[e.target], width, height, padX, boxes, [e.source, e.target]);
      var style = { type: "dashed", color: CYCLE_COLOR, width: 1.4, opacity: 1 };
      var name = bySlug[e.source].name + " → " + bySlug[e.target].name + "（闭环）";
      touch(e.source, routes.length);
      touch(e.target, routes.length);
      routes.push({ name: name, coords: path, lineStyle: style, emphasis: { lineStyle: { color: CYCLE_COLOR, width: 2.2 } } });
      heads.push({ name: name, coords: path.slice(-2), lineStyle: style, emphasis: { lineStyle: { color: CYCLE_COLOR, width: 2.2 } } });
    });

    var chart = echarts.init(graphEl);
    chart.setOption({
      animationDuration: 500,
      tooltip: {
        confine: true,
        formatter: function (params) {
          if (params.dataType !== "node") { return params.name || ""; }
          var s = bySlug[params.data.id];
          return s.name + "<br>" + s.keywords.slice(0, 5).join("、");
        },
      },
      grid: { left: left, top: PAD_TOP, width: width, height: height, containLabel: false, show: false },
      xAxis: { type: "value", min: 0, max: width, show: false },
      yAxis: { type: "value", min: 0, max: height, inverse: true, show: false },
      series: [
        {
          type: "graph",
          coordinateSystem: "cartesian2d",
          layout: "none",
          roam: false,
          z: 3,
          categories: STAGES.map(function (s) {
            return { name: STAGE_LABELS[s], itemStyle: { color: STAGE_COLORS[s] } };
          }),
          symbol: "roundRect",
          symbolSize: [nodeWidth, NODE_HEIGHT],
          label: {
            show: true,
            color: "#fff",
            fontSize: layout.fontSize,
            overflow: "truncate",
            width: nodeWidth - 12,
          },
          /* The links are kept (one per edge) but not drawn: series[1] and [2] draw ELK's routes. */
          edgeSymbol: ["none", "none"],
          lineStyle: { width: 0, opacity: 0 },
          emphasis: { focus: "none", lineStyle: { width: 0, opacity: 0 } },
          data: industry.segments.map(function (s) {
            var box = boxes[s.slug];
            var x = box.x + box.width / 2;
            var y = box.y + box.height / 2;
            return { id: s.slug, name: s.name, value: [x, y], x: x, y: y, category: STAGES.indexOf(s.stage) };
          }),
          links: industry.edges.map(function (e) { return { source: e.source, target: e.target }; }),
        },
        {
          type: "lines",
          coordinateSystem: "cartesian2d",
          polyline: true,
          silent: true,
          clip: false,
          z: 2,
          tooltip: { show: false },
          lineStyle: { color: EDGE_COLOR, width: 1.2, opacity: 1 },
          emphasis: { focus: "self", blurScope: "series", lineStyle: { color: "#2d3748", width: 2.2 } },
          blur: { lineStyle: { opacity: 0.25 } },
          data: routes,
        },
        {
          type: "lines",
          coordinateSystem: "cartesian2d",
          silent: true,
          clip: false,
          z: 2,
          tooltip: { show: false },
          symbol: ["none", "arrow"],
          symbolSize: 7,
          lineStyle: { color: EDGE_COLOR, width: 1.2, opacity: 1, curveness: 0 },
          emphasis: { focus: "self", blurScope: "series", lineStyle: { color: "#2d3748", width: 2.2 } },
          blur: { lineStyle: { opacity: 0.25 } },
          data: heads,
        },
      ],
    });
    chart.on("click", function (params) {
      if (params.seriesIndex === 0 && params.dataType === "node") { showSegment(bySlug[params.data.id]); }
    });
    /* Hovering a segment emphasises its routes (the graph's own links are invisible). */
    chart.on("mouseover", function (params) {
      if (params.seriesIndex !== 0 || params.dataType !== "node") { return; }
      var indices = touching[params.data.id] || [];
      if (!indices.length) { return; }
      chart.dispatchAction({ type: "highlight", seriesIndex: [1, 2], dataIndex: indices });
    });
    chart.on("mouseout", function (params) {
      if (params.seriesIndex !== 0 || params.dataType !== "node") { return; }
      chart.dispatchAction({ type: "downplay", seriesIndex: [1, 2] });
    });
    graphEl.setAttribute("data-ready", "true");
  }

  function fail(error) {
    graphEl.replaceChildren(el("p", { class: "alert" }, ["产业链图加载失败：" + error.message]));
  }

  if (typeof ELK === "undefined") {
    fail(new Error("缺少布局组件 elkjs"));
    return;
  }
  fetch("/api/industries/" + encodeURIComponent(graphEl.getAttribute("data-slug")))
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (industry) {
      var padX = industry.edges.some(function (e) { return e.cycle_ok; }) ? PAD_X_CYCLE : PAD_X;
      return computeLayout(industry, padX).then(function (layout) { render(industry, layout); });
    })
    .catch(fail);
})();
