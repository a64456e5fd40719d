#!/usr/bin/env bash
# Malformed packets (ipifc issue 11), bash malformed.sh IPIFCD IPIFC
# tap|packet|tun: a Linux host A on ipifc's link, over a TAP device
# ipifcd makes (moved into A), a veth ipifcd opens with packet:, or a TUN
# device ipifcd makes for a pkt interface (moved into A; the same packets
# without their Ethernet header, and no ARP).  ipifc has 10.1.0.1/24 and
# 2001:db8:1::1/64, a user route of each family, the groups 239.1.2.3
# and ff15::1234, and on ether a static neighbor of each family and
# `ra6 recvra 1`.
#
# malformed.py sends from A, batch by batch, packets made from valid ones
# of every kind ipifc parses (ARP; IPv4 with Record Route and Timestamp
# options, UDP, an ICMP error; IGMPv2 and v3 reports and queries; IPv6
# with hop-by-hop, destination options and routing headers; ICMPv6 errors;
# NS, NA, RS, RA with every option, redirect; MLDv1 and v2 queries and
# reports; fragments of both families): every truncation, a bad checksum
# in each layer, inconsistent length fields, zero-length and overlong
# options, fragments that overlap, differ, run past 65535 or never
# complete; and two incidents of other stacks: route information options
# too short for their prefix length (libndp), and on tun whole ND
# messages where there is no link layer (smoltcp).  Proves: after each
# batch ipifcd runs and answers ping on both families, and the addresses
# of ipifc/0/status, iproute, arp (but A's own entries) and ipselftab are
# as before; the drops are counted; on ether, an RA with a good route
# information option then does change iproute (the check can see).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
need ping timeout
$PY -c 'import scapy.all' 2>/dev/null ||
    skip "no scapy for $PY (scripts/deps.sh installs python3-scapy)"

kind=${1:-packet}
D=${P}d A=${P}a
netns "$D" "$A"
start_daemon "$D"
case $kind in
tap)
	AIF=${P}t0
	bind_tap "$D" "$A" "$AIF"
	;;
packet)
	AIF=${P}a0
	bind_veth "$D" "${P}d0" "$A" "$AIF"
	;;
tun)
	AIF=${P}u0
	bind_tun "$D" "$A" "$AIF"
	;;
*)
	fail "unknown kind $kind"
	;;
esac
ip -n "$A" addr add 10.1.0.2/24 dev "$AIF"
ip -n "$A" addr add 2001:db8:1::2/64 dev "$AIF" nodad

w ipifc/0/ctl add 10.1.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w iproute add 10.9.0.0 /16 10.1.0.9
w iproute add 2001:db8:9:: /48 2001:db8:1::9
if [ "$kind" != tun ]; then
	w arp add 10.1.0.9 02:00:00:00:00:09
	w arp add 2001:db8:1::9 02:00:00:00:00:09
fi
w ipifc/0/ctl joinmulti ff15::1234
w ipifc/0/ctl joinmulti 239.1.2.3
wait_state 0 2001:db8:1::1 preferred 50
has_ll()
{
	ip -n "$A" -6 addr show dev "$AIF" scope link | grep -q 'inet6 fe80'
}
if [ "$kind" != tun ]; then
	w ipifc/0/ctl ra6 recvra 1
	LL=$(ifc_linklocal 0)
	wait_state 0 "$LL" preferred 50
	until_ok 50 has_ll || fail "A has no link-local address"
fi
MAC=$(ifc_mac 0)
# A is known to ipifc before the first batch: its entries are all that
# may change in the arp file.
nsx "$A" timeout 20 ping -c 1 -W 2 10.1.0.1 >/dev/null || fail "ping"
nsx "$A" timeout 20 ping -6 -c 1 -W 2 2001:db8:1::1 >/dev/null ||
    fail "ping -6"

say "malformed batches"
r ipstats >"$T/stats0"
nsx "$A" timeout 100 "$PY" "$(dirname "$0")/malformed.py" "$AIF" "$MAC" \
    "$IPIFC" "$SOCK" "$DPID" || fail "malformed.py"

say "the drops are counted"
r ipstats >"$T/stats1"
paste "$T/stats0" "$T/stats1" | awk '{ print $1, $2, "->", $4 }'
r ipifc/0/status | head -n 1 | tr ' ' '\n' | paste - - | grep -w errin
# on tun, ND is not done without a link layer and counts in ndbad too
ks="icmpbad badheader reassembly frag6 ndbad"
for k in $ks; do
	n0=$(awk -v k="$k" '$1 == k { print $2 }' "$T/stats0")
	n1=$(awk -v k="$k" '$1 == k { print $2 }' "$T/stats1")
	[ "$n1" -gt "$n0" ] || fail "ipstats $k did not count"
done
[ "$(ifc_counter 0 errin)" -gt 0 ] || fail "errin did not count"

stop_daemon_ok
pass
