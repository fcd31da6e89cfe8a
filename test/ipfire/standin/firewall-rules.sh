#!/bin/bash
# TEST CODE: the parts of IPFire's packet filter that mwan's side paths and
# the LAN meet, rendered with nftables, for the firewall's network namespace
# of a virtual site (IPFire itself uses iptables; these are the same
# decisions in the same order):
#
#   firewall-rules.sh GREEN_IF GREEN_NET RED_IF     (re)apply, atomically
#   firewall-rules.sh --remove
#
# Followed from src/initscripts/system/firewall (iptables_init, lines cited)
# and config/firewall/firewall-policy (default policies: forward "allowed",
# outgoing "allowed"), in IPFire's source:
#   policies INPUT DROP, FORWARD DROP, OUTPUT ACCEPT       firewall 74-76
#   LOOPBACK: lo accepted                                  firewall 250-255
#   ICMPINPUT: echo requests to the firewall accepted      firewall 243-246
#   CTINPUT on INPUT and FORWARD: ESTABLISHED accepted,    firewall 151-156, 269-271
#     INVALID dropped, RELATED ICMP accepted; CTOUTPUT likewise
#   REDINPUT: DHCP replies (sport 67, dport 68) accepted   firewall 483-488
#     only on red/iface
#   POLICYIN: syslog dropped, GREEN accepted, rest DROP    firewall-policy 64-75, 116-121
#   POLICYFWD: GREEN's subnet to anywhere, rest DROP       firewall-policy 143-153, 177
#   POLICYOUT: ACCEPT                                      firewall-policy 199-200
# Chains that only act on what a site test never sends (BADTCP, HOSTILE,
# blocklists, IPsec, OpenVPN, WireGuard, Tor, captive portal, the admin's
# own rules of rules.pl) are left out. Masquerading (REDNAT, firewall 526)
# is the red.up hook's (standin/firewall). Every verdict rule has a counter,
# so a test can read which rule saw its packets.
set -euo pipefail

if [ "${1:-}" = --remove ]; then
	nft delete table ip standin_ipfire_filter 2>/dev/null || true
	exit 0
fi
[ $# -eq 3 ] || {
	echo "usage: $0 GREEN_IF GREEN_NET RED_IF | --remove" >&2
	exit 2
}
green=$1 green_net=$2 red=$3
for name in "$green" "$red"; do
	[[ "$name" =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || {
		echo "$0: bad interface name: $name" >&2
		exit 2
	}
done
[[ "$green_net" =~ ^[0-9./]+$ ]] || {
	echo "$0: bad network: $green_net" >&2
	exit 2
}

nft -f - <<NFT
table ip standin_ipfire_filter
delete table ip standin_ipfire_filter
table ip standin_ipfire_filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iifname "lo" counter accept comment "LOOPBACK"
		icmp type echo-request counter accept comment "ICMPINPUT"
		ct state established counter accept comment "CTINPUT"
		ct state invalid counter drop comment "CTINVALID"
		ip protocol icmp ct state related counter accept comment "CTINPUT"
		iifname "$red" udp sport 67 udp dport 68 counter accept comment "REDINPUT dhcp"
		udp dport 514 counter drop comment "POLICYIN syslog"
		iifname "$green" counter accept comment "POLICYIN green"
		counter drop comment "POLICYIN DROP_INPUT"
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established counter accept comment "CTINPUT"
		ct state invalid counter drop comment "CTINVALID"
		ip protocol icmp ct state related counter accept comment "CTINPUT"
		iifname "$green" ip saddr $green_net counter accept comment "POLICYFWD green"
		counter drop comment "POLICYFWD DROP_FORWARD"
	}
	chain output {
		type filter hook output priority filter; policy accept;
		ct state established counter accept comment "CTOUTPUT"
		ip protocol icmp ct state related counter accept comment "CTOUTPUT"
		counter accept comment "POLICYOUT"
	}
}
NFT
