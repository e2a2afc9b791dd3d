#!/usr/bin/env bash
# Prepare a checkout for running or testing: .venv with the locked dependencies (see
# scripts/lock.sh) and the project, npm assets in static/vendor, compiled translations.
# Shared by run.sh, test.sh and .ci/run; each step is skipped when its inputs did not change,
# so calling it every time is cheap.
#
#   scripts/bootstrap.sh            (or: make setup)
#   source scripts/bootstrap.sh && bootstrap
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A hash of the files that decide what an install step installs.
_stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# The distribution's interpreter first: Debian builds it with profile-guided optimisation and
# link-time optimisation, linked statically, and the portal's pages cost about 15 % less CPU
# on it than on a default source build (pyenv's, first on PATH on some machines); see
# docs/performance.md. Any 3.11+ that can make a venv will do.
_find_python() {
    local candidate
    for candidate in "${PYTHON:-}" /usr/bin/python3.11 /usr/bin/python3 python3.11 python3 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
            2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

_python_deps() {
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(_find_python)" || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)."
        say "Creating $VENV with $python"
        "$python" -m venv "$VENV"
    fi
    local stamp_file="$VENV/.weerbaar-installed" stamp
    stamp="$(_stamp_of "$REPO_ROOT/pyproject.toml" "$REPO_ROOT/requirements-dev.lock")"
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        # Every dependency from the lock, each file checked against its hash; then the project
        # itself, editable, with nothing more: its build backend (setuptools) is in the lock too.
        say "Installing Python dependencies (pip install --require-hashes -r requirements-dev.lock)"
        _pip install --quiet --require-hashes -r requirements-dev.lock
        _pip install --quiet --no-deps --no-build-isolation -e .
        echo "$stamp" >"$stamp_file"
    fi
}

# Dropped from pip's output: its warnings about index folders in a pip.conf that do not exist.
_pip() {
    (cd "$REPO_ROOT" && "$VENV/bin/python" -m pip "$@" 2>&1) \
        | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
    return "${PIPESTATUS[0]}"
}

_npm_assets() {
    command -v npm >/dev/null 2>&1 || die "npm is needed for the front-end assets (install Node.js 20)."
    local stamp_file="$REPO_ROOT/node_modules/.weerbaar-installed" stamp
    stamp="$(_stamp_of "$REPO_ROOT/package.json" "$REPO_ROOT/package-lock.json")"
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        say "Installing npm packages (npm ci)"
        (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$stamp" >"$stamp_file"
    fi
    sh "$REPO_ROOT/scripts/build_static.sh"
}

# The web fonts, subset from static/fonts into static/vendor/fonts (fonttools, from the venv).
_web_fonts() {
    "$VENV/bin/python" "$REPO_ROOT/scripts/subset_fonts.py"
}

# msgfmt directly rather than manage.py compilemessages: same result, no settings needed.
_compile_messages() {
    if ! command -v msgfmt >/dev/null 2>&1; then
        say "msgfmt not found (Debian: apt-get install gettext): skipping translations, the UI stays Dutch"
        return 0
    fi
    local po mo
    while IFS= read -r -d '' po; do
        mo="${po%.po}.mo"
        if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
            msgfmt --check-format -o "$mo" "$po"
        fi
    done < <(find "$REPO_ROOT" \( -name .venv -o -name node_modules -o -name .git \) -prune \
        -o -path '*/LC_MESSAGES/*.po' -print0)
}

bootstrap() {
    _python_deps
    _npm_assets
    _web_fonts
    _compile_messages
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    bootstrap
    say "Ready: $VENV"
fi
