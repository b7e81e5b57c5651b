/* 导入企业名录: post the chosen file to /api/enterprises/import and show what happened. */
(function () {
  "use strict";
  var form = document.getElementById("enterprise-import-form");
  if (!form) { return; }
  var statusEl = document.getElementById("enterprise-import-status");
  var result = document.getElementById("enterprise-import-result");
  var summary = document.getElementById("enterprise-import-summary");
  var ignored = document.getElementById("enterprise-import-ignored");
  var table = document.getElementById("enterprise-import-errors");

  function csrf() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { statusEl.textContent = "请先选择文件"; return; }
    var data = new FormData();
    data.append("file", file);
    statusEl.textContent = "正在导入 " + file.name + "…";
    result.hidden = true;
    table.hidden = true;
    table.querySelector("tbody").replaceChildren();
    fetch("/api/enterprises/import", {
      method: "POST", headers: { "X-CSRF-Token": csrf() }, body: data, credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          statusEl.textContent = "导入完成";
          summary.textContent = "共 " + body.rows + " 行：新增 " + body.created + " 家，更新 " + body.updated + " 家。";
          var notes = [];
          if (body.ignored_columns && body.ignored_columns.length) { notes.push("未使用的列：" + body.ignored_columns.join("、")); }
          if (body.skipped_sheets && body.skipped_sheets.length) { notes.push("跳过的工作表：" + body.skipped_sheets.join("、")); }
          ignored.textContent = notes.join("；");
          ignored.hidden = notes.length === 0;
          result.hidden = false;
          return;
        }
        var error = body.error || {};
        statusEl.textContent = error.message || ("导入失败（" + response.status + "）");
        var rows = error.fields || [];
        rows.forEach(function (f) {
          var parts = String(f.field || "").split("!");
          var where = parts.length === 3
            ? (parts[0] && parts[0] !== "csv" ? "工作表“" + parts[0] + "”，" : "") + "第 " + parts[1] + " 行，列“" + parts[2] + "”"
            : String(f.field || "");
          var tr = document.createElement("tr");
          tr.appendChild(cell(where));
          tr.appendChild(cell(f.message || ""));
          table.querySelector("tbody").appendChild(tr);
        });
        table.hidden = rows.length === 0;
      });
    }).catch(function () { statusEl.textContent = "网络错误，未能上传"; });
  });
})();
