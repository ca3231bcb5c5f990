#!/usr/bin/env bash
# Debian packages the tests and the demo need: ffmpeg (camera and file sources), GStreamer's RTSP
# server with its Python bindings (the test RTSP camera), and the GStreamer camera reader
# (gst-launch-1.0 with rtspsrc, decodebin, avdec_h264, videoconvert, videoscale), Redis and
# PostgreSQL for the queue-mode e2e test (which runs throwaway servers of its own on loopback and
# never uses the system services these packages come with), and Chromium (the browser the editor
# e2e test drives through playwright-core, which downloads none). Idempotent: apt is not touched
# when every package is installed. Set OVS_APT_UPDATED=1 when apt-get update just ran.
# With arguments, installs those packages instead (scripts/docker-build.sh: buildah, debootstrap).
set -euo pipefail
DEFAULT_PACKAGES=(
  ffmpeg
  gir1.2-gst-rtsp-server-1.0
  python3-gi
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  gstreamer1.0-tools
  redis-server
  postgresql
  chromium
)
PACKAGES=("${@:-${DEFAULT_PACKAGES[@]}}")
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present" >&2
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "missing ${missing[*]}; run this script as root" >&2; exit 1; }
  SUDO=(sudo)
fi
echo "system packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt run (unattended upgrades, a parallel set-up) is waited for instead of failing on its lock.
WAIT_FOR_LOCK=(-o DPkg::Lock::Timeout=600)
[ "${OVS_APT_UPDATED:-0}" = 1 ] || "${SUDO[@]}" apt-get "${WAIT_FOR_LOCK[@]}" update -qq >&2
"${SUDO[@]}" apt-get "${WAIT_FOR_LOCK[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2
