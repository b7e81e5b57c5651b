/* 指标评价: the coupling-coordination table, chart and level legend, and the weights table,
 * of a result (ResultPublic) for the chosen year. indicators.js calls
 * JJJIndicatorCoupling.coupling(result, year, placeName) and .weights(result, year). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var kit = window.JJJIndicatorKit;
  var el = kit.el;
  var fmt = kit.fmt;
  var chart = kit.chart;
  var METHOD_LABELS = kit.METHOD_LABELS;
  var LEVEL_COLORS = [
    "#7b1d1d", "#c53030", "#e05a2b", "#ed8936", "#ecc94b",
    "#c6dd7a", "#8fd19e", "#48bb78", "#2f855a", "#1c4532",
  ];
  var LEVEL_TEXT = ["#fff", "#fff", "#fff", "#1f2933", "#1f2933",
    "#1f2933", "#1f2933", "#fff", "#fff", "#fff"];

  function levelChip(grade, level) {
    var i = Math.max(0, Math.min(9, grade - 1));
    return el("span", {
      class: "level-chip",
      style: "background:" + LEVEL_COLORS[i] + ";color:" + LEVEL_TEXT[i],
      text: level,
    });
  }

  function renderCoupling(result, year, placeName) {
    var legend = document.getElementById("level-legend");
    legend.textContent = "";
    result.levels.forEach(function (name, i) {
      var chip = levelChip(i + 1, name);
      chip.appendChild(el("span", { class: "range", text: (i / 10).toFixed(1) + "–" + ((i + 1) / 10).toFixed(1) }));
      legend.appendChild(chip);
    });
    var table = document.getElementById("coupling-table");
    var head = table.querySelector("thead");
    var body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    var caption = document.getElementById("coupling-caption");
    var note = document.getElementById("coupling-note");
    note.textContent = (result.coupling_form === "traditional"
      ? "耦合度 C 采用传统模型 C = n·[ΠU/(ΣU)^n]^(1/n)；"
      : "耦合度 C 采用王淑佳等（2021，《自然资源学报》）修正模型；") +
      "协调发展度 D = √(C·T)，按 0.1 为步长分为十级。十级划分出自廖重斌（1999），是为传统模型的 C 制定的；修正模型的 C 分布更分散，同一 D 值的含义与传统模型不完全相同。" +
      (result.zero_sub_scores ? "注意：有 " + result.zero_sub_scores + " 个地区-年份的某一维度得分为 0（该维度各指标都处在最小值），其 C 与 D 因而为 0。" : "");
    if (!result.coupling) {
      caption.textContent = "未计算";
      return;
    }
    var byPlace = result.coupling.between === "dimensions";
    caption.textContent = byPlace
      ? "各地区 " + result.dimensions.length + " 个维度之间，" + year + " 年"
      : "各地区综合指数之间，逐年";
    head.appendChild(el("tr", {}, [byPlace ? "地区" : "年份", "耦合度 C", "综合发展指数 T", "协调发展度 D", "协调等级"].map(function (h, i) {
      return el("th", { class: i >= 1 && i <= 3 ? "num" : "", text: h });
    })));
    var rows = result.coupling.rows.filter(function (r) {
      return !byPlace || r.year === year;
    });
    rows.sort(function (a, b) {
      return byPlace ? b.D - a.D : a.year - b.year;
    });
    renderCouplingChart(rows, byPlace, placeName);
    rows.forEach(function (r) {
      body.appendChild(el("tr", { "data-grade": String(r.grade) }, [
        el("td", { text: byPlace ? placeName(r.place) : String(r.year) }),
        el("td", { class: "num", text: fmt(r.C) }),
        el("td", { class: "num", text: fmt(r.T) }),
        el("td", { class: "num", text: fmt(r.D) }),
        el("td", {}, [levelChip(r.grade, r.level)]),
      ]));
    });
  }

  function renderCouplingChart(rows, byPlace, placeName) {
    // D per place in the chosen year (between dimensions) or per year (between places),
    // each bar coloured by its level, with the level boundaries as the axis split lines
    var ordered = byPlace ? rows.slice().reverse() : rows;
    var labels = ordered.map(function (r) {
      return byPlace ? placeName(r.place) : String(r.year);
    });
    var bars = ordered.map(function (r) {
      return { value: r.D, level: r.level, itemStyle: { color: LEVEL_COLORS[r.grade - 1] } };
    });
    var valueAxis = {
      type: "value", name: "协调发展度 D", nameLocation: "middle", nameGap: byPlace ? 28 : 36,
      min: 0, max: 1, interval: 0.1,
      axisLabel: { formatter: function (v) { return v.toFixed(1); } },
    };
    var categoryAxis = { type: "category", data: labels, axisLabel: { fontSize: labels.length > 20 ? 10 : 12 } };
    chart("coupling-chart").setOption({
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          return item.name + "<br>D = " + fmt(item.value) + "（" + item.data.level + "）";
        },
      },
      grid: { left: byPlace ? 70 : 50, right: 24, top: 20, bottom: byPlace ? 46 : 30 },
      xAxis: byPlace ? valueAxis : categoryAxis,
      yAxis: byPlace ? categoryAxis : valueAxis,
      series: [{ type: "bar", data: bars, barMaxWidth: 18 }],
    }, true);
  }

  function renderWeights(result, year) {
    var scopes = result.weights.scopes;
    var row = scopes.indexOf(String(year));
    if (row < 0) {
      row = 0;
    }
    var weights = result.weights.values[row];
    var max = Math.max.apply(null, weights.map(function (w) { return w || 0; }));
    var dimName = {};
    result.dimensions.forEach(function (d) {
      dimName[d.id] = d.name;
    });
    document.getElementById("weights-caption").textContent =
      (METHOD_LABELS[result.weighting] || result.weighting) + "，" +
      (scopes[row] === "pooled" ? "全部地区-年份合并计算" : scopes[row] + " 年截面");
    var table = document.getElementById("weights-table");
    var head = table.querySelector("thead");
    var body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    head.appendChild(el("tr", {}, ["维度", "指标", "单位", "方向", "权重"].map(function (h, i) {
      return el("th", { class: i === 4 ? "num" : "", text: h });
    })));
    result.indicators.forEach(function (ind, i) {
      var w = weights[i];
      var bar = el("span", { class: "weight-bar", style: "width:" + Math.round(60 * (w || 0) / (max || 1)) + "px" });
      body.appendChild(el("tr", {}, [
        el("td", { text: dimName[ind.dimension] || ind.dimension }),
        el("td", { text: ind.name }),
        el("td", { text: ind.unit }),
        el("td", { text: ind.direction > 0 ? "正向" : "逆向" }),
        el("td", { class: "num" }, [fmt(w), bar]),
      ]));
    });
  }

  window.JJJIndicatorCoupling = { coupling: renderCoupling, weights: renderWeights };
})();
