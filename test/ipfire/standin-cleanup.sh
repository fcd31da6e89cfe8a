#!/bin/bash
# TEST CODE: kill every process that belongs to an IPFire stand-in temp root,
# and optionally delete the root.
#
#   standin-cleanup.sh ROOT [--remove]
#
# A process belongs to ROOT when one of its first arguments is a path inside
# ROOT (the stand-in scripts, fake daemons, hooks, an mwan started with a path
# in ROOT) or its environment has MWAN_STANDIN_ROOT=ROOT (everything the
# stand-in scripts start, e.g. a `sleep` in a hook). Nothing is matched by
# process name. Matches are frozen with SIGSTOP first, so none can spawn a
# replacement, then killed with SIGKILL (no red.down hooks run), by PID.
# --remove refuses to delete a directory without etc/standin.conf.
set -u

[ $# -ge 1 ] || {
	echo "usage: $0 ROOT [--remove]" >&2
	exit 2
}
root=$(cd "$1" 2>/dev/null && pwd) || exit 0 # already gone
[ "$root" != / ] || exit 2

# Never kill ourselves or whoever called us.
declare -A keep=([$$]=1)
p=$PPID
while [ "${p:-0}" -gt 1 ]; do
	keep[$p]=1
	stat=$(cat "/proc/$p/stat" 2>/dev/null) || break
	stat=${stat##*) }
	read -r _ p _ <<<"$stat"
done

belongs() {
	local -a items
	local a
	mapfile -d '' items 2>/dev/null <"/proc/$1/cmdline" || return 1
	for a in "${items[@]:0:4}"; do
		[[ $a == "$root/"* ]] && return 0
	done
	mapfile -d '' items 2>/dev/null <"/proc/$1/environ" || return 1
	for a in "${items[@]}"; do
		[[ $a == "MWAN_STANDIN_ROOT=$root" ]] && return 0
	done
	return 1
}

# REAL=1: the real dhcpcd renames itself and drops its environment, so it is
# found by its pid file in ROOT (comm checked), with its privilege-separation
# helpers (its descendants).
descendants() {
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
for f in "$root"/var/run/dhcpcd/*.pid; do
	[ -r "$f" ] || continue
	read -r pid <"$f" || [ -n "${pid:-}" ] || continue
	[[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dhcpcd ] || continue
	# shellcheck disable=SC2046 # one pid per word
	kill -KILL $(descendants "$pid") "$pid" 2>/dev/null
done

for _ in $(seq 1 50); do
	victims=()
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ -z "${keep[$pid]:-}" ] || continue
		belongs "$pid" && victims+=("$pid")
	done
	[ ${#victims[@]} -gt 0 ] || break
	kill -STOP "${victims[@]}" 2>/dev/null
	kill -KILL "${victims[@]}" 2>/dev/null
	sleep 0.05
done

if [ "${2:-}" = --remove ]; then
	if [ -e "$root/etc/standin.conf" ]; then
		rm -rf "$root"
	else
		echo "$0: $root is not a stand-in root (no etc/standin.conf); not removing" >&2
		exit 1
	fi
fi
exit 0
