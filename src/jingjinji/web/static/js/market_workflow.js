// 供需对接 workflow: 揭榜挂帅 actions, 关注 buttons, inbox, statistics trends, bulk import.
// Text from the server or the user is always inserted with textContent, never as HTML.
// Loaded once per page even when several fragments include it.
(function () {
  "use strict";
  if (window.__jjjMarketWorkflow) return;
  window.__jjjMarketWorkflow = true;

  function csrf() {
    const input = document.getElementById("csrf-token");
    if (input && input.value) return input.value;
    const form = document.querySelector("input[name=csrf_token]");
    return form ? form.value : "";
  }

  function errorText(data, fallback) {
    const error = (data && data.error) || {};
    return error.message || fallback;
  }

  async function send(method, url, body) {
    const options = { method, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(errorText(data, "操作失败")), { data });
    return data;
  }

  function status(el, text, bad) {
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("danger", Boolean(bad));
  }

  // -- 揭榜挂帅 ---------------------------------------------------------------------------
  function setupChallenge(root) {
    const id = root.dataset.challengeId;
    const base = "/api/challenges/" + id;
    const ownerStatus = document.getElementById("owner-status");
    const advance = async (body) => {
      status(ownerStatus, "正在提交…");
      try {
        await send("POST", base + "/transitions", { ...body, version: Number(root.dataset.version) });
        window.location.reload();
      } catch (err) {
        status(ownerStatus, err.message, true);
        window.alert(err.message);
      }
    };
    document.querySelectorAll("[data-advance]").forEach((button) => {
      button.addEventListener("click", () => {
        const body = { to: button.dataset.advance };
        const reward = document.getElementById("reward-paid");
        if (body.to === "验收" && reward) {
          if (reward.value === "") { status(ownerStatus, "请填写兑现的奖励金额", true); return; }
          body.reward_paid = Number(reward.value);
        }
        advance(body);
      });
    });
    document.querySelectorAll("[data-select]").forEach((button) => {
      button.addEventListener("click", () => advance({ to: "立项", application_id: Number(button.dataset.select) }));
    });
    document.querySelectorAll("[data-complete]").forEach((button) => {
      button.addEventListener("click", async () => {
        try {
          await send("POST", base + "/milestones/" + button.dataset.complete + "/complete");
          window.location.reload();
        } catch (err) { status(ownerStatus, err.message, true); }
      });
    });
    const milestoneForm = document.getElementById("milestone-form");
    if (milestoneForm) {
      milestoneForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        const body = { title: milestoneForm.elements.title.value.trim() };
        if (milestoneForm.elements.due.value) body.due = milestoneForm.elements.due.value;
        try {
          await send("POST", base + "/milestones", body);
          window.location.reload();
        } catch (err) { status(ownerStatus, err.message, true); }
      });
    }
    const applyForm = document.getElementById("apply-form");
    if (applyForm) {
      const applyStatus = document.getElementById("apply-status");
      applyForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        status(applyStatus, "正在提交…");
        try {
          await send("POST", base + "/applications", { plan: applyForm.elements.plan.value.trim() });
          window.location.reload();
        } catch (err) { status(applyStatus, err.message, true); }
      });
    }
  }

  // -- 关注 and inbox ---------------------------------------------------------------------
  async function setupFollows(chips) {
    let follows = [];
    try { follows = (await send("GET", "/api/follows")).data; } catch (err) { return; }
    const key = (kind, target) => kind + ":" + target;
    const followed = new Set(follows.map((f) => key(f.target_kind, f.target)));
    const paint = (chip) => {
      const on = followed.has(key(chip.dataset.followKind, chip.dataset.followTarget));
      chip.classList.toggle("on", on);
      chip.setAttribute("aria-pressed", on ? "true" : "false");
      chip.title = on ? "已关注，点击取消" : "点击关注";
    };
    chips.forEach((chip) => {
      paint(chip);
      chip.addEventListener("click", async () => {
        const kind = chip.dataset.followKind;
        const target = chip.dataset.followTarget;
        try {
          if (followed.has(key(kind, target))) {
            const query = new URLSearchParams({ target_kind: kind, target });
            await send("DELETE", "/api/follows?" + query.toString());
            followed.delete(key(kind, target));
          } else {
            await send("POST", "/api/follows", { target_kind: kind, target });
            followed.add(key(kind, target));
          }
          paint(chip);
        } catch (err) { window.alert(err.message); }
      });
    });
  }

  function setupInbox(list) {
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-read]");
      if (!button) return;
      try {
        await send("POST", "/api/inbox/" + button.dataset.read + "/read");
        button.closest("li").classList.remove("unread");
        button.remove();
        const count = document.getElementById("unread-count");
        if (count) count.textContent = String(Math.max(0, Number(count.textContent) - 1));
      } catch (err) { window.alert(err.message); }
    });
    document.querySelectorAll("[data-unfollow-kind]").forEach((button) => {
      button.addEventListener("click", async () => {
        const query = new URLSearchParams({ target_kind: button.dataset.unfollowKind, target: button.dataset.unfollowTarget });
        try {
          await send("DELETE", "/api/follows?" + query.toString());
          button.closest("li").remove();
        } catch (err) { window.alert(err.message); }
      });
    });
  }

  // -- statistics trends ------------------------------------------------------------------
  const KINDS = { achievement: "科技成果", demand: "技术需求", challenge: "揭榜挂帅", instrument: "仪器共享" };

  function setupTrends(root) {
    if (typeof echarts === "undefined") return;
    const charts = {};
    const chart = (id) => (charts[id] = charts[id] || echarts.init(document.getElementById(id)));
    const title = (text) => ({ text, left: 0, top: 0, textStyle: { fontSize: 14 } });
    async function load(period) {
      const stats = await send("GET", "/api/market/statistics?period=" + period);
      const t = stats.trends;
      document.getElementById("trends-sample").hidden = !t.is_sample;
      chart("chart-published").setOption({
        title: title("各类信息发布数量"), tooltip: { trigger: "axis" },
        legend: { bottom: 0, type: "scroll", data: Object.values(KINDS) }, grid: { top: 36, left: 40, right: 10, bottom: 56 },
        xAxis: { type: "category", data: t.periods }, yAxis: { type: "value" },
        series: Object.keys(KINDS).map((k) => ({ name: KINDS[k], type: "bar", stack: "all", data: t.published[k] || [] })),
      }, true);
      chart("chart-rates").setOption({
        title: title("对接率与签约率（按需求发布期）"), tooltip: { trigger: "axis", valueFormatter: (v) => (v * 100).toFixed(1) + "%" },
        legend: { bottom: 0, type: "scroll", data: ["对接率", "签约率"] }, grid: { top: 36, left: 50, right: 10, bottom: 56 },
        xAxis: { type: "category", data: t.periods },
        yAxis: { type: "value", axisLabel: { formatter: (v) => Math.round(v * 100) + "%" } },
        series: [
          { name: "对接率", type: "line", data: t.matching_rates },
          { name: "签约率", type: "line", data: t.signing_rates },
        ],
      }, true);
      const places = t.by_place.slice(0, 14).reverse();  // the 14 units, 雄安新区 among them
      chart("chart-places").setOption({
        title: title("按地区（地级）"), tooltip: {}, grid: { top: 40, left: 70, right: 44, bottom: 20 },
        xAxis: { type: "value" },
        // every unit labelled: ECharts otherwise drops every other name when they are crowded
        yAxis: { type: "category", data: places.map((p) => p.name), axisLabel: { interval: 0, fontSize: 12 } },
        series: [{ type: "bar", data: places.map((p) => p.count), itemStyle: { color: "#0b4a8b" },
          label: { show: true, position: "right", fontSize: 11 } }],
      }, true);
      const declines = Object.entries(stats.declines || {});
      chart("chart-declines").setOption({
        title: title("拒绝原因"), tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], top: 20,
          data: declines.length ? declines.map(([name, value]) => ({ name, value })) : [{ name: "暂无拒绝", value: 0 }] }],
      }, true);
    }
    root.querySelectorAll("[data-period]").forEach((button) => {
      if (button === root) return;
      button.addEventListener("click", () => {
        root.querySelectorAll("button[data-period]").forEach((b) => b.classList.toggle("active", b === button));
        load(button.dataset.period).catch(() => {});
      });
    });
    load(root.dataset.period || "month").catch(() => {});
  }

  // -- bulk import ------------------------------------------------------------------------
  function setupImport(form) {
    const statusEl = document.getElementById("import-status");
    const table = document.getElementById("import-errors");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData();
      data.append("file", form.elements.file.files[0]);
      status(statusEl, "正在导入…");
      table.hidden = true;
      const body = table.querySelector("tbody");
      body.replaceChildren();
      const response = await fetch("/api/listings/import?kind=" + encodeURIComponent(form.dataset.kind), {
        method: "POST", headers: { "X-CSRF-Token": csrf() }, body: data, credentials: "same-origin",
      });
      const result = await response.json().catch(() => ({}));
      if (response.ok) {
        status(statusEl, "新增并发布 " + result.added + " 条，更新 " + (result.updated || 0) + " 条，未变 " + (result.unchanged || 0) + " 条。");
        return;
      }
      status(statusEl, errorText(result, "导入失败"), true);
      const rows = ((result.error || {}).fields || []).filter((f) => f.sheet !== undefined || f.row !== undefined);
      rows.forEach((f) => {
        const tr = document.createElement("tr");
        [f.sheet || "", f.row && f.row !== "0" ? f.row : "", f.column || "", f.message || ""].forEach((text) => {
          const td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.hidden = rows.length === 0;
    });
  }

  function start() {
    const challenge = document.getElementById("challenge");
    if (challenge) setupChallenge(challenge);
    const chips = Array.from(document.querySelectorAll("[data-follow-kind]"));
    if (chips.length) setupFollows(chips);
    const inbox = document.getElementById("inbox-list");
    if (inbox) setupInbox(inbox);
    const trends = document.getElementById("market-trends");
    if (trends) setupTrends(trends);
    const importForm = document.getElementById("import-form");
    if (importForm) setupImport(importForm);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
