#!/usr/bin/env bash
# IPv4 options and ICMP errors with Linux peers: Linux hosts A and B on
# two links joined through ipifc, as in forward.sh.
#
# Proves: Linux `ping -R` to ipifc and through it prints the recorded
# route, ipifc in it (10.1.0.1 twice as the echo's target, RFC 1122
# 3.2.2.6; 10.2.0.1 and 10.1.0.1 as the router, RFC 1812 5.2.4);
# `ping -T tsonly` and `-T tsandaddr` get ipifc's timestamps; and a
# fragmented echo that ipifc cannot forward (TTL 1, no route) gets time
# exceeded and net unreachable (RFC 1812 4.3.2.7); ipifcd's ping file
# prints "From ADDR icmp_seq=N ..." for the net unreachable Linux sends
# about its requests.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout

D=${P}d A=${P}a B=${P}b AIF=${P}t0 BIF=${P}b0
netns "$D" "$A" "$B"
start_daemon "$D"

bind_tap "$D" "$A" "$AIF"
bind_veth "$D" "${P}d1" "$B" "$BIF"

w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl iprouting 1

ip -n "$A" addr add 10.1.0.2/24 dev "$AIF"
ip -n "$A" route add 10.2.0.0/24 via 10.1.0.1
ip -n "$A" route add 10.9.0.0/24 via 10.1.0.1
ip -n "$B" addr add 10.2.0.2/24 dev "$BIF"
ip -n "$B" route add 10.1.0.0/24 via 10.2.0.1

# the recorded route as one line: the addresses after "RR:", in order
rr()
{
	awk '/^RR:/ { on = 1; sub(/^RR:/, "") } on && NF == 0 { on = 0 }
	    on { for (i = 1; i <= NF; i++) printf "%s ", $i }' <<<"$1"
}

say "ping -R to ipifc"
out=$(nsx "$A" timeout 20 ping -R -c 1 -W 2 10.1.0.1) ||
    fail "ping -R 10.1.0.1: $out"
echo "$out"
[ "$(rr "$out")" = "10.1.0.2 10.1.0.1 10.1.0.1 10.1.0.2 " ] ||
    fail "recorded route to ipifc: $(rr "$out")"

say "ping -R through ipifc"
out=$(nsx "$A" timeout 20 ping -R -c 1 -W 2 10.2.0.2) ||
    fail "ping -R 10.2.0.2: $out"
echo "$out"
[ "$(rr "$out")" = "10.1.0.2 10.2.0.1 10.2.0.2 10.2.0.2 10.1.0.1 10.1.0.2 " ] ||
    fail "recorded route through ipifc: $(rr "$out")"

say "ping -T tsonly and tsandaddr to ipifc"
out=$(nsx "$A" timeout 20 ping -T tsonly -c 1 -W 2 10.1.0.1) ||
    fail "ping -T tsonly: $out"
echo "$out"
grep -q "^TS:" <<<"$out" || fail "no timestamps"
out=$(nsx "$A" timeout 20 ping -T tsandaddr -c 1 -W 2 10.1.0.1) ||
    fail "ping -T tsandaddr: $out"
echo "$out"
grep -A3 "^TS:" <<<"$out" | grep -q "10.1.0.1" ||
    fail "ipifc's address is not in the timestamps"

say "a fragmented echo gets ICMP errors"
out=$(nsx "$A" timeout 20 ping -c 1 -W 2 -t 1 -s 3000 10.2.0.2)
echo "$out"
grep -q "From 10.1.0.1 .*Time to live exceeded" <<<"$out" ||
    fail "no time exceeded about a fragmented echo"
out=$(nsx "$A" timeout 20 ping -c 1 -W 2 -s 3000 10.9.0.1)
echo "$out"
grep -q "From 10.1.0.1 .*Destination Net Unreachable" <<<"$out" ||
    fail "no net unreachable about a fragmented echo"

say "the daemon's ping prints ICMP errors about its requests"
# A forwards but has no route to 10.8.0.0/24: net unreachable
w iproute add 10.8.0.0 /24 10.1.0.2
nsx "$A" sysctl -qw net.ipv4.ip_forward=1 || fail "A: ip_forward"
out=$(ipc write ping -c 2 -i 200 10.8.0.1) || fail "ipifc ping 10.8.0.1"
echo "$out"
grep -q "^From 10.1.0.2 icmp_seq=1 Destination Net Unreachable$" <<<"$out" ||
    fail "no From line for icmp_seq=1"
grep -q "^From 10.1.0.2 icmp_seq=2 Destination Net Unreachable$" <<<"$out" ||
    fail "no From line for icmp_seq=2"
grep -q "^2 packets transmitted, 0 received, +2 errors, 100% packet loss$" \
    <<<"$out" || fail "the summary does not count the errors"

stop_daemon_ok
pass
