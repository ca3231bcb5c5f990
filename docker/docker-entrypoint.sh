#!/bin/sh
# Runs n8n (`docker run IMAGE` starts it; `docker run IMAGE import:workflow …` runs that command,
# as in the official image). n8n loads community packages from ~/.n8n/nodes, which is the data
# volume: the package preinstalled in the image is linked there on every start, so a volume made
# by an older image gets the image's version, and one the user installed himself (a real
# directory, e.g. from the editor's Community Nodes page) is left alone.
set -eu
PACKAGE=n8n-nodes-overshoot
IMAGE_NODES=/opt/overshoot/nodes
NODES="${N8N_USER_FOLDER:-$HOME}/.n8n/nodes"

if ! mkdir -p "$NODES/node_modules" 2>/dev/null || [ ! -w "$NODES/node_modules" ]; then
  echo "docker-entrypoint: cannot write $NODES (running as uid $(id -u)): the volume at ${N8N_USER_FOLDER:-$HOME}/.n8n must be writable by uid $(id -u), e.g. chown -R $(id -u):$(id -g) on the host folder" >&2
  exit 1
fi
link="$NODES/node_modules/$PACKAGE"
if [ -L "$link" ] || [ ! -e "$link" ]; then
  ln -sfn "$IMAGE_NODES/node_modules/$PACKAGE" "$link"
else
  echo "docker-entrypoint: using the $PACKAGE installed in $link, not the image's" >&2
fi
# n8n's ledger of installed packages; one the user's installs already wrote is kept.
[ -f "$NODES/package.json" ] || cp "$IMAGE_NODES/package.json" "$NODES/package.json"

exec n8n "$@"
