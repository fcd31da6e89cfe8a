#!/bin/bash
# TEST CODE: install the IPFire stand-in into a temp root (see README.md).
#
#   install-standin.sh ROOT [options]
#
#   --delay S        seconds each bring-up takes (DHCP lease, PPP connect,
#                    STATIC ip commands); default 0.2   (env MWAN_STANDIN_DELAY)
#   --stop-delay S   seconds each tear-down takes; default = delay
#                                                       (env MWAN_STANDIN_STOP_DELAY)
#   --time-scale F   factor for IPFire's built-in waits (connectd's 160 x 5 s,
#                    HOLDOFF, dhcpcd's 60 s timeout, carrier waits, restart's
#                    1 s); default 0.05                 (env MWAN_STANDIN_TIME_SCALE)
#   --fail KINDS     bring-up of these kinds fails, red/active never appears;
#                    KINDS = comma list of STATIC,DHCP,PPPOE,QMI (env MWAN_STANDIN_FAIL)
#   --hang KINDS     `red start` of these kinds blocks forever  (env MWAN_STANDIN_HANG)
#   --real           REAL mode, for a root used inside a network namespace:
#                    NICs, addresses and routes are the kernel's (ROOT/sys is
#                    a symlink to /sys), DHCP is the real dhcpcd, STATIC runs
#                    ip, red.up/red.down get an nftables NAT hook; PPPoE and
#                    QMI stay fake                      (env MWAN_STANDIN_REAL=1)
#   --config-only    only (re)write ROOT/etc/standin.conf; the scripts re-read
#                    it on every invocation, so this works on a live root
#
# Installs ROOT/etc/rc.d/init.d/{network,connectd}, .../networking/{red,
# standin-functions,red.up/,red.down/}, fake ROOT/sbin/dhcpcd and
# ROOT/usr/sbin/pppd, ROOT/var/ipfire/... settings of a DHCP RED on red0 and
# the fake NICs green0 and red0 (red0 with a lease). Existing files under
# ROOT/var/ipfire and existing NICs are left alone, so a test may seed them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || {
	sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
	exit 2
}
root=$1
shift

delay=${MWAN_STANDIN_DELAY:-0.2}
stop_delay=${MWAN_STANDIN_STOP_DELAY:-}
time_scale=${MWAN_STANDIN_TIME_SCALE:-0.05}
fail=${MWAN_STANDIN_FAIL:-}
hang=${MWAN_STANDIN_HANG:-}
real=${MWAN_STANDIN_REAL:-}
config_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	--delay) delay=$2 && shift ;;
	--stop-delay) stop_delay=$2 && shift ;;
	--time-scale) time_scale=$2 && shift ;;
	--fail) fail=$2 && shift ;;
	--hang) hang=$2 && shift ;;
	--real) real=1 ;;
	--config-only) config_only=1 ;;
	*)
		echo "install-standin.sh: unknown option $1" >&2
		exit 2
		;;
	esac
	shift
done
for v in "$delay" "${stop_delay:-0}" "$time_scale"; do
	[[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || {
		echo "install-standin.sh: not a number: $v" >&2
		exit 2
	}
done
for v in $fail $hang; do
	[[ ${v^^} =~ ^(STATIC|DHCP|PPPOE|QMI)(,(STATIC|DHCP|PPPOE|QMI))*$ ]] || {
		echo "install-standin.sh: --fail/--hang take STATIC,DHCP,PPPOE,QMI: $v" >&2
		exit 2
	}
done

mkdir -p "$root/etc"
root=$(cd "$root" && pwd)
cat >"$root/etc/standin.conf" <<EOF
# IPFire stand-in options, re-read by every stand-in script (test/ipfire/README.md)
DELAY=$delay
STOP_DELAY=$stop_delay
TIME_SCALE=$time_scale
FAIL=$fail
HANG=$hang
REAL=$real
EOF
[ "$config_only" = 1 ] && exit 0

# ---- scripts ------------------------------------------------------------------
initd="$root/etc/rc.d/init.d"
mkdir -p "$initd/networking/red.up" "$initd/networking/red.down" "$root/sbin" "$root/usr/sbin"
install -m 0755 "$here/standin/network" "$initd/network"
install -m 0755 "$here/standin/connectd" "$initd/connectd"
install -m 0755 "$here/standin/red" "$initd/networking/red"
install -m 0644 "$here/standin/functions.sh" "$initd/networking/standin-functions"
if [ "$real" = 1 ]; then
	for tool in /usr/sbin/dhcpcd unshare ip nft; do
		command -v "$tool" >/dev/null || {
			echo "install-standin.sh: --real needs $tool (Debian: dhcpcd-base, util-linux, iproute2, nftables)" >&2
			exit 1
		}
	done
	# The kernel's NICs: mwan and the scripts read ROOT/sys/class/net.
	if [ ! -L "$root/sys" ]; then
		[ ! -e "$root/sys" ] || {
			echo "install-standin.sh: --real needs ROOT/sys to be free (it becomes a link to /sys)" >&2
			exit 1
		}
		ln -s /sys "$root/sys"
	fi
	install -m 0755 "$here/standin/dhcpcd-real" "$root/sbin/dhcpcd"
	mkdir -p "$root/var/ipfire/dhcpc" "$root/var/lib/dhcpcd"
	install -m 0755 "$here/standin/dhcpcd-run-hooks" "$root/var/ipfire/dhcpc/dhcpcd-run-hooks"
	install -m 0755 "$here/standin/firewall" "$initd/networking/red.up/20-firewall"
	install -m 0755 "$here/standin/firewall" "$initd/networking/red.down/20-firewall"
	# IPFire's dhcpcd.conf (contract §5) minus duid/persistent/hostname; noarp
	# skips the ~5 s address probe, which only costs the tests time.
	[ -e "$root/var/ipfire/dhcpc/dhcpcd.conf" ] || cat >"$root/var/ipfire/dhcpc/dhcpcd.conf" <<'CONF'
ipv4only
noipv4ll
noarp
option domain_name_servers, domain_name, classless_static_routes, interface_mtu, host_name, rapid_commit
require dhcp_server_identifier
CONF
	# IPFire's /sbin/ip is the kernel's iproute2 here too.
	ln -sfn "$(command -v ip)" "$root/sbin/ip"
	# IPFire's /usr/sbin/pppoe-discovery is pppd's (Debian's ppp package).
	si_discovery=$(PATH="$PATH:/usr/sbin:/sbin" command -v pppoe-discovery || true)
	[ -z "$si_discovery" ] || ln -sfn "$si_discovery" "$root/usr/sbin/pppoe-discovery"
else
	install -m 0755 "$here/standin/dhcpcd" "$root/sbin/dhcpcd"
	install -m 0755 "$here/standin/ip" "$root/sbin/ip"
fi
install -m 0755 "$here/standin/pppd" "$root/usr/sbin/pppd"
ln -sfn rc.d/init.d "$root/etc/init.d" # as on IPFire

# ---- runtime dirs ------------------------------------------------------------
mkdir -p "$root/var/run/dhcpcd" "$root/var/run/standin/network.d" "$root/var/log"
[ "$real" = 1 ] || mkdir -p "$root/sys/class/net"
[ -p "$root/var/run/standin/nap.fifo" ] || mkfifo "$root/var/run/standin/nap.fifo"
touch "$root/var/log/standin.log" "$root/var/log/standin-daemons.log"
[ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"

# ---- NICs (fake ones only; REAL=1 has the kernel's) ---------------------------
[ "$real" = 1 ] || [ -d "$root/sys/class/net/green0" ] ||
	bash "$here/standin-device.sh" "$root" green0 --mac 52:54:00:12:34:01 --up
[ "$real" = 1 ] || [ -d "$root/sys/class/net/red0" ] ||
	bash "$here/standin-device.sh" "$root" red0 --mac 52:54:00:12:34:02 --lease 203.0.113.10,203.0.113.1,198.51.100.53,198.51.100.54

# ---- /var/ipfire ---------------------------------------------------------------
cfg="$root/var/ipfire"
mkdir -p "$cfg"/{ethernet,ppp,red,dhcpc,mac,dns,main}
seed() { # seed FILE: write stdin to FILE unless it exists
	if [ -e "$1" ]; then cat >/dev/null; else cat >"$1"; fi
}
# A typical setup-written file: DHCP RED, GREEN only (CONFIG_TYPE=1). The
# descriptions are double-quoted inside single quotes, as setup writes them,
# so readhash drops them, as it does on a real system.
seed "$cfg/ethernet/settings" <<'EOF'
CONFIG_TYPE=1
GREEN_DEV=green0
GREEN_MACADDR=52:54:00:12:34:01
GREEN_DRIVER=virtio_net
GREEN_DESCRIPTION='"pci: Red Hat, Inc. Virtio network device"'
GREEN_ADDRESS=192.168.1.1
GREEN_NETMASK=255.255.255.0
GREEN_NETADDRESS=192.168.1.0
GREEN_BROADCAST=192.168.1.255
RED_DEV=red0
RED_MACADDR=52:54:00:12:34:02
RED_DRIVER=virtio_net
RED_DESCRIPTION='"pci: Red Hat, Inc. Virtio network device"'
RED_TYPE=DHCP
RED_ADDRESS=0.0.0.0
RED_NETMASK=0.0.0.0
RED_NETADDRESS=0.0.0.0
RED_BROADCAST=
DEFAULT_GATEWAY=0.0.0.0
RED_DHCP_HOSTNAME=ipfire
RED_DHCP_FORCE_MTU=
ORANGE_DEV=
BLUE_DEV=
EOF
# PPP profiles 1-5 exist but are empty on a fresh install; ppp/settings is a
# hard link to the selected profile (as pppsetup.cgi makes it).
for n in 1 2 3 4 5; do seed "$cfg/ppp/settings-$n" </dev/null; done
[ -e "$cfg/ppp/settings" ] || ln "$cfg/ppp/settings-1" "$cfg/ppp/settings"
if [ ! -e "$cfg/ppp/secrets" ]; then
	: >"$cfg/ppp/secrets"
	chmod 0600 "$cfg/ppp/secrets"
fi
seed "$cfg/mac/settings" </dev/null
seed "$cfg/dns/settings" <<<"USE_ISP_NAMESERVERS=on"
seed "$cfg/main/settings" <<<"HOSTNAME=ipfire"

# Ownership as on IPFire: /var/ipfire trees nobody:nobody, the top root:root,
# dhcpc root:nobody. Only possible as root; Debian's group is "nogroup".
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
	grp=nobody
	getent group nobody >/dev/null || grp=nogroup
	if getent group "$grp" >/dev/null; then
		chown -R "nobody:$grp" "$cfg"
		chown root:root "$cfg"
		chown "root:$grp" "$cfg/dhcpc"
	fi
fi
exit 0
