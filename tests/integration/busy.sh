#!/usr/bin/env bash
# ipifcd under a flood it cannot keep up with (issue 10 item 5): Linux
# hosts A and B joined through ipifc as a router, both on veths that
# ipifc opens with packet: (receive rings).  For FLOOD seconds two
# senders on A flood B with UDP as fast as they can, so that A's ring
# hardly ever empties, and two `ping -f` from A keep B answering inside
# ipifcd's sends (the replies are read again at once, linkops.c).
#
# Proves: the daemon still answers its control socket during the flood
# (every read of the status file returns within a second: the event
# loop goes back to its descriptors and timers between batches of
# frames, however many frames wait), and forwards the flood (B's link
# receives frames); after it, A still reaches B.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"

FLOOD=4 READS=12

D=${P}d A=${P}a B=${P}b AIF=${P}a0 BIF=${P}b0
netns "$D" "$A" "$B"
start_daemon "$D"

bind_veth "$D" "${P}d0" "$A" "$AIF"
bind_veth "$D" "${P}d1" "$B" "$BIF"
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl iprouting 1
two_hosts "$A" "$AIF" "$B" "$BIF"
until_ok 50 nsx "$A" ping -c 1 -W 1 10.2.0.2 || fail "A cannot reach B"

# a sender: 64-byte datagrams to B's discard port for FLOOD seconds
SEND='
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
b = bytes(64)
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    for _ in range(256):
        try:
            s.sendto(b, ("10.2.0.2", 9))
        except BlockingIOError:
            pass
'
rx0=$(nsx "$B" cat "/sys/class/net/$BIF/statistics/rx_packets")
SENDERS=""
for _ in 1 2; do
	nsx "$A" timeout $((FLOOD + 10)) "$PY" -c "$SEND" "$FLOOD" &
	SENDERS="$SENDERS $!"
	nsx "$A" timeout $((FLOOD + 10)) ping -f -q -w "$FLOOD" 10.2.0.2 \
	    >/dev/null 2>&1 &
	SENDERS="$SENDERS $!"
done
sleep 0.5
slow=0 worst=0
for i in $(seq "$READS"); do
	t0=$(date +%s%N)
	timeout 5 "$IPIFC" -s "$SOCK" read ipifc/0/status >/dev/null ||
	    fail "read $i of the status file during the flood failed"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -gt "$worst" ] && worst=$ms
	[ "$ms" -gt 1000 ] && slow=$((slow + 1))
	sleep 0.2
done
# shellcheck disable=SC2086
wait $SENDERS 2>/dev/null
rx1=$(nsx "$B" cat "/sys/class/net/$BIF/statistics/rx_packets")
say "status read during the flood: slowest $worst ms, $slow over 1 s; B's link received $((rx1 - rx0)) frames"
[ "$slow" -eq 0 ] || fail "$slow of $READS status reads took over 1 s (slowest $worst ms)"
[ $((rx1 - rx0)) -gt 1000 ] || fail "B's link received $((rx1 - rx0)) frames"
until_ok 50 nsx "$A" ping -c 1 -W 1 10.2.0.2 || fail "A cannot reach B after the flood"
pass
