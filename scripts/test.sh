#!/usr/bin/env bash
# Everything a fresh Debian machine needs to run the tests, then the tests:
# system packages (as root, only those missing), npm dependencies, then typecheck + lint + jest.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server, dockerd, the registry and busybox are real services the tests start themselves;
# redis-tools joins a Redis Cluster (redis-cli), openssl makes the TLS test certificates;
# docker-compose validates docker-compose.yml; chromium (and an emoji font) drives the web console.
packages=(redis-server redis-tools docker.io docker-registry busybox-static git ca-certificates openssl docker-compose chromium fonts-noto-color-emoji iproute2)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm test
