#!/usr/bin/env bash
# Installs everything the demo and the tests need, and only what is missing (a few seconds when
# all is there): Debian packages, livekit-server (go install) and n8n + Node 24 (both cached
# outside the checkout, see scripts/install-*.sh), and node_modules. `npm test`, `npm run demo`
# and .ci/run all start with it, so each works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# Go lives in /usr/local/go on the project's machines; a non-login shell may not have it on PATH.
[ -d /usr/local/go/bin ] && export PATH="/usr/local/go/bin:$PATH"

# timed NAME CMD...: runs CMD, and says how long it took when that was long enough to notice.
timed() {
  local name=$1 started=$SECONDS; shift
  "$@"
  local took=$((SECONDS - started))
  [ "$took" -lt 5 ] || echo "setup: $name took ${took} s" >&2
}

timed "system packages" bash scripts/install-system.sh
command -v go >/dev/null || [ -x "${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}/bin/livekit-server" ] \
  || { echo "setup: Go is needed once to build livekit-server (scripts/install-livekit.sh)" >&2; exit 1; }
timed "livekit-server" bash scripts/install-livekit.sh >/dev/null
timed "Node 24 + n8n" bash scripts/install-n8n.sh >/dev/null

# node_modules: `npm ci` on a fresh clone; afterwards only when package-lock.json changed (a
# plain `npm install` then, which never deletes a tree another process may be using).
STAMP=node_modules/.ovs-package-lock.sha256
lock_sum() { sha256sum package-lock.json | cut -d' ' -f1; }
if [ ! -d node_modules ]; then
  echo "node_modules: npm ci" >&2
  flock /tmp/npm.lock npm ci --no-audit --no-fund >&2
  lock_sum > "$STAMP"
elif [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$(lock_sum)" ]; then
  echo "node_modules: package-lock.json changed, npm install" >&2
  flock /tmp/npm.lock npm install --no-audit --no-fund >&2
  lock_sum > "$STAMP"
else
  echo "node_modules: up to date" >&2
fi
