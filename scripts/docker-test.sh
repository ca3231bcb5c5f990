#!/usr/bin/env bash
# CI's Docker step: builds the image for real (scripts/docker-build.sh; cached under
# $OVS_CACHE/docker) and runs the docker tests in it (test/docker/: the image's n8n runs the
# trigger against the emulator, livekit-server and an RTSP camera on the host). Needs root:
# buildah's chroot isolation, and the tests chroot into the mounted image. Prints each part's
# time; the last line is the test summary ("N passed, N failed").
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "docker-test: run as root (buildah --isolation chroot, chroot into the image)" >&2; exit 1; }
started=$SECONDS
image="$(bash scripts/docker-build.sh | tail -n 1)"
echo "docker-test: image $image ready in $((SECONDS - started)) s" >&2
started=$SECONDS
status=0
OVS_DOCKER_IMAGE="$image" npm test -- --selectProjects docker || status=$?
echo "docker-test: in-image test took $((SECONDS - started)) s" >&2
exit $status
