#!/bin/sh
# The NL Design System CSS from node_modules into static/vendor/utrecht (not in git): only the
# rules and design tokens the portal's templates, Python and JavaScript use (build_css.mjs).
# The portal's own JavaScript minified into static/vendor/js (build_js.mjs).
# Swagger UI (the API documentation page) is copied as it is. The web fonts
# (static/vendor/fonts) are made by scripts/subset_fonts.py (Python).
set -eu
cd "$(dirname "$0")/.."
node scripts/build_css.mjs
node scripts/build_js.mjs
mkdir -p static/vendor/swagger-ui
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
    static/vendor/swagger-ui/
# Without its source map (not shipped): the manifest storage of collectstatic would refuse the
# missing file the CSS's closing sourceMappingURL comment names.
sed -i '/^\/\*# sourceMappingURL=[^ ]*\*\/$/d' static/vendor/swagger-ui/swagger-ui.css
