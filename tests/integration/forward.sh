#!/usr/bin/env bash
# Forwarding: Linux hosts A and B on two links, joined only through ipifc
# (interface 0 a TAP device moved into A, interface 1 a veth end opened
# with packet:, B on the other end).  A routes B's prefixes via ipifc and
# B routes A's.
#
# Proves: with `iprouting 0` nothing passes; with `iprouting 1` A pings B
# on IPv4 and IPv6 and the replies come back through ipifc, one hop
# (ttl 63: ipifc decremented TTL and hop limit).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout

D=${P}d A=${P}a B=${P}b AIF=${P}t0 BIF=${P}b0
netns "$D" "$A" "$B"
start_daemon "$D"

bind_tap "$D" "$A" "$AIF"
bind_veth "$D" "${P}d1" "$B" "$BIF"

w ipifc/0/ctl add 10.1.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/1/ctl add 2001:db8:2::1/64

two_hosts "$A" "$AIF" "$B" "$BIF"

wait_state 0 2001:db8:1::1 preferred 50
wait_state 1 2001:db8:2::1 preferred 50

say "iprouting 0: A cannot reach B"
w ipifc/0/ctl iprouting 0
nsx "$A" timeout 10 ping -c 1 -W 1 10.2.0.2 >/dev/null &&
    fail "forwarded with iprouting 0"

say "iprouting 1: A pings B"
w ipifc/0/ctl iprouting 1
r ipifc/1/status | head -n 1 | grep -q ' iprouting 1 ' ||
    fail "iprouting is not on"
out=$(nsx "$A" timeout 20 ping -c 3 -W 2 -i 0.2 10.2.0.2) ||
    fail "ping 10.2.0.2: $out"
echo "$out"
grep -q "ttl=63" <<<"$out" || fail "no reply one hop away"
out=$(nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 2001:db8:2::2) ||
    fail "ping -6 2001:db8:2::2: $out"
echo "$out"
grep -q "ttl=63" <<<"$out" || fail "no reply one hop away"

say "and B pings A"
nsx "$B" timeout 20 ping -c 2 -W 2 -i 0.2 10.1.0.2 >/dev/null ||
    fail "ping 10.1.0.2"
nsx "$B" timeout 20 ping -6 -c 2 -W 2 -i 0.2 2001:db8:1::2 >/dev/null ||
    fail "ping -6 2001:db8:1::2"

stop_daemon_ok
pass
