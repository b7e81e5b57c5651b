/* 批量导入: each form[data-import-url] posts the chosen file there and shows what happened
 * (created, updated, unchanged or added; columns ignored) or every problem, located. */
(function () {
  "use strict";

  function csrf() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function where(field) {
    var text = String(field || "");
    var parts = text.split("!");
    if (parts.length === 2 && parts[1].indexOf(":") > 0) {
      parts = [parts[0], parts[1].slice(0, parts[1].indexOf(":")), parts[1].slice(parts[1].indexOf(":") + 1)];
    }
    if (parts.length !== 3) { return text; }
    return (parts[0] && parts[0] !== "csv" ? "工作表“" + parts[0] + "”，" : "") + "第 " + parts[1] + " 行，列“" + parts[2] + "”";
  }

  function summarise(body, unit) {
    if (typeof body.added === "number") {
      return "新增 " + body.added + " 条，更新 " + (body.updated || 0) + " 条，未变 " + (body.unchanged || 0) + " 条。";
    }
    var parts = [];
    if (typeof body.rows === "number") { parts.push("共 " + body.rows + " 行"); }
    var counted = " " + (unit || (body.rows !== undefined ? "家" : "条"));
    parts.push("新增 " + (body.created || 0) + counted);
    parts.push("更新 " + (body.updated || 0) + counted);
    if (typeof body.unchanged === "number") { parts.push("未变 " + body.unchanged + " 条"); }
    if (typeof body.on_segments === "number") {
      parts.push("归入产业环节 " + body.on_segments + counted);
      parts.push("按企业名录定位 " + (body.located_by_registry || 0) + counted);
      parts.push("京津冀以外或未能定位 " + (body.unlocated || 0) + counted);
    }
    return parts.join("，") + "。";
  }

  function setup(form) {
    var root = form.closest("section") || document;
    var statusEl = root.querySelector(".import-status");
    var result = root.querySelector(".import-result");
    var summary = root.querySelector(".import-summary");
    var ignored = root.querySelector(".import-ignored");
    var table = root.querySelector(".import-errors");
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
      fetch(form.dataset.importUrl, {
        method: "POST", headers: { "X-CSRF-Token": csrf() }, body: data, credentials: "same-origin",
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) {
            statusEl.textContent = "导入完成";
            summary.textContent = summarise(body, form.dataset.unit);
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
            var tr = document.createElement("tr");
            tr.appendChild(cell(f.sheet !== undefined ? where((f.sheet || "csv") + "!" + f.row + "!" + f.column) : where(f.field)));
            tr.appendChild(cell(f.message || ""));
            table.querySelector("tbody").appendChild(tr);
          });
          table.hidden = rows.length === 0;
        });
      }).catch(function () { statusEl.textContent = "网络错误，未能上传"; });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-import-url]"), setup);
})();
