// Builds the front-end assets into portal/static/build/ (never committed).
// GOV.UK Frontend is compiled from its SCSS so the brand can be set: Helvetica/Arial
// instead of the GOV.UK-only GDS Transport font, and no crown or GOV.UK images.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "portal", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "app.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
console.log(`assets built into ${out}`);
