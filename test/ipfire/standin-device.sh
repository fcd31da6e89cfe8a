#!/bin/bash
# TEST CODE: create or change a fake NIC in an IPFire stand-in temp root.
#
#   standin-device.sh ROOT IFNAME [--mac MAC] [--carrier 0|1] [--up|--down]
#                     [--lease IP[,ROUTER[,DNS1[,DNS2]]]] [--no-lease]
#                     [--ppp-password PW] [--iptv-lease IP[,ROUTER]]
#                     [--permaddr MAC] [--qmi [--wdm N]]
#                     [--remove]
#
# A NIC is the directory ROOT/sys/class/net/IFNAME/ with the sysfs-like files
# address, carrier, operstate and flags (0x1 bit = administratively up), plus
# standin-lease: what the fake DHCP server / PPP peer hands out on this link.
# A new device gets a MAC derived from its name, carrier 1, admin down and no
# lease. --iptv-lease is what the IPTV network's DHCP server hands out on the
# IPTV VLAN IPFire makes on this NIC (standin-iptv-lease). --permaddr gives the NIC a permanent address (what the kernel reports
# through netlink as IFLA_PERM_ADDRESS; real NICs have one, veths do not),
# kept in standin-permaddr for the stand-in's ip. --qmi adds the qmi/
# directory the kernel's qmi_wwan driver creates, with the control channel
# --wdm N (default 0): device/usbmisc/cdc-wdmN below the netdev, as the
# kernel lists it, and ROOT/dev/cdc-wdmN (a character device when run as
# root, as udev makes it).
set -eu

usage() {
	sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
	exit 2
}
[ $# -ge 2 ] || usage
root=$1 ifname=$2
shift 2
dev="$root/sys/class/net/$ifname"

if [ "${1:-}" = --remove ]; then
	rm -rf "$dev"
	exit 0
fi

if [ ! -d "$dev" ]; then
	mkdir -p "$dev"
	# Locally administered MAC from the name, so tests can predict it.
	hash=$(printf '%s' "$ifname" | md5sum | cut -c1-8)
	printf '52:54:%s:%s:%s:%s\n' "${hash:0:2}" "${hash:2:2}" "${hash:4:2}" "${hash:6:2}" >"$dev/address"
	echo 1 >"$dev/carrier"
	echo down >"$dev/operstate"
	echo 0x1002 >"$dev/flags"
fi

set_oper() { # operstate follows admin state and carrier
	local flags carrier
	flags=$(cat "$dev/flags")
	carrier=$(cat "$dev/carrier")
	if ((flags & 1)) && [ "$carrier" = 1 ]; then echo up; else echo down; fi >"$dev/operstate"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--mac)
		echo "$2" | tr 'A-F' 'a-f' >"$dev/address"
		shift
		;;
	--carrier)
		echo "$2" >"$dev/carrier"
		set_oper
		shift
		;;
	--up)
		printf '0x%x\n' $(($(cat "$dev/flags") | 1)) >"$dev/flags"
		set_oper
		;;
	--down)
		printf '0x%x\n' $(($(cat "$dev/flags") & ~1)) >"$dev/flags"
		set_oper
		;;
	--lease)
		IFS=, read -r ip router dns1 dns2 <<<"$2"
		{
			echo "ip_address=$ip"
			echo "subnet_mask=255.255.255.0"
			[ -n "${router:-}" ] && echo "routers=$router"
			dns="${dns1:-} ${dns2:-}"
			dns=${dns# }
			dns=${dns% }
			[ -n "$dns" ] && echo "domain_name_servers='$dns'"
			grep '^ppp_password=' "$dev/standin-lease" 2>/dev/null || true
		} >"$dev/standin-lease.new"
		mv "$dev/standin-lease.new" "$dev/standin-lease"
		shift
		;;
	--no-lease) rm -f "$dev/standin-lease" ;;
	--iptv-lease)
		IFS=, read -r ip router <<<"$2"
		{
			echo "ip_address=$ip"
			echo "subnet_mask=255.255.255.0"
			[ -n "${router:-}" ] && echo "routers=$router"
		} >"$dev/standin-iptv-lease"
		shift
		;;
	--ppp-password)
		touch "$dev/standin-lease"
		grep -v '^ppp_password=' "$dev/standin-lease" >"$dev/standin-lease.new" || true
		printf "ppp_password='%s'\n" "$2" >>"$dev/standin-lease.new"
		mv "$dev/standin-lease.new" "$dev/standin-lease"
		shift
		;;
	--permaddr)
		echo "$2" | tr 'A-F' 'a-f' >"$dev/standin-permaddr"
		shift
		;;
	--qmi)
		mkdir -p "$dev/qmi" && echo N >"$dev/qmi/raw_ip"
		wdm=0
		if [ "${2:-}" = --wdm ]; then
			wdm=$3
			shift 2
		fi
		rm -rf "$dev/device/usbmisc"
		mkdir -p "$dev/device/usbmisc/cdc-wdm$wdm" "$root/dev"
		if [ ! -e "$root/dev/cdc-wdm$wdm" ]; then
			if [ "$(id -u)" = 0 ]; then mknod "$root/dev/cdc-wdm$wdm" c 180 "$wdm"; else : >"$root/dev/cdc-wdm$wdm"; fi
		fi
		;;
	*)
		echo "standin-device.sh: unknown option $1" >&2
		usage
		;;
	esac
	shift
done
