// Starts the GOV.UK Frontend components (character counts, error summary focus, etc.) and the portal's own
// progressive enhancements (background job progress).
import { initAll } from "/static/build/govuk-frontend.min.js";
import "/static/js/job-progress.mjs";

initAll();
