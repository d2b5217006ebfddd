#!/usr/bin/env bash
# Installs the named Debian packages that are not installed yet, without
# questions (CI runs as root with no stdin). Does nothing, and needs no
# network, when all of them are already there.
set -euo pipefail

missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
# Another apt run (a second install script, unattended upgrades) holds the
# lock for a while: wait for it instead of failing.
lock=(-o DPkg::Lock::Timeout=600)
echo "apt-get install ${missing[*]}" >&2
"${sudo[@]}" apt-get "${lock[@]}" update -qq >&2
"${sudo[@]}" apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2
