// Builds static/build/: our stylesheet (govuk-frontend with the council's own font stack, no GDS
// Transport, no crown) and govuk-frontend's JavaScript. Run with `npm run build`.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static/build";
mkdirSync(out, { recursive: true });

const result = sass.compile("assets/scss/app.scss", {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/app.css`, result.css);

const dist = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${dist}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
// htmx: progressive enhancement only (live checks while writing); every page works without it.
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
// Icons and manifest only: the fonts stay behind because we do not use GDS Transport.
cpSync(`${dist}/assets/images`, `${out}/images`, { recursive: true });
console.log(`built ${out}/app.css and ${out}/govuk-frontend.min.js`);
