/* 指标评价: upload an own indicator system (a table written in Excel) with
 * POST /api/indicator-systems; show its dimensions and indicators, or the located problems;
 * tell indicators.js (event jjj:system-uploaded) so it can be chosen at once. */
(function () {
  "use strict";
  var form = document.getElementById("system-form");
  if (!form) {
    return;
  }
  var errorBox = document.getElementById("system-error");
  var summary = document.getElementById("system-summary");
  var DIRECTIONS = { "1": "正向", "-1": "负向", "0": "适度" };

  var el = window.JJJIndicatorKit.el;

  function showError(error) {
    errorBox.textContent = "";
    errorBox.appendChild(el("strong", { text: error.message || "上传失败" }));
    var fields = error.fields || [];
    if (fields.length) {
      errorBox.appendChild(el("ul", {}, fields.slice(0, 20).map(function (f) {
        return el("li", { text: f.message });
      })));
    }
    errorBox.classList.remove("hidden");
  }

  function showSystem(system) {
    summary.textContent = "";
    var count = system.dimensions.reduce(function (n, d) { return n + d.indicators.length; }, 0);
    summary.appendChild(el("p", {}, [
      el("strong", { text: "已上传：" + system.name }),
      "（" + system.dimensions.length + " 个维度、" + count + " 个指标），已选为下方评价的指标体系；请上传对应的面板文件。",
    ]));
    var rows = [];
    system.dimensions.forEach(function (d) {
      d.indicators.forEach(function (i) {
        var direction = DIRECTIONS[String(i.direction)] + (i.direction === 0 ? "（目标值 " + i.target + "）" : "");
        rows.push(el("tr", {}, [d.name, i.name, i.unit || "—", direction, i.weight === null ? "—" : String(i.weight)].map(function (text) {
          return el("td", { text: text });
        })));
      });
    });
    var table = el("table", { class: "table", id: "system-table" }, [
      el("thead", {}, [el("tr", {}, ["准则层", "指标", "单位", "方向", "权重"].map(function (h) {
        return el("th", { text: h });
      }))]),
      el("tbody", {}, rows),
    ]);
    summary.appendChild(el("div", { class: "table-scroll" }, [table]));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.classList.add("hidden");
    var file = document.getElementById("system-file").files[0];
    if (!file) {
      showError(new Error("请选择指标体系表格（XLSX 或 CSV）"));
      return;
    }
    var data = new FormData();
    data.append("file", file);
    var name = document.getElementById("system-name").value.trim();
    if (name) {
      data.append("name", name);
    }
    var button = document.getElementById("system-upload");
    button.disabled = true;
    fetch("/api/indicator-systems", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRF-Token": form.dataset.csrf || "" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var problem = new Error((body.error && body.error.message) || "上传失败（" + response.status + "）");
          problem.fields = body.error && body.error.fields;
          throw problem;
        }
        return body;
      });
    }).then(function (system) {
      showSystem(system);
      document.dispatchEvent(new CustomEvent("jjj:system-uploaded", { detail: system }));
    }).catch(showError).then(function () {
      button.disabled = false;
    });
  });
})();
