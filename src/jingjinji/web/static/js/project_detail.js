/* 项目页面: the origin → destination map, the edit form and the stage controls of a project's
 * owners (PATCH /api/projects/{id}); also the shared reading of a project form
 * (window.jjjProjectForm), used by the 新建项目 form of the 项目库 page. */
(function () {
  "use strict";

  var LABELS = {
    name: "项目名称", origin_adcode: "来源地", destination_adcode: "落地地", industry: "产业链",
    segments: "产业链环节", investment: "投资额", stage: "阶段", platform: "承接平台", park: "园区",
    signed_on: "签约日期", started_on: "开工日期", operating_on: "投产日期", terminated_on: "终止日期",
    enterprises: "涉及企业", source: "记录来源", match_id: "来源对接编号", reason: "终止原因",
  };
  var FIELD_ALIASES = { origin: "origin_adcode", destination: "destination_adcode" };
  var STAGE_DATES = { "签约": "signed_on", "开工": "started_on", "投产": "operating_on", "终止": "terminated_on" };

  function csrf() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* Segment choices follow the chosen industry. */
  function bindSegments(form) {
    var select = form.querySelector("[data-industry-select]");
    var box = form.querySelector("[data-segments]");
    if (!select || !box) { return; }
    function show() {
      Array.prototype.forEach.call(box.querySelectorAll("label[data-industry]"), function (label) {
        var mine = label.getAttribute("data-industry") === select.value;
        label.hidden = !mine;
        if (!mine) { label.querySelector("input").checked = false; }
      });
    }
    select.addEventListener("change", show);
  }

  function value(form, name) {
    var el = form.elements[name];
    return el && typeof el.value === "string" ? el.value.trim() : "";
  }

  /* The JSON body of a project form; empty optional fields become null (or are left out). */
  function read(form, options) {
    var body = {};
    var opts = options || {};
    body.name = value(form, "name");
    body.origin_adcode = value(form, "origin_adcode");
    body.destination_adcode = value(form, "destination_adcode");
    ["industry", "platform", "park"].forEach(function (key) { body[key] = value(form, key) || null; });
    var investment = value(form, "investment");
    if (investment !== "") { body.investment = Number(investment); } else if (!opts.create) { body.investment = null; }
    body.segments = Array.prototype.filter.call(form.querySelectorAll("input[name=segments]"), function (box) {
      return box.checked && !box.closest("label").hidden;
    }).map(function (box) { return box.value; });
    ["signed_on", "started_on", "operating_on"].forEach(function (key) {
      if (form.elements[key]) { body[key] = value(form, key) || null; }
    });
    body.enterprises = value(form, "enterprises").split(/\n+/).map(function (s) { return s.trim(); })
      .filter(function (s) { return s.length > 0; });
    body.source = value(form, "source");
    if (form.elements.stage) { body.stage = value(form, "stage"); }
    if (form.elements.match_id && value(form, "match_id") !== "") { body.match_id = Number(value(form, "match_id")); }
    return body;
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".invalid"), function (el) { el.classList.remove("invalid"); });
  }

  function chinese(text) { return /[\u4e00-\u9fff]/.test(text || ""); }

  /* Mark each field the API named; the status line gets the message. */
  function showErrors(form, statusEl, status, body) {
    var error = (body && body.error) || {};
    var fields = error.fields || [];
    var message = error.message || ("保存失败（" + status + "）");
    if (status === 409 && !chinese(error.message)) { message = "项目已被他人修改，请刷新页面后重试"; }
    if (status === 401) { message = "登录已失效，请重新登录"; }
    statusEl.textContent = message;
    statusEl.classList.add("error-text");
    fields.forEach(function (f) {
      var parts = String(f.field || "").split(".");
      var name = parts[0] === "body" ? parts[1] : parts[parts.length - 1];
      name = FIELD_ALIASES[name] || name;
      var el = form.querySelector("[name=" + name + "]");
      if (!el) { return; }
      var holder = el.closest("label, fieldset") || el;
      holder.classList.add("invalid");
      var note = document.createElement("span");
      note.className = "field-error";
      var empty = typeof el.value === "string" && el.value.trim() === "";
      note.textContent = chinese(f.message) ? f.message : (empty ? "请填写" : "") + (LABELS[name] || "此项") + (empty ? "" : "格式不正确");
      holder.appendChild(note);
    });
  }

  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (payload) {
        return { ok: response.ok, status: response.status, body: payload };
      });
    });
  }

  /* Submit a project form: busy state, errors marked, ``done`` on success. */
  function submit(form, statusEl, method, url, body, done) {
    var button = form.querySelector("button[type=submit]");
    clearErrors(form);
    statusEl.classList.remove("error-text");
    statusEl.textContent = "正在保存…";
    if (button) { button.disabled = true; }
    return send(method, url, body).then(function (result) {
      if (result.ok) { statusEl.textContent = "已保存"; done(result.body); return; }
      if (button) { button.disabled = false; }
      showErrors(form, statusEl, result.status, result.body);
    }).catch(function () {
      if (button) { button.disabled = false; }
      statusEl.textContent = "网络错误，未能保存";
      statusEl.classList.add("error-text");
    });
  }

  window.jjjProjectForm = { read: read, submit: submit, bindSegments: bindSegments };

  /* ---------------------------------------------------------------- the project page */
  var source = document.getElementById("project-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var url = "/api/projects/" + data.id;

  function routeMap() {
    var el = document.getElementById("project-route");
    if (!el || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el);
    var origin = data.route.origin, destination = data.route.destination;
    var points = [origin, destination].filter(function (p) { return p.value; });
    var series = [
      {
        type: "effectScatter", coordinateSystem: "geo", data: points, symbolSize: 10,
        rippleEffect: { scale: 3, brushType: "stroke" },
        itemStyle: { color: "#d9822b" },
        label: { show: true, formatter: "{b}", position: "right", fontSize: 12, color: "#1f2933" },
      },
    ];
    if (origin.value && destination.value) {
      series.push({
        type: "lines", coordinateSystem: "geo", symbol: ["none", "arrow"], symbolSize: 10,
        lineStyle: { color: "#0b4a8b", width: 2, curveness: 0.25 },
        data: [{ coords: [origin.value, destination.value] }],
      });
    }
    function draw(withMap) {
      var option = { tooltip: { trigger: "item", formatter: function (p) { return p.name || (origin.name + " → " + destination.name); } }, series: series };
      if (withMap) {
        option.geo = { map: "jjj-prefecture", roam: false, layoutCenter: ["50%", "50%"], layoutSize: "95%",
          itemStyle: { areaColor: "#eef3f9", borderColor: "#9fb3c8" }, emphasis: { disabled: true } };
      } else {
        series.forEach(function (s) { s.coordinateSystem = "cartesian2d"; });
        option.xAxis = { type: "value", scale: true, name: "经度" };
        option.yAxis = { type: "value", scale: true, name: "纬度" };
      }
      chart.setOption(option);
      el.setAttribute("data-ready", "true");
    }
    fetch("/api/geo/places.geojson?level=prefecture")
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
      .then(function (geojson) { echarts.registerMap("jjj-prefecture", geojson); draw(true); })
      .catch(function () { draw(false); });
  }

  function editForm() {
    var form = document.getElementById("project-edit");
    if (!form) { return; }
    bindSegments(form);
    var statusEl = document.getElementById("edit-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = read(form, { create: false });
      body.version = data.version;
      submit(form, statusEl, "PATCH", url, body, function () { window.location.reload(); });
    });
  }

  function stageForm() {
    var form = document.getElementById("stage-form");
    if (!form) { return; }
    var statusEl = document.getElementById("stage-status");
    var date = document.getElementById("stage-date");
    var reason = document.getElementById("stage-reason");
    var hint = document.getElementById("stage-reason-hint");
    date.value = today();
    function chosen() {
      var checked = form.querySelector("input[name=stage]:checked");
      return checked ? checked.value : "";
    }
    function update() {
      var stage = chosen();
      var field = STAGE_DATES[stage];
      date.closest("label").hidden = !field;
      date.closest("label").firstChild.textContent = field ? LABELS[field] : "日期";
      hint.textContent = stage === "终止" ? "（必填）" : "（可选）";
      reason.required = stage === "终止";
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[name=stage]"), function (radio) {
      radio.addEventListener("change", update);
    });
    update();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var stage = chosen();
      var body = { stage: stage, version: data.version };
      var text = reason.value.trim();
      if (text) { body.reason = text; }
      if (STAGE_DATES[stage] && date.value) { body[STAGE_DATES[stage]] = date.value; }
      if (stage === "终止" && !text) {
        clearErrors(form);
        showErrors(form, statusEl, 422, { error: { message: "终止项目须填写终止原因", fields: [{ field: "body.reason", message: "终止项目须填写终止原因" }] } });
        return;
      }
      submit(form, statusEl, "PATCH", url, body, function () { window.location.reload(); });
    });
  }

  routeMap();
  editForm();
  stageForm();
  // the forms are bound: browser tests and scripts wait for this, not for a time
  var detail = document.getElementById("project-detail");
  if (detail) { detail.setAttribute("data-ready", "true"); }
})();
