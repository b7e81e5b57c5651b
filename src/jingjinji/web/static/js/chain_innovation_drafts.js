/* 两链对接建议 on the chain page: for the city chain_innovation.js shows, the pushes of
 * Beijing's patents that could go there (or, for Beijing, all of them) and the demands of the
 * city, from /api/industries/{slug}/innovation/suggestions; an editor drafts one in a click
 * (POST /api/industries/{slug}/innovation/drafts) and gets a link to the draft. */
(function () {
  "use strict";

  var section = document.getElementById("innovation");
  var block = document.getElementById("innovation-suggestions");
  var list = document.getElementById("innovation-suggestion-list");
  if (!section || !block || !list) { return; }
  var slug = section.dataset.slug;
  var canDraft = section.dataset.canDraft === "true";
  var suggestions = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function csrf() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function fetchSuggestions() {
    if (suggestions) { return Promise.resolve(suggestions); }
    return fetch("/api/industries/" + slug + "/innovation/suggestions", { headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error("HTTP " + response.status); } return response.json(); })
      .then(function (body) { suggestions = body; return body; });
  }

  function forCity(items, city) {
    return items.filter(function (item) {
      if (item.kind === "demand") { return item.place === city; }
      return city === "110000" || item.destinations.some(function (d) { return d.place === city; });
    });
  }

  function draftButton(item) {
    var status = el("span", { class: "small muted", "aria-live": "polite" }, []);
    if (!canDraft) { return status; }
    var label = item.kind === "push" ? "起草成果推介清单" : "起草技术需求";
    var button = el("button", { type: "button", class: "button secondary small", "data-draft": item.kind }, [label]);
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "正在起草…";
      var body = { kind: item.kind, segment: item.segment };
      if (item.kind === "demand") { body.place = item.place; }
      fetch("/api/industries/" + slug + "/innovation/drafts", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
        credentials: "same-origin",
        body: JSON.stringify(body),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (payload) {
          if (!response.ok) { throw new Error((payload.error && payload.error.message) || ("HTTP " + response.status)); }
          return payload;
        });
      }).then(function (payload) {
        status.replaceChildren(
          document.createTextNode(payload.created ? "已起草：" : "已有草稿："),
          el("a", { href: "/market/listings/" + payload.listing.id + "/edit", "data-draft-link": String(payload.listing.id) }, [payload.listing.title])
        );
      }).catch(function (error) {
        button.disabled = false;
        status.textContent = "起草失败：" + error.message;
      });
    });
    return el("span", { class: "suggestion-action" }, [button, " ", status]);
  }

  function describe(item) {
    if (item.kind === "push") {
      var owners = item.owners.map(function (o) { return o.name + "（" + o.patents + " 件）"; }).join("、") || "—";
      var places = item.destinations.map(function (d) { return d.place_name + "（" + d.enterprises + " 家企业）"; }).join("、");
      return [
        el("strong", {}, ["成果推送 · " + item.segment_name]),
        el("div", { class: "small" }, [item.reason + "。"]),
        el("div", { class: "small muted" }, ["主要专利权人：" + owners + "；承接地市：" + places]),
      ];
    }
    var sources = item.sources.map(function (s) { return s.place_name + "（" + s.patents + " 件专利）"; }).join("、") || "区域内暂无";
    return [
      el("strong", {}, ["技术需求 · " + item.segment_name]),
      el("div", { class: "small" }, [item.reason + "。"]),
      el("div", { class: "small muted" }, ["可对接的成果来源：" + sources]),
    ];
  }

  document.addEventListener("innovation:loaded", function (event) {
    var payload = event.detail;
    if (!payload.place) { block.hidden = true; return; }
    var city = payload.place.adcode;
    fetchSuggestions().then(function (body) {
      var items = forCity(body.data, city);
      block.hidden = false;
      if (!items.length) {
        list.replaceChildren(el("li", { class: "muted small" }, [payload.place.name + "暂无两链对接建议。"]));
        return;
      }
      list.replaceChildren.apply(list, items.slice(0, 12).map(function (item) {
        return el("li", { class: "innovation-suggestion", "data-kind": item.kind, "data-segment": item.segment },
          describe(item).concat([draftButton(item)]));
      }));
    }).catch(function (error) {
      block.hidden = false;
      list.replaceChildren(el("li", { class: "alert" }, ["建议加载失败：" + error.message]));
    });
  });
})();
