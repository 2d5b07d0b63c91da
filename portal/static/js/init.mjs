// Starts the GOV.UK Frontend components (character counts, error summary focus, etc.) and the portal's own
// progressive enhancements (background job progress, sideways-scrolling table regions).
import { initAll } from "/static/build/govuk-frontend.min.js";
import "/static/js/job-progress.mjs";
import "/static/js/scroll-region.mjs";

initAll();
