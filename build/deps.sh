#!/usr/bin/env bash
# Installs what building and testing mwan need, only what is missing, in the
# order a bare Debian machine needs it: first the Debian packages with
# apt-get, Node.js and npm among them (the Makefile's VERSION runs node, and
# npm installs bun), with the tools the tests run for real (a firewall's, and
# qemu-user for the aarch64 smoke test, Apache and Chromium for the web
# page's); then bun and the npm packages from
# the lock file. Prints nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# command to look for -> Debian package that has it
declare -A need=(
  [node]=nodejs [npm]=npm
  [ip]=iproute2 [ping]=iputils-ping [nft]=nftables [dnsmasq]=dnsmasq-base [dhcpcd]=dhcpcd-base
  [pppoe-discovery]=ppp [pppoe-server]=pppoe [curl]=curl [script]=util-linux [qemu-aarch64]=qemu-user [git]=git [make]=make
  [apache2]=apache2 [chromium]=chromium [setpriv]=util-linux
)
missing=()
for cmd in "${!need[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
done
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=(libc6-arm64-cross)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # dnsmasq-base: the binary without a system service. ca-certificates: npm
    # fetches over HTTPS.
    apt-get install -y -qq --no-install-recommends ca-certificates "${missing[@]}" >/dev/null
  else
    echo "deps: missing Debian packages (run as root to install): ${missing[*]}" >&2
  fi
fi

# playwright-core too: a tree installed before the web page's test needed it.
if [ ! -x node_modules/.bin/bun ] || [ ! -d node_modules/playwright-core ]; then
  command -v npm >/dev/null || {
    echo "deps: npm is missing, so bun and the npm packages cannot be installed (run as root to install it)" >&2
    exit 1
  }
  npm ci --no-audit --no-fund
fi
