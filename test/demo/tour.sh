#!/usr/bin/env bash
# A narrated tour of setting mwan up, run against a throwaway IPFire tree (no
# network is touched): what an admin types on the firewall, and what it says.
set -euo pipefail
bin=${1:?usage: tour.sh path/to/mwan}
root=$(mktemp -d /tmp/mwan-demo-XXXXXX)
trap 'rm -rf "$root"' EXIT

# The parts of an IPFire box mwan reads: RED by DHCP on red0, a spare NIC eth1.
mkdir -p "$root/var/ipfire/ethernet" "$root/sys/class/net/red0" "$root/sys/class/net/eth1"
printf 'CONFIG_TYPE=1\nGREEN_DEV=green0\nRED_TYPE=DHCP\nRED_DEV=red0\nRED_MACADDR=52:54:00:00:00:01\nRED_DRIVER=virtio_net\n' \
  >"$root/var/ipfire/ethernet/settings"
echo 52:54:00:00:00:01 >"$root/sys/class/net/red0/address"
echo 52:54:00:00:00:02 >"$root/sys/class/net/eth1/address"

step() { printf '\n\033[1m$ mwan %s\033[0m\n' "$*"; MWAN_ROOT=$root "$bin" "$@" || true; }

echo "mwan $("$bin" --version | cut -d' ' -f2) on a simulated IPFire tree in $root"
step profile import-current dsl
step profile create cable --type dhcp --device eth1 --priority 1
step profile create lte --type qmi --apn internet.provider.example
step profile create broken --type static --device eth1 --address 192.0.2.10 --netmask 255.255.255.0 --gateway 198.51.100.1
step profile list
step enable
step config show
step profile show lte
