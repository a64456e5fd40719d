#!/usr/bin/env bash
# Linux and ipifc on one link (bash link.sh IPIFCD IPIFC tap|packet).
#
# tap:    ipifcd makes a TAP device, which then moves into Linux's
#         namespace A: its Linux side is Linux's interface.
# packet: a veth pair; ipifcd opens its end (namespace D) with packet:,
#         Linux has the other end in A.
#
# Proves: Linux pings ipifc's IPv4, IPv6 global and link-local addresses;
# arping and ndisc6 resolve ipifc's addresses to ipifc's own MAC (not the
# Linux side's); both neighbor tables hold the other's MAC afterwards;
# ipifc pings Linux on both families (the daemon's ping file); `capture`
# writes a pcap tcpdump reads; with packet:, the running flag follows the
# veth's carrier; SIGTERM unbinds, removes a TAP device the
# daemon made and the socket, and the daemon exits 0.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

kind=${1:-packet}
need ping arping ndisc6 tcpdump timeout

D=${P}d A=${P}a
netns "$D" "$A"
start_daemon "$D"

case $kind in
tap)
	LIF=${P}t0
	say "bind ether tap:$LIF"
	n=$(ipc write ipifc/clone bind ether "tap:$LIF") || fail "bind tap"
	ip -n "$D" link show "$LIF" >/dev/null || fail "no TAP device made"
	ip -n "$D" link set "$LIF" netns "$A" || fail "move the TAP device"
	ip -n "$A" link set "$LIF" up
	;;
packet)
	LIF=${P}a0
	veth "$D" "${P}d0" "$A" "$LIF"
	quiet_v6 "$D" "${P}d0"
	say "bind ether packet:${P}d0"
	n=$(ipc write ipifc/clone bind ether "packet:${P}d0") ||
	    fail "bind packet"
	;;
*)
	fail "unknown kind $kind"
	;;
esac
[ "$n" = 0 ] || fail "clone answered '$n', not 0"

ip -n "$A" addr add 10.77.0.2/24 dev "$LIF"
ip -n "$A" addr add 2001:db8:77::2/64 dev "$LIF" nodad
w ipifc/0/ctl add 10.77.0.1/24
w ipifc/0/ctl add 2001:db8:77::1/64
wait_state 0 2001:db8:77::1 preferred 50
LL=$(ifc_linklocal 0)
[ -n "$LL" ] || fail "no link-local address"
wait_state 0 "$LL" preferred 50

MAC=$(ifc_mac 0)
LMAC=$(linux_mac "$A" "$LIF")
say "ipifc $MAC, Linux $LMAC"
[ -n "$MAC" ] && [ -n "$LMAC" ] || fail "no MACs"
[ "${MAC,,}" != "${LMAC,,}" ] || fail "ipifc took the Linux side's MAC"

w ipifc/0/ctl capture "$T/cap.pcap"

say "Linux pings ipifc"
nsx "$A" timeout 20 ping -c 3 -W 2 -i 0.2 10.77.0.1 ||
    fail "ping 10.77.0.1"
nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 2001:db8:77::1 ||
    fail "ping -6 2001:db8:77::1"
nsx "$A" timeout 20 ping -6 -c 3 -W 2 -i 0.2 "$LL%$LIF" ||
    fail "ping -6 $LL%$LIF"

say "arping resolves ipifc's IPv4 address"
out=$(nsx "$A" timeout 20 arping -c 3 -w 5 -I "$LIF" 10.77.0.1) ||
    fail "arping: $out"
echo "$out"
grep -qi "10.77.0.1" <<<"$out" && grep -qi "$MAC" <<<"$out" ||
    fail "arping did not see $MAC"

say "ndisc6 resolves ipifc's IPv6 address"
out=$(nsx "$A" timeout 20 ndisc6 -1 -r 3 -w 1000 2001:db8:77::1 "$LIF") ||
    fail "ndisc6: $out"
echo "$out"
grep -qi "link-layer address: *$MAC" <<<"$out" ||
    fail "ndisc6 did not see $MAC"

say "ipifc pings Linux"
out=$(ipc write ping -c 3 -i 200 10.77.0.2) || fail "ipifc ping"
echo "$out"
grep -q "3 packets transmitted, 3 received" <<<"$out" ||
    fail "ipifc ping 10.77.0.2"
out=$(ipc write ping -c 3 -i 200 2001:db8:77::2) || fail "ipifc ping"
echo "$out"
grep -q "3 packets transmitted, 3 received" <<<"$out" ||
    fail "ipifc ping 2001:db8:77::2"

say "each side's neighbor table holds the other's MAC"
ip -n "$A" neigh show dev "$LIF"
for a in 10.77.0.1 2001:db8:77::1; do
	ip -n "$A" neigh show "$a" dev "$LIF" |
	    grep -Eqi "lladdr $MAC (REACHABLE|STALE|DELAY|PROBE)" ||
	    fail "Linux has no entry $a -> $MAC"
done
r arp
for a in 10.77.0.2 2001:db8:77::2; do
	r arp | grep -Eqi "^$a $LMAC (reachable|stale|delay|probe) 0 " ||
	    fail "ipifc has no entry $a -> $LMAC"
done

say "the capture holds what went by"
w ipifc/0/ctl capture off
out=$(timeout 20 tcpdump -n -r "$T/cap.pcap" 2>/dev/null) ||
    fail "tcpdump cannot read the capture"
for p in "ICMP echo request" "ICMP echo reply" "ICMP6, echo request" \
    "ICMP6, echo reply" "Request who-has 10.77.0.1" "Reply 10.77.0.1 is-at" \
    "neighbor solicitation, who has 2001:db8:77::1" \
    "neighbor advertisement, tgt is 2001:db8:77::1"; do
	grep -q "$p" <<<"$out" || fail "no '$p' in the capture"
done
echo "$(wc -l <<<"$out") frames captured"

if [ "$kind" = packet ]; then
	say "running follows the veth's carrier"
	flags()
	{
		r ipifc/0/status | head -n 1 |
		    sed -n 's/.* flags \([^ ]*\) .*/\1/p'
	}
	running()
	{
		[[ $(flags) == *running* ]]
	}
	carrierless()
	{
		local f

		f=$(flags)
		[ -n "$f" ] && [[ $f != *running* ]]
	}
	running || fail "not running at start"
	ip -n "$A" link set "$LIF" down
	until_ok 30 carrierless || fail "still running without carrier"
	echo "flags $(flags)"
	ip -n "$A" link set "$LIF" up
	until_ok 30 running || fail "not running again"
fi

say "SIGTERM: unbind, remove, exit 0"
stop_daemon_ok
if [ "$kind" = tap ]; then
	! ip -n "$A" link show "$LIF" >/dev/null 2>&1 ||
	    fail "the TAP device ipifcd made is still there"
fi
pass
