// Wide tables sit in <div class="app-scroll-region">, which scrolls sideways so the page itself never does
// (WCAG 2.2 1.4.10 reflow at 320 px). A region that actually overflows must be reachable and named for keyboard and
// screen reader users: it becomes a focusable region named after its table's caption. One that fits (most tables
// on a wide screen) stays a plain box, so it adds no tab stop. Regions written with their own role (the results
// matrix) are left as they are. Without JavaScript the region still scrolls (browsers make scrollers focusable).
function caption(region) {
  const text = region.querySelector("caption")?.textContent.trim().replace(/\s+/g, " ");
  return `${text || "Table"}, scrolls sideways`;
}

export function update(region) {
  if (region.dataset.scrollRegion === "static") return;
  const overflows = region.scrollWidth > region.clientWidth + 1;
  if (overflows && !region.hasAttribute("tabindex")) {
    region.setAttribute("role", "region");
    region.setAttribute("tabindex", "0");
    region.setAttribute("aria-label", caption(region));
  } else if (!overflows && region.hasAttribute("tabindex")) {
    region.removeAttribute("role");
    region.removeAttribute("tabindex");
    region.removeAttribute("aria-label");
  }
}

const regions = [...document.querySelectorAll(".app-scroll-region")];
for (const region of regions) {
  if (region.hasAttribute("role")) region.dataset.scrollRegion = "static";
  update(region);
}
if (regions.length && "ResizeObserver" in window) {
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  regions.forEach((region) => observer.observe(region));
}
