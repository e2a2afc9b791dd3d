#!/usr/bin/env bash
# Base images for the compose smoke test (scripts/compose_smoke.sh), built from Debian's
# packages because these machines reach no image registry: debootstrap a minimal bookworm once,
# then one root file system per role with that role's packages, each "docker import"ed and,
# where the official image has an entry point the compose file relies on, topped with a small
# Dockerfile of this folder. They stand in for the official images the compose file names by
# default (python, node, postgres, redis, caddy); see the tags below.
#
# The file systems are cached in $SMOKE_CACHE (default /var/cache/weerbaar-smoke), outside
# git, so a rerun only imports (or, when the images exist, does nothing). Needs root,
# debootstrap and a running Docker engine.
#
#   docker/smoke/build_bases.sh          prints "role tag" lines when done
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SMOKE_CACHE:-/var/cache/weerbaar-smoke}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PREFIX="${SMOKE_IMAGE_PREFIX:-weerbaar-smoke}"
mkdir -p "$CACHE/debs"

# role -> Debian packages. python also carries the runtime libraries the Dockerfile would
# otherwise fetch with apt-get (its install step skips what is present), and PostgreSQL 15's
# client, bookworm's own (PG_CLIENT_MAJOR=15).
declare -A PACKAGES=(
    [python]="python3.11 python3.11-venv python-is-python3 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-dejavu-core libmagic1 gettext postgresql-client-15"
    [node]="nodejs npm"
    [postgres]="postgresql-15"
    [redis]="redis-server redis-tools"
    [caddy]="caddy ca-certificates"
)
ROLES=(python node postgres redis caddy)

log() { printf '[bases %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

minbase() {
    local tar="$CACHE/minbase-bookworm.tar"
    if [ ! -s "$tar" ]; then
        log "debootstrap --variant=minbase bookworm (once)"
        local root="$CACHE/minbase.tmp"
        rm -rf "$root"
        debootstrap --variant=minbase --cache-dir="$CACHE/debs" bookworm "$root" "$MIRROR" \
            >"$CACHE/debootstrap.log" 2>&1 || { tail -30 "$CACHE/debootstrap.log" >&2; return 1; }
        # As in the official Debian images: no daemons started by package scripts, no docs.
        printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
        chmod +x "$root/usr/sbin/policy-rc.d"
        printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
            >"$root/etc/dpkg/dpkg.cfg.d/excludes"
        # The stand-in PostgreSQL makes its own cluster at container start, as the official one.
        mkdir -p "$root/etc/postgresql-common/createcluster.d"
        printf 'create_main_cluster = false\n' >"$root/etc/postgresql-common/createcluster.d/no-main.conf"
        rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
        tar -C "$root" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
        rm -rf "$root"
    fi
    echo "$tar"
}

rootfs() {
    local role="$1" packages="${PACKAGES[$1]}"
    local stamp
    stamp="$(printf '%s' "$packages" | sha256sum | cut -c1-12)"
    local tar="$CACHE/rootfs-$role-$stamp.tar"
    if [ ! -s "$tar" ]; then
        local base root="$CACHE/rootfs-$role.tmp"
        base="$(minbase)" || return 1
        log "$role: apt-get install $packages"
        rm -rf "$root"
        mkdir -p "$root" "$CACHE/debs"
        tar -C "$root" -xf "$base"
        cp /etc/resolv.conf "$root/etc/resolv.conf"
        mount --bind "$CACHE/debs" "$root/var/cache/apt/archives"
        local status=0
        # shellcheck disable=SC2086  # a list of package names
        chroot "$root" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages" \
            >"$CACHE/rootfs-$role.log" 2>&1 || status=$?
        umount "$root/var/cache/apt/archives"
        rm -f "$root"/var/cache/apt/archives/*.deb
        if [ "$status" != 0 ]; then
            tail -30 "$CACHE/rootfs-$role.log" >&2
            return 1
        fi
        rm -rf "$root/var/lib/apt/lists/"* "$root/etc/resolv.conf"
        : >"$root/etc/resolv.conf"
        tar -C "$root" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
        rm -rf "$root"
    fi
    echo "$tar"
}

image() {
    local role="$1" tar tag
    tar="$(rootfs "$role")" || return 1
    local stamp="${tar##*-}"
    stamp="${stamp%.tar}"
    local raw="$PREFIX/debian-$role:$stamp"
    if ! docker image inspect "$raw" >/dev/null 2>&1; then
        log "$role: docker import"
        docker import "$tar" "$raw" >/dev/null
    fi
    tag="$raw"
    if [ -f "$HERE/$role.Dockerfile" ]; then
        # The stand-in's own layer (entry point, environment of the official image).
        local files=("$HERE/$role.Dockerfile")
        [ -f "$HERE/$role-entrypoint.sh" ] && files+=("$HERE/$role-entrypoint.sh")
        tag="$PREFIX/$role:$stamp-$(cat "${files[@]}" | sha256sum | cut -c1-8)"
        if ! docker image inspect "$tag" >/dev/null 2>&1; then
            log "$role: docker build $tag"
            DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$raw" -f "$HERE/$role.Dockerfile" \
                -t "$tag" "$HERE" >/dev/null
        fi
    fi
    echo "$role $tag"
}

for role in "${@:-${ROLES[@]}}"; do
    image "$role"
done
