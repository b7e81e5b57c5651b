// 对接页: each side's step (意向, 接受, 提议 / 确认 签约 and 落地, 拒绝), contract terms, trial
// outcome, milestones and payments, registering the project. Every action posts to the API and
// reloads the page, so what is shown is always what is stored.
(function () {
  "use strict";
  const root = document.getElementById("deal");
  if (!root) return;
  const id = root.dataset.matchId;
  const base = "/api/matches/" + id;
  const statusEl = document.getElementById("deal-status");

  function csrf() {
    const input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function say(text, bad) {
    if (!statusEl) { if (bad) window.alert(text); return; }
    statusEl.textContent = text;
    statusEl.classList.toggle("danger", Boolean(bad));
  }

  async function send(method, url, body) {
    const options = { method, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = (data.error && data.error.message) || "操作失败，请稍后再试";
      throw new Error(message);
    }
    return data;
  }

  function behalf(body, side) {
    const reason = document.getElementById("behalf-reason");
    if (reason && side) {
      body.on_behalf_of = side;
      body.on_behalf_reason = reason.value;
    }
    return body;
  }

  async function step(body, side) {
    say("正在提交…");
    try {
      body.version = Number(root.dataset.version);
      await send("POST", base + "/transitions", behalf(body, side));
      window.location.reload();
    } catch (err) {
      say(err.message, true);
    }
  }

  function numberOrNull(value) {
    return value === "" || value === undefined ? null : Number(value);
  }

  root.querySelectorAll("button[data-step]").forEach((button) => {
    button.addEventListener("click", () => step({ to: button.dataset.step }, button.dataset.side));
  });

  root.querySelectorAll("form.contract-form").forEach((form) => {
    const type = form.elements.type;
    const trial = form.querySelector(".trial-only");
    const toggle = () => { if (trial) trial.hidden = type.value !== "先使用后付费"; };
    type.addEventListener("change", toggle);
    toggle();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const contract = {
        type: type.value,
        amount: Number(form.elements.amount.value),
        signed_on: form.elements.signed_on.value,
        registration_no: form.elements.registration_no.value,
      };
      if (type.value === "先使用后付费") contract.trial_months = numberOrNull(form.elements.trial_months.value);
      step({ to: form.dataset.step, contract }, form.dataset.side);
    });
  });

  const decline = document.getElementById("decline-form");
  if (decline) {
    decline.addEventListener("submit", (event) => {
      event.preventDefault();
      const side = decline.elements.side ? decline.elements.side.value : "";
      step({ to: "已拒绝", reason: decline.elements.reason.value, note: decline.elements.note.value }, side);
    });
  }

  async function simple(method, url, body) {
    try {
      await send(method, url, body);
      window.location.reload();
    } catch (err) {
      window.alert(err.message);
    }
  }

  const trialForm = document.getElementById("trial-form");
  if (trialForm) {
    trialForm.addEventListener("submit", (event) => {
      event.preventDefault();
      simple("PATCH", base + "/contract", {
        outcome: trialForm.elements.outcome.value,
        converted_on: trialForm.elements.converted_on.value || null,
      });
    });
  }

  const milestoneForm = document.getElementById("milestone-form");
  if (milestoneForm) {
    milestoneForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const f = milestoneForm.elements;
      simple("POST", base + "/milestones", {
        kind: f.kind.value,
        title: f.title.value,
        planned_on: f.planned_on.value || null,
        planned_amount: numberOrNull(f.planned_amount.value),
      });
    });
  }

  document.querySelectorAll("form.actual-form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      simple("PATCH", base + "/milestones/" + form.dataset.milestone, {
        actual_on: form.elements.actual_on.value,
        actual_amount: numberOrNull(form.elements.actual_amount.value),
      });
    });
  });

  const register = document.getElementById("register-project");
  if (register) {
    register.addEventListener("click", async () => {
      register.disabled = true;
      try {
        const made = await send("POST", base + "/project", {});
        window.location.href = "/projects/" + made.project.id;
      } catch (err) {
        register.disabled = false;
        window.alert(err.message);
      }
    });
  }
  // the page's controls are bound: browser tests and scripts wait for this, not for a time
  root.setAttribute("data-ready", "true");
})();
