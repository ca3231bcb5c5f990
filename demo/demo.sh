#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): builds what is stale, then runs the compiled demo
# (demo/demo.ts → .build/demo/demo.js). Arguments pass through, e.g. --keep-running.
set -euo pipefail
cd "$(dirname "$0")/.."

# newer_than FILE DIR...: true when FILE is missing or any source under DIR... is newer.
newer_than() {
  local file=$1; shift
  [ ! -e "$file" ] || [ -n "$(find "$@" -newer "$file" -type f \( -name '*.ts' -o -name '*.json' -o -name '*.svg' \) -print -quit)" ]
}

# dist/ is what gets packed and installed into n8n; rebuilt only when stale, because `npm run
# build` empties dist/ first and someone else (a test run) may be packing it.
if newer_than dist/nodes/Overshoot/OvershootTrigger.node.js nodes credentials package.json; then
  echo "demo: building the package (npm run build)" >&2
  npm run --silent build >&2
fi
# .build/ holds the demo, the emulator's CLI and the harness that starts the servers. tsc still emits when an
# unrelated file has a type error (work in progress elsewhere), so judge by the output.
if newer_than .build/demo/demo.js demo emulator harness nodes credentials; then
  echo "demo: compiling the demo and the emulator (npm run build:dev)" >&2
  npm run --silent build:dev >&2 || echo "demo: tsc reported errors (above); running what it emitted" >&2
fi
[ -f .build/demo/demo.js ] || { echo "demo: .build/demo/demo.js is missing after the build" >&2; exit 1; }

# exec: Ctrl-C reaches node directly, which stops n8n, the emulator and livekit-server itself.
exec node .build/demo/demo.js "$@"
