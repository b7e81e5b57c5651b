// 我的账户: change the password, sign sessions out (needs account_api.js loaded first).
(function () {
  "use strict";
  {
    const { send, status } = window.jjjAccountApi;

    const form = document.getElementById("password-form");
    const passwordStatus = document.getElementById("password-status");
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const current = form.elements.current_password.value;
        const next = form.elements.new_password.value;
        const again = form.elements.confirm_password.value;
        const min = Number(form.elements.new_password.getAttribute("minlength")) || 10;
        if (!current) return status(passwordStatus, "请输入当前密码", true);
        if (next.length < min) return status(passwordStatus, "新密码至少需要 " + min + " 个字符", true);
        if (next !== again) return status(passwordStatus, "两次输入的新密码不一致", true);
        status(passwordStatus, "正在保存…");
        try {
          await send("POST", "/api/auth/password", { current_password: current, new_password: next });
          form.reset();
          status(passwordStatus, "密码已修改，其他会话已退出");
          document.querySelectorAll("#sessions-table tr:not(.current) [data-end-session]").forEach((button) => {
            button.closest("tr").remove();
          });
          const others = document.getElementById("sign-out-others");
          if (others) others.remove();
        } catch (err) {
          status(passwordStatus, err.message, true);
        }
      });
    }

    const sessionsStatus = document.getElementById("sessions-status");
    document.querySelectorAll("[data-end-session]").forEach((button) => {
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await send("DELETE", "/api/auth/sessions/" + button.dataset.endSession);
          button.closest("tr").remove();
          status(sessionsStatus, "该会话已退出");
        } catch (err) {
          button.disabled = false;
          status(sessionsStatus, err.message, true);
        }
      });
    });
    const others = document.getElementById("sign-out-others");
    if (others) {
      others.addEventListener("click", async () => {
        others.disabled = true;
        try {
          const result = await send("POST", "/api/auth/sessions/sign-out-others");
          document.querySelectorAll("#sessions-table tr[data-session-id]:not(.current)").forEach((row) => row.remove());
          others.remove();
          status(sessionsStatus, "已退出其他 " + result.ended + " 个会话");
        } catch (err) {
          others.disabled = false;
          status(sessionsStatus, err.message, true);
        }
      });
    }
  }
})();
