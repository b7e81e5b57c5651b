// Shared by the account and admin pages: JSON calls to the platform API with the session's
// CSRF token, and status messages. Text from the server is inserted with textContent only.
(function () {
  "use strict";
  if (window.jjjAccountApi) return;

  function csrf() {
    const input = document.getElementById("csrf-token");
    return input ? input.value : "";
  }

  async function send(method, url, body) {
    const options = {
      method,
      headers: { "X-CSRF-Token": csrf(), Accept: "application/json" },
      credentials: "same-origin",
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error("网络连接失败，请稍后重试");
    }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = (data && data.error) || {};
      throw new Error(error.message || "操作失败（" + response.status + "）");
    }
    return data;
  }

  function status(el, text, bad) {
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("bad", Boolean(bad));
    el.classList.toggle("good", !bad && Boolean(text));
  }

  // A one-time link as a full address the admin can copy.
  function absolute(path) {
    return window.location.origin + path;
  }

  window.jjjAccountApi = { send, status, absolute };
})();
