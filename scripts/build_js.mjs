// The portal's own JavaScript, minified (terser) into static/vendor/js (not in git;
// scripts/build_static.sh runs this). Issue 25 §1: on a slow phone the comments and the
// long names of form.js were a fifth of what the melding form's first visit waited for
// beyond the page itself. The sources in static/ stay as they are, commented, and are what
// is read and changed; the pages load the minified copies.
//
// Each copy starts with the SHA-256 of its source, so tests/weerbaar/test_js_bundle.py
// notices a copy older than its source. The service worker (static/js/push-sw.js) is not
// copied: its URL decides its scope. The output is deterministic.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { minify } from "terser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// source (in static/) -> copy (in static/vendor/js/)
const SCRIPTS = {
  "js/portal.js": "portal.js",
  "js/push.js": "push.js",
  "incidents/form.js": "form.js",
  "incidents/case.js": "case.js",
  "api/documentation.js": "documentation.js",
};

const out = path.join(root, "static/vendor/js");
fs.mkdirSync(out, { recursive: true });
let before = 0;
let after = 0;
for (const [source, copy] of Object.entries(SCRIPTS)) {
  const code = fs.readFileSync(path.join(root, "static", source), "utf8");
  const result = await minify(code, {
    ecma: 2015,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  const digest = crypto.createHash("sha256").update(code).digest("hex");
  fs.writeFileSync(path.join(out, copy), `/* ${source} sha256 ${digest} */\n${result.code}\n`);
  before += code.length;
  after += result.code.length;
}
console.log(`JavaScript: ${Object.keys(SCRIPTS).length} files, ${before} -> ${after} bytes`);
