// 我的工作台: tabs of the listing sections, and 发布 / 撤回 / 续期 through PATCH /api/listings/{id}
// with the version the page was rendered with (409: someone else changed it meanwhile).
// Text from the server or the user is always inserted with textContent, never as HTML.
(function () {
  "use strict";
  const csrf = () => (document.getElementById("csrf-token") || {}).value || "";
  const tabs = Array.from(document.querySelectorAll("[data-tab]"));
  const sections = Array.from(document.querySelectorAll("[data-section]"));

  function show(key) {
    if (!sections.some((s) => s.dataset.section === key)) key = sections.length ? sections[0].dataset.section : "";
    tabs.forEach((tab) => {
      const on = tab.dataset.tab === key;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    sections.forEach((s) => { s.hidden = s.dataset.section !== key; });
  }

  function fromHash() {
    const key = window.location.hash.replace(/^#/, "");
    if (sections.some((s) => s.dataset.section === key)) {
      show(key);
      document.getElementById("ws-listings").scrollIntoView();
      return true;
    }
    return false;
  }

  tabs.forEach((tab) => tab.addEventListener("click", () => {
    show(tab.dataset.tab);
    history.replaceState(null, "", "#" + tab.dataset.tab);
  }));
  window.addEventListener("hashchange", fromHash);
  if (tabs.length) document.getElementById("ws-listings").classList.add("ws-tabbed");
  if (tabs.length && !fromHash()) {
    const first = sections.find((s) => s.querySelector("[data-listing-id]"));
    show(first ? first.dataset.section : "draft");
  }

  // What each action sends, and the section the listing lands in.
  const ACTIONS = {
    publish: { body: () => ({ status: "published" }), to: "published", doing: "正在发布…" },
    withdraw: { body: () => ({ status: "closed" }), to: "closed", doing: "正在撤回…" },
    renew: {
      body: (item) => ({ status: "published", valid_until: item.querySelector("input[name=valid_until]").value }),
      to: "published",
      doing: "正在续期…",
    },
  };

  async function act(item, name) {
    const action = ACTIONS[name];
    const statusEl = item.querySelector(".ws-status");
    const body = action.body(item);
    if (name === "renew" && !body.valid_until) {
      statusEl.textContent = "请选择新的有效期";
      return;
    }
    body.version = Number(item.dataset.version);
    item.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    statusEl.textContent = action.doing;
    try {
      const response = await fetch("/api/listings/" + item.dataset.listingId, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (response.status === 409) throw new Error("这条信息已被他人修改，请刷新页面后再操作。");
      if (!response.ok) throw new Error(((data && data.error) || {}).message || "操作失败，请稍后重试");
      window.location.hash = action.to;
      window.location.reload();
    } catch (error) {
      statusEl.textContent = error.message;
      statusEl.classList.add("danger");
      item.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || !ACTIONS[button.dataset.action]) return;
    const item = button.closest("[data-listing-id]");
    if (item) act(item, button.dataset.action);
  });
})();
