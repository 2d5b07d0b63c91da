// Starts the GOV.UK Frontend components (character counts, error summary focus, etc.) and the portal's own
// progressive enhancements (background job progress, sideways-scrolling table regions, bid
// answer autosave).
import { initAll } from "/static/build/govuk-frontend.min.js";
import "/static/js/job-progress.mjs";
import "/static/js/scroll-region.mjs";
import "/static/js/autosave.mjs";

initAll();
