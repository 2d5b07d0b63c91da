// Autosave for bid answers: a few seconds after the supplier stops typing (and at most every 20 seconds while they
// type), post the form, with its CSRF token, to its autosave address, which saves the draft exactly as the "Save"
// button does. The status line says when it was last saved, or why not. A session that timed out answers with a
// redirect: the line then asks the supplier to press Save, whose post is kept for them across signing in again
// (portal/services/bids/kept_answers.py). Without JavaScript the Save button is all there is.
const QUIET_MS = 3000;
const MAX_WAIT_MS = 20000;

export function autosave(form, { quiet = QUIET_MS, maxWait = MAX_WAIT_MS } = {}) {
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector("[data-autosave-status]");
  let timer = null;
  let firstChange = null;
  let lastSent = new URLSearchParams(new FormData(form)).toString();
  let inFlight = false;

  const say = (text) => {
    if (status && status.textContent !== text) status.textContent = text;
  };

  const save = async () => {
    timer = null;
    firstChange = null;
    const body = new FormData(form);
    const snapshot = new URLSearchParams(body).toString();
    if (snapshot === lastSent || inFlight) return;
    inFlight = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.type === "opaqueredirect" || response.status === 0) {
        say("Not saved automatically: you have been signed out. Press Save draft to keep your answer.");
        return;
      }
      const data = await response.json();
      if (data.saved) {
        lastSent = snapshot;
        say(`Draft saved automatically at ${data.at}`);
      } else {
        say(`Not saved automatically: ${data.error}`);
      }
    } catch (error) {
      say("Not saved automatically: the connection dropped. Your text is still here; press Save draft.");
    } finally {
      inFlight = false;
    }
  };

  const changed = () => {
    const now = Date.now();
    firstChange = firstChange ?? now;
    if (timer) window.clearTimeout(timer);
    const wait = Math.max(0, Math.min(quiet, firstChange + maxWait - now));
    timer = window.setTimeout(save, wait);
  };

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    if (timer) window.clearTimeout(timer);
  });
}

for (const form of document.querySelectorAll('form[data-module="app-autosave"]')) {
  autosave(form);
}
