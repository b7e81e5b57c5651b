/* 指标评价: the analysis of a result — regional disparity per year (CV, Gini, Theil with its
 * within/between parts, Dagum Gini Gw + Gnb + Gt), Moran's I (global per year, LISA for the
 * chosen year) and rank stability under perturbed weights. Undefined figures are shown as
 * "—" with their reason. indicators.js calls JJJIndicatorAnalysis.render(result, year, name). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var kit = window.JJJIndicatorKit;
  var el = kit.el;
  var chart = kit.chart;

  function num(value, digits) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(digits === undefined ? 4 : digits);
  }

  function fillTable(id, headers, rows) {
    var table = document.getElementById(id);
    var head = table.querySelector("thead");
    var body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    head.appendChild(el("tr", {}, headers.map(function (h) {
      return el("th", { class: h.num ? "num" : "", text: h.text });
    })));
    rows.forEach(function (cells) {
      body.appendChild(el("tr", {}, cells.map(function (cell, i) {
        var td = el("td", { class: headers[i] && headers[i].num ? "num" : "" });
        if (cell && cell.nodeType) {
          td.appendChild(cell);
        } else {
          td.textContent = cell;
        }
        return td;
      })));
    });
  }

  function renderDisparity(analysis) {
    var rows = analysis.disparity;
    var grouped = rows.length && rows[0].groups;
    document.getElementById("disparity-caption").textContent = rows.length
      ? "综合指数，" + rows[0].year + "–" + rows[rows.length - 1].year + " 年，" + rows[0].n + " 个地区、" + grouped + " 个分组"
      : "";
    fillTable("disparity-table", [
      { text: "年份" }, { text: "变异系数", num: true }, { text: "基尼系数", num: true },
      { text: "泰尔指数", num: true }, { text: "组内", num: true }, { text: "组间", num: true },
      { text: "Dagum 基尼", num: true }, { text: "组内差异", num: true }, { text: "组间净差异", num: true },
      { text: "超变密度", num: true }, { text: "说明" },
    ], rows.map(function (r) {
      return [String(r.year), num(r.cv), num(r.gini), num(r.theil), num(r.theil_within), num(r.theil_between),
        num(r.dagum_gini), num(r.dagum_gw), num(r.dagum_gnb), num(r.dagum_gt), r.reason || ""];
    }));
    var years = rows.map(function (r) { return String(r.year); });
    chart("disparity-chart").setOption({
      title: { text: "差异指标的变化", left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return num(v); } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value" },
      series: [["变异系数", "cv"], ["基尼系数", "gini"], ["泰尔指数", "theil"]].map(function (pair) {
        return { name: pair[0], type: "line", connectNulls: false, data: rows.map(function (r) { return r[pair[1]]; }) };
      }),
    }, true);
    chart("dagum-chart").setOption({
      title: { text: "Dagum 基尼系数分解（组内 + 组间净差异 + 超变密度）", left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return num(v); } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value" },
      series: [["组内差异", "dagum_gw", "#0b4a8b"], ["组间净差异", "dagum_gnb", "#d9822b"], ["超变密度", "dagum_gt", "#2f855a"]].map(function (part) {
        return { name: part[0], type: "bar", stack: "G", color: part[2], data: rows.map(function (r) { return r[part[1]]; }) };
      }),
    }, true);
    document.getElementById("disparity-note").textContent =
      "变异系数 = 标准差 / 均值；泰尔指数 T 分解为组内与组间两部分（T = T组内 + T组间）；" +
      "Dagum（1997）基尼系数分解为组内差异、组间净差异与超变密度三部分。分组：地级单位按所属省市（北京、天津、河北），" +
      "省级面板按“京津冀”与“其他省份”。“—”表示该值无定义，原因见“说明”列。";
  }

  function renderMoran(analysis, year, placeName) {
    fillTable("moran-table", [
      { text: "年份" }, { text: "莫兰指数 I", num: true }, { text: "期望 E[I]", num: true },
      { text: "z 值", num: true }, { text: "p 值（置换）", num: true }, { text: "说明" },
    ], analysis.moran.map(function (r) {
      var sign = r.p_sim !== null && r.p_sim < 0.05 ? (r.I > 0 ? "显著正相关" : "显著负相关") : (r.I === null ? "" : "不显著");
      return [String(r.year), num(r.I), num(r.EI), num(r.z, 2), num(r.p_sim, 3), r.reason || sign];
    }));
    var local = analysis.local_moran.filter(function (r) { return r.year === year; });
    document.getElementById("lisa-caption").textContent = local.length ? year + " 年局部莫兰指数（LISA）" : "";
    fillTable("lisa-table", local.length ? [
      { text: "地区" }, { text: "局部 Iᵢ", num: true }, { text: "p 值", num: true }, { text: "象限" }, { text: "聚类" },
    ] : [], local.map(function (r) {
      return [r.name || placeName(r.place), num(r.Ii, 3), num(r.p_sim, 3), r.quadrant || "—", r.cluster || r.reason || "—"];
    }));
  }

  function renderStability(analysis, year, placeName) {
    var stability = analysis.stability;
    var caption = document.getElementById("stability-caption");
    var note = document.getElementById("stability-note");
    if (!stability) {
      caption.textContent = "";
      fillTable("stability-table", [], []);
      note.textContent = "由已保存结果重建的评价不含标准化矩阵，无法做权重扰动；重新计算即可得到。";
      return;
    }
    var rows = stability.rows.filter(function (r) { return r.year === year; });
    rows.sort(function (a, b) { return a.rank - b.rank; });
    var unstable = rows.filter(function (r) { return !r.stable; }).length;
    caption.textContent = year + " 年，" + unstable + " 个地区的排名不稳健";
    fillTable("stability-table", [
      { text: "地区" }, { text: "基准排名", num: true }, { text: "扰动后排名区间" },
      { text: "保持原排名的比例", num: true }, { text: "判断" },
    ], rows.map(function (r) {
      var mark = el("span", { class: r.stable ? "stable-mark" : "unstable-mark", text: r.stable ? "稳健" : "不稳健" });
      return [placeName(r.place), String(r.rank), r.rank_min === r.rank_max ? String(r.rank_min) : r.rank_min + "–" + r.rank_max,
        (r.base_share * 100).toFixed(0) + "%", mark];
    }));
    note.textContent = "每个指标的权重乘以 [" + (1 - stability.spread).toFixed(1) + ", " + (1 + stability.spread).toFixed(1) +
      "] 内的随机因子并重新归一，共 " + stability.draws + " 次（固定随机种子，方法见赛萨纳等 2005）；" +
      "至少 90% 的扰动保持原排名且排名最多变动 1 位的记为稳健。";
  }

  window.JJJIndicatorAnalysis = {
    render: function (result, year, placeName) {
      var panels = ["disparity-panel", "moran-panel", "stability-panel"];
      var analysis = result && result.analysis;
      panels.forEach(function (id) {
        document.getElementById(id).classList.toggle("hidden", !analysis);
      });
      if (!analysis) {
        return;
      }
      renderDisparity(analysis);
      renderMoran(analysis, year, placeName);
      renderStability(analysis, year, placeName);
    },
  };
})();
