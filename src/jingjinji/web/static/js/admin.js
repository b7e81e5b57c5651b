// 系统管理: users (create, role, deactivate/activate, reset password, unlock) and organizations
// (create, edit) through the JSON API. Needs account_api.js loaded first.
(function () {
  "use strict";
  const { send, status, absolute } = window.jjjAccountApi;

  // -- the one-time link box ---------------------------------------------------------------
  function beijing(iso) {
    const parts = {};
    new Intl.DateTimeFormat("zh-CN", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(iso)).forEach((part) => { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }
  function showLink(title, link) {
    const box = document.getElementById("link-box");
    if (!box) return;
    document.getElementById("link-title").textContent = title;
    document.getElementById("link-url").textContent = absolute(link.url);
    document.getElementById("link-expires").textContent =
      "有效期至 " + beijing(link.expires_at) + "（北京时间），使用一次后失效。";
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }
  const copy = document.getElementById("link-copy");
  if (copy) {
    copy.addEventListener("click", async () => {
      const text = document.getElementById("link-url").textContent;
      try {
        await navigator.clipboard.writeText(text);
        copy.textContent = "已复制";
      } catch (err) {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById("link-url"));
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        copy.textContent = "已选中，请按 Ctrl+C 复制";
      }
    });
  }

  // -- users -------------------------------------------------------------------------------
  const usersStatus = document.getElementById("users-status");
  const nameOf = (id) => {
    const row = document.getElementById("user-" + id);
    return row ? row.dataset.username : "";
  };
  async function act(button, run, done) {
    button.disabled = true;
    try {
      const result = await run();
      done(result);
    } catch (err) {
      status(usersStatus, err.message, true);
      button.disabled = false;
    }
  }
  const reloadSoon = (message) => {
    status(usersStatus, message);
    window.location.reload();
  };

  document.querySelectorAll("[data-role-of]").forEach((select) => {
    let previous = select.value;
    select.addEventListener("change", async () => {
      const id = select.dataset.roleOf;
      try {
        await send("PATCH", "/api/users/" + id, { role: select.value });
        previous = select.value;
        status(usersStatus, "已将 " + nameOf(id) + " 的角色改为“" + select.selectedOptions[0].textContent + "”");
      } catch (err) {
        select.value = previous;
        status(usersStatus, err.message, true);
      }
    });
  });
  document.querySelectorAll("[data-deactivate]").forEach((button) => {
    button.addEventListener("click", () => {
      const id = button.dataset.deactivate;
      if (!window.confirm("停用 " + nameOf(id) + "？该用户将无法登录，现有登录立即结束。")) return;
      act(button, () => send("PATCH", "/api/users/" + id, { is_active: false }), () => reloadSoon("已停用"));
    });
  });
  document.querySelectorAll("[data-activate]").forEach((button) => {
    button.addEventListener("click", () => {
      const id = button.dataset.activate;
      act(button, () => send("PATCH", "/api/users/" + id, { is_active: true }), () => reloadSoon("已启用"));
    });
  });
  document.querySelectorAll("[data-unlock]").forEach((button) => {
    button.addEventListener("click", () => {
      const id = button.dataset.unlock;
      act(button, () => send("POST", "/api/users/" + id + "/unlock"), () => reloadSoon("已解除锁定"));
    });
  });
  document.querySelectorAll("[data-reset]").forEach((button) => {
    button.addEventListener("click", () => {
      const id = button.dataset.reset;
      if (!window.confirm("为 " + nameOf(id) + " 生成密码重置链接？之前未使用的链接将失效。")) return;
      act(button, () => send("POST", "/api/users/" + id + "/password-reset"), (link) => {
        button.disabled = false;
        status(usersStatus, "已为 " + nameOf(id) + " 生成密码重置链接");
        showLink(nameOf(id) + " 的密码重置链接", link);
      });
    });
  });

  const createUser = document.getElementById("create-user-form");
  if (createUser) {
    const passwordLabel = document.getElementById("initial-password");
    createUser.querySelectorAll("input[name=password_mode]").forEach((radio) => {
      radio.addEventListener("change", () => {
        passwordLabel.hidden = createUser.elements.password_mode.value !== "password";
      });
    });
    const createStatus = document.getElementById("create-user-status");
    createUser.addEventListener("submit", async (event) => {
      event.preventDefault();
      const f = createUser.elements;
      const username = f.username.value.trim();
      if (!/^[A-Za-z0-9_.\-]{3,64}$/.test(username)) {
        return status(createStatus, "用户名须为 3–64 个字母、数字或 _ . -", true);
      }
      if (!f.organization_id.value) return status(createStatus, "请选择所属机构", true);
      const body = {
        username,
        display_name: f.display_name.value.trim(),
        role: f.role.value,
        organization_id: Number(f.organization_id.value),
      };
      const withPassword = f.password_mode.value === "password";
      if (withPassword) {
        const min = Number(f.password.getAttribute("minlength")) || 10;
        if (f.password.value.length < min) return status(createStatus, "初始密码至少需要 " + min + " 个字符", true);
        body.password = f.password.value;
      }
      status(createStatus, "正在创建…");
      try {
        const created = await send("POST", "/api/users", body);
        createUser.reset();
        passwordLabel.hidden = true;
        status(createStatus, "已创建用户 " + created.username + "，刷新页面后出现在列表中");
        if (created.password_reset) showLink(created.username + " 的设置密码链接", created.password_reset);
      } catch (err) {
        status(createStatus, err.message, true);
      }
    });
  }

  // -- organizations -----------------------------------------------------------------------
  function orgBody(form) {
    return {
      name: form.elements.name.value.trim(),
      kind: form.elements.kind.value,
      place_adcode: form.elements.place_adcode.value || null,
    };
  }
  const createOrg = document.getElementById("create-org-form");
  if (createOrg) {
    const createStatus = document.getElementById("create-org-status");
    createOrg.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = orgBody(createOrg);
      if (!body.name) return status(createStatus, "请填写机构名称", true);
      status(createStatus, "正在创建…");
      try {
        await send("POST", "/api/organizations", body);
        window.location.reload();
      } catch (err) {
        status(createStatus, err.message, true);
      }
    });
  }
  const orgsStatus = document.getElementById("orgs-status");
  document.querySelectorAll("[data-edit-org]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = orgBody(form);
      if (!body.name) return status(orgsStatus, "请填写机构名称", true);
      try {
        await send("PATCH", "/api/organizations/" + form.dataset.editOrg, body);
        window.location.reload();
      } catch (err) {
        status(orgsStatus, err.message, true);
      }
    });
  });
})();
