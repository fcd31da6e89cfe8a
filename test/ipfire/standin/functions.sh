# shellcheck shell=bash disable=SC2034
# (SC2034: the SI_* paths and options are used by the scripts that source this.)
# TEST CODE. Shared helpers of the IPFire stand-in (see ../README.md).
# Installed as <root>/etc/rc.d/init.d/networking/standin-functions and sourced
# by every stand-in script after it has set SI_ROOT (the temp root).
#
# Internal variables are prefixed SI_ (or are local) so that they cannot clash
# with the settings keys that readhash assigns as globals, as IPFire's own
# `eval $(readhash …)` does.

export LC_ALL=C                       # bracket ranges in the readhash regexes are byte ranges
export MWAN_STANDIN_ROOT="$SI_ROOT"   # inherited by every descendant: cleanup finds them by it

SI_RED="$SI_ROOT/var/ipfire/red"
SI_NET="$SI_ROOT/sys/class/net"
SI_INITD="$SI_ROOT/etc/rc.d/init.d"
SI_RUN="$SI_ROOT/var/run"
SI_LOG="$SI_ROOT/var/log/standin.log"
SI_DAEMON_LOG="$SI_ROOT/var/log/standin-daemons.log"
SI_PPP_PIDFILE="$SI_RUN/ppp-ipfire.pid"

# Sleep without forking `sleep`: a read with a timeout on a FIFO that nobody
# writes to. No child process means nothing is left behind when a test kills
# a stand-in process by PID, and a trapped signal interrupts the wait at once.
# The descriptor is shared with stand-in children (bash cannot mark it
# close-on-exec) and closed for hooks, so no other program inherits it.
if [ -n "${SI_NAP_FD:-}" ] && [ "/proc/self/fd/$SI_NAP_FD" -ef "$SI_RUN/standin/nap.fifo" ]; then
	:
elif [ -p "$SI_RUN/standin/nap.fifo" ]; then
	exec {SI_NAP_FD}<>"$SI_RUN/standin/nap.fifo"
	export SI_NAP_FD
else
	exec {SI_NAP_FD}<> <(:)
fi
nap() {
	read -r -t "$1" -u "$SI_NAP_FD" _ 2>/dev/null
	return 0
}

# ---- JSON-lines log ---------------------------------------------------------
# One object per line: {"t":epoch,"pid":N,"who":"red","ev":"…",…}. Tests parse
# it (see ../standin.ts); humans can still read it.

# json_q VALUE: set SI_J to VALUE as a JSON string. Builtins only: the logger
# runs for every value read, and a $(…) per value would fork each time.
json_q() {
	SI_J=$1
	SI_J=${SI_J//\\/\\\\}
	SI_J=${SI_J//\"/\\\"}
	SI_J=${SI_J//$'\n'/\\n}
	SI_J=${SI_J//$'\r'/\\r}
	SI_J=${SI_J//$'\t'/\\t}
	SI_J="\"${SI_J//[[:cntrl:]]/?}\""
}

# log_event WHO EVENT [key value]... ; a key ending in ':json' takes raw JSON.
log_event() {
	local who=$1 ev=$2 out k
	shift 2
	json_q "$who"
	out="{\"t\":${EPOCHREALTIME},\"pid\":${BASHPID},\"who\":$SI_J"
	json_q "$ev"
	out+=",\"ev\":$SI_J"
	while [ $# -ge 2 ]; do
		k=$1
		json_q "${k%:json}"
		out+=",$SI_J:"
		if [[ $k == *:json ]]; then
			out+=$2
		else
			json_q "$2"
			out+=$SI_J
		fi
		shift 2
	done
	printf '%s}\n' "$out" >>"$SI_LOG"
}

# json_array ARG...: print the arguments as a JSON array of strings.
json_array() {
	local out="[" sep="" a
	for a in "$@"; do
		json_q "$a"
		out+="$sep$SI_J"
		sep=","
	done
	printf '%s]' "$out"
}

# Human-readable progress goes to stderr, like boot_mesg on the console.
say() { printf '%s\n' "$*" >&2; }

# ---- readhash ---------------------------------------------------------------
# Own re-implementation of IPFire's shell settings reader, without eval:
# a line is used only if it is KEY=value with the value made of
# A-Za-z0-9=/,.:%_@#+- (no quotes), or KEY='value' where spaces are also allowed
# inside the quotes. Every other line is silently ignored, like the real
# filter drops it. The unquoted lines are applied first and the quoted ones
# second (the real reader runs two passes in that order). Stricter than the
# real one in one way: text before KEY= makes the line unusable here, while
# IPFire would pass such a line on to `eval`.
# Logs one "readhash" event (as WHO) naming the file, the values it set and
# the keys of dropped lines; WHO "-" means do not log.
SI_RH_CHARS='A-Za-z0-9=/,.:%_@#+-'
SI_RH_PLAIN="^([A-Za-z_][A-Za-z0-9_]*)=([${SI_RH_CHARS}]*)\$"
SI_RH_QUOTED="^([A-Za-z_][A-Za-z0-9_]*)='([ ${SI_RH_CHARS}]*)'\$"
readhash() {
	local file=$1 who=${2:-readhash} line pass re vals="{" sep="" dropped=()
	if [ ! -r "$file" ]; then
		[ "$who" = - ] || log_event "$who" readhash file "${file#"$SI_ROOT"}" missing 1
		return 0
	fi
	for pass in 1 2; do
		[ $pass = 1 ] && re=$SI_RH_PLAIN || re=$SI_RH_QUOTED
		while IFS= read -r line || [ -n "$line" ]; do
			if [[ $line =~ $re ]]; then
				printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}" 2>/dev/null || continue
				json_q "${BASH_REMATCH[1]}"
				vals+="$sep$SI_J:"
				json_q "${BASH_REMATCH[2]}"
				vals+=$SI_J
				sep=","
			elif [ $pass = 1 ] && ! [[ $line =~ $SI_RH_QUOTED ]] && [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)= ]]; then
				dropped+=("${BASH_REMATCH[1]}")
			fi
		done <"$file"
	done
	[ "$who" = - ] && return 0
	log_event "$who" readhash file "${file#"$SI_ROOT"}" values:json "$vals}" dropped:json "$(json_array "${dropped[@]}")"
}

# ---- stand-in configuration -------------------------------------------------
# <root>/etc/standin.conf is written by install-standin.sh and re-read by every
# invocation, so a test may edit it between steps. Not logged (noise).
si_load_conf() {
	SI_DELAY=0.2 SI_STOP_DELAY="" SI_TIME_SCALE=0.05 SI_FAIL="" SI_HANG="" SI_REAL=""
	local line
	if [ -r "$SI_ROOT/etc/standin.conf" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[[ $line =~ $SI_RH_PLAIN || $line =~ $SI_RH_QUOTED ]] || continue
			case "${BASH_REMATCH[1]}" in
			DELAY | STOP_DELAY | TIME_SCALE | FAIL | HANG | REAL) printf -v "SI_${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}" ;;
			esac
		done <"$SI_ROOT/etc/standin.conf"
	fi
	SI_STOP_DELAY=${SI_STOP_DELAY:-$SI_DELAY}
}
si_load_conf

# scaled SECONDS: an IPFire built-in wait, multiplied by TIME_SCALE.
scaled() { awk -v s="$1" -v f="$SI_TIME_SCALE" 'BEGIN { printf "%.3f", s * f }'; }

# mask_bits NETMASK: the prefix length (IPFire uses whatmask).
mask_bits() {
	local bits=0 octet
	for octet in ${1//./ }; do
		while ((octet & 128)); do
			((bits++, octet = (octet << 1) & 255))
		done
	done
	echo "$bits"
}

# in_list WORD "A,B C": is WORD one of the comma/space separated (case-insensitive) words?
in_list() {
	local w
	for w in ${2//,/ }; do
		[ "${w^^}" = "${1^^}" ] && return 0
	done
	return 1
}

# ---- processes --------------------------------------------------------------
# pid_of_standin PIDFILE PROGRAM: print the pid in PIDFILE if that process is
# alive AND runs PROGRAM from this root (guards against stale files and reused
# pids; the real scripts only test /proc/<pid>).
pid_of_standin() {
	local pid
	[ -r "$1" ] || return 1
	read -r pid <"$1" || [ -n "$pid" ] || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	is_standin_pid "$pid" "$2" || return 1
	printf '%s\n' "$pid"
}

# is_standin_pid PID PROGRAM: does PID run PROGRAM? Compared by inode (-ef), so
# the spelling of the path in the command line does not matter.
is_standin_pid() {
	local -a args
	local a
	[ -r "/proc/$1/cmdline" ] || return 1
	mapfile -d '' args 2>/dev/null <"/proc/$1/cmdline" || return 1
	for a in "${args[@]:0:3}"; do
		[[ $a == */* && $a -ef $2 ]] && return 0
	done
	return 1
}

# wait_gone PID SECONDS: poll until the process has exited (or give up).
wait_gone() {
	local n stat
	n=$(awk -v s="$2" 'BEGIN { printf "%d", s / 0.05 + 1 }')
	# Gone, or a zombie (state Z after "pid (comm) ") waiting to be reaped.
	while read -r stat 2>/dev/null <"/proc/$1/stat" && stat=${stat##*) } && [ "${stat%% *}" != Z ]; do
		((n-- > 0)) || return 1
		nap 0.05
	done
	return 0
}

# ---- fake NICs --------------------------------------------------------------
# A device is a directory <root>/sys/class/net/<if>/ with address, carrier,
# operstate and flags (hex; bit 0x1 = administratively up), like sysfs.
dev_exists() { [ -n "$1" ] && [ -d "$SI_NET/$1" ]; }
# Reads use the read builtin: the daemons poll these files.
dev_read() { # dev_read IF FILE: sets SI_V to the file's first line
	SI_V=""
	read -r SI_V 2>/dev/null <"$SI_NET/$1/$2" || [ -n "$SI_V" ]
}
dev_is_up() {
	dev_read "$1" flags || return 1
	[[ $SI_V =~ ^0x[0-9a-fA-F]+$ ]] && ((SI_V & 1))
}
dev_carrier() { dev_read "$1" carrier && [ "$SI_V" = 1 ]; }
dev_set_up() {
	if [ "$SI_REAL" = 1 ]; then
		ip link set dev "$1" up
		return
	fi
	local f
	dev_read "$1" flags && f=$SI_V
	printf '0x%x\n' $((${f:-0x1002} | 1)) >"$SI_NET/$1/flags"
	if dev_carrier "$1"; then echo up; else echo down; fi >"$SI_NET/$1/operstate"
}
dev_set_down() {
	if [ "$SI_REAL" = 1 ]; then
		ip link set dev "$1" down
		return
	fi
	local f
	dev_read "$1" flags && f=$SI_V
	printf '0x%x\n' $((${f:-0x1003} & ~1)) >"$SI_NET/$1/flags"
	echo down >"$SI_NET/$1/operstate"
}

# dev_add_vlan PARENT VLAN LEASE: `ip link add link PARENT name VLAN type vlan
# id N` (red 254, 279). The kernel gives the VLAN its parent's address now;
# the fake one also its carrier and, as what the line's peer hands out
# through it, the parent's file LEASE (standin-lease for VDSL's PPPoE,
# standin-iptv-lease for the IPTV VLAN's DHCP).
dev_add_vlan() {
	local parent=$1 vlan=$2 lease=$3
	if [ "$SI_REAL" = 1 ]; then
		ip link add link "$parent" name "$vlan" type vlan id "${vlan##*.}"
		return
	fi
	dev_exists "$vlan" && return 1 # ip: RTNETLINK answers: File exists
	mkdir -p "$SI_NET/$vlan"
	cp "$SI_NET/$parent/address" "$SI_NET/$vlan/address"
	cp "$SI_NET/$parent/carrier" "$SI_NET/$vlan/carrier" 2>/dev/null || echo 1 >"$SI_NET/$vlan/carrier"
	echo 0x1002 >"$SI_NET/$vlan/flags"
	echo down >"$SI_NET/$vlan/operstate"
	[ -r "$SI_NET/$parent/$lease" ] && cp "$SI_NET/$parent/$lease" "$SI_NET/$vlan/standin-lease"
	return 0
}
dev_delete() { # `ip link delete IF`
	if [ "$SI_REAL" = 1 ]; then
		ip link delete "$1"
	else
		rm -rf "${SI_NET:?}/$1"
	fi
}
# qmi_enable_rawip_mode (functions.network 463-470): link down, raw_ip Y. In
# raw-IP mode qmi_wwan sets the netdev's addr_len to 0, so its address reads
# empty (contract §0a.2); nothing but udev's hotplug sets it back.
dev_raw_ip() {
	dev_set_down "$1"
	echo Y >"$SI_NET/$1/qmi/raw_ip"
	[ "$SI_REAL" = 1 ] || echo >"$SI_NET/$1/address"
}
# qmi_find_device (functions.network 436-455): the /dev/cdc-* whose wwan
# interface is IF, as qmicli --get-wwan-iface reports it; the kernel lists a
# modem's control channel below its netdev (device/usbmisc/cdc-wdmN).
qmi_find_device() {
	local wdm
	for wdm in "$SI_NET/$1"/device/usbmisc/cdc-wdm*; do
		[ -e "$wdm" ] || continue
		wdm=$(basename "$wdm")
		[ -c "$SI_ROOT/dev/$wdm" ] || [ -f "$SI_ROOT/dev/$wdm" ] || continue
		echo "/dev/$wdm"
		return 0
	done
	return 1
}
dev_set_mac() { # dev_set_mac IF MAC: the spoofed MAC red start applies to a down NIC
	if [ "$SI_REAL" = 1 ]; then
		ip link set dev "$1" address "$2"
	else
		echo "$2" >"$SI_NET/$1/address"
	fi
}

# dhcpcd_pid IF: the pid of this root's dhcpcd on IF, from its pid file. The
# real dhcpcd (REAL=1) renames itself ("dhcpcd: red0 [ip4]"), so there the
# check is its comm; the pid file is this root's own (see dhcpcd-real).
dhcpcd_pid() {
	local pid comm
	if [ "$SI_REAL" != 1 ]; then
		pid_of_standin "$SI_RUN/dhcpcd/$1.pid" "$SI_ROOT/sbin/dhcpcd"
		return
	fi
	[ -r "$SI_RUN/dhcpcd/$1.pid" ] || return 1
	read -r pid <"$SI_RUN/dhcpcd/$1.pid" || [ -n "$pid" ] || return 1
	[[ $pid =~ ^[0-9]+$ ]] && read -r comm 2>/dev/null <"/proc/$pid/comm" && [ "$comm" = dhcpcd ] || return 1
	printf '%s\n' "$pid"
}

# ---- dhcpcd.exe ----------------------------------------------------------------
# Own re-implementation of IPFire's dhcpcd hook (contract §5), for the fake
# dhcpcd and, with REAL=1, for the real one (via dhcpcd-run-hooks). Takes the
# reason and the interface; new_*/old_* come from the environment as dhcpcd
# sets them. A subshell per event: the real hook is a fresh shell each time
# and re-reads ethernet/settings, so RED_DEV is the one current at the event.
dhcpcd_exe() (
	reason=$1 interface=$2
	readhash "$SI_ROOT/var/ipfire/ethernet/settings" dhcpcd.exe
	log_event dhcpcd.exe event reason "$reason" interface "$interface" ip "$new_ip_address" routers "$new_routers"
	hook_env=(reason="$reason" interface="$interface" new_ip_address="$new_ip_address"
		new_routers="$new_routers" new_domain_name_servers="$new_domain_name_servers"
		new_subnet_mask="$new_subnet_mask" old_ip_address="$old_ip_address" old_routers="$old_routers"
		PATH=/usr/bin:/usr/sbin:/bin:/sbin)
	write_info() {
		local n
		for n in ip_address routers subnet_mask domain_name_servers; do
			eval "[ -n \"\$new_$n\" ] && printf \"%s='%s'\\n\" $n \"\$new_$n\""
		done >"$SI_ROOT/var/ipfire/dhcpc/dhcpcd-$interface.info"
	}
	case "$reason" in
	BOUND | INFORM | REBIND | REBOOT | RENEW | TIMEOUT | STATIC)
		write_info
		if [ "$interface" != "$RED_DEV" ]; then
			log_event dhcpcd.exe not-red interface "$interface" RED_DEV "$RED_DEV"
			exit 0
		fi
		update=""
		[ -e "$SI_RED/active" ] || update=1
		[ "$old_ip_address" != "$new_ip_address" ] && update=1
		[ "$old_routers" != "$new_routers" ] && update=1
		set -- $new_domain_name_servers
		echo "$1" >"$SI_RUN/dns1"
		echo "$2" >"$SI_RUN/dns2"
		echo -n "$new_ip_address" >"$SI_RED/local-ipaddress"
		if [ -n "$new_routers" ]; then
			{
				grep -v -E '\<gateway\>' "$SI_ROOT/etc/hosts" 2>/dev/null
				printf '%s\tgateway\n' "$new_routers"
			} >"$SI_ROOT/etc/hosts.standin" && mv "$SI_ROOT/etc/hosts.standin" "$SI_ROOT/etc/hosts"
		fi
		if [ -n "$update" ]; then
			touch "$SI_RED/active"
			[ -n "$new_routers" ] && echo -n "$new_routers" >"$SI_RED/remote-ipaddress"
			log_event dhcpcd.exe active interface "$interface" ip "$new_ip_address"
			run_subdir "$SI_INITD/networking/red.up/" dhcpcd.exe "${hook_env[@]}"
		fi
		;;
	PREINIT | EXPIRE | FAIL | IPV4LL | NAK | RELEASE | STOP)
		write_info
		rm -f "$SI_RUN/dns1" "$SI_RUN/dns2"
		rm -f "$SI_RED/active" # no interface check, as in IPFire
		if [ "$reason" != PREINIT ]; then
			log_event dhcpcd.exe down interface "$interface" reason "$reason"
			run_subdir "$SI_INITD/networking/red.down/" dhcpcd.exe "${hook_env[@]}"
		fi
		[ "$SI_REAL" = 1 ] && ip addr flush dev "$interface" 2>/dev/null
		;;
	STOPPED | CARRIER | NOCARRIER) ;;
	*) log_event dhcpcd.exe unhandled reason "$reason" ;;
	esac
)

# ---- run_subdir ---------------------------------------------------------------
# Own re-implementation of IPFire's hook runner: every entry of DIR in `ls -v`
# order (dotfiles skipped by the glob), run in the foreground with its full
# path as argv[0]; the argument comes from the second dash-separated field of
# the name. Exit codes are ignored, and a non-executable or dangling entry is
# still attempted (bash >= 4.4 makes the real skip check a no-op).
# Extra arguments are NAME=VALUE pairs exported to the hooks only.
run_subdir() {
	local dir=$1 who=$2 hook arg rc
	shift 2
	local -a hooks
	mapfile -t hooks < <(ls -v "$dir"* 2>/dev/null)
	# REAL=1: the hooks run against the temp root as if it were "/", so mwan's
	# hook finds its daemon there (on IPFire the root simply is /).
	local -a root_env=()
	[ "$SI_REAL" = 1 ] && root_env=(MWAN_ROOT="$SI_ROOT")
	for hook in "${hooks[@]}"; do
		case "$(basename "$hook" | awk -F- '{ print $2 }')" in
		S) arg=start ;;
		K) arg=stop ;;
		RS) arg=restart ;;
		RL) arg=reload ;;
		U) arg=up ;;
		D) arg=down ;;
		*) arg="" ;;
		esac
		log_event "$who" hook path "${hook#"$SI_ROOT"}" arg "$arg"
		if [ -n "$arg" ]; then
			env "${root_env[@]}" "$@" "$hook" "$arg" {SI_NAP_FD}<&-
		else
			env "${root_env[@]}" "$@" "$hook" {SI_NAP_FD}<&-
		fi
		rc=$?
		log_event "$who" hook-done path "${hook#"$SI_ROOT"}" rc "$rc"
	done
}
