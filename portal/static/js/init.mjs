// Starts the GOV.UK Frontend components (character counts, error summary focus, etc.).
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();
