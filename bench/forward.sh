#!/usr/bin/env bash
# Benchmark: IPv4 forwarding through ipifcd against Linux forwarding.
#
#   sudo bash bench/forward.sh [BUILD]      (BUILD: default build/)
#
# Builds nothing: BUILD must hold ipifcd and ipifc.  Runs as root in
# network namespaces it makes (names carry the PID) and always removes
# them, with the daemon and the iperf3 servers, on exit.  Traffic passes
# only between them.
#
# The same workloads run over two paths in the same run:
#   ipifc: Linux host A -- veth opened with packet: -- ipifcd
#          (namespace D, iprouting 1) -- veth opened with packet: --
#          Linux host B (ALINK=tap: a TAP device on A's side, as in
#          tests/integration/forward.sh);
#   linux: Linux host A -- veth -- namespace R (net.ipv4.ip_forward=1) --
#          veth -- Linux host B: the peer.
# Workloads, from A to B:
#   udp -l 64, udp -l 1400: iperf3 UDP, as fast as the sender can (-b 0),
#          DURATION seconds; received datagrams a second and Mbit/s
#          (payload) at B;
#   tcp:   iperf3 TCP, DURATION seconds; Mbit/s received at B;
#   ping -f: ping -f -c COUNT -q (56 bytes); replies a second (one
#          request in flight: this is latency) and the average rtt.
# Each round runs every workload on both paths, the path that goes first
# alternating from round to round; the table shows the median round of
# each path and the ratio ipifc/Linux.
#
# Environment: DURATION (default 5), COUNT (default 10000), ROUNDS
# (default 3), LINK (default packet; xdp: B's veth opened with xdp:,
# AF_XDP), ALINK (A's side: packet, the default, or xdp, a veth as the
# Linux router has; tap: a TAP device), WINDOW (iperf3 -w, the socket
# buffers of both ends, the same on both paths: e.g. 4M; default
# iperf3's), WORKLOADS (default "udp64 udp1400 tcp ping": those to run),
# BUSYPOLL (default 0: ipifcd's busy polling in µs, `ipifc write
# busypoll`; several, e.g. "0 50": the ipifc path runs once with each in
# every round, interleaved, and the table has a row for each).

set -u

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/forward.sh: must run as root (sudo bash bench/forward.sh BUILD)" >&2
	exit 1
fi

BUILD=${1:-build}
IPIFCD=$BUILD/ipifcd
IPIFC=$BUILD/ipifc
COUNT=${COUNT:-10000}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
LINK=${LINK:-packet}
ALINK=${ALINK:-packet}
WINDOW=${WINDOW:-}
BUSYPOLL=${BUSYPOLL:-0}

die()
{
	echo "bench/forward.sh: $*" >&2
	exit 1
}

{ [ -x "$IPIFCD" ] && [ -x "$IPIFC" ]; } ||
    die "no $IPIFCD or $IPIFC (build first: meson setup $BUILD -Dbuildtype=release && ninja -C $BUILD)"
for c in ip ping timeout awk sysctl iperf3 python3 ethtool; do
	command -v "$c" >/dev/null 2>&1 || die "no $c"
done
case $COUNT in ''|*[!0-9]*) die "COUNT must be a number" ;; esac
case $ROUNDS in ''|*[!0-9]*) die "ROUNDS must be a number" ;; esac
case $DURATION in ''|*[!0-9]*) die "DURATION must be a number" ;; esac
{ [ "$COUNT" -ge 1 ] && [ "$COUNT" -le 1000000 ]; } || die "COUNT out of range"
{ [ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ]; } || die "ROUNDS out of range"
case $LINK in packet|xdp) ;; *) die "LINK must be packet or xdp" ;; esac
case $ALINK in packet|xdp|tap) ;; *) die "ALINK must be packet, xdp or tap" ;; esac
case $WINDOW in '') ;; *[!0-9KM]*) die "WINDOW must be a size (4M)" ;; esac
{ [ "$DURATION" -ge 1 ] && [ "$DURATION" -le 60 ]; } || die "DURATION out of range"
for b in $BUSYPOLL; do
	case $b in ''|*[!0-9]*) die "BUSYPOLL must be numbers" ;; esac
done

P=ipb$$			# prefix of every namespace and link
T=/tmp/ipifc-bench-$$	# the daemon's socket and log
SOCK=$T/ctl
NSLIST=""
DPID=""
SPIDS=""

cleanup()
{
	local rc=$? ns p

	trap - EXIT INT TERM
	for p in $SPIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
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

# A's interface is ${P}t0 either way
if [ "$ALINK" = tap ]; then
	w ipifc/clone bind ether "tap:${P}t0"
	ip -n "$D" link set "${P}t0" netns "$IA" || die "move the TAP device"
	ip -n "$IA" link set "${P}t0" up
else
	veth "$D" "${P}d0" "$IA" "${P}t0"
	# The Linux end given to ipifc is the wire, not a host.
	nsx "$D" sysctl -qw "net.ipv6.conf.${P}d0.disable_ipv6=1"
	w ipifc/clone bind ether "$ALINK:${P}d0"
fi
veth "$D" "${P}d1" "$IB" "${P}b0"
nsx "$D" sysctl -qw "net.ipv6.conf.${P}d1.disable_ipv6=1"
w ipifc/clone bind ether "$LINK:${P}d1"
ipc read ipifc/0/status | head -n 1 | grep -o ' link .*'
ipc read ipifc/1/status | head -n 1 | grep -o ' link .*'
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl iprouting 1

ip -n "$IA" addr add 10.1.0.2/24 dev "${P}t0"
ip -n "$IA" route add 10.2.0.0/24 via 10.1.0.1
ip -n "$IB" addr add 10.2.0.2/24 dev "${P}b0"
# AF_XDP gets no virtio-net header: B must fill its checksums (and cut
# its TCP) itself (README, Backends)
if [ "$LINK" = xdp ]; then
	nsx "$IB" ethtool -K "${P}b0" tx off >/dev/null 2>&1 ||
	    die "ethtool -K ${P}b0 tx off"
fi
if [ "$ALINK" = xdp ]; then
	nsx "$IA" ethtool -K "${P}t0" tx off >/dev/null 2>&1 ||
	    die "ethtool -K ${P}t0 tx off"
fi
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

# The iperf3 servers on B, one per path, for the whole run; not through
# nsx: $! must be iperf3 itself (ip netns exec execs it).
ip netns exec "$IB" iperf3 -s -B 10.2.0.2 >/dev/null 2>&1 &
SPIDS="$SPIDS $!"
ip netns exec "$LB" iperf3 -s -B 10.2.0.2 >/dev/null 2>&1 &
SPIDS="$SPIDS $!"
for _ in $(seq 50); do
	nsx "$IB" ss -ltn 2>/dev/null | grep -q 10.2.0.2:5201 &&
	    nsx "$LB" ss -ltn 2>/dev/null | grep -q 10.2.0.2:5201 && break
	sleep 0.1
done

# linkrx NS: the frames B's interface has received, on the path from NS.
linkrx()
{
	if [ "$1" = "$IA" ]; then
		nsx "$IB" cat "/sys/class/net/${P}b0/statistics/rx_packets"
	else
		nsx "$LB" cat "/sys/class/net/${P}c0/statistics/rx_packets"
	fi
}

# iperf NS ARGS...: one iperf3 run from A; prints "PPS MBITS LINKPPS":
# received by iperf3 at B, and frames a second B's link received (what
# the router put on it, whether B's iperf3 found the time to read it or
# not).
iperf()
{
	local ns=$1 out r0 r1 t0 t1

	shift
	r0=$(linkrx "$ns") t0=$(date +%s%N)
	out=$(nsx "$ns" timeout $((DURATION + 30)) iperf3 -c 10.2.0.2 \
	    -t "$DURATION" -J ${WINDOW:+-w "$WINDOW"} "$@" 2>&1) || {
		echo "iperf3 $*: $out" | head -n 5 >&2
		return 1
	}
	r1=$(linkrx "$ns") t1=$(date +%s%N)
	python3 -c '
import json, sys
e = json.loads(sys.argv[1])["end"]
r = e["sum_received"]
u = e.get("sum", {})
n = u["packets"] - u["lost_packets"] if "lost_packets" in u else 0
link = (int(sys.argv[3]) - int(sys.argv[2])) / ((int(sys.argv[5]) - int(sys.argv[4])) / 1e9)
print("%.0f %.1f %.0f" % (n / r["seconds"], r["bits_per_second"] / 1e6, link))
' "$out" "$r0" "$r1" "$t0" "$t1"
}

# flood NS: one ping -f; prints "PPS AVG_MS".
flood()
{
	local out t0 t1 rcvd avg

	t0=$(date +%s%N)
	out=$(nsx "$1" timeout 120 ping -f -q -c "$COUNT" -w 100 10.2.0.2 2>&1)
	t1=$(date +%s%N)
	rcvd=$(awk '/packets transmitted/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^received/) print $(i-1) }' \
	    <<<"$out")
	avg=$(awk -F'[/ ]' '/^rtt/ { print $8 }' <<<"$out")
	[ -n "$rcvd" ] || { echo "ping output: $out" >&2; return 1; }
	awk -v n="$rcvd" -v a="${avg:--}" -v ns=$((t1 - t0)) 'BEGIN {
		printf "%.0f %s\n", n / (ns / 1e9), a }'
}

# one NS WORKLOAD: the workload's figures on the path from NS.
one()
{
	case $2 in
	udp64)	iperf "$1" -u -b 0 -l 64 ;;
	udp1400) iperf "$1" -u -b 0 -l 1400 ;;
	tcp)	iperf "$1" ;;
	ping)	flood "$1" ;;
	esac
}

# The stack process's CPU time (clock ticks) and the frames its links
# have sent, as "TICKS FRAMES".
SPID=$(pgrep -P "$DPID" | head -n 1)
HZ=$(getconf CLK_TCK)
cost()
{
	local t f=0 i n

	t=$(awk '{ print $14 + $15 }' "/proc/$SPID/stat" 2>/dev/null)
	for i in 0 1; do
		n=$(ipc read "ipifc/$i/status" | head -n 1 | awk '{
		    for (i = 1; i < NF; i++) if ($i == "pktout") print $(i+1) }')
		f=$((f + ${n:-0}))
	done
	echo "${t:-0} $f"
}

# median of the lines on stdin by the field $1
median()
{
	sort -g -k"$1","$1" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}

WORKLOADS=${WORKLOADS:-udp64 udp1400 tcp ping}
echo "ipifcd forwarding vs Linux forwarding: iperf3 -t $DURATION${WINDOW:+ -w $WINDOW}, ping -f -c $COUNT; median of $ROUNDS rounds"
echo "ipifc path: A's side $ALINK:, B's side $LINK:"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)${BUSYPOLL:+, busypoll $BUSYPOLL}"
R=$T/rounds
: >"$R"
# viaipifc WORKLOAD BUSYPOLL: one run through ipifcd, recorded with the
# stack process's CPU time per frame it sent, in µs
viaipifc()
{
	local c0 c1 ri us

	w busypoll "$2"
	c0=$(cost)
	ri=$(one "$IA" "$1") || die "$1 through ipifcd failed"
	c1=$(cost)
	us=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		f = y[2] - x[2]
		printf "%.1f", (f > 0 ? (y[1] - x[1]) * 1e6 / hz / f : 0) }')
	echo "  round $round $1: ipifc (busypoll $2) $ri | ipifcd $us us/frame"
	echo "$1 ipifc$2 $ri" >>"$R"
	echo "$1 cpu$2 $us" >>"$R"
}
REVERSED=$(echo "$BUSYPOLL" | tr ' ' '\n' | tac | tr '\n' ' ')
for round in $(seq "$ROUNDS"); do
	for wl in $WORKLOADS; do
		if [ $((round % 2)) -eq 1 ]; then
			for b in $BUSYPOLL; do viaipifc "$wl" "$b"; done
			rl=$(one "$LA" "$wl") || die "$wl through R failed"
		else
			rl=$(one "$LA" "$wl") || die "$wl through R failed"
			for b in $REVERSED; do viaipifc "$wl" "$b"; done
		fi
		echo "  round $round $wl: linux $rl"
		echo "$wl linux $rl" >>"$R"
	done
done

# row WORKLOAD FIELD UNIT: the medians of both paths by field FIELD (1:
# pps, 2: Mbit/s or avg ms) and their ratio, a row for each BUSYPOLL
# (named in the row when there are several)
row()
{
	local i l b name

	grep -q "^$1 " "$R" || return 0
	l=$(awk -v w="$1" '$1 == w && $2 == "linux" { print $3, $4, $5 }' "$R" |
	    median "$2" | awk -v f="$2" '{ print $f }')
	for b in $BUSYPOLL; do
		i=$(awk -v w="$1" -v p="ipifc$b" '$1 == w && $2 == p {
		    print $3, $4, $5 }' "$R" |
		    median "$2" | awk -v f="$2" '{ print $f }')
		name=$1
		[ "$BUSYPOLL" = "$b" ] || name="$1 bp$b"
		awk -v w="$name" -v u="$3" -v i="$i" -v l="$l" 'BEGIN {
			printf "%-16s %-8s %12s %12s %8.2f\n", w, u, i, l,
			    (l > 0 ? i / l : 0) }'
	done
}

echo
printf '%-16s %-8s %12s %12s %8s\n' workload unit ipifc Linux ratio
row udp64 1 pps
row udp64 2 Mbit/s
row udp64 3 link_pps
row udp1400 1 pps
row udp1400 2 Mbit/s
row udp1400 3 link_pps
row tcp 2 Mbit/s
row ping 1 pps
row ping 2 avg_ms
echo "(received at B by iperf3, link_pps by B's interface; ratio ipifc/Linux:"
echo "above 1 ipifc is better, but for avg_ms)"
for b in $BUSYPOLL; do
	printf 'ipifcd CPU time per frame sent, median (us)%s:' \
	    "$([ "$BUSYPOLL" = "$b" ] || echo ", bp$b")"
	for wl in $WORKLOADS; do
		printf ' %s %s' "$wl" "$(awk -v w="$wl" -v c="cpu$b" '$1 == w &&
		    $2 == c { print $3 }' "$R" | median 1)"
	done
	echo
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# what the daemon's links saw (batch counters, where the daemon has them)
echo
for i in 0 1; do
	echo "ipifc/$i/status: $(ipc read "ipifc/$i/status" | head -n 1 |
	    awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(device|pktin|pktout|errin|errout|sendqdrops|rxbatches|rxframes|rxmax|rxyields|txbatches|txframes|txmax|txdrops|kerneldrops|rxsuper|txsuper|txcut)$/) printf "%s %s ", $i, $(i+1) }')"
done
echo "busypoll: $(ipc read busypoll)"
