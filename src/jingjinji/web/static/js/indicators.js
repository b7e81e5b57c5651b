/* 指标评价: pick a panel, a system and methods; show ranking, trend lines, radar, a map (or,
 * for provinces, a bar chart) of the index, coupling-coordination levels and weights.
 * Data: /api/panels, /api/indicator-systems, /api/indicators/preview (anyone),
 * /api/evaluations (analysts and admins: run, save, list), /api/geo/places.geojson.
 * The 双10% monitor data comes with the page (data-monitor). */
(function () {
  "use strict";

  var controls = document.getElementById("eval-controls");
  if (!controls || typeof echarts === "undefined") {
    return;
  }
  var CAN_RUN = controls.dataset.canRun === "true";
  var SIGNED_IN = controls.dataset.signedIn === "true";
  var CSRF = controls.dataset.csrf || "";
  var MAP_NAME = "jjj-prefecture-index";
  var JJJ = { "110000": true, "120000": true, "130000": true };
  var PALETTE = [
    "#0b4a8b", "#d9822b", "#2f855a", "#c53030", "#805ad5", "#3182ce", "#d53f8c",
    "#718096", "#b7791f", "#38a169", "#e53e3e", "#319795", "#5a67d8",
  ];
  var METHOD_LABELS = window.JJJIndicatorKit.METHOD_LABELS;

  var form = document.getElementById("eval-form");
  var panelSelect = document.getElementById("panel-select");
  var systemSelect = document.getElementById("system-select");
  var fileLabel = document.getElementById("file-label");
  var fileInput = document.getElementById("panel-file");
  var runButton = document.getElementById("run-button");
  var saveButton = document.getElementById("save-button");
  var downloadLink = document.getElementById("download-link");
  var panelInfo = document.getElementById("panel-info");
  var errorBox = document.getElementById("eval-error");
  var results = document.getElementById("results");
  var busy = document.getElementById("busy");
  var busySeconds = document.getElementById("busy-seconds");
  var progressBar = document.getElementById("progress-bar");
  var yearSelect = document.getElementById("year-select");

  var state = {
    panels: {},
    systems: {},
    result: null, // the compact result (ResultPublic)
    level: "city",
    year: null,
    radar: {}, // place code -> selected
    geo: null, // GeoJSON, or false when unavailable
  };
  var charts = {};

  // ------------------------------------------------------------------ helpers

  var kit = window.JJJIndicatorKit;
  var el = kit.el;
  var fmt = kit.fmt;
  var chart = kit.chart;

  function readJson(response) {
    return response.json().then(
      function (body) {
        if (!response.ok) {
          var error = new Error((body.error && body.error.message) || "HTTP " + response.status);
          error.fields = (body.error && body.error.fields) || [];
          throw error;
        }
        return body;
      },
      function () {
        throw new Error("服务器返回了无法解析的内容（HTTP " + response.status + "）");
      }
    );
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(readJson);
  }

  function showError(error) {
    errorBox.textContent = "";
    errorBox.appendChild(el("div", { text: error.message || String(error) }));
    var fields = (error.fields || []).filter(function (f) {
      return f.message && f.message !== error.message;
    });
    if (fields.length) {
      errorBox.appendChild(el("ul", {}, fields.slice(0, 10).map(function (f) {
        return el("li", { text: f.message });
      })));
    }
    errorBox.classList.remove("hidden");
  }

  function clearError() {
    errorBox.classList.add("hidden");
    errorBox.textContent = "";
  }

  var busyTimer = null;
  function setBusy(on) {
    results.setAttribute("aria-busy", on ? "true" : "false");
    runButton.disabled = on;
    if (saveButton) {
      saveButton.disabled = on;
    }
    if (busyTimer) {
      clearInterval(busyTimer);
      busyTimer = null;
    }
    if (!on) {
      progressBar.style.width = "100%";
      busy.classList.add("hidden");
      return;
    }
    var started = Date.now();
    busySeconds.textContent = "";
    progressBar.style.width = "5%";
    busy.classList.remove("hidden");
    busyTimer = setInterval(function () {
      var seconds = (Date.now() - started) / 1000;
      busySeconds.textContent = seconds >= 1 ? "（已用 " + Math.round(seconds) + " 秒）" : "";
      // an indeterminate request: the bar approaches the end without reaching it
      progressBar.style.width = Math.min(95, 5 + 90 * (1 - Math.exp(-seconds / 3))) + "%";
    }, 250);
  }

  function params() {
    var fill = document.getElementById("fill").value;
    var p = {
      panel: panelSelect.value,
      system: systemSelect.value,
      weighting: document.getElementById("weighting").value,
      aggregation: document.getElementById("aggregation").value,
      scope: document.getElementById("scope").value,
      coupling: document.getElementById("coupling").value,
      normalization: document.getElementById("normalization").value,
      shift: document.getElementById("shift").value || "0",
      coupling_form: document.getElementById("coupling-form").value,
    };
    if (fill) {
      p.fill = fill;
    }
    return p;
  }

  function needsSave() {
    var subjective = document.getElementById("subjective");
    return document.getElementById("weighting").value === "ahp" || !!(subjective && subjective.value);
  }

  function toggleSubjective() {
    var subjective = document.getElementById("subjective");
    if (!subjective) {
      return;
    }
    var ahp = document.getElementById("weighting").value === "ahp" || subjective.value === "ahp";
    document.getElementById("alpha-label").classList.toggle("hidden", !subjective.value);
    document.getElementById("ahp-label").classList.toggle("hidden", !ahp);
    runButton.classList.toggle("hidden", panelSelect.value === "upload" || needsSave());
  }

  function droppedDimensions() {
    return Array.prototype.map.call(
      document.querySelectorAll("#drop-dimensions input:checked"),
      function (box) { return box.value; }
    );
  }

  function fillDropDimensions() {
    var box = document.getElementById("drop-dimensions");
    var system = state.systems[systemSelect.value];
    box.textContent = "";
    var upload = panelSelect.value === "upload";
    box.parentNode.classList.toggle("hidden", !upload || !system || system.dimensions.length < 2);
    if (!system) {
      return;
    }
    system.dimensions.forEach(function (d) {
      box.appendChild(el("label", { class: "check" }, [
        el("input", { type: "checkbox", value: d.id, name: "drop_dimensions" }),
        " " + d.name,
      ]));
    });
  }

  function query(p) {
    return Object.keys(p).filter(function (k) {
      return k !== "panel" || p.panel !== "upload";
    }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(p[k]);
    }).join("&");
  }

  // ------------------------------------------------------------------ controls

  function fillSystems() {
    var panel = state.panels[panelSelect.value];
    var previous = systemSelect.value;
    systemSelect.textContent = "";
    Object.keys(state.systems).forEach(function (id) {
      var system = state.systems[id];
      if (system.is_monitor) {
        return; // the 双10% monitor is shown below, not evaluated
      }
      if (panel && panel.system !== id) {
        return; // a shipped panel carries the indicators of one system
      }
      systemSelect.appendChild(el("option", { value: id, text: system.name + (system.own ? "（本机构上传）" : "") }));
    });
    if (previous && state.systems[previous] && systemSelect.querySelector('option[value="' + previous + '"]')) {
      systemSelect.value = previous;
    }
    fillDropDimensions();
  }

  function showPanelInfo() {
    panelInfo.textContent = "";
    var panel = state.panels[panelSelect.value];
    if (!panel) {
      panelInfo.appendChild(el("div", { class: "provenance" }, [
        "上传长表（地区、年份、指标、数值）或宽表（地区、年份及每个指标一列）的 CSV / XLSX；",
        "地区可写行政区划代码或中文名称，指标须属于所选指标体系。出错时会指出文件、工作表、行和列。",
      ]));
      return;
    }
    if (panel.is_sample) {
      panelInfo.appendChild(el("div", { class: "sample-banner", id: "sample-banner" }, [
        el("strong", { text: "示例数据" }),
        el("span", { text: panel.label + "：" + panel.note }),
      ]));
    } else {
      var source = el("span", { text: panel.label + "。来源：" + panel.provenance + "；许可：" + panel.license + "。" });
      var children = [el("strong", { text: "真实数据" }), source];
      if (panel.source_url) {
        children.push(el("a", { href: panel.source_url, rel: "noopener", target: "_blank", text: "数据仓库" }));
      }
      panelInfo.appendChild(el("div", { class: "real-banner", id: "real-banner" }, children));
      panelInfo.appendChild(el("div", { class: "provenance", text: panel.note }));
    }
  }

  function onPanelChange() {
    var upload = panelSelect.value === "upload";
    fileLabel.classList.toggle("hidden", !upload);
    runButton.classList.toggle("hidden", upload);
    fillSystems();
    showPanelInfo();
    toggleSubjective();
  }

  // ------------------------------------------------------------------ rendering

  function scoreRows(year) {
    return state.result.scores.filter(function (s) {
      return s.year === year;
    }).sort(function (a, b) {
      return a.rank - b.rank || b.index - a.index;
    });
  }

  function placeName(code) {
    var found = state.result.places.filter(function (p) {
      return p.code === code;
    })[0];
    return found ? found.name : code;
  }

  function renderRanking() {
    var result = state.result;
    var table = document.getElementById("ranking-table");
    var head = table.querySelector("thead");
    var body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    var first = result.years[0];
    var firstRank = {};
    result.scores.forEach(function (s) {
      if (s.year === first) {
        firstRank[s.place] = s.rank;
      }
    });
    var headers = ["排名", "地区", "综合指数"].concat(result.dimensions.map(function (d) {
      return d.name;
    })).concat(["较" + first + "年", "雷达"]);
    head.appendChild(el("tr", {}, headers.map(function (h, i) {
      return el("th", { class: i >= 2 && i < headers.length - 1 ? "num" : "", text: h });
    })));
    var unstable = {};
    var stability = result.analysis && result.analysis.stability;
    (stability ? stability.rows : []).forEach(function (r) {
      if (r.year === state.year && !r.stable) {
        unstable[r.place] = r;
      }
    });
    scoreRows(state.year).forEach(function (s) {
      var move = firstRank[s.place] !== undefined ? firstRank[s.place] - s.rank : 0;
      var shaky = unstable[s.place];
      var nameCell = el("td", { text: placeName(s.place) });
      if (shaky) {
        nameCell.appendChild(el("span", {
          class: "unstable-mark",
          title: "权重扰动下排名在第 " + shaky.rank_min + "–" + shaky.rank_max + " 位之间变动",
          text: "不稳健",
        }));
      }
      var box = el("input", { type: "checkbox", "aria-label": "在雷达图中显示" + placeName(s.place) });
      box.checked = !!state.radar[s.place];
      box.addEventListener("change", function () {
        state.radar[s.place] = box.checked;
        renderRadar();
      });
      var cells = [
        el("td", { class: "rank", text: String(s.rank) }),
        nameCell,
        el("td", { class: "num", text: fmt(s.index) }),
      ].concat(s.dims.map(function (v) {
        return el("td", { class: "num", text: fmt(v, 3) });
      })).concat([
        el("td", { class: "num", text: move > 0 ? "↑" + move : move < 0 ? "↓" + (-move) : "—" }),
        el("td", {}, [box]),
      ]);
      body.appendChild(el("tr", { class: JJJ[s.place] ? "jjj" : "", "data-place": s.place }, cells));
    });
    document.getElementById("ranking-caption").textContent =
      state.year + " 年，共 " + scoreRows(state.year).length + " 个地区";
  }

  function renderTrend() {
    var result = state.result;
    var series = result.places.map(function (p, i) {
      var byYear = {};
      result.scores.forEach(function (s) {
        if (s.place === p.code) {
          byYear[s.year] = s.index;
        }
      });
      return {
        name: p.name,
        type: "line",
        smooth: false,
        symbolSize: 5,
        data: result.years.map(function (y) {
          return byYear[y] === undefined ? null : byYear[y];
        }),
        lineStyle: { width: JJJ[p.code] ? 3 : 1.6 },
        color: PALETTE[i % PALETTE.length],
      };
    });
    var selected = {};
    if (state.level === "province") {
      result.places.forEach(function (p) {
        selected[p.name] = !!JJJ[p.code];
      });
    }
    chart("trend-chart").setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v); } },
      legend: { type: "scroll", bottom: 0, selected: selected },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: result.years.map(String), boundaryGap: false },
      yAxis: { type: "value", name: "综合指数", scale: true },
      series: series,
    }, true);
  }

  function renderRadar() {
    var result = state.result;
    var rows = scoreRows(state.year).filter(function (s) {
      return state.radar[s.place];
    });
    chart("radar-chart").setOption({
      tooltip: {},
      legend: { type: "scroll", bottom: 0 },
      radar: {
        indicator: result.dimensions.map(function (d) {
          return { name: d.name, max: 1 };
        }),
        radius: "62%",
        center: ["50%", "48%"],
      },
      series: [{
        type: "radar",
        data: rows.map(function (s) {
          return { name: placeName(s.place), value: s.dims };
        }),
        areaStyle: { opacity: 0.08 },
      }],
      color: PALETTE,
    }, true);
  }

  function renderBar(note) {
    var rows = scoreRows(state.year).slice().reverse();
    document.getElementById("index-chart-title").textContent =
      state.level === "province" ? "各省综合指数" : "综合指数";
    document.getElementById("index-chart-note").textContent = note || "";
    chart("index-chart").setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v); } },
      grid: { left: 70, right: 30, top: 10, bottom: 46 },
      xAxis: { type: "value", name: "综合指数（" + state.year + " 年）", nameLocation: "middle", nameGap: 28 },
      yAxis: {
        type: "category",
        data: rows.map(function (s) { return placeName(s.place); }),
        axisLabel: { fontSize: rows.length > 20 ? 10 : 12 },
      },
      series: [{
        type: "bar",
        data: rows.map(function (s) {
          return { value: s.index, itemStyle: { color: JJJ[s.place] ? "#d9822b" : "#0b4a8b" } };
        }),
        barMaxWidth: 18,
      }],
    }, true);
  }

  function mapName(code) {
    // the short name of a unit on the map, also for units the panel does not cover
    var feature = (state.geo && state.geo.features || []).filter(function (f) {
      return f.properties.adcode === code;
    })[0];
    var props = feature ? feature.properties : {};
    return props.short_name || (props.name || placeName(code)).replace(/市$/, "");
  }

  function renderMap() {
    var rows = scoreRows(state.year);
    var values = rows.map(function (s) { return s.index; });
    document.getElementById("index-chart-title").textContent = "综合指数地图";
    document.getElementById("index-chart-note").textContent =
      "颜色越深，综合指数越高（" + state.year + " 年）。边界：地级行政区（简化）。";
    chart("index-chart").setOption({
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          var row = rows.filter(function (s) { return s.place === item.name; })[0];
          return row
            ? placeName(row.place) + "<br>综合指数 " + fmt(row.index) + "<br>排名 " + row.rank
            : mapName(item.name) + "<br>不在本面板中";
        },
      },
      visualMap: {
        min: Math.min.apply(null, values),
        max: Math.max.apply(null, values),
        left: 10,
        bottom: 10,
        text: ["高", "低"],
        calculable: true,
        inRange: { color: ["#c9def5", "#6fa3da", "#0b4a8b"] },
        formatter: function (v) { return fmt(v, 3); },
      },
      series: [{
        type: "map",
        map: MAP_NAME,
        nameProperty: "adcode",
        roam: false,
        layoutCenter: ["52%", "50%"],
        layoutSize: "98%",
        itemStyle: { areaColor: "#eef0f3", borderColor: "#fff" }, // units not in the panel
        label: {
          show: true,
          fontSize: 11,
          color: "#1f2933",
          textBorderColor: "#fff",
          textBorderWidth: 2,
          formatter: function (item) { return mapName(item.name); },
        },
        data: rows.map(function (s) { return { name: s.place, value: s.index }; }),
      }],
    }, true);
  }

  function isCityResult(result) {
    // prefecture-level units; Beijing and Tianjin count as units of their own
    return result.places.every(function (p) {
      return p.code.slice(-4) !== "0000" || p.code === "110000" || p.code === "120000";
    });
  }

  function renderIndexChart() {
    if (state.level === "province") {
      renderBar();
      return;
    }
    if (state.geo === null) {
      renderBar("正在加载地级行政区边界…");
      getJson("/api/geo/places.geojson?level=prefecture").then(function (geo) {
        echarts.registerMap(MAP_NAME, geo);
        state.geo = geo;
        renderIndexChart();
      }, function () {
        state.geo = false;
        renderIndexChart();
      });
      return;
    }
    if (state.geo === false) {
      renderBar("地图边界暂不可用，改以条形图显示。");
      return;
    }
    renderMap();
  }

  function renderCoupling() {
    window.JJJIndicatorCoupling.coupling(state.result, state.year, placeName);
  }

  function renderWeights() {
    window.JJJIndicatorCoupling.weights(state.result, state.year);
  }

  function renderAll() {
    renderRanking();
    renderIndexChart();
    renderTrend();
    renderRadar();
    renderCoupling();
    renderWeights();
    renderAnalysis();
  }

  function renderAnalysis() {
    if (window.JJJIndicatorAnalysis) {
      window.JJJIndicatorAnalysis.render(state.result, state.year, placeName);
    }
  }

  function showResult(result, meta) {
    state.result = result;
    var panel = state.panels[meta.panel];
    state.level = panel ? panel.level : isCityResult(result) ? "city" : "province";
    yearSelect.textContent = "";
    result.years.forEach(function (y) {
      yearSelect.appendChild(el("option", { value: String(y), text: String(y) }));
    });
    state.year = result.years[result.years.length - 1];
    yearSelect.value = String(state.year);
    state.radar = {};
    var latest = scoreRows(state.year);
    if (state.level === "province") {
      latest.forEach(function (s) {
        state.radar[s.place] = !!JJJ[s.place];
      });
    } else {
      latest.slice(0, 2).concat(latest.slice(-1)).forEach(function (s) {
        state.radar[s.place] = true;
      });
    }
    document.getElementById("result-title").textContent = result.system.name;
    document.getElementById("result-sample").classList.toggle("hidden", !result.is_sample);
    Array.prototype.forEach.call(document.querySelectorAll(".result-sample-badge"), function (badge) {
      badge.classList.toggle("hidden", !result.is_sample);
    });
    var parts = [
      "面板：" + meta.panelLabel,
      "赋权：" + (METHOD_LABELS[result.weighting] || result.weighting),
      "集成：" + (METHOD_LABELS[result.aggregation] || result.aggregation),
      "范围：" + (METHOD_LABELS[result.scope] || result.scope),
      "标准化：" + (METHOD_LABELS[result.normalization] || result.normalization),
      "熵值平移量：" + (result.shift || 0),
      "耦合度：" + (METHOD_LABELS[result.coupling_form] || result.coupling_form),
    ];
    if (result.subjective) {
      var sub = result.subjective;
      var source = sub.source === "ahp" ? "判断矩阵" + (sub.consistency ? "（CR = " + Number(sub.consistency.cr).toFixed(3) + "）" : "") : "指标体系给定权重";
      parts.push(sub.alpha === null ? "主观权重：" + source : "主客观组合：" + source + "，α = " + sub.alpha);
    }
    if (meta.fill) {
      parts.push("缺失值：" + (METHOD_LABELS[meta.fill] || meta.fill) + "（补齐 " + result.filled.length + " 个单元格）");
    }
    parts.push("输入 SHA-256：" + meta.inputDigest.slice(0, 12) + "…");
    parts.push("方法摘要：" + meta.paramsDigest.slice(0, 12) + "…");
    if (meta.id) {
      parts.push("已保存为第 " + meta.id + " 号评价");
    }
    document.getElementById("result-meta").textContent = parts.join(" · ");
    downloadLink.href = meta.workbook;
    downloadLink.classList.remove("hidden");
    renderAll();
  }

  // ------------------------------------------------------------------ actions

  function panelLabel(name, fallback) {
    return state.panels[name] ? state.panels[name].label : fallback;
  }

  function runPreview() {
    var p = params();
    if (p.panel === "upload" || needsSave()) {
      return;
    }
    clearError();
    setBusy(true);
    getJson("/api/indicators/preview?" + query(p)).then(function (body) {
      showResult(body.result, {
        panel: body.panel,
        panelLabel: panelLabel(body.panel, body.panel),
        fill: body.fill,
        inputDigest: body.input_digest,
        paramsDigest: body.params_digest,
        workbook: "/api/indicators/preview/workbook?" + query(p),
      });
    }).catch(showError).then(function () {
      setBusy(false);
    });
  }

  function showSaved(body) {
    showResult(body.result, {
      panel: body.panel_kind === "shipped" ? body.panel_name : "upload",
      panelLabel: body.panel_kind === "shipped" ? panelLabel(body.panel_name, body.panel_name) : "上传：" + body.panel_name,
      fill: body.fill,
      inputDigest: body.input_digest,
      paramsDigest: body.params_digest,
      workbook: "/api/evaluations/" + body.id + "/workbook",
      id: body.id,
    });
  }

  function runSave() {
    var p = params();
    var data = new FormData();
    Object.keys(p).forEach(function (k) {
      if (k !== "panel") {
        data.append(k, p[k]);
      }
    });
    if (p.panel === "upload") {
      droppedDimensions().forEach(function (d) {
        data.append("drop_dimensions", d);
      });
    }
    var subjective = document.getElementById("subjective");
    if (subjective && subjective.value) {
      data.append("subjective", subjective.value);
      data.append("alpha", document.getElementById("alpha").value || "0.5");
    }
    var matrix = document.getElementById("ahp-file");
    if (matrix && matrix.files.length && (p.weighting === "ahp" || (subjective && subjective.value === "ahp"))) {
      data.append("ahp_matrix", matrix.files[0]);
    }
    if (p.panel === "upload") {
      if (!fileInput.files.length) {
        showError(new Error("请选择要上传的面板文件（CSV 或 XLSX）"));
        return;
      }
      data.append("file", fileInput.files[0]);
    } else {
      data.append("panel", p.panel);
    }
    clearError();
    setBusy(true);
    fetch("/api/evaluations", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRF-Token": CSRF },
    }).then(readJson).then(function (body) {
      showSaved(body);
      loadSaved();
    }).catch(showError).then(function () {
      setBusy(false);
    });
  }

  function loadSaved() {
    var table = document.getElementById("saved-table");
    if (!table || !SIGNED_IN) {
      return;
    }
    var body = table.querySelector("tbody");
    getJson("/api/evaluations?limit=20").then(function (list) {
      body.textContent = "";
      if (!list.data.length) {
        body.appendChild(el("tr", {}, [el("td", { colspan: "7", class: "muted", text: "尚无保存的评价" })]));
        return;
      }
      list.data.forEach(function (e) {
        var open = el("button", { type: "button", class: "link", text: "查看" });
        open.addEventListener("click", function () {
          clearError();
          setBusy(true);
          getJson("/api/evaluations/" + e.id).then(showSaved).catch(showError).then(function () {
            setBusy(false);
          });
        });
        body.appendChild(el("tr", {}, [
          el("td", { text: String(e.id) }),
          el("td", { text: e.created_at.slice(0, 16).replace("T", " ") }),
          el("td", {}, [e.panel_kind === "shipped" ? panelLabel(e.panel_name, e.panel_name) : "上传：" + e.panel_name].concat(
            e.is_sample ? [el("span", { class: "sample-badge", text: "示例数据" })] : []
          )),
          el("td", { text: e.system_name }),
          el("td", { text: [e.weighting, e.aggregation, e.scope].map(function (m) { return METHOD_LABELS[m] || m; }).join(" / ") }),
          el("td", {}, [el("code", { text: e.input_digest.slice(0, 12) + "…", title: e.input_digest })]),
          el("td", {}, [open, " ", el("a", { href: "/api/evaluations/" + e.id + "/workbook", text: "工作簿" })]),
        ]));
      });
    }).catch(function (error) {
      body.textContent = "";
      body.appendChild(el("tr", {}, [el("td", { colspan: "7", class: "muted", text: error.message })]));
    });
  }

  // ------------------------------------------------------------------ start

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (panelSelect.value === "upload" || needsSave()) {
      runSave();
    } else {
      runPreview();
    }
  });
  if (saveButton) {
    saveButton.addEventListener("click", runSave);
  }
  panelSelect.addEventListener("change", function () {
    onPanelChange();
    if (panelSelect.value !== "upload") {
      runPreview();
    }
  });
  yearSelect.addEventListener("change", function () {
    state.year = Number(yearSelect.value);
    var latest = scoreRows(state.year);
    if (!latest.some(function (s) { return state.radar[s.place]; })) {
      latest.slice(0, 3).forEach(function (s) {
        state.radar[s.place] = true;
      });
    }
    renderRanking();
    renderIndexChart();
    renderRadar();
    renderCoupling();
    renderWeights();
    renderAnalysis();
  });
  systemSelect.addEventListener("change", fillDropDimensions);
  document.getElementById("weighting").addEventListener("change", toggleSubjective);
  if (document.getElementById("subjective")) {
    document.getElementById("subjective").addEventListener("change", toggleSubjective);
  }
  document.addEventListener("jjj:system-uploaded", function (event) {
    var system = event.detail;
    state.systems[system.id] = system;
    panelSelect.value = "upload";
    onPanelChange();
    systemSelect.value = system.id;
    fillDropDimensions();
  });

  Promise.all([getJson("/api/panels"), getJson("/api/indicator-systems")]).then(function (loaded) {
    loaded[0].data.forEach(function (p) {
      state.panels[p.name] = p;
      panelSelect.appendChild(el("option", { value: p.name, text: p.label }));
    });
    if (CAN_RUN) {
      panelSelect.appendChild(el("option", { value: "upload", text: "上传自己的面板…" }));
    }
    loaded[1].data.forEach(function (s) {
      state.systems[s.id] = s;
    });
    panelSelect.value = "sample";
    onPanelChange();
    runPreview();
    loadSaved();
  }).catch(showError);
})();
