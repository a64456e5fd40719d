#!/usr/bin/env bash
# ipv6toolkit (Debian's: ra6, ns6, na6, icmp6, frag6, scan6) against
# ipifcd in host mode (bash ipv6toolkit.sh IPIFCD IPIFC): ipifcd
# (namespace D) opens a veth with packet:, with 10.1.0.1/24,
# 2001:db8:1::1/64 and `ra6 recvra 1`; the tools run in namespace A, a
# Linux host on the other end.
#
# Proves, each tool under `timeout`, and as Linux does with the same
# tools:
# - ra6 with a fragment header (RA guard evasion): its prefix forms no
#   address, and ipstats counts it in ndbad (RFC 6980 5);
# - ra6 with an MTU option of 9000 on a 1500-byte link: the prefix
#   forms an address, the MTU stays 1500 and the ra file's drops line
#   counts it (RFC 4861 6.3.4, RFC 2464 2);
# - ra6's Reachable Time 0xffffffff is taken, and ipifc answers ping on
#   both families after it (it killed ipifcd at the next reachable
#   neighbor); its hop limit 7 sets IPv6's, and IPv4 keeps TTL 64 (it
#   set both);
# - ns6 from a new source with a source link-layer option: the arp file
#   learns it; na6 with override from another MAC: the entry takes it
#   (RFC 4861 7.2.3, 7.2.5); na6 claiming ipifc's own address changes
#   nothing of ours;
# - icmp6 packet too big quoting a packet of ours: an MTU of 1000 is not
#   taken (icmpbad), 1300 is, in ippmtu (RFC 8201 4);
# - frag6 -W: ipifc's fragment identifications are random (RFC 7739);
# - scan6 finds ipifc's link-local and global addresses (multicast
#   probes, -L) and its global address in a range of its prefix.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

RA6=$(command -v ra6 || echo /usr/sbin/ra6)
[ -x "$RA6" ] || skip "no ra6 (ipv6toolkit; scripts/deps.sh installs it)"
PATH=$PATH:/usr/sbin
need ping timeout ns6 na6 icmp6 frag6 scan6

peer_link
w ipifc/0/ctl ra6 recvra 1
wait_state 0 2001:db8:1::1 preferred 50
MAC=$(ifc_mac 0)
LL=$(ifc_linklocal 0)
wait_state 0 "$LL" preferred 50

tool()
{
	local t=$1

	shift
	nsx "$A" timeout "$t" "$@"
}

# ra6 ARGS...: one RA from fe80::99 to all nodes, router lifetime 1800
ra()
{
	tool 5 "$RA6" -i "$AIF" -s fe80::99 -d ff02::1 -t 1800 "$@" \
	    >/dev/null 2>&1 || fail "ra6 $*"
}

# has_addr PREFIX: an address host mode formed from it
has_addr()
{
	r ipifc/0/status | grep -q "^$1"
}

say "ra6 in fragments: ignored"
nd0=$(ipstat ndbad)
ra -P 2001:db8:a1::/64#LA#3600#1800 -y 8
say "ra6 with MTU 9000"
ra -P 2001:db8:a2::/64#LA#3600#1800 -M 9000 -c 7
until_ok 50 has_addr 2001:db8:a2: || fail "no address from 2001:db8:a2::/64"
r ipifc/0/ra
has_addr 2001:db8:a1: && fail "an address from the fragmented RA"
r ipifc/0/ra | grep -q "^prefix 2001:db8:a1:" &&
    fail "the fragmented RA's prefix was taken"
[ "$(ipstat ndbad)" -gt "$nd0" ] || fail "ndbad did not count the fragmented RA"
r ipifc | grep -q " 1500$" || fail "the MTU is not 1500: $(r ipifc)"
[ "$(radrop mtu)" -ge 1 ] || fail "the MTU 9000 was not counted"
r ipifc/0/ra | grep -q " reachable 4294967295 " ||
    fail "ra6's Reachable Time was not taken"
peer_alive "Reachable Time 0xffffffff"
say "the RA's hop limit 7 is IPv6's alone"
r ipifc/0/ra | grep -q " hoplimit 7 " || fail "ra6's hop limit was not taken"
nsx "$A" ping -c 1 -W 2 2001:db8:1::1 | grep -q "ttl=7 " ||
    fail "ipifc's IPv6 echo reply has no hop limit 7"
nsx "$A" ping -c 1 -W 2 10.1.0.1 | grep -q "ttl=64 " ||
    fail "ipifc's IPv4 echo reply has no TTL 64"

say "ns6 and na6"
tool 5 ns6 -i "$AIF" -s 2001:db8:1::55 -d 2001:db8:1::1 -t 2001:db8:1::1 \
    -E 02:00:00:00:00:55 >/dev/null 2>&1 || fail "ns6"
r arp | grep -q "^2001:db8:1::55 02:00:00:00:00:55 " ||
    fail "the NS's source was not learned"
tool 5 na6 -i "$AIF" -s 2001:db8:1::55 -d 2001:db8:1::1 -t 2001:db8:1::55 \
    -E 02:00:00:00:00:56 -c -o >/dev/null 2>&1 || fail "na6"
r arp | grep -q "^2001:db8:1::55 02:00:00:00:00:56 " ||
    fail "the NA with override did not change the entry"
before=$(r ipifc/0/status | tail -n +2; r arp | grep ' l$')
tool 5 na6 -i "$AIF" -s 2001:db8:1::2 -d ff02::1 -t 2001:db8:1::1 \
    -E 02:00:00:00:00:57 -o >/dev/null 2>&1 || fail "na6"
[ "$(r ipifc/0/status | tail -n +2; r arp | grep ' l$')" = "$before" ] ||
    fail "an NA for our own address changed something"
peer_alive "ns6 and na6"

say "icmp6 packet too big"
ic0=$(ipstat icmpbad)
for m in 1000 1300; do
	tool 5 icmp6 -i "$AIF" -s 2001:db8:1::2 -d 2001:db8:1::1 \
	    -r 2001:db8:1::1 -x "2001:db8:9::$m" -p icmp6 -E -m "$m" \
	    >/dev/null 2>&1 || fail "icmp6 -m $m"
done
r ippmtu
r ippmtu | grep -q "^2001:db8:9::1000 " && fail "an MTU of 1000 was taken"
r ippmtu | grep -q "^2001:db8:9::1300 1300 " || fail "an MTU of 1300 was not"
[ "$(ipstat icmpbad)" -gt "$ic0" ] || fail "icmpbad did not count"

say "frag6 -W"
out=$(tool 30 frag6 -i "$AIF" -D "$MAC" -s 2001:db8:1::2 -d 2001:db8:1::1 \
    -W 2>&1)
grep "Fragment ID policy" <<<"$out"
grep -q "Fragment ID policy: Randomized" <<<"$out" ||
    fail "frag6 did not find random identifications: $out"

say "scan6"
out=$(tool 15 scan6 -i "$AIF" -L 2>&1)
echo "$out"
grep -qx "$LL" <<<"$out" || fail "scan6 -L did not find $LL"
grep -qx "2001:db8:1::1" <<<"$out" || fail "scan6 -L did not find 2001:db8:1::1"
out=$(tool 15 scan6 -i "$AIF" -d 2001:db8:1::1-20 2>&1)
grep -qx "2001:db8:1::1" <<<"$out" || fail "scan6 -d did not find ipifc: $out"
peer_alive scan6

stop_daemon_ok
pass
