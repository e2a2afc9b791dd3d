#!/bin/sh
# The NL Design System CSS from node_modules into static/vendor/utrecht (not in git): only the
# rules and design tokens the portal's templates, Python and JavaScript use (build_css.mjs).
# The web fonts (static/vendor/fonts) are made by scripts/subset_fonts.py (Python).
set -eu
cd "$(dirname "$0")/.."
node scripts/build_css.mjs
