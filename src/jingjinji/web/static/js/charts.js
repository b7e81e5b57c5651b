// One window resize handler for every ECharts chart on the page. A chart without an option yet
// (its data still loading) or one already disposed cannot be resized: ECharts throws inside
// resize() for it, so those are skipped.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  window.addEventListener("resize", function () {
    document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart && !chart.isDisposed() && chart.getOption()) { chart.resize(); }
    });
  });
})();
