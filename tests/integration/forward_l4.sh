#!/usr/bin/env bash
# UDP and TCP through ipifc as a router, entering by packet: links (ipifc
# issue 8, defect 1).  Linux hosts A and B, each on a veth whose other
# end ipifc opens with packet:.  A Linux sender leaves UDP and TCP
# checksums to offload on a veth, and hands over TCP data in superframes
# of up to 64 KiB for offload to cut (GSO); ipifc must do both.
#
# Proves, on IPv4 and IPv6, in both directions: traceroute (UDP) reaches
# the far host, its first hop answered by ipifc and its second by the far
# host; a TCP connection carries a few bytes each way (nc); a megabyte
# goes over TCP whole, with no ICMP "too big" from ipifc; 3000 bytes sent
# with UDP_SEGMENT 1000 arrive as three datagrams of 1000; tshark finds
# every UDP and TCP checksum right, and no frame over 1514 bytes, in
# captures taken on the far hosts of what ipifc forwarded.  ipifc sends a
# superframe whole where the link takes it (gso.sh); here its veth ends
# have no offload (ethtool), so the kernel cuts what ipifc sends, by the
# virtio-net header ipifc wrote, and the captures show wire frames.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need traceroute nc tcpdump tshark timeout ethtool
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"

D=${P}d A=${P}a B=${P}b AIF=${P}a0 BIF=${P}b0
netns "$D" "$A" "$B"
start_daemon "$D"
veth "$D" "${P}d0" "$A" "$AIF"
veth "$D" "${P}d1" "$B" "$BIF"
quiet_v6 "$D" "${P}d0"
quiet_v6 "$D" "${P}d1"
for i in d0 d1; do
	nsx "$D" ethtool -K "${P}$i" tx off tso off gso off >/dev/null 2>&1 ||
	    fail "ethtool -K ${P}$i"
done
w ipifc/clone bind ether "packet:${P}d0" >/dev/null
w ipifc/clone bind ether "packet:${P}d1" >/dev/null
w ipifc/0/ctl add 10.1.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/1/ctl add 2001:db8:2::1/64
w ipifc/0/ctl iprouting 1

two_hosts "$A" "$AIF" "$B" "$BIF"
wait_state 0 2001:db8:1::1 preferred 50
wait_state 1 2001:db8:2::1 preferred 50

# Captures on both Linux ends: what ipifc forwarded, as the hosts got it.
# Not through nsx: $! must be timeout's PID, which passes SIGTERM on.
for h in A B; do
	ns=${!h} ifn=${h}IF
	ip netns exec "$ns" timeout 100 tcpdump -n -U -i "${!ifn}" \
	    -w "$T/$h.pcap" 'tcp or udp or icmp or icmp6' \
	    2>"$T/$h.tcpdump" &
	eval "CAP$h=\$!"
done
until_ok 50 grep -q listening "$T/A.tcpdump" ||
    fail "tcpdump did not start on A"
until_ok 50 grep -q listening "$T/B.tcpdump" ||
    fail "tcpdump did not start on B"

# trace NS DEST ROUTER: traceroute (UDP) from NS to DEST: hop 1 ROUTER,
# hop 2 DEST.
trace()
{
	local out

	say "traceroute from $1 to $2"
	out=$(nsx "$1" timeout 30 traceroute -n -q 1 -w 2 -m 3 "$2" 2>&1)
	echo "$out"
	awk '$1 == 1 { print $2 }' <<<"$out" | grep -qx "$3" ||
	    fail "hop 1 is not $3"
	awk '$1 == 2 { print $2 }' <<<"$out" | grep -qx "$2" ||
	    fail "hop 2 is not $2: its UDP did not arrive whole"
}

trace "$A" 10.2.0.2 10.1.0.1
trace "$A" 2001:db8:2::2 2001:db8:1::1
trace "$B" 10.1.0.2 10.2.0.1
trace "$B" 2001:db8:1::2 2001:db8:2::1

# tcp FROM TO DEST: TO listens (nc -l), FROM connects to DEST and sends a
# line; TO answers with another.  Both lines must arrive.
tcp()
{
	local lpid got

	say "TCP from $1 to $3"
	rm -f "$T/heard" "$T/said"
	echo "back from $3" | nsx "$2" timeout 20 nc -l -N "$3" 5001 \
	    >"$T/heard" 2>&1 &
	lpid=$!
	until_ok 50 sh -c "ip netns exec $2 ss -Hltn 'sport = :5001' |
	    grep -q ." || fail "nc did not listen"
	got=$(echo "hello $3" | nsx "$1" timeout 20 nc -N -w 10 "$3" 5001) ||
	    fail "TCP connect to $3 failed"
	wait "$lpid"
	[ "$(cat "$T/heard")" = "hello $3" ] ||
	    fail "$3 heard '$(cat "$T/heard")'"
	[ "$got" = "back from $3" ] || fail "the answer was '$got'"
}

tcp "$A" "$B" 10.2.0.2
tcp "$A" "$B" 2001:db8:2::2
tcp "$B" "$A" 10.1.0.2
tcp "$B" "$A" 2001:db8:1::2

# bulk FROM TO DEST: a megabyte from FROM to DEST (TO) over TCP, whole.
bulk()
{
	local lpid

	say "a megabyte over TCP from $1 to $3"
	nsx "$2" timeout 30 nc -l "$3" 5002 >"$T/got" 2>&1 &
	lpid=$!
	until_ok 50 sh -c "ip netns exec $2 ss -Hltn 'sport = :5002' |
	    grep -q ." || fail "nc did not listen"
	nsx "$1" timeout 30 nc -N -w 10 "$3" 5002 <"$T/data" ||
	    fail "TCP connect to $3 failed"
	wait "$lpid"
	cmp -s "$T/data" "$T/got" ||
	    fail "$3 got $(wc -c <"$T/got") bytes, not the megabyte sent"
}

head -c 1048576 /dev/urandom >"$T/data"
bulk "$A" "$B" 10.2.0.2
bulk "$A" "$B" 2001:db8:2::2
bulk "$B" "$A" 10.1.0.2
bulk "$B" "$A" 2001:db8:1::2

# udpseg FROM TO DEST: FROM sends 3000 bytes to DEST (TO) in one call
# with UDP_SEGMENT 1000 (Linux 4.18): the sender's kernel leaves the cut
# to offload, and DEST must receive three datagrams of 1000 bytes.
udpseg()
{
	local lpid got

	say "UDP_SEGMENT from $1 to $3"
	nsx "$2" timeout 20 "$PY" - "$3" >"$T/udp" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5003))
s.settimeout(3)
got = []
try:
    while True:
        got.append(len(s.recv(65535)))
except socket.timeout:
    pass
print(" ".join(map(str, got)))
PY
	lpid=$!
	until_ok 50 sh -c "ip netns exec $2 ss -Hlun 'sport = :5003' |
	    grep -q ." || fail "no UDP listener"
	nsx "$1" timeout 20 "$PY" - "$3" <<'PY' || fail "UDP_SEGMENT send"
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1000)		# UDP_SEGMENT
s.sendto(bytes(3000), (sys.argv[1], 5003))
PY
	wait "$lpid"
	got=$(cat "$T/udp")
	[ "$got" = "1000 1000 1000" ] ||
	    fail "$3 got datagrams of '$got', not 1000 1000 1000"
}

udpseg "$A" "$B" 10.2.0.2
udpseg "$B" "$A" 2001:db8:1::2

sleep 0.5
kill -TERM "$CAPA" "$CAPB"
wait "$CAPA" "$CAPB"

# check PCAP SRC SRC6 ROUTER ROUTER6: every UDP and TCP packet from SRC
# or SRC6 (the far host, forwarded by ipifc) has a right checksum and
# fits the link's MTU, and there are some; ROUTER sent no "too big".
check()
{
	local all bad big f='(ip.src == '$2' || ipv6.src == '$3') && (udp || tcp)'

	all=$(tshark -n -r "$1" -Y "$f" 2>/dev/null | wc -l)
	bad=$(tshark -n -r "$1" -o udp.check_checksum:TRUE \
	    -o tcp.check_checksum:TRUE \
	    -Y "$f && (udp.checksum.status == \"Bad\" ||
	    tcp.checksum.status == \"Bad\")" 2>/dev/null | wc -l)
	big=$(tshark -n -r "$1" -Y "$f && frame.len > 1514" 2>/dev/null |
	    wc -l)
	say "$1: $all UDP and TCP packets forwarded, $bad with a bad" \
	    "checksum, $big over 1514 bytes"
	[ "$all" -gt 0 ] || fail "no forwarded packets in $1"
	if [ "$bad" != 0 ]; then
		# what was bad, so that an intermittent failure can be read:
		# the addresses and ICMP type say whether the UDP or TCP header
		# is a packet's own or one quoted in an ICMP error (the filter
		# matches both), the ports which sender, and the checksum
		# tshark computed what it should have been
		tshark -n -r "$1" -o udp.check_checksum:TRUE \
		    -o tcp.check_checksum:TRUE -T fields -e frame.number \
		    -e frame.len -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
		    -e icmp.type -e icmpv6.type -e tcp.seq -e tcp.len \
		    -e udp.srcport -e udp.dstport -e udp.length \
		    -e tcp.checksum -e tcp.checksum_calculated \
		    -e udp.checksum -e udp.checksum_calculated \
		    -Y "$f && (udp.checksum.status == \"Bad\" ||
		    tcp.checksum.status == \"Bad\")" 2>/dev/null | head -n 5 >&2
		fail "bad checksums in $1"
	fi
	[ "$big" = 0 ] || fail "frames over the MTU in $1"
	big=$(tshark -n -r "$1" -Y "(ip.src == $4 && icmp.type == 3 &&
	    icmp.code == 4) || (ipv6.src == $5 && icmpv6.type == 2)" \
	    2>/dev/null | wc -l)
	[ "$big" = 0 ] || fail "$4 sent $big ICMP too big in $1"
}

check "$T/B.pcap" 10.1.0.2 2001:db8:1::2 10.2.0.1 2001:db8:2::1
check "$T/A.pcap" 10.2.0.2 2001:db8:2::2 10.1.0.1 2001:db8:1::1

stop_daemon_ok
pass
