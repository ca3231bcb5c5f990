#!/usr/bin/env bash
# Builds the real LiveKit SFU used by the tests, once, into the cache outside the checkout.
# v1.13.5 is pinned: later tags carry `replace` directives, which `go install` refuses.
set -euo pipefail
CACHE="${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}"
BIN="$CACHE/bin/livekit-server"
if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE/bin"
  echo "building livekit-server v1.13.5 with go install (once)" >&2
  GOBIN="$CACHE/bin" go install github.com/livekit/livekit-server/cmd/server@v1.13.5 >&2
  mv "$CACHE/bin/server" "$BIN"
fi
echo "$BIN"
