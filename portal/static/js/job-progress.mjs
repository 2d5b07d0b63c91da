// Background job progress: while a job runs, poll its progress every 2 seconds and update the count and bar
// in place (the surrounding role="status" region announces the change); reload once the job has finished, so
// the page shows the result. Without JavaScript the page offers a link to check again instead.
const ACTIVE = new Set(["queued", "running"]);

// data-progress-noun names what is counted ("letters" unless told, e.g. "report" for the evaluation report).
function label(data, noun) {
  const prefix = data.status === "queued" ? "Waiting to start: " : "";
  return `${prefix}${data.done} of ${data.total} ${noun} generated`;
}

export function watch(element, interval = 2000) {
  const url = element.dataset.progressUrl;
  const noun = element.dataset.progressNoun || "letters";
  const text = element.querySelector("[data-progress-label]");
  const bar = element.querySelector("[data-progress-bar]");
  let last = null;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const data = await response.json();
        if (!ACTIVE.has(data.status)) {
          window.location.reload();
          return;
        }
        const shown = label(data, noun);
        if (shown !== last && text) text.textContent = shown;
        last = shown;
        if (bar) {
          bar.max = data.total || 1;
          bar.value = data.done;
          bar.textContent = `${data.done} of ${data.total}`;
        }
      }
    } catch (error) {
      // A dropped connection is not fatal: the next poll tries again.
    }
    window.setTimeout(poll, interval);
  };
  window.setTimeout(poll, interval);
}

for (const element of document.querySelectorAll('[data-module="app-job-progress"]')) {
  watch(element);
}
