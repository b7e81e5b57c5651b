/* 协同成效: cards, the share of contract value of Beijing's deals going to Tianjin and Hebei
 * next to the source documents' figure, four ECharts time series and the gap list, from
 * /api/loop?industry=&place=. */
(function () {
  "use strict";

  var industrySel = document.getElementById("loop-industry");
  var placeSel = document.getElementById("loop-place");
  var cards = document.getElementById("loop-cards");
  if (!industrySel || !placeSel || !cards || typeof echarts === "undefined") { return; }
  var charts = {};
  var STATUS = { missing: "缺失", thin: "薄弱", present: "具备", strong: "优势" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function pct(value) { return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%"; }
  function wan(value) { return Number(value || 0).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + " 万元"; }

  /* The share of contract value, what it is taken over, and why it is "—" when undefined. */
  function flows(t, notes, sample) {
    document.getElementById("share-value").textContent = pct(t.beijing_deal_value_share);
    var detail;
    if (t.beijing_deal_value_share === null || t.beijing_deal_value_share === undefined) {
      detail = notes.beijing_deal_value_share || "无法计算。";
    } else {
      detail = "依据 " + t.beijing_deals_with_amount + " 项有合同金额的成交：合同金额 " + wan(t.beijing_deal_value) +
        "，其中需求方在津冀 " + wan(t.beijing_deal_value_to_tj_hb) + "、在北京 " +
        wan(t.beijing_deal_value - t.beijing_deal_value_to_tj_hb) + "（北京本地成交共 " + t.beijing_deals_local + " 项）。";
    }
    if (t.beijing_deals_without_amount && t.beijing_deals_with_amount) {
      detail += "另有 " + t.beijing_deals_without_amount + " 项未登记合同金额，不计入金额比重。";
    }
    if (t.beijing_deals_unplaced) {
      detail += "需求方未填地区的 " + t.beijing_deals_unplaced + " 项不计入。";
    }
    if (sample && t.beijing_deal_value_share === 1 && !t.beijing_deals_local) {
      detail += "示例数据中没有需求方在北京的成交，比重因而为 100%，不反映实际情况。";
    }
    document.getElementById("share-value-detail").textContent = detail;
    document.getElementById("share-deals").textContent = pct(t.beijing_deals_count_share);
    document.getElementById("share-deals-detail").textContent =
      (t.beijing_deals_count_share === null || t.beijing_deals_count_share === undefined
        ? (notes.beijing_deals_count_share || "无法计算。")
        : "流向津冀 " + t.beijing_deals_to_tj_hb + " 项，共 " + t.beijing_deals_placed + " 项。") +
      "项数口径，与来源文件的金额比重不可比。";
    document.getElementById("share-investment").textContent = pct(t.beijing_project_investment_share);
  }

  function card(label, value, unit, sub) {
    return el("div", { class: "loop-card" }, [
      el("div", { class: "label" }, [label]),
      el("div", {}, [el("span", { class: "value" }, [String(value)]), el("span", { class: "unit" }, [unit || ""])]),
      el("div", { class: "sub" }, [sub || ""]),
    ]);
  }

  function innovation(summary) {
    var value = document.getElementById("innovation-coupling");
    var detail = document.getElementById("innovation-detail");
    if (!summary) {
      value.textContent = "—";
      detail.textContent = "选择一条产业链和一个地市后显示：各环节专利与企业两个子系统的耦合协调度的平均，以及协同、成果外溢、技术需求、缺口各有几个环节。";
      return;
    }
    var c = summary.cases;
    value.textContent = summary.coordination === null ? "—" : summary.coordination.toFixed(3) + "（" + summary.level + "）";
    detail.textContent = summary.place_name + "：" + summary.segments + " 个环节中，协同 " + c["协同"] +
      " 个、成果外溢 " + c["成果外溢"] + " 个、技术需求 " + c["技术需求"] + " 个、缺口 " + c["缺口"] + " 个。" +
      summary.method + (summary.is_sample ? "；专利为示例数据" : "") + "。";
  }

  function chart(id) {
    var node = document.getElementById(id);
    if (!charts[id]) { charts[id] = echarts.init(node); }
    return charts[id];
  }

  function base(years) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: "category", data: years.map(String) },
    };
  }

  function draw(payload) {
    var t = payload.totals;
    var s = payload.series;
    var years = payload.years;
    var sample = payload.is_sample;
    document.getElementById("loop-sample").hidden = !sample;
    document.querySelectorAll("[data-sample]").forEach(function (n) { n.hidden = !sample; });
    cards.replaceChildren(
      card("产业链缺口", t.gaps, "个", "未补 " + t.gaps_open + " · 已补 " + t.gaps_closed),
      card("技术需求与揭榜", t.demands, "项", "已对接 " + t.demands_matched),
      card("签约成交", t.deals_signed, "项", "已落地 " + t.deals_landed),
      card("协同项目", t.projects, "个", "已投产 " + t.projects_operating + " · 来自对接 " + t.projects_from_matches),
      card("项目投资", t.investment, "亿元", payload.place_name),
      card("成果（该产业链）", t.achievements, "项", "来自北京 " + t.achievements_beijing)
    );
    flows(t, payload.notes || {}, sample);
    innovation(payload.innovation);
    var ref = payload.reference;
    if (ref) {
      document.getElementById("reference-value").textContent = ref.value + ref.unit;
      document.getElementById("reference-subject").textContent = ref.subject + "（" + ref.year + " 年）";
      document.getElementById("reference-source").textContent = ref.citation || ref.provenance;
    }
    var chainLink = document.getElementById("loop-chain-link");
    chainLink.setAttribute("href", payload.industry ? "/chains/" + payload.industry + "?place=" + payload.place : "/chains");

    chart("chart-gaps").setOption(Object.assign(base(years), {
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "未补缺口", type: "line", data: s.gaps_open, itemStyle: { color: "#c05621" } },
        { name: "当年补上", type: "bar", data: s.gaps_closed, itemStyle: { color: "#2f855a" } },
      ],
    }), true);
    chart("chart-deals").setOption(Object.assign(base(years), {
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "技术需求", type: "bar", data: s.demands, itemStyle: { color: "#90cdf4" } },
        { name: "已对接", type: "bar", data: s.demands_matched, itemStyle: { color: "#3182ce" } },
        { name: "签约成交", type: "line", data: s.deals_signed, itemStyle: { color: "#d53f8c" } },
      ],
    }), true);
    chart("chart-projects").setOption(Object.assign(base(years), {
      yAxis: [{ type: "value", name: "个", minInterval: 1 }, { type: "value", name: "亿元" }],
      series: [
        { name: "签约项目", type: "bar", data: s.projects_signed, itemStyle: { color: "#805ad5" } },
        { name: "投产项目", type: "bar", data: s.projects_operating, itemStyle: { color: "#2f855a" } },
        { name: "投资（亿元）", type: "line", yAxisIndex: 1, data: s.investment, itemStyle: { color: "#dd6b20" } },
      ],
    }), true);
    function share(values) { return values.map(function (v) { return v === null ? null : Math.round(v * 1000) / 10; }); }
    chart("chart-flows").setOption(Object.assign(base(years), {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "按合同金额", type: "line", connectNulls: true, data: share(s.beijing_deal_value_share), itemStyle: { color: "#c53030" } },
        { name: "按成交项数", type: "line", connectNulls: true, lineStyle: { type: "dashed" }, data: share(s.beijing_deals_count_share), itemStyle: { color: "#718096" } },
      ],
    }), true);

    var body = document.querySelector("#gap-table tbody");
    if (!payload.gaps.length) {
      body.replaceChildren(el("tr", {}, [el("td", { colspan: "5", class: "muted" }, ["所选范围没有缺口。"])]));
    } else {
      var names = {};
      Array.prototype.forEach.call(industrySel.options, function (o) { names[o.value] = o.textContent; });
      body.replaceChildren.apply(body, payload.gaps.slice(0, 200).map(function (g) {
        return el("tr", { "data-segment": g.segment }, [
          el("td", {}, [names[g.industry] || g.industry]),
          el("td", {}, [el("a", { href: "/chains/" + g.industry + "?place=" + payload.place }, [g.name])]),
          el("td", {}, [STATUS[g.status] || g.status]),
          el("td", {}, [String(g.registry_count)]),
          el("td", {}, [g.closed_year ? g.closed_year + " 年（项目落地）" : "未补"]),
        ]);
      }));
    }
    document.getElementById("loop-toolbar").setAttribute("data-ready", "true");
  }

  function load() {
    var industry = industrySel.value;
    var place = placeSel.value;
    var url = new URL(window.location.href);
    if (industry) { url.searchParams.set("industry", industry); } else { url.searchParams.delete("industry"); }
    url.searchParams.set("place", place);
    window.history.replaceState(null, "", url.toString());
    document.getElementById("loop-toolbar").removeAttribute("data-ready");
    var query = "/api/loop?place=" + encodeURIComponent(place) + (industry ? "&industry=" + encodeURIComponent(industry) : "");
    fetch(query, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(draw)
      .catch(function (error) { cards.replaceChildren(el("p", { class: "alert" }, ["加载失败：" + error.message])); });
  }

  industrySel.addEventListener("change", load);
  placeSel.addEventListener("change", load);
  load();
})();
