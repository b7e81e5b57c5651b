/* 指标评价: small helpers the page's scripts share — DOM elements, number formatting and
 * one ECharts instance per chart element, the Chinese names of the methods. */
(function () {
  "use strict";
  var charts = {};
  var METHOD_LABELS = {
    entropy: "熵值法", critic: "CRITIC 法", std: "标准差法", equal: "等权", fixed: "给定权重",
    weighted_sum: "线性加权", topsis: "TOPSIS", grey: "灰色关联",
    pooled: "全局", per_year: "逐年", linear: "线性插值", ffill: "向前填充",
    dimensions: "维度之间", places: "地区之间",
    minmax: "极差标准化", zscore: "Z 分数", vector: "向量归一化",
    corrected: "修正模型", traditional: "传统模型",
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") {
        node.textContent = attrs[key];
      } else {
        node.setAttribute(key, attrs[key]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmt(value, digits) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(digits || 4);
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id));
    }
    return charts[id];
  }

  window.JJJIndicatorKit = { el: el, fmt: fmt, chart: chart, METHOD_LABELS: METHOD_LABELS };
})();
