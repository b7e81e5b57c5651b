// One window resize handler for every ECharts chart on the page. A chart without an option yet
// (its data still loading) or one already disposed cannot be resized, and ECharts also throws
// inside resize() for a chart caught between two setOption calls (seen when a full-page
// screenshot resized the window while the page was still filling its charts): such a chart is
// skipped and resized again on the next frame, when its option is complete.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }

  function resize(chart, retries) {
    if (!chart || chart.isDisposed() || !chart.getOption()) { return; }
    try {
      chart.resize();
    } catch (error) {
      if (retries > 0) {
        window.requestAnimationFrame(function () { resize(chart, retries - 1); });
      }
    }
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
      resize(echarts.getInstanceByDom(el), 3);
    });
  });
})();
