#!/usr/bin/env bash
# Builds docker/Dockerfile for real on a machine that reaches the Debian mirror and the npm
# registry but no container registry (the project's CI): the Debian 12 base is made locally with
# debootstrap, imported into buildah, and the image is built with `buildah bud --isolation chroot`
# (no daemon, no user namespaces). Prints the image name on stdout (last line).
#
# Caches, all under $OVS_CACHE/docker (default ~/.cache/n8n-nodes-overshoot/docker), so an empty
# OVS_CACHE builds everything from nothing:
#   storage/            buildah's image store (--root): the base and the image's layers
#   base image          localhost/ovs-debian-base:bookworm-<key>, key = this recipe + mirror
#   image layers        buildah --layers: a step is rebuilt only when it or what it copies changed
# The host's npm cache is lent to the build's npm commands (-v ~/.npm:/root/.npm): the tests'
# install of n8n has usually downloaded the same 2,400 packages already. Nothing lent is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}/docker"
IMAGE="${OVS_DOCKER_IMAGE:-localhost/n8n-nodes-overshoot:latest}"
SUITE=bookworm

bash scripts/install-system.sh buildah debootstrap
source scripts/buildah-env.sh

# The mirror apt already uses (deb822 or one-line sources), else Debian's CDN.
mirror() {
  local uri
  uri="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v -- '-security' | head -n 1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb (\[[^]]*\] )?//; s/[[:space:]].*//')"
  echo "${OVS_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}
MIRROR="$(mirror)"
SECURITY_MIRROR="${MIRROR%/debian}/debian-security"

# The base: what debian:bookworm-slim is (minbase, apt sources for updates and security, no docs
# or apt lists), made here. Its key covers this function's text and the mirror.
make_base() {
  local root="$1"
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >&2
  rm -f "$root/etc/apt/sources.list"
  cat > "$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  # As in Debian's slim images: no documentation, no apt caches left in layers.
  cat > "$root/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
  echo 'APT::Keep-Downloaded-Packages "false";' > "$root/etc/apt/apt.conf.d/docker-clean"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
}
BASE_KEY="$( { declare -f make_base; echo "$SUITE $MIRROR"; } | sha256sum | cut -c1-16)"
BASE="localhost/ovs-debian-base:$SUITE-$BASE_KEY"

started=$SECONDS
if ovs_buildah inspect --type image "$BASE" >/dev/null 2>&1; then
  echo "docker-build: base $BASE cached" >&2
else
  echo "docker-build: making the base with debootstrap ($SUITE, minbase, $MIRROR)" >&2
  work="$(mktemp -d)"
  ctr=""
  trap 'rm -rf "$work"; [ -z "$ctr" ] || ovs_buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
  make_base "$work/root"
  ctr="$(ovs_buildah from scratch)"
  mnt="$(ovs_buildah mount "$ctr")"
  tar -C "$work/root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . | tar -C "$mnt" -xpf -
  ovs_buildah umount "$ctr" >/dev/null
  ovs_buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$ctr"
  ovs_buildah commit --quiet --rm "$ctr" "$BASE" >/dev/null
  ctr=""
  rm -rf "$work"
  trap - EXIT
  echo "docker-build: base made in $((SECONDS - started)) s" >&2
fi

started=$SECONDS
lend=()
[ -d "$HOME/.npm" ] && lend+=(--volume "$HOME/.npm:/root/.npm")
# The CAs the host trusts (NODE_EXTRA_CA_CERTS, else its system bundle) are lent to the build's
# npm: behind a TLS-intercepting proxy (the project's machines) the registry's certificate is
# signed by a local CA that Debian's bundle in the image does not have. It stays out of the image.
host_ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
if [ -f "$host_ca" ]; then
  lend+=(--volume "$host_ca:/run/host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca.crt)
fi
# --format docker keeps HEALTHCHECK (the OCI format has no field for it).
ovs_buildah bud --isolation chroot --layers --format docker --pull=false \
  --build-arg BASE_IMAGE="$BASE" "${lend[@]}" \
  -f docker/Dockerfile -t "$IMAGE" . >&2
echo "docker-build: image built in $((SECONDS - started)) s" >&2
echo "$IMAGE"
