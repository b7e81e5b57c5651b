/* 项目库 charts: Sankey of flows, destination map, stage funnel, time series; the 新建项目 form. */
(function () {
  "use strict";
  const source = document.getElementById("projects-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const fmt = (v) => Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 1 });
  const make = (id) => {
    const el = document.getElementById(id);
    return el ? echarts.init(el) : null;
  };

  function sankey() {
    const chart = make("sankey");
    if (!chart) return;
    const flows = data.flows.slice(0, 40);
    if (!flows.length) {
      chart.setOption({ title: { text: "无数据", left: "center", top: "middle", textStyle: { color: "#999" } } });
      return;
    }
    const labels = {};
    const nodes = [];
    const add = (key, label) => {
      if (!(key in labels)) { labels[key] = label; nodes.push({ name: key }); }
    };
    const links = flows.map((f) => {
      const s = "from:" + f.source, t = "to:" + f.target;
      add(s, f.source_label); add(t, f.target_label);
      return { source: s, target: t, value: f.investment, count: f.count };
    });
    const totals = {};
    links.forEach((l) => {
      totals[l.source] = (totals[l.source] || 0) + l.value;
      totals[l.target] = (totals[l.target] || 0) + l.value;
    });
    const threshold = 0.015 * Math.max(...Object.values(totals));
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => p.dataType === "edge"
          ? `${labels[p.data.source]} → ${labels[p.data.target]}<br>${p.data.count} 个项目，${fmt(p.data.value)} 亿元`
          : `${labels[p.name]}：${fmt(p.value)} 亿元`,
      },
      series: [{
        type: "sankey", left: 90, right: 110, top: 10, bottom: 10, nodeGap: 6,
        emphasis: { focus: "adjacency" }, data: nodes, links: links,
        lineStyle: { color: "gradient", curveness: 0.5, opacity: 0.35 },
        label: { formatter: (p) => (totals[p.name] >= threshold ? labels[p.name] : "") },
      }],
    });
  }

  function bubbles(chart, points, useGeo) {
    const max = Math.max(1, ...points.map((p) => p.value[2]));
    const ranked = points.map((p) => p.value[2]).sort((a, b) => b - a);
    const labelled = ranked.length > 8 ? ranked[7] : 0;
    const size = (v) => 6 + 34 * Math.sqrt(v[2] / max);
    const series = {
      type: "scatter", data: points, symbolSize: size,
      itemStyle: { color: "rgba(217,130,43,0.75)", borderColor: "#fff" },
      label: { show: true, formatter: (p) => (p.value[2] >= labelled ? p.name : ""), position: "right", fontSize: 11 },
      tooltip: { formatter: (p) => `${p.name}<br>${p.value[3]} 个项目，${fmt(p.value[2])} 亿元` },
    };
    if (useGeo) {
      series.coordinateSystem = "geo";
      chart.setOption({
        tooltip: { trigger: "item" },
        geo: { map: "jjj-prefecture", roam: true, layoutCenter: ["50%", "52%"], layoutSize: "98%",
               itemStyle: { areaColor: "#eef3f9", borderColor: "#9fb3c8" },
               emphasis: { itemStyle: { areaColor: "#dbe7f5" }, label: { show: false } } },
        series: [series],
      });
    } else {
      chart.setOption({
        tooltip: { trigger: "item" },
        xAxis: { type: "value", scale: true, name: "经度" }, yAxis: { type: "value", scale: true, name: "纬度" },
        series: [series],
      });
    }
  }

  function map() {
    const chart = make("destination-map");
    if (!chart) return;
    const points = data.destinations;
    fetch("/api/geo/places.geojson?level=prefecture")
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((geojson) => { echarts.registerMap("jjj-prefecture", geojson); bubbles(chart, points, true); })
      .catch(() => bubbles(chart, points, false));
  }

  function funnel() {
    const chart = make("funnel");
    if (!chart) return;
    chart.setOption({
      tooltip: { trigger: "item", formatter: (p) => `${p.name}：${p.value} 个项目，${fmt(p.data.investment)} 亿元` },
      series: [{
        type: "funnel", sort: "none", left: "8%", width: "66%", minSize: "20%", gap: 2,
        label: { formatter: (p) => `${p.name} ${p.value}` },
        data: data.funnel.map((b) => ({ name: b.label, value: b.count, investment: b.investment })),
      }],
      color: ["#0b4a8b", "#2b6cb0", "#4299e1", "#2f855a"],
    });
  }

  function timeline() {
    const chart = make("timeline");
    if (!chart) return;
    const years = data.years.filter((b) => b.key);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["投资额（亿元）", "项目数"], top: 0, left: "center" },
      grid: { left: 60, right: 60, top: 50, bottom: 30 },
      xAxis: { type: "category", data: years.map((b) => b.key) },
      yAxis: [{ type: "value", name: "亿元" }, { type: "value", name: "个" }],
      series: [
        { name: "投资额（亿元）", type: "bar", data: years.map((b) => b.investment), itemStyle: { color: "#0b4a8b" } },
        { name: "项目数", type: "line", yAxisIndex: 1, data: years.map((b) => b.count), itemStyle: { color: "#d9822b" } },
      ],
    });
  }

  sankey(); map(); funnel(); timeline();
})();

/* 新建项目: POST /api/projects, then open the new project's page. */
(function () {
  "use strict";
  const form = document.getElementById("project-create-form");
  if (!form || !window.jjjProjectForm) return;
  const shared = window.jjjProjectForm;
  const statusEl = document.getElementById("create-status");
  shared.bindSegments(form);
  const opener = document.getElementById("open-create");
  if (opener) {
    opener.addEventListener("click", () => { document.getElementById("project-create").open = true; });
  }
  if (window.location.hash === "#project-create") document.getElementById("project-create").open = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = shared.read(form, { create: true });
    shared.submit(form, statusEl, "POST", "/api/projects", body, (project) => {
      window.location.href = "/projects/" + project.id;
    });
  });
})();
