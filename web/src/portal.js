// The portal's one script: progressive enhancement only. Every page works without it; with it,
//  - sections marked data-include="/path" are filled with the HTML fragment another service renders
//    (the case page shows intake's petition and notify's deliveries beside review's deadlines);
//  - an access cookie expired at intake or notify is refreshed at review and the fetch retried;
//  - the page tells the user when the idle timeout has signed them out, instead of failing a form;
//  - "select all" checkboxes and confirmation prompts on forms that ask for them.

const REFRESH_URL = "/api/v1/auth/sessions/current/refresh";

async function refreshAccessCookie() {
  const res = await fetch(REFRESH_URL, { method: "POST", credentials: "same-origin" });
  return res.ok;
}

async function fetchFragment(url, retried = false) {
  const res = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "text/html", "X-Huhang-Fragment": "1" },
  });
  if (res.status === 401 && !retried) {
    let code = "";
    try { code = (await res.clone().json()).code; } catch (_) { /* an HTML answer */ }
    if (code === "session_refresh_required" && (await refreshAccessCookie())) {
      return fetchFragment(url, true);
    }
  }
  return res;
}

function sessionEnded() {
  const next = encodeURIComponent(location.pathname + location.search);
  location.assign(`/signin?reason=ended&next=${next}`);
}

async function include(el) {
  const url = el.getAttribute("data-include");
  if (!url || !url.startsWith("/")) return;
  el.setAttribute("aria-busy", "true");
  try {
    const res = await fetchFragment(url);
    if (res.status === 401 || new URL(res.url).pathname === "/signin") {
      sessionEnded();
      return;
    }
    // Fragments are same-origin HTML rendered (and escaped) by our own templates.
    el.innerHTML = await res.text();
  } catch (_) {
    const note = document.createElement("p");
    note.className = "notice notice--warn";
    note.textContent = "该部分暂时无法加载，请使用上方链接打开。";
    el.append(note);
  } finally {
    el.removeAttribute("aria-busy");
  }
}

function watchIdle() {
  const seconds = Number(document.body.dataset.idleSeconds || 0);
  if (!seconds) return;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    // The server decides; this only spares the user a form that would be refused.
    timer = setTimeout(() => location.assign("/session-ended"), (seconds + 5) * 1000);
  };
  ["keydown", "pointerdown", "submit"].forEach((type) => document.addEventListener(type, arm, true));
  arm();
}

function selectAll() {
  document.querySelectorAll("input[data-select-all]").forEach((box) => {
    const name = box.getAttribute("data-select-all");
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((b) => { b.checked = box.checked; });
    });
  });
}

function confirmations() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
}

function printButtons() {
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-include]").forEach(include);
  watchIdle();
  selectAll();
  confirmations();
  printButtons();
});
