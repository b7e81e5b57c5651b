/* Listing page, loop parts: an achievement's destinations in Tianjin and Hebei
 * (/api/listings/{id}/destinations) and turning a deal at 落地 into a project
 * (POST /api/matches/{id}/project). */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var section = document.getElementById("destinations");
  var mapEl = document.getElementById("destinations-map");
  var geo = null;

  /* The destinations on the region's map: one dot per place, larger for a better fit, the
   * rank beside it; the prefecture boundaries underneath. */
  function drawMap(rows) {
    if (!mapEl || typeof echarts === "undefined") { return; }
    var points = rows.filter(function (d) { return d.center; }).map(function (d, i) {
      return { name: (i + 1) + " " + d.name, value: d.center.concat([d.score]) };
    });
    var draw = function () {
      var chart = echarts.getInstanceByDom(mapEl) || echarts.init(mapEl);
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "：契合度 " + p.value[2].toFixed(2); } },
        geo: { map: "jjj-prefecture", roam: false, layoutCenter: ["50%", "50%"], layoutSize: "95%",
          itemStyle: { areaColor: "#eef3f9", borderColor: "#9fb3c8" }, emphasis: { disabled: true },
          label: { show: false } },
        series: [{
          type: "scatter", coordinateSystem: "geo", data: points,
          symbolSize: function (v) { return 8 + 22 * Math.max(0, Math.min(1, v[2])); },
          itemStyle: { color: "#d9822b", borderColor: "#fff", borderWidth: 1 },
          label: { show: true, formatter: "{b}", position: "right", fontSize: 12, color: "#1f2933",
            backgroundColor: "rgba(255,255,255,0.8)", padding: [1, 3], borderRadius: 3 },
        }],
      }, true);
      mapEl.setAttribute("data-ready", "true");
    };
    if (geo) { draw(); return; }
    fetch("/api/geo/places.geojson?level=prefecture")
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
      .then(function (json) { geo = json; echarts.registerMap("jjj-prefecture", json); draw(); })
      .catch(function () { mapEl.replaceChildren(el("p", { class: "muted" }, ["地图加载失败，请看右侧列表。"])); });
  }

  if (section) {
    var table = document.querySelector("#destinations-table tbody");
    var level = document.getElementById("destinations-level");
    var load = function () {
      table.replaceChildren(el("tr", {}, [el("td", { colspan: "4", class: "muted" }, ["加载中…"])]));
      fetch("/api/listings/" + section.getAttribute("data-listing") + "/destinations?limit=8&level=" + level.value,
        { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (payload) {
          document.getElementById("destinations-method").textContent = payload.method;
          if (!payload.data.length) {
            table.replaceChildren(el("tr", {}, [el("td", { colspan: "4", class: "muted" }, ["该成果未标注产业环节，无法排序承接地。"])]));
            return;
          }
          drawMap(payload.data);
          table.replaceChildren.apply(table, payload.data.map(function (d, i) {
            return el("tr", { "data-adcode": d.adcode }, [
              el("td", {}, [String(i + 1)]),
              el("td", {}, [d.name]),
              el("td", {}, [d.score.toFixed(2)]),
              el("td", {}, [d.reasons.map(function (r) { return r.text; }).join("；")]),
            ]);
          }));
          section.setAttribute("data-ready", "true");
        })
        .catch(function (error) {
          table.replaceChildren(el("tr", {}, [el("td", { colspan: "4", class: "alert" }, ["加载失败：" + error.message])]));
        });
    };
    level.addEventListener("change", load);
    load();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-make-project]");
    if (!button) { return; }
    var status = button.parentNode.querySelector(".project-status");
    var csrf = (document.getElementById("csrf-token") || {}).value || "";
    button.disabled = true;
    fetch("/api/matches/" + button.getAttribute("data-make-project") + "/project", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: "{}",
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error((res.body.error && res.body.error.message) || "失败"); }
        var p = res.body.project;
        status.replaceChildren("已登记：", el("a", { href: "/projects" }, [p.name]), "（" + p.stage + "，编号 " + p.id + "）");
        status.setAttribute("data-project", String(p.id));
      })
      .catch(function (error) { status.textContent = "登记失败：" + error.message; button.disabled = false; });
  });
})();
