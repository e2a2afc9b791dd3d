// The NL Design System CSS the portal's pages use, from node_modules into static/vendor/utrecht
// (not in git; scripts/build_static.sh runs this). Issue 25 §1: of the component library's
// 1,526 rules a page uses a few dozen, and of the 1,277 design tokens some 200.
//
// Two steps, both conservative: the look must not change (tests/e2e/test_light_pages.py
// compares screenshots with the unpurged CSS).
//  1. Components (PurgeCSS): a rule is kept when every `utrecht-` class in its selector
//     belongs to a component ("block": `utrecht-alert` for `utrecht-alert--error` and
//     `utrecht-alert__message`) whose name appears anywhere in the templates, the Python code,
//     the JavaScript or the portal's own CSS. Whole components are kept, every modifier and
//     element, because templates and Python build modifiers (`utrecht-alert--{{ level }}`).
//     Element and attribute selectors never remove a rule: states such as [aria-invalid],
//     [disabled] or :focus are set by Django, the browser or the person.
//  2. Tokens: a custom property is kept when the kept CSS (components, tokens, the portal's
//     own CSS) refers to it with var(), directly or through other tokens, or when its name
//     appears in the content. Unused ones are removed; the rules that set them stay.
// The output is deterministic: same inputs, same bytes (and so the same fingerprinted name).

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import postcss from "postcss";
import { PurgeCSS } from "purgecss";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "static/vendor/utrecht");
const COMPONENTS = path.join(root, "node_modules/@utrecht/component-library-css/dist/index.css");
const TOKENS = path.join(root, "node_modules/@utrecht/design-tokens/dist/index.css");
const APPS = ["weerbaar", "incidents", "veiligwonen", "otwb", "monitor", "api", "webhooks"];

function walk(dir, keep, found = []) {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!["vendor", "node_modules", "__pycache__", "migrations"].includes(entry.name)) {
        walk(full, keep, found);
      }
    } else if (keep(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

const contentFiles = [
  ...walk(path.join(root, "templates"), (name) => name.endsWith(".html")),
  ...APPS.flatMap((app) =>
    walk(path.join(root, app), (name) => name.endsWith(".py") || name.endsWith(".html")),
  ),
  ...walk(path.join(root, "static"), (name) => name.endsWith(".js") || name.endsWith(".css")),
];
const content = contentFiles.map((file) => fs.readFileSync(file, "utf8")).join("\n");

// Step 1: the classes named anywhere, and the prefixes of classes built in templates, Python
// or JavaScript (`utrecht-alert--{{ level }}`, f"utrecht-status-badge--{tone}"): every class
// that starts with such a prefix is kept.
const words = content.match(/[A-Za-z0-9_-]+/g) || [];
const prefixes = [
  ...new Set(words.filter((w) => /^utrecht-[a-z0-9_-]*-$/.test(w))),
].sort();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const purged = await new PurgeCSS().purge({
  content: [{ raw: content, extension: "html" }],
  css: [{ raw: fs.readFileSync(COMPONENTS, "utf8") }, { raw: fs.readFileSync(TOKENS, "utf8") }],
  defaultExtractor: (text) => text.match(/[A-Za-z0-9_-]+/g) || [],
  // Every element (no class in this library lacks a hyphen, so a hyphen-free name is an
  // element or an attribute), and every class with a prefix built in code.
  safelist: {
    standard: [/^[a-z][a-z0-9]*$/, ...prefixes.map((p) => new RegExp(`^${escape(p)}`))],
  },
  dynamicAttributes: attributeNames(fs.readFileSync(COMPONENTS, "utf8")),
  fontFace: false,
  keyframes: false,
  variables: false,
});
const [components, tokens] = purged.map((result) => postcss.parse(result.css));

function attributeNames(css) {
  const names = new Set();
  for (const m of css.matchAll(/\[\s*([a-zA-Z_:-][a-zA-Z0-9_:.-]*)/g)) names.add(m[1]);
  return [...names].sort();
}

// Step 2: tokens referred to, transitively.
const definitions = new Map(); // name -> [values]
for (const tree of [components, tokens]) {
  tree.walkDecls((decl) => {
    if (decl.prop.startsWith("--")) {
      if (!definitions.has(decl.prop)) definitions.set(decl.prop, []);
      definitions.get(decl.prop).push(decl.value);
    }
  });
}
const references = (text) => [...text.matchAll(/var\(\s*(--[a-zA-Z0-9_-]+)/g)].map((m) => m[1]);
const used = new Set();
const queue = [];
const use = (name) => {
  if (!used.has(name)) {
    used.add(name);
    queue.push(name);
  }
};
components.walkDecls((decl) => {
  if (!decl.prop.startsWith("--")) references(decl.value).forEach(use);
});
tokens.walkDecls((decl) => {
  if (!decl.prop.startsWith("--")) references(decl.value).forEach(use);
});
// The component library's own properties (--utrecht-button-...) are set where a component
// is styled; they stay with their rules, and what they refer to is used.
components.walkDecls((decl) => {
  if (decl.prop.startsWith("--")) use(decl.prop);
});
// The portal's own CSS, templates, Python and JavaScript: every custom property named there.
for (const m of content.matchAll(/--[a-zA-Z][a-zA-Z0-9_-]*/g)) use(m[0]);
while (queue.length) {
  for (const value of definitions.get(queue.pop()) || []) references(value).forEach(use);
}
tokens.walkDecls((decl) => {
  if (decl.prop.startsWith("--") && !used.has(decl.prop)) decl.remove();
});
tokens.walkRules((rule) => {
  if (rule.nodes.every((node) => node.type === "comment")) rule.remove();
});
// At-rules left empty (an @media or @supports whose rules all went) go too.
for (const tree of [components, tokens]) {
  tree.walkAtRules((rule) => {
    if (rule.nodes && rule.nodes.every((node) => node.type === "comment")) rule.remove();
  });
}

// Comments other than licences go; the licence headers stay (/*! and @license).
const keepComment = (comment) => /@license|Copyright/.test(comment.text);
for (const tree of [components, tokens]) {
  tree.walkComments((comment) => {
    if (!keepComment(comment)) comment.remove();
  });
}

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "component-library.css"), components.toString());
fs.writeFileSync(path.join(out, "design-tokens.css"), tokens.toString());

// One stylesheet for every page (base.html): the tokens, the components and the portal's own
// theme in one file, so a first visit asks for one render-blocking file instead of three
// (on a slow phone each is a round trip and about 0.3 KB of headers, and one file compresses
// better than three). The separate files above stay for the PDFs and the error pages.
// The meldingen's own rules (static/incidents/incidents.css, 0.8 KB compressed) come last, as
// they came after the theme before: the pages of meldingen are most of what people open, and
// a request of their own cost more than the bytes. The other apps keep their own file.
// Whitespace goes; licence comments stay. The second line names the SHA-256 of the portal's
// sources, so tests/weerbaar/test_css_bundle.py notices a bundle older than its sources.
const THEME = path.join(root, "static/css/theme.css");
const themeSource = fs.readFileSync(THEME, "utf8");
const INCIDENTS = path.join(root, "static/incidents/incidents.css");
const incidentsSource = fs.readFileSync(INCIDENTS, "utf8");
// In the bundle the theme follows the tokens on the same element (<body class="utrecht-theme
// weerbaar-theme">), so a token the theme's `.weerbaar-theme` rule sets again is never used
// from the tokens: it goes, and with it the tokens only it referred to.
const themeTree = postcss.parse(themeSource);
const overridden = new Set();
themeTree.each((node) => {
  if (node.type === "rule" && node.selector === ".weerbaar-theme") {
    node.walkDecls((decl) => {
      if (decl.prop.startsWith("--")) overridden.add(decl.prop);
    });
  }
});
const pageTokens = tokens.clone();
pageTokens.each((node) => {
  if (node.type === "rule" && node.selector === ".utrecht-theme") {
    node.walkDecls((decl) => {
      if (overridden.has(decl.prop)) decl.remove();
    });
  }
});
const pageDefinitions = new Map();
const pageUsed = new Set();
const pageQueue = [];
const pageUse = (name) => {
  if (!pageUsed.has(name)) {
    pageUsed.add(name);
    pageQueue.push(name);
  }
};
for (const tree of [pageTokens, components, themeTree]) {
  tree.walkDecls((decl) => {
    if (decl.prop.startsWith("--")) {
      if (!pageDefinitions.has(decl.prop)) pageDefinitions.set(decl.prop, []);
      pageDefinitions.get(decl.prop).push(decl.value);
    } else {
      references(decl.value).forEach(pageUse);
    }
  });
}
// (A walk's callback that returns false stops the walk: hence the if statements.)
for (const tree of [components, themeTree]) {
  tree.walkDecls((decl) => {
    if (decl.prop.startsWith("--")) pageUse(decl.prop);
  });
}
// Named in templates, Python or JavaScript (not counting the theme's own CSS, walked above).
const pageContent = contentFiles
  .filter((file) => !file.endsWith(".css"))
  .map((file) => fs.readFileSync(file, "utf8"))
  .join("\n");
for (const m of pageContent.matchAll(/--[a-zA-Z][a-zA-Z0-9_-]*/g)) pageUse(m[0]);
while (pageQueue.length) {
  for (const value of pageDefinitions.get(pageQueue.pop()) || []) references(value).forEach(pageUse);
}
pageTokens.walkDecls((decl) => {
  if (decl.prop.startsWith("--") && !pageUsed.has(decl.prop)) decl.remove();
});
const bundle = postcss.parse(
  [pageTokens.toString(), components.toString(), themeSource, incidentsSource]
    .map((css) => css.replace(/@charset "UTF-8";\n?/g, ""))
    .join("\n")
    // theme.css lives in static/css, the bundle in static/vendor/css.
    .replaceAll('url("../vendor/fonts/', 'url("../fonts/'),
);
bundle.walkComments((comment) => {
  if (!keepComment(comment)) comment.remove();
});
bundle.walk((node) => {
  node.raws.before = node.type === "comment" ? "\n" : "";
  node.raws.after = "";
  if (node.type === "decl") {
    node.raws.between = ":";
    node.value = node.value.replace(/\s*\n\s*/g, " ");
    delete node.raws.value;
  } else if (node.type === "rule") {
    node.raws.between = "";
    node.raws.semicolon = false;
  } else if (node.type === "atrule") {
    node.raws.afterName = node.params ? " " : "";
    node.raws.between = "";
    node.raws.semicolon = false;
  }
});
bundle.raws.after = "\n";
const sourcesHash = crypto
  .createHash("sha256")
  .update(themeSource + incidentsSource)
  .digest("hex");
const bundleDir = path.join(root, "static/vendor/css");
fs.mkdirSync(bundleDir, { recursive: true });
fs.writeFileSync(
  path.join(bundleDir, "portal.css"),
  `@charset "UTF-8";\n/* sources sha256 ${sourcesHash} */${bundle.toString()}`,
);

let rules = 0;
components.walkRules(() => rules++);
if (process.env.CSS_DEBUG) console.log(prefixes.join(" "));
console.log(
  `NL Design System CSS: ${prefixes.length} class prefixes built in code, ${rules} component rules, ` +
    `${used.size} custom properties kept`,
);
