#!/usr/bin/env bash
# Benchmark: IPv4 forwarding through ipifcd against Linux forwarding.
#
#   sudo bash bench/forward.sh [BUILD]      (BUILD: default build/)
#
# Builds nothing: BUILD must hold ipifcd and ipifc.  Runs as root in
# network namespaces it makes (names carry the PID) and always removes
# them, with the daemon, on exit.  Traffic passes only between them.
#
# The same workload runs over two paths in the same run:
#   ipifc: Linux host A -- TAP -- ipifcd (namespace D, iprouting 1) --
#          veth opened with packet: -- Linux host B (as in
#          tests/integration/forward.sh);
#   linux: Linux host A -- veth -- namespace R (net.ipv4.ip_forward=1) --
#          veth -- Linux host B: the peer.
# Workload: `ping -f -c COUNT -s SIZE -q` from A to B, for each SIZE,
# ROUNDS times per path, alternating paths; the median round is shown.
# pps = replies received / wall-clock seconds of the ping run.
#
# Environment: COUNT (default 20000), SIZES (default "56 1400"),
# ROUNDS (default 3), LINK (default packet; xdp: B's veth opened with
# xdp:, AF_XDP).

set -u

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/forward.sh: must run as root (sudo bash bench/forward.sh BUILD)" >&2
	exit 1
fi

BUILD=${1:-build}
IPIFCD=$BUILD/ipifcd
IPIFC=$BUILD/ipifc
COUNT=${COUNT:-20000}
SIZES=${SIZES:-56 1400}
ROUNDS=${ROUNDS:-3}
LINK=${LINK:-packet}

die()
{
	echo "bench/forward.sh: $*" >&2
	exit 1
}

{ [ -x "$IPIFCD" ] && [ -x "$IPIFC" ]; } ||
    die "no $IPIFCD or $IPIFC (build first: meson setup $BUILD -Dbuildtype=release && ninja -C $BUILD)"
for c in ip ping timeout awk sysctl; do
	command -v "$c" >/dev/null 2>&1 || die "no $c"
done
case $COUNT in ''|*[!0-9]*) die "COUNT must be a number" ;; esac
case $ROUNDS in ''|*[!0-9]*) die "ROUNDS must be a number" ;; esac
{ [ "$COUNT" -ge 1 ] && [ "$COUNT" -le 1000000 ]; } || die "COUNT out of range"
{ [ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ]; } || die "ROUNDS out of range"
case $LINK in packet|xdp) ;; *) die "LINK must be packet or xdp" ;; esac

P=ipb$$			# prefix of every namespace and link
T=/tmp/ipifc-bench-$$	# the daemon's socket and log
SOCK=$T/ctl
NSLIST=""
DPID=""

cleanup()
{
	local rc=$? ns

	trap - EXIT INT TERM
	if [ -n "$DPID" ]; then
		kill -TERM "$DPID" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	for ns in $NSLIST; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$rc" -ne 0 ] && [ -f "$T/ipifcd.log" ]; then
		echo "--- ipifcd log (last 30 lines)" >&2
		tail -n 30 "$T/ipifcd.log" >&2
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$T" || die "mkdir $T"

netns()
{
	local ns

	for ns in "$@"; do
		timeout 10 ip netns add "$ns" || die "ip netns add $ns"
		NSLIST="$NSLIST $ns"
		ip -n "$ns" link set lo up
	done
}

nsx()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

veth()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
	    die "veth $2 $4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

ipc()
{
	timeout 30 "$IPIFC" -s "$SOCK" "$@"
}

w()
{
	ipc write "$@" >/dev/null || die "ipifc write $*"
}

# ---- path 1: A and B joined through ipifcd (namespace D)
IA=${P}ia IB=${P}ib D=${P}d
netns "$D" "$IA" "$IB"
# Directly, not through a function: $! must be the daemon itself
# (ip netns exec execs it), so that cleanup stops it.
ip netns exec "$D" "$IPIFCD" -d -s "$SOCK" >>"$T/ipifcd.log" 2>&1 &
DPID=$!
for _ in $(seq 50); do
	[ -S "$SOCK" ] && break
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
[ -S "$SOCK" ] || die "ipifcd did not start"

w ipifc/clone bind ether "tap:${P}t0"
ip -n "$D" link set "${P}t0" netns "$IA" || die "move the TAP device"
ip -n "$IA" link set "${P}t0" up
veth "$D" "${P}d1" "$IB" "${P}b0"
# The Linux end given to ipifc is the wire, not a host.
nsx "$D" sysctl -qw "net.ipv6.conf.${P}d1.disable_ipv6=1"
w ipifc/clone bind ether "$LINK:${P}d1"
ipc read ipifc/1/status | head -n 1 | grep -o ' link .*'
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl iprouting 1

ip -n "$IA" addr add 10.1.0.2/24 dev "${P}t0"
ip -n "$IA" route add 10.2.0.0/24 via 10.1.0.1
ip -n "$IB" addr add 10.2.0.2/24 dev "${P}b0"
ip -n "$IB" route add 10.1.0.0/24 via 10.2.0.1

# ---- path 2: A and B joined through a Linux router R
LA=${P}la LB=${P}lb R=${P}r
netns "$LA" "$LB" "$R"
nsx "$R" sysctl -qw net.ipv4.ip_forward=1 || die "ip_forward in $R"
veth "$LA" "${P}a0" "$R" "${P}r0"
veth "$R" "${P}r1" "$LB" "${P}c0"
ip -n "$R" addr add 10.1.0.1/24 dev "${P}r0"
ip -n "$R" addr add 10.2.0.1/24 dev "${P}r1"
ip -n "$LA" addr add 10.1.0.2/24 dev "${P}a0"
ip -n "$LA" route add 10.2.0.0/24 via 10.1.0.1
ip -n "$LB" addr add 10.2.0.2/24 dev "${P}c0"
ip -n "$LB" route add 10.1.0.0/24 via 10.2.0.1

# Both paths pass traffic (ARP resolved, ipifc's IPv4 addresses usable)
# before anything is timed: at most 10 s each.
ready()
{
	for _ in $(seq 20); do
		nsx "$1" timeout 5 ping -c 1 -W 1 10.2.0.2 >/dev/null 2>&1 &&
		    return 0
		sleep 0.5
	done
	return 1
}
ready "$IA" || die "A cannot reach B through ipifcd"
ready "$LA" || die "A cannot reach B through R"

# run NS SIZE: one timed flood; prints "PPS AVG_RTT LOSS".
run()
{
	local out t0 t1 rcvd avg loss

	t0=$(date +%s%N)
	out=$(nsx "$1" timeout 120 ping -f -q -c "$COUNT" -s "$2" -w 100 \
	    10.2.0.2 2>&1)
	t1=$(date +%s%N)
	rcvd=$(awk '/packets transmitted/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^received/) print $(i-1) }' \
	    <<<"$out")
	loss=$(awk '/packets transmitted/ {
		for (i = 1; i <= NF; i++) if ($i == "packet") print $(i-1) }' \
	    <<<"$out")
	avg=$(awk -F'[/ ]' '/^rtt/ { print $8 }' <<<"$out")
	[ -n "$rcvd" ] || { echo "ping output: $out" >&2; return 1; }
	awk -v n="$rcvd" -v a="${avg:--}" -v l="${loss:--}" \
	    -v ns=$((t1 - t0)) 'BEGIN {
		printf "%.0f %s %s\n", n / (ns / 1e9), a, l }'
}

# median of the lines on stdin by the first field (the pps)
median()
{
	sort -n -k1,1 | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}

echo "ipifcd forwarding vs Linux forwarding: ping -f -c $COUNT, median of $ROUNDS rounds"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)"
ROWS=""
for size in $SIZES; do
	I="" L=""
	for round in $(seq "$ROUNDS"); do
		ri=$(run "$IA" "$size") || die "ping through ipifcd failed"
		rl=$(run "$LA" "$size") || die "ping through R failed"
		echo "  -s $size round $round: ipifc $ri | linux $rl (pps avg_ms loss)"
		I="$I$ri"$'\n' L="$L$rl"$'\n'
	done
	mi=$(printf %s "$I" | median)
	ml=$(printf %s "$L" | median)
	ROWS="$ROWS$size $mi $ml"$'\n'
done

echo
printf '%-14s %11s %11s %12s %13s %13s %7s %7s\n' workload "ipifc pps" \
    "Linux pps" "ipifc/Linux" "ipifc avg ms" "Linux avg ms" \
    "ipifc%" "Linux%"
printf %s "$ROWS" | while read -r size ip ia il lp la ll; do
	awk -v s="$size" -v ip="$ip" -v lp="$lp" -v ia="$ia" -v la="$la" \
	    -v il="$il" -v ll="$ll" 'BEGIN {
		printf "%-14s %11d %11d %12.2f %13s %13s %7s %7s\n",
		    "echo -s " s, ip, lp, (lp > 0 ? ip / lp : 0), ia, la,
		    il, ll }'
done
echo "(ipifc%/Linux%: packet loss; pps = replies / wall seconds)"
