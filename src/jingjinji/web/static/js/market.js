// 供需对接: publish and edit form (completeness, segment suggestions, submit) and match
// transitions.
// Text from the server or the user is always inserted with textContent, never as HTML.
(function () {
  "use strict";
  const csrf = () => (document.getElementById("csrf-token") || {}).value || "";

  // A refused request as an Error with its HTTP status and a Chinese message: the server's
  // message, and for a refused field the form's own label (never the technical field name).
  async function send(method, url, body, labels) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = (data && data.error) || {};
      const names = (error.fields || []).map((f) => String(f.field || "").split(".").pop());
      const named = [...new Set(names.map((n) => (labels || {})[n]).filter(Boolean))];
      const message = (error.message || "提交失败") + (named.length ? "（" + named.join("、") + "）" : "");
      throw Object.assign(new Error(message), { status: response.status });
    }
    return data;
  }

  function listOf(text) {
    return text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean).slice(0, 20);
  }

  // The form's values: for a new listing only what is filled in; when editing every field,
  // an emptied one as "" (text) or null (number, date, choice) so that the change is saved.
  function formValues(form, editing) {
    const values = {};
    if (editing) values.segments = [];
    for (const element of form.elements) {
      if (!element.name || element.type === "submit" || element.disabled) continue;
      if (element.name === "transaction_modes" || element.name === "segments") {
        values[element.name] = values[element.name] || [];
        if (element.checked) values[element.name].push(element.value);
      } else if (element.type === "checkbox") {
        values[element.name] = element.checked;
      } else if (element.name === "keywords") {
        values.keywords = listOf(element.value);
      } else if (element.type === "number") {
        if (element.value !== "") values[element.name] = Number(element.value);
        else if (editing) values[element.name] = null;
      } else if (element.value !== "") {
        values[element.name] = element.value;
      } else if (editing) {
        values[element.name] = element.tagName === "SELECT" || element.type === "date" ? null : "";
      }
    }
    return values;
  }

  function labelsOf(form, required) {
    const labels = { ...required };
    for (const element of form.elements) {
      const label = element.closest("label");
      if (element.name && label && !labels[element.name]) {
        const own = Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE);
        labels[element.name] = own.map((n) => n.textContent).join("").replace(/[*（(].*$/s, "").trim();
      }
    }
    return labels;
  }

  function setupPublish(form) {
    const required = JSON.parse(form.dataset.required);
    const labels = labelsOf(form, required);
    const editing = Boolean(form.dataset.listingId);
    const scoreEl = document.getElementById("completeness-score");
    const missingEl = document.getElementById("missing-list");
    const suggestEl = document.getElementById("segment-suggestions");
    const choicesEl = document.getElementById("segment-choices");
    const errorEl = document.getElementById("publish-error");
    let suggested = [];
    let timer = null;

    function refresh() {
      const values = formValues(form, editing);
      if (!editing) values.segments = suggested;
      const names = Object.keys(required);
      const missing = names.filter((name) => {
        const v = values[name];
        return v === undefined || v === null || (typeof v === "string" && !v.trim())
          || (Array.isArray(v) && v.length === 0);
      });
      scoreEl.textContent = Math.round((100 * (names.length - missing.length)) / names.length) + "%";
      missingEl.replaceChildren(...missing.map((name) => {
        const li = document.createElement("li");
        li.textContent = required[name];
        return li;
      }));
    }

    // Editing: a suggested segment the listing does not have yet becomes an unticked choice.
    function offer(segment) {
      if (!choicesEl || choicesEl.querySelector("input[value='" + CSS.escape(segment.segment) + "']")) return;
      const label = document.createElement("label");
      label.className = "check";
      const box = Object.assign(document.createElement("input"), { type: "checkbox", name: "segments", value: segment.segment });
      box.setAttribute("form", form.id);
      box.addEventListener("change", refresh);
      label.append(box, document.createTextNode(segment.name));
      choicesEl.appendChild(label);
    }

    async function suggest() {
      const text = [form.elements.title.value, form.elements.summary.value,
        form.elements.keywords ? form.elements.keywords.value : ""].join("\n").trim();
      if (!text) return;
      const response = await fetch("/api/segment-suggestions?text=" + encodeURIComponent(text.slice(0, 3000)));
      if (!response.ok) return;
      const data = await response.json();
      suggested = data.data.map((s) => s.segment).slice(0, 3);
      if (editing) data.data.slice(0, 5).forEach(offer);
      suggestEl.replaceChildren(...(data.data.length ? data.data.map((s) => {
        const li = document.createElement("li");
        li.textContent = s.name + "（置信度 " + s.confidence.toFixed(2) + "）";
        return li;
      }) : [Object.assign(document.createElement("li"), { textContent: "未识别到产业环节" })]));
      refresh();
    }

    function showError(error) {
      errorEl.replaceChildren(document.createTextNode(error.message));
      if (error.status === 409) {
        const reload = Object.assign(document.createElement("a"), { href: window.location.href, textContent: "刷新页面" });
        errorEl.append(" ", reload);
      }
      errorEl.hidden = false;
    }

    form.addEventListener("input", () => {
      refresh();
      clearTimeout(timer);
      timer = setTimeout(suggest, 400);
    });
    if (choicesEl) choicesEl.addEventListener("change", refresh);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = event.submitter ? event.submitter.dataset.status : "";
      const body = formValues(form, editing);
      errorEl.hidden = true;
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
      try {
        let saved;
        if (editing) {
          if (status) body.status = status;
          body.version = Number(form.dataset.version);
          saved = await send("PATCH", "/api/listings/" + form.dataset.listingId, body, labels);
        } else {
          body.kind = form.dataset.kind;
          body.status = status || "draft";
          saved = await send("POST", "/api/listings", body, labels);
        }
        window.location.href = "/market/listings/" + saved.id;
      } catch (error) {
        if (error.status === 409) error.message = "这条信息已被他人修改，您的更改未保存。请刷新页面，在最新内容上重新编辑。";
        showError(error);
        form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = false; });
      }
    });
    refresh();
    if (editing) suggest();
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
        if (!item.dataset.match) {
          // No one has acted on this pair yet: store it first (a page view writes nothing).
          const opened = await send("POST", "/api/matches", {
            demand_id: Number(item.dataset.demand),
            achievement_id: Number(item.dataset.achievement),
          });
          item.dataset.match = String(opened.id);
        }
        const state = await send("POST", "/api/matches/" + item.dataset.match + "/transitions", body);
        statusEl.textContent = "已更新为“" + state.stage + "”";
        setTimeout(() => window.location.reload(), 600);
      } catch (error) {
        statusEl.textContent = error.message;
      }
    });
  }

  const accept = document.getElementById("accept-confidentiality");
  if (accept) {
    accept.addEventListener("click", async () => {
      accept.disabled = true;
      try {
        const data = await send("POST", "/api/listings/" + accept.dataset.listing + "/confidentiality");
        const box = document.getElementById("confidential");
        const text = document.createElement("span");
        text.className = "confidential-text";
        text.textContent = data.details || "";
        box.replaceChildren(text);
      } catch (error) {
        accept.disabled = false;
        window.alert(error.message);
      }
    });
  }

  const form = document.getElementById("publish-form");
  if (form) setupPublish(form);
  const matches = document.getElementById("match-list");
  if (matches) setupTransitions(matches);
})();
