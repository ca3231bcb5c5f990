# Sourced: `ovs_buildah ARGS…` is buildah with the project's image store, under
# $OVS_CACHE/docker/storage (so an empty OVS_CACHE means nothing cached), and a run root under
# /run (transient state that must not survive a reboot), one per store.
OVS_BUILDAH_ROOT="${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}/docker/storage"
OVS_BUILDAH_RUNROOT="/run/ovs-buildah/$(printf %s "$OVS_BUILDAH_ROOT" | sha256sum | cut -c1-12)"
ovs_buildah() {
  buildah --root "$OVS_BUILDAH_ROOT" --runroot "$OVS_BUILDAH_RUNROOT" --storage-driver overlay "$@"
}
