// Progressive enhancement only: every page works without this.
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();
