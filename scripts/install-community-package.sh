#!/usr/bin/env bash
# install-community-package.sh TARBALL NODES_DIR: installs a packed community package into an n8n
# nodes folder (`<user folder>/.n8n/nodes`) the way n8n 2.40's installer does
# (CommunityPackagesService.downloadPackage): untar into NODES_DIR/node_modules/<name>, drop
# dev/peer/optional dependencies, `npm install` with n8n's flags inside the package folder, and
# record it in NODES_DIR/package.json (the `installed-nodes` ledger). Used by the e2e tests
# (harness/n8n-package.ts) and the Docker image. Prints the package folder.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 TARBALL NODES_DIR" >&2; exit 2; }
TARBALL="$1"
NODES_DIR="$2"
[ -f "$TARBALL" ] || { echo "install-community-package: no tarball at $TARBALL" >&2; exit 1; }

name="$(tar -xzOf "$TARBALL" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).name')"
package_dir="$NODES_DIR/node_modules/$name"
rm -rf "$package_dir"
mkdir -p "$package_dir"
tar -xzf "$TARBALL" -C "$package_dir" --strip-components=1

version="$(node - "$package_dir/package.json" <<'JS'
const fs = require('fs');
const file = process.argv[2];
const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(file, 'utf8'));
fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
process.stdout.write(pkg.version);
JS
)"

# n8n runs whatever npm is on PATH, with the project's (or an outer npm's) settings not applying.
(cd "$package_dir" && env $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/-u \1/Ip') npm install \
  --audit=false --fund=false --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false >&2)

node -e 'const [file, name, version] = process.argv.slice(1);
require("fs").writeFileSync(file, JSON.stringify({ name: "installed-nodes", private: true, dependencies: { [name]: version } }, null, 2));' \
  "$NODES_DIR/package.json" "$name" "$version"
echo "$package_dir"
