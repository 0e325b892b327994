#!/usr/bin/env bash
# Installs the Debian packages netlab builds with, if any are missing.
# Sourced by tools/demo and tools/test; usable alone: bash tools/deps.sh [extra packages]
#
# Root installs with apt-get; a user with sudo is asked for a password; anyone
# else gets the exact command to run, and the script stops.
set -euo pipefail

netlab_packages=(g++ cmake ninja-build pkg-config libuv1-dev libgtest-dev libgmock-dev libcli11-dev python3 "$@")

missing=()
for package in "${netlab_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  return 0 2>/dev/null || exit 0
fi

install_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "netlab needs these packages, and this is not a Debian-like system: ${missing[*]}" >&2
  echo "Install their equivalents with your package manager, then run this command again." >&2
  exit 1
fi

echo "netlab: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  run_as_root=()
elif command -v sudo >/dev/null 2>&1; then
  run_as_root=(sudo)
else
  echo "netlab needs packages that are not installed. Run this (as root), then try again:" >&2
  echo "  sudo sh -c '$install_line'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update -qq
"${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "netlab: packages installed" >&2
