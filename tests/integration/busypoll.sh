#!/usr/bin/env bash
# ipifcd's busy polling (issue 10 item 5: -b USEC, the configuration line
# `busypoll USEC`, the socket's `busypoll` file): Linux hosts A and B
# joined through ipifc as a router, both on veths that ipifc opens with
# packet: (receive rings, which busy polling looks at).
#
# Proves: -b and the configuration line set it (the line after -b), and
# a bad value is refused by each; with it on, ping and ping -f through
# ipifcd get every reply, the frames were found by polling (hits), and
# the control socket answers during the flood; once the traffic stops
# the stack process sleeps again (its CPU time over 2 s of quiet is a
# small part of it, where a daemon that kept polling would take it all);
# turned off on the socket, it polls no more and still forwards.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout

# field NAME: that field's number in the busypoll file
field()
{
	r busypoll | awk -v k="$1" '{ for (i = 1; i < NF; i++)
	    if ($i == k) print $(i+1) }'
}

# ticks: the stack process's CPU time (user and system, clock ticks)
ticks()
{
	awk '{ print $14 + $15 }' "/proc/$SPID/stat"
}

say "a bad -b: usage, status 2"
timeout 10 "$IPIFCD" -b 10001 >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "-b 10001 exited $rc, not 2: $(cat "$T/out")"
grep -q "busypoll: want 0 to 10000" "$T/out" ||
    fail "-b 10001 said: $(cat "$T/out")"
timeout 10 "$IPIFCD" -b x >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "-b x exited $rc, not 2"

say "a bad configuration line stops the start"
printf 'busypoll 99999\n' >"$T/bad.conf"
D=${P}d A=${P}a B=${P}b AIF=${P}a0 BIF=${P}b0
netns "$D" "$A" "$B"
timeout 20 ip netns exec "$D" "$IPIFCD" -d -s "$SOCK" -k "$T/secret" \
    -c "$T" -f "$T/bad.conf" >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "a bad busypoll line: exit $rc, not 1"
grep -q "bad.conf:1: busypoll: want 0 to 10000" "$T/out" ||
    fail "a bad busypoll line said: $(cat "$T/out")"

say "-b 300, then the configuration line busypoll 1000"
printf '# poll the rings for a millisecond after a frame\nbusypoll 1000\n' \
    >"$T/ipifcd.conf"
DARGS="-b 300 -f $T/ipifcd.conf" start_daemon "$D"
SPID=$(stack_pid)
[ "$(field busypoll)" = 1000 ] || fail "busypoll: $(r busypoll)"
ipc write busypoll 10001 >"$T/out" 2>&1 && fail "busypoll 10001 taken"
grep -q "busypoll: want 0 to 10000" "$T/out" ||
    fail "busypoll 10001 said: $(cat "$T/out")"
ipc write busypoll 5x >/dev/null 2>&1 && fail "busypoll 5x taken"
[ "$(field busypoll)" = 1000 ] || fail "a refused write changed busypoll"

bind_veth "$D" "${P}d0" "$A" "$AIF"
bind_veth "$D" "${P}d1" "$B" "$BIF"
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w ipifc/1/ctl add 2001:db8:2::1/64
w ipifc/0/ctl iprouting 1
two_hosts "$A" "$AIF" "$B" "$BIF"
until_ok 50 nsx "$A" ping -c 1 -W 1 10.2.0.2 || fail "A cannot reach B"
until_ok 50 nsx "$A" ping -6 -c 1 -W 1 2001:db8:2::2 ||
    fail "A cannot reach B over IPv6"

# The longest window, so that a request ping sends within 10 ms of a
# reply (ping -f sends one at least every 10 ms) is found by polling,
# however the machine's load delays ping; at most 3 floods until one is.
say "ping -f through ipifcd while it polls; the socket answers"
w busypoll 10000 >/dev/null
N=3000
for try in 1 2 3; do
	nsx "$A" timeout 60 ping -f -q -c "$N" -w 50 10.2.0.2 >"$T/ping" 2>&1 &
	FLOOD=$!
	slow=0 worst=0
	for i in $(seq 8); do
		kill -0 "$FLOOD" 2>/dev/null || break
		t0=$(date +%s%N)
		timeout 5 "$IPIFC" -s "$SOCK" read ipifc/0/status >/dev/null ||
		    fail "read $i of the status file during ping -f failed"
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ "$ms" -gt "$worst" ] && worst=$ms
		[ "$ms" -gt 1000 ] && slow=$((slow + 1))
		sleep 0.1
	done
	wait "$FLOOD" || fail "ping -f: $(cat "$T/ping")"
	got=$(awk '/packets transmitted/ { for (i = 1; i <= NF; i++)
	    if ($i ~ /^received/) print $(i-1) }' "$T/ping")
	say "ping -f $try: $got of $N replies; status reads: slowest $worst ms; $(r busypoll)"
	[ "$got" = "$N" ] ||
	    fail "ping -f got $got of $N replies: $(cat "$T/ping")"
	[ "$slow" -eq 0 ] || fail "$slow status reads took over 1 s"
	hits=$(field hits)
	[ "${hits:-0}" -gt 0 ] && break
done
[ "${hits:-0}" -gt 0 ] || fail "no frame was found by polling: $(r busypoll)"
nsx "$A" ping -6 -c 3 -i 0.2 -W 2 2001:db8:2::2 >/dev/null ||
    fail "IPv6 ping through ipifcd"
w busypoll 1000 >/dev/null

say "quiet: the stack process sleeps again"
sleep 1
c0=$(ticks)
sleep 2
c1=$(ticks)
HZ=$(getconf CLK_TCK)
say "CPU time over 2 s of quiet: $((c1 - c0)) ticks of $((2 * HZ))"
[ $((c1 - c0)) -lt $((2 * HZ / 5)) ] ||
    fail "the stack process took $((c1 - c0)) of $((2 * HZ)) ticks while quiet"

say "busypoll 0: no more polling, still forwarding"
w busypoll 0 >/dev/null
[ "$(field busypoll)" = 0 ] || fail "busypoll: $(r busypoll)"
spins=$(field spins)
nsx "$A" ping -c 5 -i 0.1 -W 2 10.2.0.2 >/dev/null ||
    fail "ping through ipifcd with busypoll 0"
[ "$(field spins)" = "$spins" ] ||
    fail "busypoll 0 still polled: $(r busypoll)"
stop_daemon_ok
pass
