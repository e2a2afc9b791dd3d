#!/usr/bin/env bash
# Checks of the deployment files, as a hosting party reads them first (make lint-ops; CI):
#   - every compose file (docker-compose*.yml, compose*.yml) against the Compose
#     Specification's JSON schema;
#   - every Dockerfile with hadolint, on every finding, info included. A rule is ignored only
#     inline (# hadolint ignore=DLxxxx) with its reason on the lines above it.
# Both tools come from the dev extra of the lock and work offline: check-jsonschema ships the
# schema (compose-spec/compose-spec, schema/compose-spec.json, Apache License 2.0; the licence
# is in check_jsonschema/builtin_schemas/vendor/licenses/LICENSE.compose-spec), the hadolint
# wheel ships the hadolint binary.
#
#   scripts/lint_ops.sh [DIR]     DIR: the checkout (default) or any folder with such files
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
DIR="$(cd "${1:-$REPO_ROOT}" && pwd)"

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in check-jsonschema hadolint; do
    [ -x "$VENV/bin/$tool" ] || die "$VENV/bin/$tool not found: run 'make setup' first."
done

_find() {
    find "$DIR" \( -name .git -o -name .venv -o -name node_modules \) -prune -o -type f \
        \( "$@" \) -print | sort
}
mapfile -t compose_files < <(_find -name 'docker-compose*.yml' -o -name 'docker-compose*.yaml' \
    -o -name 'compose*.yml' -o -name 'compose*.yaml')
mapfile -t dockerfiles < <(_find -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile')

status=0
if [ "${#compose_files[@]}" -gt 0 ]; then
    echo "compose schema: ${compose_files[*]#"$DIR"/}"
    "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec --color never \
        "${compose_files[@]}" || status=1
fi
if [ "${#dockerfiles[@]}" -gt 0 ]; then
    echo "hadolint: ${dockerfiles[*]#"$DIR"/}"
    "$VENV/bin/hadolint" --no-color --failure-threshold info "${dockerfiles[@]}" || status=1
fi
[ "$status" -eq 0 ] || die "the deployment files have findings (above)."
echo "deployment files: no findings"
