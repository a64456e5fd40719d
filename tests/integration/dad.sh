#!/usr/bin/env bash
# Duplicate address detection against a real peer: Linux across a veth
# (ipifc on its end with packet:).
#
# Proves: an address Linux already holds comes up `duplicate` on ipifc
# (RFC 4862 5.4.4: Linux answers ipifc's DAD solicitation); and an address
# ipifc holds makes Linux's own DAD fail (`dadfailed`: ipifc answers
# Linux's solicitation from ::, RFC 4862 5.4.3) while ipifc keeps it; the
# address ipifc found duplicate is Linux's (RFC 4862 5.4.5): Linux pings
# ipifc from it and gets the replies, and ipifc's ping of it reaches Linux.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout

D=${P}d A=${P}a LIF=${P}a0
netns "$D" "$A"
veth "$D" "${P}d0" "$A" "$LIF"
quiet_v6 "$D" "${P}d0"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.accept_dad=1"
nsx "$A" sysctl -qw "net.ipv6.conf.$LIF.dad_transmits=1"
start_daemon "$D"
w ipifc/clone bind ether "packet:${P}d0" >/dev/null
LL=$(ifc_linklocal 0)
wait_state 0 "$LL" preferred 50

say "Linux holds 2001:db8::99; ipifc adds it"
ip -n "$A" -6 addr add 2001:db8::99/64 dev "$LIF" nodad
w ipifc/0/ctl add 2001:db8::99/64
sleep 2
r ipifc/0/status | grep '^2001:db8::99 '
[ "$(addr_state 0 2001:db8::99)" = duplicate ] ||
    fail "2001:db8::99 is not duplicate on ipifc"
ip -n "$A" -6 addr show dev "$LIF" | grep -q '2001:db8::99/64 .*dadfailed' &&
    fail "Linux gave up 2001:db8::99"

say "the duplicate 2001:db8::99 is Linux's: ping both ways"
w ipifc/0/ctl add 2001:db8::97/64
wait_state 0 2001:db8::97 preferred 30
nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 -I 2001:db8::99 2001:db8::97 ||
    fail "Linux from 2001:db8::99 gets no reply from ipifc"
out=$(ipc write ping -c 3 -i 200 2001:db8::99) || fail "ipifc ping"
echo "$out"
grep -q "3 packets transmitted, 3 received" <<<"$out" ||
    fail "ipifc ping 2001:db8::99 did not reach Linux"
[ "$(addr_state 0 2001:db8::99)" = duplicate ] ||
    fail "2001:db8::99 is no longer duplicate on ipifc"

say "ipifc holds 2001:db8::98; Linux adds it"
w ipifc/0/ctl add 2001:db8::98/64
wait_state 0 2001:db8::98 preferred 30
ip -n "$A" -6 addr add 2001:db8::98/64 dev "$LIF"
sleep 3
ip -n "$A" -6 addr show dev "$LIF" | grep 2001:db8::98
ip -n "$A" -6 addr show dev "$LIF" | grep -q '2001:db8::98/64 .*dadfailed' ||
    until_ok 30 sh -c "ip -n $A -6 addr show dev $LIF |
	grep -q '2001:db8::98/64 .*dadfailed'" ||
    fail "Linux did not mark 2001:db8::98 dadfailed"
[ "$(addr_state 0 2001:db8::98)" = preferred ] ||
    fail "ipifc lost 2001:db8::98"

stop_daemon_ok
pass
