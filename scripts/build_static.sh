#!/bin/sh
# Copy the NL Design System CSS and Swagger UI (API documentation) from node_modules into
# static/vendor (not in git).
set -eu
cd "$(dirname "$0")/.."
mkdir -p static/vendor/utrecht
cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/component-library.css
cp node_modules/@utrecht/design-tokens/dist/index.css static/vendor/utrecht/design-tokens.css
mkdir -p static/vendor/swagger-ui
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
    static/vendor/swagger-ui/
