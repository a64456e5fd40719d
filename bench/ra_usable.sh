#!/usr/bin/env bash
# Benchmark: from a router advertisement arriving to a usable global
# address, ipifc's host mode with optimistic DAD against the Linux kernel
# with optimistic DAD, both fed by the same radvd in the same run.
#
#   sudo bash bench/ra_usable.sh [BUILD]      (BUILD: default build/)
#
# Builds nothing: BUILD must hold ipifcd and ipifc.  Runs as root in
# network namespaces it makes (names carry the PID) and always removes
# them, with the daemons, on exit.  Traffic passes only between them.
#
# Setup: a bridge in namespace R, where radvd advertises 2001:db8:b::/64
# (every 3 to 4 s); a veth from it to namespace D, opened by ipifcd with
# packet: (ra6 recvra 1 optimistic 1); a veth from it to namespace L, Linux
# with accept_ra 2, optimistic_dad 1, use_optimistic 1.  tcpdump on the
# bridge stamps the first RA radvd sends, which the bridge floods to both
# at once (a veth hop: microseconds); the address's
# arrival is stamped by `ip -ts monitor address` (Linux) and by the
# daemon's `addr new` log line, stamped by a reader as it comes out of a
# FIFO (ipifc; the pipe's delay counts against ipifc).  All stamps are
# the host's realtime clock.  ROUNDS (default 3) runs, each
# with fresh namespaces; every command has a timeout.

set -u

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/ra_usable.sh: must run as root (sudo bash bench/ra_usable.sh BUILD)" >&2
	exit 1
fi

BUILD=${1:-build}
IPIFCD=$BUILD/ipifcd
IPIFC=$BUILD/ipifc
ROUNDS=${ROUNDS:-3}
RADVD=$(command -v radvd || echo /usr/sbin/radvd)

die()
{
	echo "bench/ra_usable.sh: $*" >&2
	exit 1
}

{ [ -x "$IPIFCD" ] && [ -x "$IPIFC" ]; } ||
    die "no $IPIFCD or $IPIFC (build first: meson setup $BUILD -Dbuildtype=release && ninja -C $BUILD)"
[ -x "$RADVD" ] || die "no radvd"
for c in ip tcpdump timeout python3 awk sysctl; do
	command -v "$c" >/dev/null 2>&1 || die "no $c"
done
case $ROUNDS in ''|*[!0-9]*) die "ROUNDS must be a number" ;; esac
{ [ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ]; } || die "ROUNDS out of range"

P=ipr$$
T=/tmp/ipifc-bench-ra-$$
PIDS=""
NSLIST=""

cleanup()
{
	local p ns

	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	PIDS=""
	for ns in $NSLIST; do
		ip netns del "$ns" 2>/dev/null
	done
	NSLIST=""
}
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$T"

# The first pcap timestamp (epoch s) of an RA with a prefix in FILE.
first_ra()
{
	timeout 10 tcpdump -r "$1" -tt -n 'icmp6 and ip6[40] == 134' \
	    2>/dev/null | awk 'NR == 1 { print $1 }'
}

# One round: prints "IPIFC_MS LINUX_MS".
round()
{
	local r=$1 R=${P}r$1 D=${P}d$1 L=${P}l$1 i ts_ra ts_addr a b

	NSLIST="$R $D $L"
	for ns in $R $D $L; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip -n "$R" link add br0 type bridge
	ip -n "$R" link set br0 up
	ip link add "${P}rd" netns "$R" type veth peer "${P}d" netns "$D"
	ip link add "${P}rl" netns "$R" type veth peer "${P}l" netns "$L"
	ip -n "$R" link set "${P}rd" master br0 up
	ip -n "$R" link set "${P}rl" master br0 up
	ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip netns exec "$D" sysctl -qw "net.ipv6.conf.${P}d.disable_ipv6=1"
	for k in accept_ra=2 optimistic_dad=1 use_optimistic=1; do
		ip netns exec "$L" sysctl -qw "net.ipv6.conf.${P}l.$k"
	done

	# ipifcd in D, its log lines stamped as they are written
	mkfifo "$T/fifo$r"
	python3 -u -c 'import sys, time
for line in sys.stdin:
    print("%.6f %s" % (time.time(), line), end="", flush=True)' \
	    <"$T/fifo$r" >"$T/ipifcd$r.log" &
	PIDS="$PIDS $!"
	ip netns exec "$D" "$IPIFCD" -d -s "$T/ctl$r" -k "$T/secret" \
	    >"$T/fifo$r" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		[ -S "$T/ctl$r" ] && break
		sleep 0.1
	done
	timeout 10 "$IPIFC" -s "$T/ctl$r" write ipifc/clone bind ether \
	    "packet:${P}d" >/dev/null || return 1
	timeout 10 "$IPIFC" -s "$T/ctl$r" write ipifc/0/ctl ra6 recvra 1 \
	    optimistic 1 || return 1
	ip -n "$L" link set "${P}l" up
	ip -n "$D" link set "${P}d" up

	ip netns exec "$R" timeout 60 tcpdump -i br0 --immediate-mode \
	    -w "$T/r$r.pcap" -U -n icmp6 2>"$T/tcpdump$r.log" &
	PIDS="$PIDS $!"
	ip netns exec "$L" timeout 60 ip -ts -6 monitor address \
	    >"$T/lmon$r.log" 2>&1 &
	PIDS="$PIDS $!"
	sleep 3		# link-local addresses ready, captures running

	cat >"$T/radvd$r.conf" <<END
interface br0 {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	prefix 2001:db8:b::/64 {
		AdvOnLink on;
		AdvAutonomous on;
	};
};
END
	ip netns exec "$R" timeout 60 "$RADVD" -C "$T/radvd$r.conf" \
	    -p "$T/radvd$r.pid" -n -m stderr >"$T/radvd$r.log" 2>&1 &
	PIDS="$PIDS $!"

	for i in $(seq 100); do
		grep -q 'addr new 2001:db8:b:' "$T/ipifcd$r.log" &&
		    grep -q '2001:db8:b:' "$T/lmon$r.log" && break
		sleep 0.1
	done
	sleep 0.5

	ts_ra=$(first_ra "$T/r$r.pcap")
	ts_addr=$(awk '/addr new 2001:db8:b:/ { print $1; exit }' \
	    "$T/ipifcd$r.log")
	a=$(awk -v x="$ts_ra" -v y="$ts_addr" 'BEGIN {
	    if (x == "" || y == "") print "-"; else printf "%.2f", (y - x) * 1000 }')
	# [2026-01-02T03:04:05.123456] ... inet6 2001:db8:b:...
	ts_addr=$(awk '/inet6 2001:db8:b:/ {
	    gsub(/[][]/, "", $1); print $1; exit }' "$T/lmon$r.log")
	[ -n "$ts_addr" ] && ts_addr=$(date -d "$ts_addr" +%s.%N)
	b=$(awk -v x="$ts_ra" -v y="$ts_addr" 'BEGIN {
	    if (x == "" || y == "") print "-"; else printf "%.2f", (y - x) * 1000 }')
	echo "$a $b"
}

echo "RA arriving -> usable global address (optimistic DAD), ms"
printf '%-6s %10s %10s\n' round ipifc linux
for r in $(seq "$ROUNDS"); do
	round "$r" >"$T/res$r"
	rc=$?
	cleanup
	[ "$rc" -eq 0 ] || die "round $r failed"
	read -r a b <"$T/res$r"
	printf '%-6s %10s %10s\n' "$r" "$a" "$b"
done
