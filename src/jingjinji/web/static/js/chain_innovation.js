/* 创新链与产业链: for the place chosen in the coverage toolbar (#coverage-place, the same
 * selection chain_coverage.js uses), the four cases of each segment in that city (cards and a
 * table), the matrix segments × cities, and a second layer on the chain graph drawn by
 * chains.js: the toggle 产业链 / 创新链 recolours the graph's nodes (series[0] of its ECharts
 * instance) by the city's case and restores chain_coverage.js's colours when switched back.
 * Data: /api/industries/{slug}/innovation?place=&design=&lapsed= (a city's adcode, or a
 * county's: the API answers with its city; any other scope gets the matrix only). */
(function () {
  "use strict";

  var CASE_KEYS = { "协同": "coordinated", "成果外溢": "spillover", "技术需求": "demand", "缺口": "gap", "无": "none" };
  var CASE_FILL = { "协同": "#2f855a", "成果外溢": "#2b6cb0", "技术需求": "#ed8936", "缺口": "#cbd5e0", "无": "#f7fafc" };
  var CASE_TEXT = { "协同": "#fff", "成果外溢": "#fff", "技术需求": "#1a202c", "缺口": "#2d3748", "无": "#718096" };
  var FOUR = ["协同", "成果外溢", "技术需求", "缺口"];

  var section = document.getElementById("innovation");
  if (!section) { return; }
  var slug = section.getAttribute("data-slug");
  var select = document.getElementById("coverage-place");
  var toolbar = document.getElementById("coverage-toolbar");
  var graphEl = document.getElementById("chain-graph");
  var designBox = document.getElementById("innovation-design");
  var lapsedBox = document.getElementById("innovation-lapsed");
  var statusEl = document.getElementById("innovation-status");
  var placeBlock = document.getElementById("innovation-place");
  var scopeNote = document.getElementById("innovation-scope-note");
  var matrix = document.getElementById("innovation-matrix");
  var tableBody = document.querySelector("#innovation-table tbody");

  var params = new URLSearchParams(window.location.search);
  var opening = (toolbar && toolbar.getAttribute("data-opening-place")) || "region";
  var state = {
    place: params.get("place") || opening,
    design: params.get("design") === "true",
    lapsed: params.get("lapsed") === "true",
    data: null, /* the last answer */
    layer: "chain", /* 产业链 or 创新链 on the graph */
    saved: null, /* the graph's node styles before the innovation layer */
    request: 0,
  };
  designBox.checked = state.design;
  lapsedBox.checked = state.lapsed;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function caseChip(name) {
    return el("span", { class: "case-chip case-" + CASE_KEYS[name] }, [name]);
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(digits);
  }

  function percent(value) {
    if (value === null || value === undefined) { return "—"; }
    var p = Math.round(value * 100);
    return (p > 0 ? "+" : "") + p + "%";
  }

  /* The API's place for a key of the coverage toolbar: an adcode (a county gives its city),
   * or none for the region, a province other than Beijing and Tianjin, a corridor, a group. */
  function apiPlace(key) {
    return /^\d{6}$/.test(key || "") && key !== "130000" ? key : null;
  }

  function url(place) {
    var query = new URLSearchParams();
    if (place) { query.set("place", place); }
    if (state.design) { query.set("design", "true"); }
    if (state.lapsed) { query.set("lapsed", "true"); }
    var text = query.toString();
    return "/api/industries/" + encodeURIComponent(slug) + "/innovation" + (text ? "?" + text : "");
  }

  function getJSON(address) {
    return fetch(address, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error((body.error && body.error.message) || "HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function load() {
    var number = ++state.request;
    var place = apiPlace(state.place);
    section.removeAttribute("data-ready");
    statusEl.textContent = "加载中…";
    getJSON(url(place))
      .catch(function (error) {
        /* a six-digit key that is no city's (a province): the matrix alone */
        if (place && error.status === 404) { return getJSON(url(null)); }
        throw error;
      })
      .then(function (payload) {
        if (number !== state.request) { return; }
        state.data = payload;
        render(payload);
        section.setAttribute("data-place", payload.place ? payload.place.adcode : "none");
        section.setAttribute("data-ready", "true");
        statusEl.textContent = "";
        applyLayer();
        document.dispatchEvent(new CustomEvent("innovation:loaded", { detail: payload }));
      })
      .catch(function (error) {
        if (number !== state.request) { return; }
        statusEl.textContent = "创新链加载失败：" + error.message;
      });
  }

  function render(payload) {
    document.getElementById("innovation-sample").hidden = !payload.is_sample;
    var provenance = document.getElementById("innovation-provenance");
    provenance.replaceChildren();
    var stored = Object.keys(payload.provenance.patents || {}).reduce(function (sum, key) {
      return sum + (payload.provenance.patents[key] || 0);
    }, 0);
    if (!stored) {
      provenance.appendChild(document.createTextNode("平台还没有专利：创新链各项均为零，下表只反映企业名录。请先"));
      provenance.appendChild(el("a", { href: "/patents/import" }, ["导入专利"]));
      provenance.appendChild(document.createTextNode("。"));
    } else if (payload.is_sample) {
      provenance.appendChild(el("span", { class: "sample-badge" }, [payload.provenance.label]));
      provenance.appendChild(document.createTextNode(" " + payload.provenance.note + "。"));
    } else {
      provenance.appendChild(document.createTextNode(payload.provenance.note + "。"));
    }
    provenance.hidden = false;
    document.getElementById("innovation-method").textContent = payload.method;
    document.getElementById("innovation-sources").textContent = payload.provenance.note + "；" + payload.provenance.registry + "。";
    var hasPlace = !!payload.place;
    placeBlock.hidden = !hasPlace;
    scopeNote.hidden = hasPlace;
    if (hasPlace) { renderPlace(payload); }
    renderMatrix(payload);
    updateToggle();
  }

  function renderPlace(payload) {
    var place = payload.place;
    document.getElementById("innovation-place-title").textContent = place.name + "：两链情形";
    var note = document.getElementById("innovation-place-note");
    var asked = apiPlace(state.place);
    if (asked && asked !== place.adcode) {
      var option = select && select.options[select.selectedIndex];
      var label = option ? option.text.split(" · ").pop() : "所选区县";
      note.textContent = "专利和企业按地市统计：显示" + label + "所在的" + place.name + "。";
      note.hidden = false;
    } else {
      note.hidden = true;
    }
    FOUR.forEach(function (name) {
      var card = section.querySelector('.case-card[data-case="' + name + '"]');
      card.querySelector(".case-count").textContent = String(payload.place_cases[name] || 0);
      card.setAttribute("title", name + "：" + (payload.place_cells.find(function (c) { return c.case === name; }) || { advice: "" }).advice);
    });
    var none = payload.place_cases["无"] || 0;
    var noneEl = document.getElementById("innovation-none");
    noneEl.textContent = none ? "另有 " + none + " 个环节在京津冀全域尚无专利与企业（情形“无”）。" : "";
    noneEl.hidden = !none;
    tableBody.replaceChildren.apply(tableBody, payload.place_cells.map(function (cell) {
      var partnersLabel = cell.case === "成果外溢" ? "可承接的地市" : (cell.case === "技术需求" || cell.case === "缺口") ? "可对接的成果来源" : "";
      var unit = cell.case === "成果外溢" ? "家企业" : "件专利";
      var partners = partnersLabel && cell.partners.length
        ? [el("div", { class: "small muted" }, [partnersLabel + "："]), el("div", { class: "partner-names" }, [cell.partners.map(function (p) {
          return p.place_name + "（" + p.count + " " + unit + "）";
        }).join("、")])]
        : [el("span", { class: "muted small" }, [partnersLabel ? partnersLabel + "：暂无" : "—"])];
      /* data-label: the column's name, shown before the value when a phone stacks the row */
      return el("tr", { "data-segment": cell.segment, "data-case": cell.case }, [
        el("td", { class: "segment-name", "data-label": "环节" }, [cell.segment_name]),
        el("td", { class: "num", "data-label": "专利" }, [el("span", { class: "value" }, [String(cell.patents)]),
          el("div", { class: "small muted" }, ["区位熵 " + fixed(cell.lq_patents, 2)]),
          cell.growth !== null && cell.growth !== undefined ? el("div", { class: "small muted" }, ["近期增速 " + percent(cell.growth)]) : null]),
        el("td", { class: "num", "data-label": "发明" }, [el("span", { class: "value" }, [String(cell.inventions)])]),
        el("td", { class: "num", "data-label": "企业" }, [el("span", { class: "value" }, [String(cell.enterprises)]),
          el("div", { class: "small muted" }, ["区位熵 " + fixed(cell.lq_enterprises, 2)])]),
        el("td", { class: "case-cell", "data-label": "两链关系" }, [caseChip(cell.case), el("div", { class: "small" }, [cell.advice])]),
        el("td", { class: "nowrap", "data-label": "耦合协调度" }, [cell.coordination === null ? el("span", { class: "muted" }, ["—"]) : "D = " + fixed(cell.coordination, 3),
          cell.level ? el("div", { class: "small muted" }, [cell.level]) : null]),
        el("td", { class: "partner-cell", "data-label": "对接地市" }, partners),
      ]);
    }));
  }

  function renderMatrix(payload) {
    var chosen = payload.place ? payload.place.adcode : null;
    var head = el("tr", {}, [el("th", { class: "matrix-corner", scope: "col" }, ["环节"])].concat(payload.places.map(function (p) {
      return el("th", { scope: "col", class: p.adcode === chosen ? "is-place" : "", "data-place": p.adcode }, [p.name]);
    })));
    var rows = payload.segments.map(function (segment) {
      var byPlace = {};
      segment.cells.forEach(function (c) { byPlace[c.place] = c; });
      return el("tr", { "data-segment": segment.segment }, [el("th", { scope: "row", class: "matrix-segment" }, [segment.segment_name])].concat(payload.places.map(function (p) {
        var c = byPlace[p.adcode];
        if (!c) { return el("td", {}, ["—"]); }
        var title = p.name + " · " + segment.segment_name + "：" + c.case + "；专利 " + c.patents + " 件（发明 " + c.inventions +
          "），企业 " + c.enterprises + " 家" + (c.coordination === null ? "" : "；耦合协调度 " + fixed(c.coordination, 3) + "（" + c.level + "）");
        return el("td", {
          class: "matrix-cell case-" + CASE_KEYS[c.case] + (p.adcode === chosen ? " is-place" : ""),
          "data-case": c.case, "data-place": p.adcode, title: title,
        }, [c.patents + " / " + c.enterprises]);
      })));
    });
    matrix.replaceChildren(el("thead", {}, [head]), el("tbody", {}, rows));
  }

  /* ---- the second layer on the chain graph ---- */

  var toggle = null;
  function buildToggle() {
    var scroller = document.getElementById("chain-graph-scroll");
    if (!scroller || !graphEl) { return; }
    var chainButton = el("button", { type: "button", class: "layer-button", "data-layer": "chain", "aria-pressed": "true" }, ["产业链"]);
    var innovationButton = el("button", { type: "button", class: "layer-button", "data-layer": "innovation", "aria-pressed": "false" }, ["创新链"]);
    var legend = el("span", { class: "innovation-legend layer-legend", hidden: "" }, FOUR.concat(["无"]).map(caseChip));
    var hint = el("span", { class: "muted small layer-hint" }, []);
    toggle = el("div", { class: "layer-toggle", id: "layer-toggle", role: "group", "aria-label": "产业链图的图层" }, [
      el("span", { class: "layer-buttons" }, [chainButton, innovationButton]), legend, hint,
    ]);
    scroller.parentNode.insertBefore(toggle, scroller);
    toggle.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-layer]");
      if (!button || button.disabled) { return; }
      state.layer = button.getAttribute("data-layer");
      updateToggle();
      applyLayer();
    });
  }

  function updateToggle() {
    if (!toggle) { return; }
    var data = state.data;
    var city = data && data.place;
    var innovationButton = toggle.querySelector('[data-layer="innovation"]');
    innovationButton.disabled = !city;
    innovationButton.setAttribute("title", city ? "按" + city.name + "各环节的两链情形着色" : "选择一个地市后可按两链情形着色");
    if (!city && state.layer === "innovation") { state.layer = "chain"; }
    toggle.querySelectorAll("button[data-layer]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-layer") === state.layer ? "true" : "false");
    });
    toggle.querySelector(".layer-legend").hidden = state.layer !== "innovation";
    toggle.querySelector(".layer-hint").textContent = state.layer === "innovation" && city
      ? city.name + "：数字为专利数"
      : (city ? "" : "创新链图层需选择一个地市");
  }

  function chart() {
    if (!graphEl || typeof echarts === "undefined" || graphEl.getAttribute("data-ready") !== "true") { return null; }
    return echarts.getInstanceByDom(graphEl) || null;
  }

  /* The graph's node styles and tooltip as they are now (chains.js's or chain_coverage.js's). */
  function snapshot(instance) {
    var option = instance.getOption();
    var styles = {};
    option.series[0].data.forEach(function (node) {
      styles[node.id] = { itemStyle: node.itemStyle, label: node.label };
    });
    return { styles: styles, formatter: option.tooltip && option.tooltip[0] ? option.tooltip[0].formatter : undefined };
  }

  function applyLayer() {
    var instance = chart();
    if (!instance) { return; }
    if (state.layer === "innovation" && state.data && state.data.place) {
      paintInnovation(instance, state.data);
    } else {
      restore(instance);
    }
  }

  function paintInnovation(instance, payload) {
    if (!state.saved) { state.saved = snapshot(instance); }
    var cells = {};
    payload.place_cells.forEach(function (c) { cells[c.segment] = c; });
    var data = instance.getOption().series[0].data.map(function (node) {
      var c = cells[node.id];
      if (!c) { return node; }
      node.itemStyle = { color: CASE_FILL[c.case], borderColor: c.case === "无" ? "#a0aec0" : "#2d3748", borderWidth: c.case === "无" ? 1 : 0 };
      node.label = { color: CASE_TEXT[c.case], formatter: c.segment_name + " " + c.patents };
      return node;
    });
    instance.setOption({
      series: [{ data: data }],
      tooltip: {
        formatter: function (params) {
          if (params.dataType !== "node") { return ""; }
          var c = cells[params.data.id];
          if (!c) { return params.data.name; }
          return c.segment_name + "（" + payload.place.name + "：" + c.case + "）<br>专利 " + c.patents + " 件，发明 " + c.inventions +
            " 件，企业 " + c.enterprises + " 家" + (c.coordination === null ? "" : "<br>耦合协调度 " + fixed(c.coordination, 3) + "（" + c.level + "）") +
            "<br>" + c.advice;
        },
      },
    });
    graphEl.setAttribute("data-layer", "innovation");
    graphEl.setAttribute("data-innovation", payload.place.adcode);
  }

  function restore(instance) {
    if (state.saved) {
      var saved = state.saved;
      state.saved = null;
      var data = instance.getOption().series[0].data.map(function (node) {
        var style = saved.styles[node.id] || {};
        node.itemStyle = style.itemStyle;
        node.label = style.label;
        return node;
      });
      instance.setOption({ series: [{ data: data }], tooltip: saved.formatter ? { formatter: saved.formatter } : {} });
    }
    graphEl.setAttribute("data-layer", "chain");
    graphEl.removeAttribute("data-innovation");
  }

  /* chains.js draws the graph once (data-ready); chain_coverage.js recolours it for every place
   * (data-coverage): in 创新链 mode its colours are kept aside and the case colours laid over. */
  if (graphEl && typeof MutationObserver !== "undefined") {
    new MutationObserver(function (records) {
      var recoloured = records.some(function (r) { return r.attributeName === "data-coverage"; });
      if (recoloured) { state.saved = null; }
      if (state.layer === "innovation" || recoloured) { applyLayer(); }
    }).observe(graphEl, { attributes: true, attributeFilter: ["data-ready", "data-coverage"] });
  }

  buildToggle();
  updateToggle();

  if (select) {
    select.addEventListener("change", function () {
      state.place = select.value;
      load();
    });
  }
  [designBox, lapsedBox].forEach(function (box) {
    box.addEventListener("change", function () {
      state.design = designBox.checked;
      state.lapsed = lapsedBox.checked;
      var address = new URL(window.location.href);
      ["design", "lapsed"].forEach(function (name) {
        if (state[name]) { address.searchParams.set(name, "true"); } else { address.searchParams.delete(name); }
      });
      window.history.replaceState(null, "", address.toString());
      load();
    });
  });
  load();
})();
