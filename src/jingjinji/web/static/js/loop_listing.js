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
