#!/usr/bin/env bash
# The Python lock files, with a sha256 hash for every file pip may install, compiled from
# pyproject.toml for CPython 3.11 on Linux (x86_64, glibc) against PyPI:
#   requirements.lock      the runtime dependencies: the Docker image installs these
#   requirements-dev.lock  the same pins plus the extras "test" and "dev": make setup and CI
#
#   scripts/lock.sh                          (make lock) after editing pyproject.toml: adds and
#                                            drops what changed, keeps every other pin
#   scripts/lock.sh --upgrade                (make lock-upgrade) the newest releases allowed
#   scripts/lock.sh --upgrade-package NAME   one package (and what it needs) to its newest
#   scripts/lock.sh --check [DIR]            CI: fails, with a diff, when the locks in DIR (the
#                                            checkout by default) are not what pyproject.toml
#                                            compiles to: a requirement missing, a pin outside
#                                            its range, or a package nothing requires any more
#
# uv comes from the dev extra, so the locked uv writes the locks and a re-run gives the same
# bytes. Existing pins are kept (uv reads the old lock as its preferences), which also makes a
# re-run after merging branches quick: only what pyproject.toml added is resolved anew.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
UV="${UV:-$VENV/bin/uv}"
INDEX_URL="https://pypi.org/simple"
EXTRAS=(--extra test --extra dev)
LOCKS=(requirements.lock requirements-dev.lock)

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

[ -x "$UV" ] || command -v "$UV" >/dev/null 2>&1 \
    || die "uv not found at $UV: run 'make setup' first (or set UV=/path/to/uv)."

# Only what is written here decides the result: no uv.toml, no UV_* settings of this shell (an
# index mirror, a different Python) except where uv keeps its cache.
for name in $(compgen -e); do
    case "$name" in
        UV_CACHE_DIR) ;;
        UV_*) unset "$name" ;;
    esac
done

# compile DIR [uv options...]: (re)writes DIR/requirements.lock and DIR/requirements-dev.lock
# from DIR/pyproject.toml. Paths stay relative so the files' comments do not depend on DIR.
_compile() {
    local dir="$1"
    shift
    local common=(
        --quiet --no-config --index-url "$INDEX_URL"
        --python-version 3.11 --python-platform x86_64-unknown-linux-gnu
        --generate-hashes --custom-compile-command "make lock"
    )
    # The old pins are uv's preferences, but not their hashes: uv would copy those over
    # unchecked, and every hash should come from PyPI.
    local lock
    for lock in "${LOCKS[@]/#/$dir/}"; do
        [ ! -f "$lock" ] || _pins "$lock" >"$lock.pins"
        [ ! -f "$lock" ] || mv "$lock.pins" "$lock"
    done
    (
        cd "$dir"
        "$UV" pip compile pyproject.toml "${common[@]}" "$@" \
            --output-file requirements.lock
        # Constrained by the runtime lock: the tests run the very versions the image ships.
        "$UV" pip compile pyproject.toml "${EXTRAS[@]}" "${common[@]}" "$@" \
            --constraints requirements.lock --output-file requirements-dev.lock
    )
}

# A merge that changed a lock on both sides leaves conflict markers, which uv cannot read as
# preferences. Our side is kept; compiling afterwards adds whatever the other side's
# pyproject.toml brought, so nothing of theirs is lost.
_keep_our_side_of_conflicts() {
    local lock
    for lock in "${LOCKS[@]/#/$REPO_ROOT/}"; do
        [ -f "$lock" ] && grep -q '^<<<<<<< ' "$lock" || continue
        echo "$(basename "$lock"): merge conflict, keeping our side's pins and compiling anew"
        awk '/^<<<<<<< /{next} /^=======$/{theirs=1; next} /^>>>>>>> /{theirs=0; next} !theirs' \
            "$lock" >"$lock.tmp"
        mv "$lock.tmp" "$lock"
    done
}

# For a package that pyproject.toml gained (a merged branch, say) the version already in .venv
# is preferred over the newest one: that is the version its author installed and tested with.
# These hints go after the old pins, where uv reads its preferences; a package the lock already
# holds keeps its pin, and a hint that nothing requires leaves no trace.
_prefer_what_venv_has() {
    local lock="$1" freeze
    [ -f "$lock" ] && [ -x "$VENV/bin/python" ] || return 0
    freeze="$("$VENV/bin/python" -m pip freeze --exclude-editable 2>/dev/null)" || return 0
    "$VENV/bin/python" - "$lock" "$freeze" <<'PYTHON'
import re
import sys

lock, freeze = sys.argv[1], sys.argv[2]
def name(line):
    return re.sub(r"[-_.]+", "-", line.split("==")[0].strip()).lower()
text = open(lock).read()
pinned = {name(line) for line in text.splitlines() if re.match(r"[A-Za-z0-9]", line)}
hints = [line for line in freeze.splitlines() if "==" in line and name(line) not in pinned]
if hints:
    open(lock, "a").write("".join(f"{hint}\n" for hint in hints))
PYTHON
}

# What pyproject.toml decides: every pin and why it is there. Hashes are compared apart: PyPI
# may add a file (a wheel for a new platform) to a release long after it came out, which adds a
# hash to a fresh compile without anything here having changed. So each committed hash must be
# one PyPI gives for that pin, but a hash PyPI gained is no disagreement.
_pins() {
    sed -e '/^ *--hash=/d' -e 's/ \\$//' "$1"
}

# "name==version sha256:..." for every hash of the lock, sorted.
_hashes() {
    awk '/^[A-Za-z0-9]/ {pin = $1} /^ *--hash=/ {sub(/^ *--hash=/, ""); print pin, $1}' "$1" \
        | sort -u
}

# Hashes in DIR's LOCK that the fresh compile in TMP does not have.
_unknown_hashes() {
    comm -23 <(_hashes "$1/$3") <(_hashes "$2/$3")
}

_same() {
    local lock
    for lock in "${LOCKS[@]}"; do
        cmp -s <(_pins "$1/$lock") <(_pins "$2/$lock") || return 1
        [ -z "$(_unknown_hashes "$1" "$2" "$lock")" ] || return 1
    done
}

_check() {
    local dir="${1:-$REPO_ROOT}" lock tmp unknown status=0
    dir="$(cd "$dir" && pwd)"
    for lock in "${LOCKS[@]}"; do
        [ -f "$dir/$lock" ] || die "$dir/$lock is missing: run 'make lock' and commit it."
        # A pin line that does not continue onto --hash lines has no hash.
        if grep -n -E '^[A-Za-z0-9][^ ]*==[^ ]+( ;.*)?$' "$dir/$lock" >&2; then
            die "$lock: the pins above have no hashes: run 'make lock' and commit it."
        fi
    done
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    # From uv's cache first (well under a second); when that cannot resolve or comes out
    # different, PyPI decides: a failure is never down to a stale cache.
    cp "$dir/pyproject.toml" "${LOCKS[@]/#/$dir/}" "$tmp/"
    if _compile "$tmp" --offline >/dev/null 2>&1 && _same "$dir" "$tmp"; then
        echo "lock files agree with pyproject.toml"
        return 0
    fi
    cp "$dir/pyproject.toml" "${LOCKS[@]/#/$dir/}" "$tmp/"
    _compile "$tmp" || die "pyproject.toml does not compile (see above)."
    for lock in "${LOCKS[@]}"; do
        if ! diff -u --label "$lock (committed)" --label "$lock (from pyproject.toml)" \
            <(_pins "$dir/$lock") <(_pins "$tmp/$lock"); then
            status=1
        fi
    done
    if [ "$status" -ne 0 ]; then
        printf '\nerror: %s\n' "pyproject.toml and the lock files disagree (diff above, hashes \
left out): run 'make lock' and commit pyproject.toml together with the lock files." >&2
        return 1
    fi
    for lock in "${LOCKS[@]}"; do
        unknown="$(_unknown_hashes "$dir" "$tmp" "$lock")"
        if [ -n "$unknown" ]; then
            printf '%s\n' "$unknown" >&2
            printf 'error: %s\n' "$lock: PyPI has no file with the hashes above for those pins: \
was the lock edited by hand? Run 'make lock' and compare." >&2
            status=1
        fi
    done
    [ "$status" -eq 0 ] || return 1
    echo "lock files agree with pyproject.toml"
}

case "${1:-}" in
    --check) _check "${2:-}" ;;
    --help | -h) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
    *)
        _keep_our_side_of_conflicts
        # Compiled in a scratch folder: the committed locks change only when both compiled.
        work="$(mktemp -d)"
        trap 'rm -rf "$work"' EXIT
        cp "$REPO_ROOT/pyproject.toml" "$work/"
        for lock in "${LOCKS[@]}"; do
            [ ! -f "$REPO_ROOT/$lock" ] || cp "$REPO_ROOT/$lock" "$work/"
            if [[ " $* " != *" --upgrade "* ]]; then _prefer_what_venv_has "$work/$lock"; fi
        done
        _compile "$work" "$@"
        for lock in "${LOCKS[@]}"; do cp "$work/$lock" "$REPO_ROOT/$lock"; done
        echo "wrote ${LOCKS[*]}"
        ;;
esac
