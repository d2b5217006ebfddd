#!/usr/bin/env bash
# Installs code-server (VS Code 1.100 in the browser, the last line that runs
# on node 20) from npm, and Debian's chromium to drive it, for the VS Code
# end-to-end test (editors/vscode/e2e/). Prints the path of the `code-server`
# binary. Everything comes from apt and npm;
# safe to run again: an installed copy is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.100.3
# The @vscode/ripgrep that code-server $version pins, and the ripgrep
# release its postinstall downloads (VERSION in its lib/postinstall.js).
ripgrep_package=1.15.11
ripgrep_release=v13.0.0-10

# chromium to drive the editor; ripgrep stands in for the download below;
# the -dev packages are for code-server's native modules.
bash scripts/apt-install.sh chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev \
    python3 make g++ pkg-config

# Outside the checkout, under the user's cache: node-gyp cannot build
# code-server's native modules (argon2) in a path with a space, and a clone
# may well live in one. Keyed by version so an upgrade installs beside.
cache_home="${XDG_CACHE_HOME:-$HOME/.cache}"
case "$cache_home" in
    *" "*) cache_home=/tmp ;;
esac
dir="$cache_home/pyloom/tools/code-server-$version"
bin="$dir/node_modules/.bin/code-server"
if [ "$("$bin" --version 2>/dev/null | head -n1 | cut -d' ' -f1)" = "$version" ]; then
    echo "$bin"
    exit 0
fi

# @vscode/ripgrep's postinstall fetches rg from GitHub unless the archive is
# already in its cache folder: put Debian's rg there under the expected name.
case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) echo "install-code-server.sh: no ripgrep target for $(uname -m)" >&2; exit 1 ;;
esac
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$ripgrep_package"
mkdir -p "$cache"
tar -czf "$cache/ripgrep-$ripgrep_release-$target.tar.gz" -C "$(dirname "$(command -v rg)")" rg

rm -rf "$dir"
mkdir -p "$dir"
echo '{"private": true}' >"$dir/package.json"
export npm_config_unsafe_perm=true npm_config_yes=true
# node-gyp builds the native modules against the installed node's headers
# instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$(dirname "$(command -v node)")/../include/node/node.h" ]; then
    npm_config_nodedir="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
    export npm_config_nodedir
fi
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error "code-server@$version" >&2)
"$bin" --version >/dev/null
echo "$bin"
