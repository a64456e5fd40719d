#!/usr/bin/env bash
# ipifc behind a Linux bridge that snoops IGMP and MLD, with the bridge's
# own querier (bash snoop.sh IPIFCD IPIFC).
#
# Namespace S holds bridge br0 (mcast_snooping 1, mcast_querier 1, a 2 s
# query interval, a 5 s membership interval) with two ports: one to
# ipifcd (namespace D, packet:), one to a Linux host (namespace H).  br0
# has no IPv4 address, so its IGMPv2 queries come from 0.0.0.0; its MLDv1
# queries come from its link-local address.  Flooding of unregistered
# multicast is off on ipifc's port, so a group reaches ipifc only while
# the bridge's table (`bridge mdb show`) holds it on that port.
#
# Proves: ipifc answers both queriers, so its IPv4 and IPv6 groups stay in
# the table for 15 s (three membership intervals, seven queries), and
# multicast the Linux host sends to them then reaches ipifc (its capture).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need bridge tcpdump python3 timeout

D=${P}d S=${P}s H=${P}h
G4=239.77.1.2 G6=ff05::77:1:2
netns "$D" "$S" "$H"

# the bridge's own link-local address must be valid for its MLD querier
nsx "$S" sysctl -qw net.ipv6.conf.default.accept_dad=0
# intervals in centiseconds
ip -n "$S" link add br0 type bridge mcast_snooping 1 mcast_querier 1 \
    mcast_query_interval 200 mcast_query_response_interval 100 \
    mcast_startup_query_interval 100 mcast_membership_interval 500 \
    mcast_querier_interval 500 mcast_last_member_interval 50 ||
    fail "make br0"
veth "$D" "${P}d0" "$S" "${P}s0"
veth "$H" "${P}h0" "$S" "${P}s1"
quiet_v6 "$D" "${P}d0"
for p in "${P}s0" "${P}s1"; do
	quiet_v6 "$S" "$p"
	ip -n "$S" link set "$p" master br0 || fail "enslave $p"
done
bridge -n "$S" link set dev "${P}s0" mcast_flood off ||
    fail "mcast_flood off on ${P}s0"
ip -n "$S" link set br0 up
ip -n "$H" addr add 10.78.0.2/24 dev "${P}h0"
ip -n "$H" -6 addr add 2001:db8:78::2/64 dev "${P}h0" nodad
ip -n "$S" -d link show br0 | grep -o 'mcast_[a-z_]* [0-9]*' | tr '\n' ' '
echo

start_daemon "$D"
w ipifc/clone bind ether "packet:${P}d0" >/dev/null
w ipifc/0/ctl add 10.78.0.1/24
w ipifc/0/ctl add 2001:db8:78::1/64
wait_state 0 2001:db8:78::1 preferred 50
w ipifc/0/ctl capture "$T/cap.pcap"
w ipifc/0/ctl joinmulti "$G4"
w ipifc/0/ctl joinmulti "$G6"

# mdb_has GROUP: the bridge's table holds GROUP on ipifc's port
mdb_has()
{
	bridge -n "$S" mdb show dev br0 | grep -q "port ${P}s0 grp $1 "
}

until_ok 50 mdb_has "$G4" || fail "the join of $G4 never reached the bridge"
until_ok 50 mdb_has "$G6" || fail "the join of $G6 never reached the bridge"
say "15 s of queries"
for i in $(seq 15); do
	sleep 1
	for g in "$G4" "$G6"; do
		mdb_has "$g" && continue
		bridge -n "$S" mdb show dev br0
		fail "$g left the bridge's table after $i s"
	done
done
bridge -n "$S" mdb show dev br0
r ipstats | grep -E '^(martian|mquerybad) '
r ipstats | grep -q '^mquerybad 0$' || fail "ipifc dropped a bridge query"

say "the Linux host sends to $G4 and $G6"
nsx "$H" timeout 10 python3 - "${P}h0" "$G4" "$G6" <<'EOF' ||
import socket, struct, sys
ifname, g4, g6 = sys.argv[1:4]
idx = socket.if_nametoindex(ifname)
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
    socket.inet_aton("10.78.0.2"))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF,
    struct.pack("@I", idx))
for _ in range(3):
    s4.sendto(b"snoop4", (g4, 7777))
    s6.sendto(b"snoop6", (g6, 7777, 0, idx))
EOF
    fail "the Linux host could not send"
sleep 1
w ipifc/0/ctl capture off
n4=$(tcpdump -nr "$T/cap.pcap" "udp and dst host $G4 and dst port 7777" \
    2>/dev/null | wc -l)
n6=$(tcpdump -nr "$T/cap.pcap" "udp and dst host $G6 and dst port 7777" \
    2>/dev/null | wc -l)
say "ipifc got $n4 datagrams to $G4, $n6 to $G6"
[ "$n4" -eq 3 ] || fail "multicast to $G4 did not reach ipifc"
[ "$n6" -eq 3 ] || fail "multicast to $G6 did not reach ipifc"

stop_daemon_ok
pass
