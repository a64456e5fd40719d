#!/usr/bin/env bash
# The output shaper on a real link (a TAP device moved into Linux's
# namespace A): `speed 8000` (1000 bytes/s) and `delay 0` (the burst is
# one MTU).  Linux sends 200 pings of 1000 bytes, 10 ms apart.
#
# Proves: ipifc answers far fewer than Linux asked (Linux's ping reports
# loss) and counts every reply it did not send in shaperdrops; with the
# shaper off again (`speed 0`) every ping is answered.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout

D=${P}d A=${P}a LIF=${P}t0
netns "$D" "$A"
start_daemon "$D"
bind_tap "$D" "$A" "$LIF"
ip -n "$A" addr add 10.88.0.2/24 dev "$LIF"
w ipifc/0/ctl add 10.88.0.1/24
nsx "$A" timeout 20 ping -c 1 -W 2 10.88.0.1 >/dev/null ||
    fail "no ping before shaping"

say "speed 8000, delay 0: 200 pings of 1000 bytes in 2 s"
w ipifc/0/ctl speed 8000
w ipifc/0/ctl delay 0
r ipifc/0/status | head -n 1 | grep -q ' speed 8000 delay 0 burst 1500 ' ||
    fail "the shaper settings do not show"
out=$(nsx "$A" timeout 30 ping -c 200 -i 0.01 -s 1000 -W 1 10.88.0.1)
echo "$out" | tail -n 3
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
[ -n "$loss" ] || fail "no ping summary"
awk -v l="$loss" 'BEGIN { exit !(l >= 50) }' ||
    fail "only $loss% loss through a 1000 byte/s shaper"
drops=$(ifc_counter 0 shaperdrops)
say "shaperdrops $drops"
[ -n "$drops" ] && [ "$drops" -gt 0 ] || fail "shaperdrops is '$drops'"

say "speed 0: no shaping"
w ipifc/0/ctl speed 0
sleep 1
nsx "$A" timeout 30 ping -c 20 -i 0.01 -s 1000 -W 1 10.88.0.1 |
    grep -q ' 20 received, 0% packet loss' || fail "loss without shaping"

stop_daemon_ok
pass
