#!/usr/bin/env bash
# Fragmentation and path MTU against Linux.  Linux host A reaches ipifc
# over a TAP device (interface 0); ipifc routes to Linux host B over a veth
# opened with packet: (interface 1) whose MTU is 1400, smaller than A's
# 1500.
#
# Proves: ping -6 -s 4000 passes both ways between A and ipifc (ipifc
# reassembles Linux's fragments and fragments its own replies and
# requests, RFC 8200 4.5), and IPv4 likewise; as a router ipifc tells
# tracepath the path MTU on both families (IPv4: fragmentation needed with
# the next-hop MTU, RFC 1191; IPv6: packet too big, RFC 4443 3.2), and a
# 4000-byte ping -6 from A to B passes once A learned it, while ipifc never
# fragments what it forwards on IPv6; and as a host behind A, now a Linux
# router to host C over a link of MTU 1400, ipifc takes Linux's packet too
# big into ippmtu and its next 4000-byte pings to C pass (RFC 8201).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping tracepath tshark timeout

D=${P}d A=${P}a B=${P}b C=${P}c AIF=${P}t0 BIF=${P}b0
netns "$D" "$A" "$B" "$C"
start_daemon "$D"

bind_tap "$D" "$A" "$AIF"
veth "$D" "${P}d1" "$B" "$BIF"
quiet_v6 "$D" "${P}d1"
ip -n "$D" link set "${P}d1" mtu 1400
ip -n "$B" link set "$BIF" mtu 1400
w ipifc/clone bind ether "packet:${P}d1" >/dev/null
w ipifc/1/ctl mtu 1400

w ipifc/0/ctl add 10.1.0.1/24
w ipifc/0/ctl add 2001:db8:1::1/64
w ipifc/1/ctl add 10.2.0.1/24
w ipifc/1/ctl add 2001:db8:2::1/64
w ipifc/0/ctl capture "$T/a.pcap"

ip -n "$A" addr add 10.1.0.2/24 dev "$AIF"
ip -n "$A" addr add 2001:db8:1::2/64 dev "$AIF" nodad
ip -n "$A" route add 10.2.0.0/24 via 10.1.0.1
ip -n "$A" -6 route add 2001:db8:2::/64 via 2001:db8:1::1
ip -n "$B" addr add 10.2.0.2/24 dev "$BIF"
ip -n "$B" addr add 2001:db8:2::2/64 dev "$BIF" nodad
ip -n "$B" route add 10.1.0.0/24 via 10.2.0.1
ip -n "$B" -6 route add 2001:db8:1::/64 via 2001:db8:2::1

wait_state 0 2001:db8:1::1 preferred 50
wait_state 1 2001:db8:2::1 preferred 50

say "Linux pings ipifc with 4000 bytes"
nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 -s 4000 2001:db8:1::1 ||
    fail "ping -6 -s 4000 2001:db8:1::1"
nsx "$A" timeout 20 ping -c 3 -W 2 -i 0.2 -s 4000 10.1.0.1 ||
    fail "ping -s 4000 10.1.0.1"

say "ipifc pings Linux with 4000 bytes"
out=$(ipc write ping -c 3 -i 200 -s 4000 2001:db8:1::2) || fail "ipifc ping"
echo "$out"
grep -q "3 packets transmitted, 3 received" <<<"$out" ||
    fail "ipifc ping -s 4000 2001:db8:1::2"
out=$(ipc write ping -c 3 -i 200 -s 4000 10.1.0.2) || fail "ipifc ping"
echo "$out"
grep -q "3 packets transmitted, 3 received" <<<"$out" ||
    fail "ipifc ping -s 4000 10.1.0.2"

say "ipifc's IPv6 fragments: at most 1500 bytes, one id per datagram"
w ipifc/0/ctl capture off
frags=$(tshark -r "$T/a.pcap" -Y "ipv6.src == 2001:db8:1::1 && ipv6.fraghdr" \
    -T fields -e frame.len -e ipv6.fraghdr.ident 2>"$T/tshark.err") ||
    fail "tshark cannot read the capture: $(cat "$T/tshark.err")"
echo "$frags" | sort | uniq -c
[ "$(wc -l <<<"$frags")" -ge 18 ] ||
    fail "not 3 fragments for each of 6 datagrams"
awk '$1 > 1514 { exit 1 }' <<<"$frags" || fail "a frame over the MTU"
[ "$(awk '{ print $2 }' <<<"$frags" | sort -u | wc -l)" -ge 6 ] ||
    fail "fragment ids repeat across datagrams"

say "tracepath from A to B through ipifc sees MTU 1400"
w ipifc/0/ctl iprouting 1
out=$(nsx "$A" timeout 30 tracepath -n -m 5 10.2.0.2) || fail "tracepath: $out"
echo "$out"
grep -q "pmtu 1400" <<<"$out" || fail "tracepath: no pmtu 1400 on IPv4"
out=$(nsx "$A" timeout 30 tracepath -6 -n -m 5 2001:db8:2::2) ||
    fail "tracepath -6: $out"
echo "$out"
grep -q "pmtu 1400" <<<"$out" || fail "tracepath -6: no pmtu 1400"

say "A pings B with 4000 bytes over the smaller link"
nsx "$A" ip -6 route flush cache
# the first request may go before packet too big comes back
nsx "$A" timeout 20 ping -6 -c 4 -W 2 -i 0.3 -s 4000 2001:db8:2::2 |
    tee "$T/ping6" || true
grep -Eq "[1-4] received" "$T/ping6" || fail "ping -6 -s 4000 2001:db8:2::2"
nsx "$A" ip -6 route get 2001:db8:2::2 | tee "$T/route6"
grep -q "mtu 1400" "$T/route6" || fail "A did not learn the path MTU"

say "ipifc learns the path MTU to C from Linux router A"
veth "$A" "${P}a1" "$C" "${P}c0"
ip -n "$A" link set "${P}a1" mtu 1400
ip -n "$C" link set "${P}c0" mtu 1400
ip -n "$A" addr add 2001:db8:3::1/64 dev "${P}a1" nodad
ip -n "$C" addr add 2001:db8:3::2/64 dev "${P}c0" nodad
ip -n "$C" -6 route add default via 2001:db8:3::1
nsx "$A" sysctl -qw net.ipv6.conf.all.forwarding=1
# Linux's link-local addresses on the new link leave DAD first
no_tentative()
{
	[ -z "$(ip -n "$A" -6 addr show dev "${P}a1" tentative)" ] &&
	    [ -z "$(ip -n "$C" -6 addr show dev "${P}c0" tentative)" ]
}
until_ok 50 no_tentative || fail "addresses on A-C still tentative"
w iproute add 2001:db8:3:: /64 2001:db8:1::2
[ -z "$(r ippmtu)" ] || fail "ippmtu is not empty: $(r ippmtu)"
out=$(ipc write ping -c 4 -i 300 -s 4000 2001:db8:3::2) || fail "ipifc ping"
echo "$out"
grep -Eq "4 packets transmitted, [34] received" <<<"$out" ||
    fail "ipifc ping -s 4000 2001:db8:3::2"
out=$(r ippmtu)
echo "$out"
grep -Eq "^2001:db8:3::2 1400 (59[0-9]|600)$" <<<"$out" ||
    fail "ippmtu has no 2001:db8:3::2 1400 for about 600 s"

stop_daemon_ok
pass
