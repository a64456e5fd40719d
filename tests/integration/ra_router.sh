#!/usr/bin/env bash
# Router mode against a Linux host: ipifcd advertises on a veth (ipifc on
# its end with packet:), Linux in namespace A listens.
#
# Proves: Linux's kernel takes ipifc's RA (RFC 4861 6.2.3): it forms its
# own SLAAC address from the add6 prefix, dynamic with the advertised
# lifetimes, a default route via ipifc's link-local address, and the MTU;
# rdisc6 (its RS answered, RFC 4861 6.2.6) prints every field as
# configured, DNS servers and search list included; `iprouting 0` makes
# the router lifetime 0 (6.2.5) and Linux drops the default route, until
# `iprouting 1`; `ra6 sendra 0` sends the final RA (router lifetime 0,
# 6.2.5) and Linux drops the default route.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need timeout rdisc6

D=${P}d A=${P}a LIF=${P}a0
netns "$D" "$A"
veth "$D" "${P}d0" "$A" "$LIF"
quiet_v6 "$D" "${P}d0"
# a host that takes RAs: default route, prefixes, MTU
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.forwarding=0"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.accept_ra=2"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.autoconf=1"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.accept_ra_defrtr=1"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.accept_ra_pinfo=1"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.accept_ra_mtu=1"
start_daemon "$D"
w ipifc/clone bind ether "packet:${P}d0" >/dev/null
LL=$(ifc_linklocal 0)
wait_state 0 "$LL" preferred 50

say "ipifc advertises 2001:db8:5::/64 (valid 86400 s, preferred 14400 s)"
w ipifc/0/ctl add6 2001:db8:5:: 64 1 1 86400 14400
# a router forwards: else its RAs carry router lifetime 0 (RFC 4861 6.2.5)
w ipifc/0/ctl iprouting 1
w ipifc/0/ctl ra6 sendra 1 maxraint 10000 minraint 5000 routerlt 600 \
    mflag 1 oflag 1 reachtime 30000 rxmitra 1500 ttl 60 linkmtu 1400 \
    rdnss 2001:db8:5::53,2001:db8:5::54 dnssl example.com,lab.example.org \
    dnslt 900
r ipifc/0/status | head -n 1

say "Linux forms its SLAAC address and a default route via $LL"
until_ok 250 sh -c "ip -n $A -6 addr show dev $LIF | grep -q 'inet6 2001:db8:5:'" ||
    fail "Linux formed no address in 2001:db8:5::/64"
ip -n "$A" -6 addr show dev "$LIF"
# RFC 4862 5.5.3: its own address, from the prefix, dynamic, the lifetimes
ip -n "$A" -6 addr show dev "$LIF" | grep -A1 'inet6 2001:db8:5:.*/64 .*dynamic' |
    grep -Eq 'valid_lft 86[34][0-9][0-9]sec preferred_lft 14[34][0-9][0-9]sec' ||
    fail "Linux's address is not dynamic with ipifc's lifetimes"
until_ok 50 sh -c "ip -n $A -6 route show default | grep -q 'via $LL dev $LIF'" ||
    fail "Linux has no default route via $LL"
ip -n "$A" -6 route show default
[ "$(nsx "$A" sysctl -n "net.ipv6.conf.$LIF.mtu")" = 1400 ] ||
    fail "Linux did not take the advertised MTU 1400"

say "rdisc6 solicits; ipifc answers with the fields as configured"
# rdisc6 sends from Linux's link-local address: wait for its DAD
until_ok 50 sh -c "ip -n $A -6 addr show dev $LIF scope link | grep -q 'inet6 fe80' &&
    ! ip -n $A -6 addr show dev $LIF | grep -q tentative" ||
    fail "Linux's addresses stay tentative"
out=$(nsx "$A" timeout 20 rdisc6 -1 -w 3000 -r 3 "$LIF") ||
    fail "rdisc6 got no answer"
echo "$out"
chk()
{
	echo "$out" | grep -Eq "$1" || fail "rdisc6 shows no '$1'"
}
chk '^Hop limit +: +60 '
chk '^Stateful address conf\. +: +Yes'
chk '^Stateful other conf\. +: +Yes'
chk '^Router lifetime +: +600 '
chk '^Reachable time +: +30000 '
chk '^Retransmit time +: +1500 '
chk "^ Source link-layer address: $(ifc_mac 0 | tr 'a-f' 'A-F')\$"
chk '^ MTU +: +1400 bytes'
chk '^ Prefix +: 2001:db8:5::/64'
chk '^  On-link +: +Yes'
chk '^  Autonomous address conf\.: +Yes'
chk '^  Valid time +: +86[34][0-9][0-9] '
chk '^  Pref\. time +: +14[34][0-9][0-9] '
chk '^ Recursive DNS server +: 2001:db8:5::53'
chk '^ Recursive DNS server +: 2001:db8:5::54'
chk '^  DNS servers? lifetime +: +900 '
# RFC 8106 5.2: one DNSSL option a domain, the lifetime of RDNSS
chk '^ DNS search list +: example\.com'
chk '^ DNS search list +: lab\.example\.org'
chk '^  DNS search list lifetime: +900 '
chk "^ from $LL\$"

say "iprouting 0: router lifetime 0 (RFC 4861 6.2.5), no default route"
w ipifc/0/ctl iprouting 0
until_ok 50 sh -c "! ip -n $A -6 route show default | grep -q ."  ||
    fail "Linux kept its default route via a router that does not forward"
w ipifc/0/ctl iprouting 1
until_ok 50 sh -c "ip -n $A -6 route show default | grep -q 'via $LL dev $LIF'" ||
    fail "Linux took no default route when ipifc forwards again"

say "sendra 0: the final RA, and Linux drops the default route"
w ipifc/0/ctl ra6 sendra 0
until_ok 50 sh -c "! ip -n $A -6 route show default | grep -q ."  ||
    fail "Linux kept its default route after sendra 0"
ip -n "$A" -6 route show
# the prefix stays: a final RA ends the router, not the addresses
ip -n "$A" -6 addr show dev "$LIF" | grep -q 'inet6 2001:db8:5:' ||
    fail "Linux dropped its SLAAC address"

stop_daemon_ok
pass
