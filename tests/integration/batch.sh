#!/usr/bin/env bash
# Batched I/O in ipifcd (issue 10 item 5): Linux hosts A and B joined
# through ipifc as a router, A on a TAP device (interface 0), B on a veth
# that ipifc opens with packet: (interface 1).  Each host sends the other
# bursts of UDP datagrams (BURSTS of BURST back to back, a pause between
# bursts: a moderate rate, in bursts faster than one frame per wakeup).
#
# Proves, both ways: every datagram arrives, once; the status file of
# each link shows wakeups that read more than one frame (rxmax > 1), and
# the packet: link read its frames from a receive ring of 1024 slots
# (rxring 1024) and sent more than one frame with one sendmmsg
# (txmax > 1); no frame was dropped on the way (kerneldrops, txdrops,
# sendqdrops, errin and errout do not move during the bursts); rxframes is the sum of the frames of
# rxbatches wakeups, and pktout of ifc 1 is what txframes sent.  Then a
# megabyte over TCP from A arrives whole at B: the TAP device offers A
# segmentation offload, so A hands ipifc superframes that it must cut.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout nc
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"

BURST=32 BURSTS=30

D=${P}d A=${P}a B=${P}b AIF=${P}t0 BIF=${P}b0
netns "$D" "$A" "$B"
start_daemon "$D"

bind_tap "$D" "$A" "$AIF"
bind_veth "$D" "${P}d1" "$B" "$BIF"
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/0/ctl iprouting 1
two_hosts "$A" "$AIF" "$B" "$BIF"

# Neighbors resolved on every hop before the bursts.
until_ok 50 nsx "$A" ping -c 1 -W 1 10.2.0.2 || fail "A cannot reach B"
until_ok 50 nsx "$B" ping -c 1 -W 1 10.1.0.2 || fail "B cannot reach A"

for k in rxbatches rxmax txbatches kerneldrops; do
	[ -n "$(ifc_counter 1 "$k")" ] || fail "no $k in ipifc/1/status"
done
# The drop counters from here on: before the TAP device was up in A, a
# DAD probe written to it may have failed (EIO), which errout counts.
DROPS="kerneldrops txdrops sendqdrops errin errout"
declare -A BASE
for i in 0 1; do
	for k in $DROPS; do
		BASE[$i$k]=$(ifc_counter "$i" "$k")
	done
done

# recv NS ADDR FILE: count distinct datagrams (a 4-byte sequence number)
# until COUNT came or 3 s pass without one; writes the count to FILE.
recv()
{
	nsx "$1" timeout 60 "$PY" - "$2" $((BURST * BURSTS)) >"$3" <<'EOF' &
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)	# SO_RCVBUFFORCE
s.bind((sys.argv[1], 9000))
s.settimeout(3)
want, seen = int(sys.argv[2]), set()
print("ready", flush=True)
try:
	while len(seen) < want:
		d = s.recv(2048)
		if len(d) >= 4:
			seen.add(struct.unpack("!I", d[:4])[0])
except socket.timeout:
	pass
print(len(seen), flush=True)
EOF
	RPID=$!
	until_ok 50 grep -q ready "$3" || fail "the receiver did not start"
}

# send NS DEST: the bursts, 20 ms apart; 100-byte datagrams.
send()
{
	nsx "$1" timeout 60 "$PY" - "$2" "$BURST" "$BURSTS" <<'EOF' ||
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
burst, bursts, n = int(sys.argv[2]), int(sys.argv[3]), 0
for b in range(bursts):
	for i in range(burst):
		s.sendto(struct.pack("!I", n) + bytes(96), (sys.argv[1], 9000))
		n += 1
	time.sleep(0.02)
EOF
	    fail "the sender failed"
}

# way FROM TO DEST: a run of bursts; all must arrive.
way()
{
	local got

	say "$BURSTS bursts of $BURST datagrams from $1 to $3"
	recv "$2" "$3" "$T/recv.$2"
	send "$1" "$3"
	wait "$RPID"
	got=$(tail -n 1 "$T/recv.$2")
	echo "received $got of $((BURST * BURSTS))"
	[ "$got" = $((BURST * BURSTS)) ] ||
	    fail "received $got of $((BURST * BURSTS)) datagrams"
}

way "$A" "$B" 10.2.0.2
way "$B" "$A" 10.1.0.2

r ipifc/0/status | head -n 1
r ipifc/1/status | head -n 1
for i in 0 1; do
	for k in $DROPS; do
		v=$(ifc_counter "$i" "$k")
		[ "$v" = "${BASE[$i$k]}" ] ||
		    fail "ipifc/$i/status: $k $v (${BASE[$i$k]} before the bursts)"
	done
	v=$(ifc_counter "$i" rxmax)
	[ "$v" -gt 1 ] || fail "ipifc/$i/status: rxmax $v: one frame a wakeup"
	b=$(ifc_counter "$i" rxbatches)
	f=$(ifc_counter "$i" rxframes)
	[ "$f" -ge "$BURST" ] && [ "$b" -lt "$f" ] ||
	    fail "ipifc/$i/status: rxframes $f in rxbatches $b"
done
v=$(ifc_counter 1 rxring)
[ "$v" = 1024 ] || fail "ipifc/1/status: rxring $v: no receive ring"
v=$(ifc_counter 1 txmax)
[ "$v" -gt 1 ] || fail "ipifc/1/status: txmax $v: one frame a sendmmsg"
# Both from one read of the file: ipifcd may send (an MLD report, an NS)
# between two reads.
read -r o f < <(r ipifc/1/status | head -n 1 | awk '{
    for (i = 1; i < NF; i++) if ($i == "pktout") o = $(i + 1);
        else if ($i == "txframes") f = $(i + 1); print o, f }')
[ -n "$f" ] && [ "$f" = "$o" ] ||
    fail "ipifc/1/status: txframes $f but pktout $o"

say "a megabyte over TCP from A (TAP, superframes) to B"
head -c 1048576 /dev/urandom >"$T/data"
nsx "$B" timeout 30 nc -l 10.2.0.2 5002 >"$T/got" 2>&1 &
lpid=$!
until_ok 50 sh -c "ip netns exec $B ss -Hltn 'sport = :5002' | grep -q ." ||
    fail "nc did not listen"
nsx "$A" timeout 30 nc -N -w 10 10.2.0.2 5002 <"$T/data" ||
    fail "TCP connect to 10.2.0.2 failed"
wait "$lpid"
cmp -s "$T/data" "$T/got" ||
    fail "B got $(wc -c <"$T/got") bytes, not the megabyte sent"

stop_daemon_ok
pass
