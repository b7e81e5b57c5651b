// 供需对接: publish form (completeness, segment suggestions, submit) and match transitions.
// Text from the server or the user is always inserted with textContent, never as HTML.
(function () {
  "use strict";
  const csrf = () => (document.getElementById("csrf-token") || {}).value || "";

  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = (data && data.error) || {};
      const fields = (error.fields || []).map((f) => f.field + "：" + f.message).join("；");
      throw new Error((error.message || "提交失败") + (fields ? "（" + fields + "）" : ""));
    }
    return data;
  }

  function listOf(text) {
    return text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean).slice(0, 20);
  }

  function formValues(form) {
    const values = {};
    for (const element of form.elements) {
      if (!element.name || element.type === "submit") continue;
      if (element.name === "transaction_modes") {
        values.transaction_modes = values.transaction_modes || [];
        if (element.checked) values.transaction_modes.push(element.value);
      } else if (element.type === "checkbox") {
        values[element.name] = element.checked;
      } else if (element.name === "keywords") {
        values.keywords = listOf(element.value);
      } else if (element.type === "number") {
        if (element.value !== "") values[element.name] = Number(element.value);
      } else if (element.value !== "") {
        values[element.name] = element.value;
      }
    }
    return values;
  }

  function setupPublish(form) {
    const required = JSON.parse(form.dataset.required);
    const scoreEl = document.getElementById("completeness-score");
    const missingEl = document.getElementById("missing-list");
    const suggestEl = document.getElementById("segment-suggestions");
    let suggested = [];
    let timer = null;

    function refresh() {
      const values = formValues(form);
      values.segments = suggested;
      const names = Object.keys(required);
      const missing = names.filter((name) => {
        const v = values[name];
        return v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
      });
      scoreEl.textContent = Math.round((100 * (names.length - missing.length)) / names.length) + "%";
      missingEl.replaceChildren(...missing.map((name) => {
        const li = document.createElement("li");
        li.textContent = required[name];
        return li;
      }));
    }

    async function suggest() {
      const text = [form.elements.title.value, form.elements.summary.value,
        form.elements.keywords ? form.elements.keywords.value : ""].join("\n").trim();
      if (!text) return;
      const response = await fetch("/api/segment-suggestions?text=" + encodeURIComponent(text.slice(0, 3000)));
      if (!response.ok) return;
      const data = await response.json();
      suggested = data.data.map((s) => s.segment).slice(0, 3);
      suggestEl.replaceChildren(...(data.data.length ? data.data.map((s) => {
        const li = document.createElement("li");
        li.textContent = s.name + "（" + s.industry + "，置信度 " + s.confidence.toFixed(2) + "）";
        return li;
      }) : [Object.assign(document.createElement("li"), { textContent: "未识别到产业环节" })]));
      refresh();
    }

    form.addEventListener("input", () => {
      refresh();
      clearTimeout(timer);
      timer = setTimeout(suggest, 400);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = (event.submitter && event.submitter.dataset.status) || "draft";
      const body = formValues(form);
      body.kind = form.dataset.kind;
      body.status = status;
      const errorEl = document.getElementById("publish-error");
      errorEl.hidden = true;
      try {
        const created = await send("POST", "/api/listings", body);
        window.location.href = "/market/listings/" + created.id;
      } catch (error) {
        errorEl.textContent = error.message;
        errorEl.hidden = false;
      }
    });
    refresh();
  }

  function setupTransitions(list) {
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-transition]");
      if (!button) return;
      const item = button.closest("[data-match]");
      const to = button.dataset.transition;
      const body = { to };
      if (to === "已拒绝") body.reason = item.querySelector("select").value;
      const statusEl = item.querySelector(".action-status");
      try {
        const state = await send("POST", "/api/matches/" + item.dataset.match + "/transitions", body);
        statusEl.textContent = "已更新为“" + state.stage + "”";
        setTimeout(() => window.location.reload(), 600);
      } catch (error) {
        statusEl.textContent = error.message;
      }
    });
  }

  const form = document.getElementById("publish-form");
  if (form) setupPublish(form);
  const matches = document.getElementById("match-list");
  if (matches) setupTransitions(matches);
})();
