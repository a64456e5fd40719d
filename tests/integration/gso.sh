#!/usr/bin/env bash
# Superframes through ipifc (issue 10): Linux host A on a TAP device,
# ipifc, Linux router B on a veth opened with packet:, Linux host C
# behind B.  A Linux TCP sender hands a TAP device or a veth superframes
# of up to 64 KiB to cut (GSO); ipifc forwards each whole, with one pass
# through the stack for its first frame, and asks the link it leaves by
# to cut it (a virtio-net header), as the Linux router does.  B's link to
# C has no offload (ethtool), so B's kernel cuts what ipifc sent and
# finishes its checksums from what ipifc's header says.
#
# Proves, on IPv4 and IPv6: a megabyte from A to C and from C to A
# arrives whole; superframes went out whole both ways (status: rxsuper
# and txsuper); B's capture of what ipifc sent holds frames over 1514
# bytes; C's capture of the same, cut by B, has every TCP checksum right
# and no frame over 1514 bytes.  With an MTU of 1400 on B's link, ipifc
# checks a superframe's frames, not the superframe, against it: A learns
# the MTU from ipifc's "too big" and a megabyte still arrives whole.
# With a shaper (speed) or a capture on B's link, nothing goes whole
# (the shaper weighs each frame; the capture shows each), and a megabyte
# arrives all the same, the capture holding no frame over 1514 bytes.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need nc tcpdump tshark timeout ethtool

D=${P}d A=${P}a B=${P}b C=${P}c AIF=${P}t0 BIF=${P}b0
netns "$D" "$A" "$B" "$C"
start_daemon "$D"

w ipifc/clone bind ether "tap:$AIF" >/dev/null
ip -n "$D" link set "$AIF" netns "$A" || fail "move the TAP device"
ip -n "$A" link set "$AIF" up
veth "$D" "${P}d1" "$B" "$BIF"
quiet_v6 "$D" "${P}d1"
w ipifc/clone bind ether "packet:${P}d1" >/dev/null
veth "$B" "${P}b1" "$C" "${P}c0"
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/1/ctl add 2001:db8:2::1/64
w ipifc/0/ctl iprouting 1
w iproute add 10.3.0.0 /24 10.2.0.2
w iproute add 2001:db8:3:: /64 2001:db8:2::2

two_hosts "$A" "$AIF" "$B" "$BIF"
ip -n "$A" route add 10.3.0.0/24 via 10.1.0.1
ip -n "$A" -6 route add 2001:db8:3::/64 via 2001:db8:1::1
nsx "$B" sysctl -qw net.ipv4.ip_forward=1
nsx "$B" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$B" addr add 10.3.0.1/24 dev "${P}b1"
ip -n "$B" addr add 2001:db8:3::1/64 dev "${P}b1" nodad
ip -n "$C" addr add 10.3.0.2/24 dev "${P}c0"
ip -n "$C" addr add 2001:db8:3::2/64 dev "${P}c0" nodad
ip -n "$C" route add default via 10.3.0.1
ip -n "$C" -6 route add default via 2001:db8:3::1
# B to C: no segmentation or checksum offload, so B cuts and sums
nsx "$B" ethtool -K "${P}b1" tx off tso off gso off >/dev/null 2>&1 ||
    fail "ethtool -K ${P}b1"
wait_state 0 2001:db8:1::1 preferred 50
wait_state 1 2001:db8:2::1 preferred 50

# Captures: what ipifc sent as B got it, and as C got it from B.  Not
# through nsx: $! must be timeout's PID, which passes SIGTERM on.  C's
# keeps whole frames (their checksums are checked): with tcpdump's
# default 2 MiB buffer a loaded machine's tcpdump fell behind and the
# kernel dropped half of them ("packets dropped by kernel"), so 32 MiB.
ip netns exec "$B" timeout 100 tcpdump --immediate-mode -n -U -s 200 -i "$BIF" \
    -w "$T/B.pcap" tcp 2>"$T/B.tcpdump" &
CAPB=$!
ip netns exec "$C" timeout 100 tcpdump --immediate-mode -n -U -B 32768 \
    -i "${P}c0" -w "$T/C.pcap" tcp 2>"$T/C.tcpdump" &
CAPC=$!
until_ok 50 grep -q listening "$T/B.tcpdump" ||
    fail "tcpdump did not start on B"
until_ok 50 grep -q listening "$T/C.tcpdump" ||
    fail "tcpdump did not start on C"

# settle FILE: until FILE has not grown for half a second (10 s at most)
settle()
{
	local a b

	for _ in $(seq 20); do
		a=$(stat -c %s "$1")
		sleep 0.5
		b=$(stat -c %s "$1")
		[ "$a" = "$b" ] && return 0
	done
}

# bulk FROM TO DEST PORT: a megabyte from FROM to DEST (TO) over TCP.
bulk()
{
	local lpid

	say "a megabyte over TCP from $1 to $3"
	nsx "$2" timeout 30 nc -l "$3" "$4" >"$T/got" 2>&1 &
	lpid=$!
	until_ok 50 sh -c "ip netns exec $2 ss -Hltn 'sport = :$4' |
	    grep -q ." || fail "nc did not listen"
	nsx "$1" timeout 30 nc -N -w 10 "$3" "$4" <"$T/data" ||
	    fail "TCP connect to $3 failed"
	wait "$lpid"
	cmp -s "$T/data" "$T/got" ||
	    fail "$3 got $(wc -c <"$T/got") bytes, not the megabyte sent"
}

head -c 1048576 /dev/urandom >"$T/data"
bulk "$A" "$C" 10.3.0.2 5001
bulk "$A" "$C" 2001:db8:3::2 5002
rx=$(ifc_counter 0 rxsuper) tx=$(ifc_counter 1 txsuper)
say "A to C: interface 0 rxsuper $rx, interface 1 txsuper $tx"
[ "${rx:-0}" -gt 0 ] || fail "no superframe read from the TAP device"
[ "${tx:-0}" -gt 0 ] || fail "no superframe sent whole on $BIF's link"

bulk "$C" "$A" 10.1.0.2 5003
bulk "$C" "$A" 2001:db8:1::2 5004
rx=$(ifc_counter 1 rxsuper) tx=$(ifc_counter 0 txsuper)
say "C to A: interface 1 rxsuper $rx, interface 0 txsuper $tx"
[ "${rx:-0}" -gt 0 ] || fail "no superframe read from the veth"
[ "${tx:-0}" -gt 0 ] || fail "no superframe sent whole on the TAP device"

# tcpdump may still be writing what it read on a loaded machine: stop
# it once its files stop growing.
settle "$T/B.pcap"
settle "$T/C.pcap"
kill -TERM "$CAPB" "$CAPC"
wait "$CAPB" "$CAPC"

f='(ip.src == 10.1.0.2 || ipv6.src == 2001:db8:1::2) && tcp'
big=$(tshark -n -r "$T/B.pcap" -Y "$f && frame.len > 1514" 2>/dev/null |
    wc -l)
say "B got $big superframes from ipifc"
[ "$big" -gt 0 ] || fail "B got no superframe from ipifc"
all=$(tshark -n -r "$T/C.pcap" -Y "$f" 2>/dev/null | wc -l)
bad=$(tshark -n -r "$T/C.pcap" -o tcp.check_checksum:TRUE \
    -Y "$f && tcp.checksum.status == \"Bad\"" 2>/dev/null | wc -l)
big=$(tshark -n -r "$T/C.pcap" -Y "$f && frame.len > 1514" 2>/dev/null |
    wc -l)
say "C got $all TCP frames from A, $bad with a bad checksum, $big over" \
    "1514 bytes"
[ "$all" -gt 700 ] || fail "C got only $all frames from A"
[ "$bad" = 0 ] || fail "$bad bad TCP checksums at C"
[ "$big" = 0 ] || fail "$big frames over the MTU at C"

say "MTU 1400 on B's link: each frame of a superframe must fit"
w ipifc/1/ctl mtu 1400
bulk "$A" "$C" 10.3.0.2 5005
ip -n "$A" route get 10.3.0.2 | grep -q 'mtu 1400' ||
    fail "A did not learn the MTU 1400: $(ip -n "$A" route get 10.3.0.2)"
bulk "$A" "$C" 2001:db8:3::2 5006
ip -n "$A" -6 route get 2001:db8:3::2 | grep -q 'mtu 1400' ||
    fail "A did not learn the MTU 1400: $(ip -n "$A" -6 route get 2001:db8:3::2)"

# whole NAME: no superframe sent whole on B's link while NAME was on
whole()
{
	local before after

	w ipifc/1/ctl mtu 1500
	before=$(ifc_counter 1 txsuper)
	bulk "$A" "$C" 10.3.0.2 "$2"
	after=$(ifc_counter 1 txsuper)
	[ "$after" = "$before" ] ||
	    fail "$1: $((after - before)) superframes sent whole"
}

say "a shaper on B's link: each frame weighs"
w ipifc/1/ctl speed 1000000000
whole "a shaper" 5007
w ipifc/1/ctl speed 0
say "a capture on B's link: it shows each frame"
w ipifc/1/ctl capture gso.pcap
whole "a capture" 5008
w ipifc/1/ctl capture off
all=$(tshark -n -r "$T/gso.pcap" -Y "$f" 2>/dev/null | wc -l)
big=$(tshark -n -r "$T/gso.pcap" -Y "$f && frame.len > 1514" 2>/dev/null |
    wc -l)
say "the capture holds $all TCP frames from A, $big over 1514 bytes"
[ "$all" -gt 700 ] || fail "the capture holds only $all frames from A"
[ "$big" = 0 ] || fail "the capture holds $big superframes"

stop_daemon_ok
pass
