/* 产业链 coverage: colours the segment flow drawn by chains.js by the selected place's coverage,
 * shades a map of the prefecture units by completeness, lists a clicked segment's enterprises
 * and fills the 强链·补链·延链 suggestions table.
 * Data: /api/chains/places, /api/industries/{slug}/coverage|suggestions|completeness,
 * /api/enterprises, /api/geo/places.geojson?level=prefecture. */
(function () {
  "use strict";

  var STATUS_COLORS = { strong: "#2f855a", present: "#68d391", thin: "#f6ad55", missing: "#cbd5e0" };
  var STATUS_TEXT = { strong: "#fff", present: "#1a202c", thin: "#1a202c", missing: "#4a5568" };
  /* 不确定: a status fewer than 80% of the bootstrap resamples of the registry agree with
   * (status_stability, jingjinji.chains.uncertainty). */
  var UNCERTAIN_STYLE = { fontSize: 10, lineHeight: 12, color: "#744210", backgroundColor: "#fefcbf", borderRadius: 2, padding: [0, 3] };
  var toolbar = document.getElementById("coverage-toolbar");
  var graphEl = document.getElementById("chain-graph");
  if (!toolbar || !graphEl || typeof echarts === "undefined") { return; }
  var slug = toolbar.getAttribute("data-slug");
  var select = document.getElementById("coverage-place");
  var summary = document.getElementById("coverage-summary");
  var listPanel = document.getElementById("coverage-enterprises");
  var table = document.getElementById("suggestion-table");
  var exportLink = document.getElementById("coverage-export");
  var mapEl = document.getElementById("coverage-map");
  var toolbarEl = document.getElementById("coverage-toolbar");
  var opening = (toolbarEl && toolbarEl.getAttribute("data-opening-place")) || "region";
  var state = { place: new URLSearchParams(window.location.search).get("place") || opening, coverage: null };
  var mapChart = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function fillPlaces(options) {
    var groups = { region: "全域", province: "省级", prefecture: "地市", corridor: "产业廊道", group: "自定义地区", county: "区县" };
    select.replaceChildren();
    Object.keys(groups).forEach(function (level) {
      var members = options.filter(function (o) { return o.level === level; });
      if (!members.length) { return; }
      var group = el("optgroup", { label: groups[level] });
      members.forEach(function (o) {
        var label = o.parent ? o.parent + " · " + o.name : o.name;
        group.appendChild(el("option", { value: o.key }, [label]));
      });
      select.appendChild(group);
    });
    select.value = state.place;
    if (select.value !== state.place) { state.place = "region"; select.value = "region"; }
  }

  /* Colour the nodes of the graph chains.js drew (wait until it is ready). */
  function colourGraph(attempt) {
    var chart = echarts.getInstanceByDom(graphEl);
    if (!chart || graphEl.getAttribute("data-ready") !== "true") {
      if ((attempt || 0) < 100) { window.setTimeout(function () { colourGraph((attempt || 0) + 1); }, 100); }
      return;
    }
    var bySlug = {};
    state.coverage.segments.forEach(function (s) { bySlug[s.segment] = s; });
    var option = chart.getOption();
    var data = option.series[0].data.map(function (node) {
      var row = bySlug[node.id];
      if (!row) { return node; }
      node.itemStyle = { color: STATUS_COLORS[row.status], borderColor: "#2d3748", borderWidth: row.key_count ? 2 : 0 };
      node.label = row.status_uncertain
        ? { color: STATUS_TEXT[row.status], formatter: "{n|" + row.name + " " + row.count + "}\n{u|不确定}",
            rich: { n: { color: STATUS_TEXT[row.status], lineHeight: 16 }, u: UNCERTAIN_STYLE } }
        : { color: STATUS_TEXT[row.status], formatter: row.name + " " + row.count };
      return node;
    });
    chart.setOption({
      series: [{ data: data }],
      tooltip: {
        formatter: function (params) {
          if (params.dataType !== "node") { return ""; }
          var row = bySlug[params.data.id];
          if (!row) { return params.data.name; }
          return row.name + "（" + row.status_zh + "）<br>企业 " + row.count + " 家，重点企业 " +
            row.key_count + " 家<br>区位商 " + row.lq.toFixed(2) + "，密度 " + row.density.toFixed(2) +
            "<br>象限：" + row.quadrant_zh + stabilityLine(row, "<br>") +
            (row.projects || row.deals ? "<br>协同项目 " + (row.projects || 0) + " 个（投产 " +
              (row.projects_operating || 0) + " 个，已计入企业数，标为项目落地），签约成交 " + (row.deals || 0) + " 项" : "");
        },
      },
    });
    if (!graphEl.getAttribute("data-coverage-click")) {
      graphEl.setAttribute("data-coverage-click", "true");
      chart.on("click", function (params) {
        if (params.dataType === "node") { loadEnterprises(params.data.id); }
      });
    }
    graphEl.setAttribute("data-coverage", state.place);
  }

  /* "自助抽样中 63% 的结果与此相同" (the share of resamples giving the status shown). */
  function stabilityText(row) {
    return "自助抽样中 " + Math.round(row.status_stability * 100) + "% 的结果与此相同";
  }

  function stabilityLine(row, prefix) {
    if (!row || row.status_stability === null || row.status_stability === undefined) { return ""; }
    var method = state.coverage && state.coverage.stability;
    var detail = method ? "（重抽企业名录 " + method.resamples + " 次，低于 " + Math.round(method.threshold * 100) + "% 标为不确定）" : "";
    return prefix + (row.status_uncertain ? "不确定：" : "") + stabilityText(row) + detail;
  }

  function uncertainBadge(row) {
    return el("span", { class: "uncertain-badge", title: stabilityText(row) }, ["不确定"]);
  }

  function loadEnterprises(segment) {
    var row = null;
    (state.coverage ? state.coverage.segments : []).forEach(function (s) { if (s.segment === segment) { row = s; } });
    var name = row ? row.name : segment;
    listPanel.replaceChildren(el("h2", {}, ["环节企业：" + name]), el("p", { class: "muted" }, ["加载中…"]));
    var url = "/api/enterprises?segment=" + encodeURIComponent(segment) + "&place=" +
      encodeURIComponent(state.place) + "&limit=30";
    getJSON(url).then(function (payload) {
      var title = el("h2", {}, ["环节企业：" + name]);
      var why = row && row.count !== payload.count
        ? "；图中环节数 " + row.count + " 另含投产的协同项目" + (row.projects_operating ? " " + row.projects_operating + " 个" : "")
        : "";
      var note = el("p", { class: "muted small" }, [select.options[select.selectedIndex].text + "，名录企业共 " + payload.count + " 家（显示前 " + payload.data.length + " 家，重点企业在前" + why + "）"]);
      if (row) {
        var status = el("p", { class: "small segment-status" }, ["状态：" + row.status_zh]);
        if (row.status_uncertain) { status.appendChild(document.createTextNode(" ")); status.appendChild(uncertainBadge(row)); }
        if (row.status_stability !== null && row.status_stability !== undefined) {
          status.appendChild(el("span", { class: "muted" }, ["（" + stabilityText(row) + "）"]));
        }
        note = el("div", {}, [note, status]);
      }
      if (!payload.data.length) {
        listPanel.replaceChildren(title, note, el("p", { class: "muted" }, ["所选地区该环节暂无企业。"]));
        addActivity(row);
        return;
      }
      var list = el("ul", { class: "enterprise-list" }, payload.data.map(function (e) {
        var tags = e.tags.filter(function (t) { return t === "链主" || t === "小巨人" || t === "单项冠军"; });
        var children = [el("strong", {}, [e.name]), " ", el("span", { class: "muted small" }, [e.place_name])];
        tags.forEach(function (t) { children.push(" "); children.push(el("span", { class: "chip key-tag" }, [t])); });
        if (e.is_sample) { children.push(" "); children.push(el("span", { class: "sample-badge" }, ["示例数据"])); }
        children.push(el("div", { class: "muted small" }, [e.products || e.scope]));
        return el("li", {}, children);
      }));
      listPanel.replaceChildren(title, note, list);
      addActivity(row);
    }).catch(function (error) {
      listPanel.replaceChildren(el("h2", {}, ["环节企业"]), el("p", { class: "alert" }, ["加载失败：" + error.message]));
    });
  }

  /* 闭环: the projects and deals addressing the segment in the place (投产 projects count). */
  function addActivity(row) {
    if (!row || !(row.items || []).length) { return; }
    var label = { project: "项目", deal: "成交" };
    listPanel.appendChild(el("h3", { class: "activity-title" }, ["协同项目与成交（项目 " + row.projects + "，投产 " +
      row.projects_operating + "，成交 " + row.deals + "）"]));
    listPanel.appendChild(el("ul", { class: "enterprise-list activity-list" }, row.items.map(function (item) {
      var link = item.kind === "project" ? "/projects" : "/market";
      return el("li", {}, [el("span", { class: "chip" }, [label[item.kind] + " · " + item.stage]), " ",
        el("a", { href: link }, [item.name]),
        item.kind === "project" && item.stage === "投产" ? el("span", { class: "muted small" }, ["（已计入企业数：项目落地）"]) : ""]);
    })));
  }

  function fillSuggestions(payload) {
    var body = table.querySelector("tbody");
    if (!payload.data.length) {
      body.replaceChildren(el("tr", {}, [el("td", { colspan: "6", class: "muted" }, ["暂无建议：各环节均已具备且有重点企业。"])]));
      return;
    }
    body.replaceChildren.apply(body, payload.data.map(function (item, index) {
      var partners = el("ol", { class: "partner-list" }, item.partners.slice(0, 3).map(function (p) {
        return el("li", {}, [p.name + "（" + p.prefecture + (p.prefecture === p.county_name ? "" : p.county_name) + "，" +
          Math.round(p.distance_km) + " km" + (p.same_corridor ? "，同廊道" : "") + "）"]);
      }));
      return el("tr", { "data-id": item.id }, [
        el("td", {}, [String(index + 1)]),
        el("td", {}, [el("span", { class: "kind kind-" + item.kind }, [item.kind_zh])]),
        el("td", {}, [item.segment_name]),
        el("td", {}, [item.reason]),
        el("td", {}, [partners]),
        el("td", { class: "draft-cell" }, draftButtons(item)),
      ]);
    }));
  }

  /* 闭环: a signed-in editor drafts a demand or a 揭榜挂帅 call from the gap and sees the
   * Beijing and Tianjin achievements that match it. */
  var canDraft = table.getAttribute("data-can-draft") === "true";
  function draftButtons(item) {
    if (!canDraft || !/^\d{6}$/.test(state.place)) { return []; }
    return [
      el("button", { type: "button", class: "button small", "data-draft": item.id, "data-kind": "demand" }, ["生成需求"]),
      el("button", { type: "button", class: "button small secondary", "data-draft": item.id, "data-kind": "challenge" }, ["发榜"]),
    ];
  }

  table.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-draft]");
    if (!button) { return; }
    var row = button.closest("tr");
    var id = button.getAttribute("data-draft");
    button.disabled = true;
    fetch("/api/industries/" + encodeURIComponent(slug) + "/suggestions/" + encodeURIComponent(id) + "/demand", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": table.getAttribute("data-csrf") },
      body: JSON.stringify({ kind: button.getAttribute("data-kind") }),
    }).then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        button.disabled = false;
        if (!res.ok) { throw new Error((res.body.error && res.body.error.message) || "失败"); }
        var d = res.body;
        var old = row.nextSibling && row.nextSibling.classList && row.nextSibling.classList.contains("draft-row") ? row.nextSibling : null;
        var matches = d.matches.length ? el("ol", { class: "partner-list" }, d.matches.slice(0, 5).map(function (m) {
          var why = m.reasons.slice(0, 3).map(function (r) { return r.label + (r.detail ? "：" + r.detail : ""); }).join("；");
          return el("li", {}, [el("a", { href: "/market/listings/" + m.listing.id }, [m.listing.title]),
            "（" + (m.listing.place_name || "") + "，得分 " + m.score.toFixed(2) + "）", el("div", { class: "muted small" }, [why])]);
        })) : el("p", { class: "muted" }, ["京津暂无匹配的成果。"]);
        var cell = el("td", { colspan: "6" }, [
          el("strong", {}, [(d.created ? "已生成草稿：" : "已有草稿：")]),
          el("a", { href: "/market/listings/" + d.listing.id, "data-listing": String(d.listing.id) }, [d.listing.title]),
          el("span", { class: "muted small" }, ["（" + d.listing.kind_label + "，草稿，请补充后发布）"]),
          el("div", { class: "small" }, ["京津已有的匹配成果（" + d.count + "）："]), matches,
        ]);
        var added = el("tr", { class: "draft-row", "data-for": id }, [cell]);
        if (old) { old.replaceWith(added); } else { row.after(added); }
      })
      .catch(function (error) { button.disabled = false; window.alert("生成失败：" + error.message); });
  });

  function drawMap(geo, completeness) {
    if (!mapEl) { return; }
    echarts.registerMap("jjj-prefecture", geo);
    var values = completeness.data.map(function (d) {
      return { name: d.name, adcode: d.adcode, value: Math.round(d.completeness * 100), count: d.count, present: d.present, segments: d.segments };
    });
    var nameOf = {};
    geo.features.forEach(function (f) { nameOf[f.properties.adcode] = f.properties.name; });
    values.forEach(function (v) { v.name = nameOf[v.adcode] || v.name; });
    if (!mapChart) {
      mapChart = echarts.init(mapEl);
    }
    mapChart.setOption({
      tooltip: {
        formatter: function (p) {
          if (!p.data) { return p.name; }
          return p.name + "<br>完整度 " + p.data.value + "%（" + p.data.present + "/" + p.data.segments + " 个环节）<br>企业 " + p.data.count + " 家";
        },
      },
      visualMap: { min: 0, max: 100, left: 8, bottom: 8, text: ["100%", "0%"], calculable: false, inRange: { color: ["#f7fafc", "#9ae6b4", "#276749"] } },
      series: [{
        type: "map", map: "jjj-prefecture", roam: false, selectedMode: "single",
        // a light box under every label: legible on the darkest green as on white
        label: { show: true, fontSize: 11, color: "#1a202c", backgroundColor: "rgba(255,255,255,0.85)",
          padding: [1, 3], borderRadius: 3,
          formatter: function (p) { return p.data ? p.name + " " + p.data.value + "%" : p.name; } },
        emphasis: { label: { show: true } },
        data: values,
      }],
    });
    mapChart.off("click");
    mapChart.on("click", function (p) {
      if (p.data && p.data.adcode) { select.value = p.data.adcode; select.dispatchEvent(new Event("change")); }
    });
    highlightMap();
    mapEl.setAttribute("data-ready", "true");
  }

  function highlightMap() {
    if (!mapChart) { return; }
    mapChart.dispatchAction({ type: "unselect", seriesIndex: 0, dataIndex: [] });
    var option = mapChart.getOption();
    option.series[0].data.forEach(function (d, i) {
      if (d.adcode === state.place) { mapChart.dispatchAction({ type: "select", seriesIndex: 0, dataIndex: i }); }
    });
  }

  function yearQuery() { return state.year ? "&year=" + encodeURIComponent(state.year) : ""; }

  function load() {
    var place = encodeURIComponent(state.place);
    exportLink.setAttribute("href", "/api/industries/" + encodeURIComponent(slug) + "/chain-map.xlsx?place=" + place);
    var loopLink = document.getElementById("loop-link");
    if (loopLink) { loopLink.setAttribute("href", "/loop?industry=" + encodeURIComponent(slug) + (/^\d{6}$/.test(state.place) ? "&place=" + place : "")); }
    summary.textContent = "加载中…";
    getJSON("/api/industries/" + encodeURIComponent(slug) + "/coverage?place=" + place + yearQuery()).then(function (payload) {
      state.coverage = payload;
      var counts = payload.status_counts;
      summary.textContent = payload.place.name + (state.year ? "（截至 " + state.year + " 年末）" : "") + "：完整度 " + Math.round(payload.completeness * 100) + "%，企业 " +
        payload.enterprise_count + " 家；优势 " + counts.strong + "、具备 " + counts.present + "、薄弱 " + counts.thin + "、缺失 " + counts.missing;
      var uncertain = (payload.segments || []).filter(function (s) { return s.status_uncertain; });
      if (uncertain.length) {
        summary.appendChild(document.createTextNode("；"));
        summary.appendChild(el("span", {
          class: "uncertain-badge", id: "coverage-uncertain",
          title: "自助抽样（重抽企业名录 " + payload.stability.resamples + " 次）中与所示状态相同的比例低于 " +
            Math.round(payload.stability.threshold * 100) + "% 的环节：" + uncertain.map(function (s) { return s.name; }).join("、"),
        }, ["不确定 " + uncertain.length + " 个"]));
      }
      document.getElementById("coverage-sample").hidden = !payload.is_sample;
      colourGraph(0);
      highlightMap();
    }).catch(function (error) { summary.textContent = "覆盖情况加载失败：" + error.message; });
    getJSON("/api/industries/" + encodeURIComponent(slug) + "/suggestions?place=" + place + yearQuery())
      .then(fillSuggestions)
      .catch(function (error) {
        table.querySelector("tbody").replaceChildren(el("tr", {}, [el("td", { colspan: "6", class: "alert" }, ["建议加载失败：" + error.message])]));
      });
  }

  select.addEventListener("change", function () {
    state.place = select.value;
    var url = new URL(window.location.href);
    url.searchParams.set("place", state.place);
    window.history.replaceState(null, "", url.toString());
    load();
  });

  var yearSelect = document.getElementById("coverage-year");
  state.year = new URL(window.location.href).searchParams.get("year") || "";
  if (yearSelect) {
    yearSelect.value = state.year;
    yearSelect.addEventListener("change", function () {
      state.year = yearSelect.value;
      var url = new URL(window.location.href);
      if (state.year) { url.searchParams.set("year", state.year); } else { url.searchParams.delete("year"); }
      window.history.replaceState(null, "", url.toString());
      load();
      loadMap();
    });
  }

  getJSON("/api/chains/places").then(function (payload) { fillPlaces(payload.data); load(); })
    .catch(function () { load(); });
  function loadMap() {
    Promise.all([
      getJSON("/api/geo/places.geojson?level=prefecture"),
      getJSON("/api/industries/" + encodeURIComponent(slug) + "/completeness?level=prefecture" + yearQuery()),
    ]).then(function (parts) { drawMap(parts[0], parts[1]); })
      .catch(function (error) { if (mapEl) { mapEl.replaceChildren(el("p", { class: "alert" }, ["地图加载失败：" + error.message])); } });
  }
  loadMap();
})();
