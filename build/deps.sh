#!/usr/bin/env bash
# Installs what building and testing mwan need, only what is missing: bun and
# the npm packages (from the lock file), and the Debian packages the tests run
# for real (a firewall's tools, qemu-user for the aarch64 smoke test).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/bun ] || npm ci --no-audit --no-fund

# command to look for -> Debian package that has it
declare -A need=(
  [ip]=iproute2 [ping]=iputils-ping [nft]=nftables [dnsmasq]=dnsmasq-base [dhcpcd]=dhcpcd-base
  [curl]=curl [script]=util-linux [qemu-aarch64]=qemu-user [git]=git [make]=make
)
missing=()
for cmd in "${!need[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
done
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=(libc6-arm64-cross)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing Debian packages (run as root to install): ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# dnsmasq-base: the binary without a system service.
apt-get install -y -qq --no-install-recommends ca-certificates "${missing[@]}" >/dev/null
