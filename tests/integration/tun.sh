#!/usr/bin/env bash
# The pkt medium on a TUN device: ipifcd makes tun:NAME, which moves into
# Linux's namespace A; raw IP packets, no link layer.
#
# Proves: Linux pings ipifc over IPv4 and IPv6 and ipifc pings Linux back;
# a capture of a pkt interface is LINKTYPE_RAW that tcpdump reads; the
# TUN device goes when the daemon stops.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping tcpdump timeout

D=${P}d A=${P}a LIF=${P}u0
netns "$D" "$A"
start_daemon "$D"
[ "$(w ipifc/clone bind pkt "tun:$LIF")" = 0 ] || fail "bind tun"
ip -n "$D" link set "$LIF" netns "$A" || fail "move the TUN device"
ip -n "$A" link set "$LIF" up
ip -n "$A" addr add 10.66.0.2/24 dev "$LIF"
ip -n "$A" addr add 2001:db8:66::2/64 dev "$LIF" nodad
w ipifc/0/ctl add 10.66.0.1/24
w ipifc/0/ctl add 2001:db8:66::1/64
wait_state 0 2001:db8:66::1 preferred 30
w ipifc/0/ctl capture "$T/tun.pcap"

say "Linux pings ipifc"
nsx "$A" timeout 20 ping -c 3 -W 2 -i 0.2 10.66.0.1 || fail "ping 10.66.0.1"
nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 2001:db8:66::1 ||
    fail "ping -6 2001:db8:66::1"

say "ipifc pings Linux"
for a in 10.66.0.2 2001:db8:66::2; do
	out=$(w ping -c 2 -i 200 "$a")
	echo "$out"
	grep -q "2 packets transmitted, 2 received" <<<"$out" ||
	    fail "ipifc ping $a"
done

w ipifc/0/ctl capture off
out=$(timeout 20 tcpdump -n -r "$T/tun.pcap" 2>&1) || fail "tcpdump: $out"
grep -q 'link-type RAW' <<<"$out" || fail "not LINKTYPE_RAW: $out"
grep -q 'ICMP echo reply' <<<"$out" && grep -q 'ICMP6, echo reply' <<<"$out" ||
    fail "no echo replies in the capture"

stop_daemon_ok
! ip -n "$A" link show "$LIF" >/dev/null 2>&1 ||
    fail "the TUN device ipifcd made is still there"
pass
