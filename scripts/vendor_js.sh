#!/usr/bin/env bash
# Refresh the JavaScript the report embeds (assets/vendor/) from the npm registry.
# The file is committed so that a fresh `cargo build` needs no npm; run this to update it,
# then review the diff and the version in assets/vendor/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-3.34.4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "cytoscape@$version" >/dev/null && tar xzf cytoscape-*.tgz)
cp "$tmp/package/dist/cytoscape.min.js" assets/vendor/cytoscape.min.js
cp "$tmp/package/LICENSE" assets/vendor/cytoscape.LICENSE
sha256sum assets/vendor/cytoscape.min.js
