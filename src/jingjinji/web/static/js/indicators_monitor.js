/* 指标评价: the 双10% bottom-line monitor, drawn from the data the page carries
 * (data-monitor on #dual-ten). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }

  // ------------------------------------------------------------------ 双10% monitor

  function renderDualTen() {
    var box = document.getElementById("dual-ten");
    if (!box || !box.dataset.monitor) {
      return;
    }
    var data = JSON.parse(box.dataset.monitor);
    var years = [];
    data.series.forEach(function (s) {
      s.points.forEach(function (p) {
        if (years.indexOf(p.year) < 0) {
          years.push(p.year);
        }
      });
    });
    years.sort();
    var threshold = data.series.length ? data.series[0].threshold : 10;
    echarts.init(document.getElementById("dual-ten-chart")).setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 30, top: 30, bottom: 50 },
      xAxis: { type: "category", data: years.map(String) },
      yAxis: { type: "value", name: "占全国比重（%）", min: 5, max: 12 },
      series: data.series.map(function (s, i) {
        var byYear = {};
        s.points.forEach(function (p) {
          byYear[p.year] = p.value;
        });
        return {
          name: s.name,
          type: "line",
          connectNulls: true,
          symbolSize: 7,
          color: i === 0 ? "#0b4a8b" : "#d9822b",
          // few observed years (the industry share: two quoted values): dashed joins
          lineStyle: { type: s.points.length < 4 ? "dashed" : "solid" },
          data: years.map(function (y) { return byYear[y] === undefined ? null : byYear[y]; }),
          markLine: i === 0 ? {
            symbol: "none",
            lineStyle: { color: "#c53030", type: "dashed", width: 2 },
            label: { formatter: "底线 " + threshold + "%", color: "#c53030" },
            data: [{ yAxis: threshold }],
          } : undefined,
        };
      }),
    });
  }

  renderDualTen();
})();
