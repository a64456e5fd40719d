# shellcheck shell=bash
# Sourced by the integration tests: bash TEST.sh IPIFCD IPIFC [ARG...].
#
# Each test runs as root in network namespaces it makes and always
# removes (trap on EXIT): the daemon runs in its own namespace D, the
# Linux hosts it talks to in others (A, B), so nothing touches the
# machine's own network.  Names carry the shell's PID.  Every wait is
# bounded.  Exit 77 (meson: skipped) when root or `ip netns` is missing.

set -u

IPIFCD=$1
IPIFC=$2
shift 2

P=ipf$$			# prefix of every name: namespaces, links
T=/tmp/ipifc-$$		# the daemon's socket, log, captures
SOCK=$T/ctl
NSLIST=""
DPID=""

skip()
{
	echo "SKIP: $*"
	exit 77
}

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

say()
{
	echo "== $*"
}

# A test that makes no namespaces sets NONETNS=1 before sourcing.
if [ "${NONETNS:-0}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || skip "not root"
	command -v ip >/dev/null 2>&1 || skip "no ip command (iproute2)"
	ip netns add "${P}x" >/dev/null 2>&1 ||
	    skip "ip netns does not work here"
	ip netns del "${P}x"
fi

need()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
		    skip "no $c (scripts/deps.sh installs it)"
	done
}

# Stop the daemon: SIGTERM, at most 5 s, then SIGKILL.  Its exit status.
stop_daemon()
{
	local rc

	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$DPID" 2>/dev/null; then
		echo "ipifcd did not exit on SIGTERM" >&2
		kill -KILL "$DPID" 2>/dev/null
	fi
	wait "$DPID"
	rc=$?
	DPID=""
	return $rc
}

# The PIDs of the processes in the namespaces this test made.
netns_pids()
{
	local ns

	for ns in $NSLIST; do
		ip netns pids "$ns" 2>/dev/null
	done
}

# kill_in_netns SIGNAL: signal every process in those namespaces.
kill_in_netns()
{
	local pids

	pids=$(netns_pids)
	[ -n "$pids" ] && kill -s "$1" $pids 2>/dev/null
	return 0
}

cleanup()
{
	local rc=$? ns i

	trap - EXIT INT TERM
	stop_daemon
	# whatever still runs in our namespaces (radvd started through a
	# function in the background: $! was a subshell's), then them
	kill_in_netns TERM
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -z "$(netns_pids)" ] && break
		sleep 0.2
	done
	kill_in_netns KILL
	for ns in $NSLIST; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -f "$T/ipifcd.log" ]; then
		echo "--- ipifcd log (last 60 lines)" >&2
		tail -n 60 "$T/ipifcd.log" >&2
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$T"

# netns NAME...: make namespaces (removed at exit), loopback up.
netns()
{
	local ns

	for ns in "$@"; do
		ip netns add "$ns" || fail "ip netns add $ns"
		NSLIST="$NSLIST $ns"
		ip -n "$ns" link set lo up
	done
}

# in NS CMD...: run in a namespace.
nsx()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up.
veth()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
	    fail "veth $2 $4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# two_hosts A AIF B BIF: Linux hosts on either side of ipifc as a router
# (its interface 0 10.1.0.1/24 and 2001:db8:1::1/64 on A's link, 1
# 10.2.0.1/24 and 2001:db8:2::1/64 on B's).  A is .2 and ::2 of the
# first prefixes on AIF, B of the second on BIF; each routes the other's
# prefixes via ipifc.
two_hosts()
{
	ip -n "$1" addr add 10.1.0.2/24 dev "$2"
	ip -n "$1" addr add 2001:db8:1::2/64 dev "$2" nodad
	ip -n "$1" route add 10.2.0.0/24 via 10.1.0.1
	ip -n "$1" -6 route add 2001:db8:2::/64 via 2001:db8:1::1
	ip -n "$3" addr add 10.2.0.2/24 dev "$4"
	ip -n "$3" addr add 2001:db8:2::2/64 dev "$4" nodad
	ip -n "$3" route add 10.1.0.0/24 via 10.2.0.1
	ip -n "$3" -6 route add 2001:db8:1::/64 via 2001:db8:2::1
}

# quiet_v6 NS IF: the Linux end of a link given to ipifc says nothing of
# its own (no link-local, no DAD, no MLD): it is the wire, not a host.
quiet_v6()
{
	nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
}

# bind_tap DNS NS IF: the daemon in DNS binds ether tap:IF; the device
# moves to NS and comes up there.  bind_tun DNS NS IF: the same with pkt
# tun:IF.
bind_tap()
{
	w ipifc/clone bind ether "tap:$3" >/dev/null
	ip -n "$1" link set "$3" netns "$2" || fail "move the TAP device"
	ip -n "$2" link set "$3" up
}
bind_tun()
{
	w ipifc/clone bind pkt "tun:$3" >/dev/null
	ip -n "$1" link set "$3" netns "$2" || fail "move the TUN device"
	ip -n "$2" link set "$3" up
}

# bind_veth DNS DIF NS IF: a veth from DNS's DIF to NS's IF, quiet on
# the daemon's side, bound with packet:DIF.
bind_veth()
{
	veth "$1" "$2" "$3" "$4"
	quiet_v6 "$1" "$2"
	w ipifc/clone bind ether "packet:$2" >/dev/null
}

# start_daemon [NS]: ipifcd -d in namespace NS (none: this one), socket
# $SOCK, its RFC 7217 secret in $T/secret (made at the first start), its
# capture directory $T, and the words of $DARGS (none unless set).
start_daemon()
{
	[ "$(id -u)" -eq 0 ] || skip "not root (ipifcd starts as root)"
	# shellcheck disable=SC2086
	if [ $# -gt 0 ]; then
		ip netns exec "$1" "$IPIFCD" -d -s "$SOCK" -k "$T/secret" -c "$T" \
		    ${DARGS:-} >>"$T/ipifcd.log" 2>&1 &
	else
		"$IPIFCD" -d -s "$SOCK" -k "$T/secret" -c "$T" ${DARGS:-} \
		    >>"$T/ipifcd.log" 2>&1 &
	fi
	DPID=$!
	for _ in $(seq 50); do
		[ -S "$SOCK" ] && return 0
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "ipifcd did not start"
}

ipc()
{
	timeout 30 "$IPIFC" -s "$SOCK" "$@"
}

# w PATH TEXT...: write, or fail the test.
w()
{
	ipc write "$@" || fail "ipifc write $*"
}

r()
{
	ipc read "$1" || fail "ipifc read $1"
}

# peer_link: namespaces D (ipifcd) and A (a Linux host, its end AIF),
# a veth between them opened with packet:, 10.1.0.1/24 and
# 2001:db8:1::1/64 on ipifc's interface 0, .2 and ::2 on A's end.
peer_link()
{
	D=${P}d A=${P}a
	AIF=${P}a0
	netns "$D" "$A"
	start_daemon "$D"
	bind_veth "$D" "${P}d0" "$A" "$AIF"
	ip -n "$A" addr add 10.1.0.2/24 dev "$AIF"
	ip -n "$A" addr add 2001:db8:1::2/64 dev "$AIF" nodad
	w ipifc/0/ctl add 10.1.0.1/24
	w ipifc/0/ctl add 2001:db8:1::1/64
}

# peer_alive WHAT: after WHAT, ipifc still answers A's pings, both families.
peer_alive()
{
	nsx "$A" ip neigh flush dev "$AIF"
	nsx "$A" ping -c 2 -i 0.2 -W 2 10.1.0.1 >/dev/null ||
	    fail "no IPv4 echo reply after $1"
	nsx "$A" ping -c 2 -i 0.2 -W 2 2001:db8:1::1 >/dev/null ||
	    fail "no IPv6 echo reply after $1"
}

# ipstat K: counter K of the ipstats file.
ipstat()
{
	r ipstats | awk -v k="$1" '$1 == k { print $2 }'
}

# radrop K: counter K of the drops line of interface 0's ra file.
radrop()
{
	r ipifc/0/ra | awk -v k="$1" '$1 == "drops" {
	    for (i = 2; i < NF; i++) if ($i == k) print $(i+1) }'
}

# until_ok TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times.
until_ok()
{
	local n=$1

	shift
	for _ in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# The state of address ADDR in interface N's status file.
addr_state()
{
	r "ipifc/$1/status" | awk -v a="$2" '$1 == a { print $6 }'
}

# wait_state N ADDR STATE TENTHS
wait_state()
{
	local s

	for _ in $(seq "$4"); do
		s=$(addr_state "$1" "$2")
		[ "$s" = "$3" ] && return 0
		sleep 0.1
	done
	fail "address $2 on interface $1 is '$s', not $3"
}

# The interface N's MAC and a counter of its status file.
ifc_mac()
{
	r "ipifc/$1/status" | head -n 1 |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i+1) }'
}

ifc_counter()
{
	r "ipifc/$1/status" | head -n 1 |
	    awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i+1) }'
}

# A Linux interface's MAC.
linux_mac()
{
	ip -n "$1" link show "$2" | awk '$1 == "link/ether" { print $2 }'
}

# ipifc's link-local address on interface N.
ifc_linklocal()
{
	r "ipifc/$1/status" | awk '$1 ~ /^fe80:/ { print $1; exit }'
}

# stack_pid: ipifcd's stack process, the child of $DPID (the privileged
# parent, which holds no stack): its memory and CPU time are the stack's.
stack_pid()
{
	local c

	for _ in $(seq 50); do
		c=$(pgrep -P "$DPID") && [ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.1
	done
	fail "no stack process under ipifcd $DPID"
}

# stop_daemon_ok: stop it and require a clean exit (0: interfaces
# unbound, socket removed, nothing leaked under the sanitizers).
stop_daemon_ok()
{
	stop_daemon || fail "ipifcd exited with status $?"
	[ ! -e "$SOCK" ] || fail "ipifcd left its socket $SOCK"
}

pass()
{
	say "PASS"
	exit 0
}
