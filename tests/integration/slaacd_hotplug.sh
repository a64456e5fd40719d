#!/usr/bin/env bash
# slaacd with no IFACE (bash slaacd_hotplug.sh IPIFCD IPIFC SLAACD
# SLAACCTL): namespace H, where slaacd runs, has two veths to a bridge in
# namespace R, where radvd advertises on the bridge.
#
# Proves: with no IFACE slaacd manages every Ethernet-like interface (not
# lo); each interface solicits with its own MAC (the RSs that come in on
# each bridge port carry that veth's MAC in the SLLA option); a veth
# made after start is picked up and given its address; a new MAC gives a
# new EUI-64 address; a veth deleted while configured is dropped with a
# log line, slaacd and its two children running on, no error logged; a
# veth taken down and up (the kernel drops its addresses, routes and
# nexthops) gets its address and default route back at once.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

SLAACD=$1
SLAACCTL=$2
RADVD=$(command -v radvd || echo /usr/sbin/radvd)
[ -x "$RADVD" ] || skip "no radvd"
need timeout tcpdump
id nobody >/dev/null 2>&1 || skip "no user nobody"

H=${P}h R=${P}r
netns "$H" "$R"
ip -n "$R" link add br0 type bridge || fail "bridge"
ip -n "$R" link set br0 up
MAC0=02:5a:ac:00:01:01 MAC1=02:5a:ac:00:01:02 MAC2=02:5a:ac:00:01:03
# port PORT IF MAC: a veth from H's IF (with MAC) to R's bridge PORT
port()
{
	ip link add "$2" netns "$H" address "$3" type veth peer name "$1" \
	    netns "$R" || fail "veth $2"
	ip -n "$R" link set "$1" master br0
	ip -n "$R" link set "$1" up
	ip -n "$H" link set "$2" up
}
port "${P}p0" "${P}h0" "$MAC0"
port "${P}p1" "${P}h1" "$MAC1"
nsx "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
cat >"$T/radvd.conf" <<END
interface br0 {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	prefix 2001:db8:55::/64 {
	};
};
END
ip netns exec "$R" "$RADVD" -C "$T/radvd.conf" -p "$T/radvd.pid" -n -m stderr \
    >"$T/radvd.log" 2>&1 &
RPID=$!
TPIDS=""
trap 'rc=$?; kill "$RPID" $TPIDS 2>/dev/null; wait "$RPID" $TPIDS 2>/dev/null;
    (exit "$rc"); cleanup' EXIT

# what comes in on each bridge port from H: the RSs
for p in "${P}p0" "${P}p1"; do
	nsx "$R" timeout 30 tcpdump --immediate-mode -U -nli "$p" -Q in -w "$T/$p.pcap" \
	    'icmp6 and ip6[40] == 133' >"$T/$p.tcpdump" 2>&1 &
	TPIDS="$TPIDS $!"
done
for p in "${P}p0" "${P}p1"; do
	until_ok 50 grep -q listening "$T/$p.tcpdump" || fail "tcpdump on $p"
done

ROOT=$T/empty
mkdir -p "$ROOT"
LOG=$T/ipifcd.log
ip netns exec "$H" "$SLAACD" -dve -u nobody -r "$ROOT" -f "$T/dns" \
    -s "$SOCK" >>"$LOG" 2>&1 &
DPID=$!

# eui64 MAC PREFIX: the EUI-64 address (RFC 4291 appendix A)
eui64()
{
	local b

	IFS=: read -r -a b <<<"$1"
	printf '%s:%x:%x:%x:%x\n' "$2" $(((0x${b[0]} ^ 2) * 256 + 0x${b[1]})) \
	    $((0x${b[2]} * 256 + 0xff)) $((0xfe * 256 + 0x${b[3]})) \
	    $((0x${b[4]} * 256 + 0x${b[5]}))
}
has_addr()
{
	ip -n "$H" -6 addr show dev "$1" scope global | grep -q "inet6 $2/64"
}
A0=$(eui64 "$MAC0" 2001:db8:55:0)
A1=$(eui64 "$MAC1" 2001:db8:55:0)
until_ok 300 has_addr "${P}h0" "$A0" || fail "${P}h0 has no $A0"
until_ok 300 has_addr "${P}h1" "$A1" || fail "${P}h1 has no $A1"
say "no IFACE: ${P}h0 has $A0, ${P}h1 has $A1"
grep -q "frontend: lo: managed" "$LOG" && fail "slaacd manages lo"
[ "$(nsx "$H" cat "/proc/sys/net/ipv6/conf/${P}h1/accept_ra")" = 0 ] ||
    fail "accept_ra not turned off on ${P}h1"

# each port's RSs carry the MAC of the veth behind it
"$SLAACCTL" -s "$SOCK" send solicitation "${P}h0" >/dev/null &&
    "$SLAACCTL" -s "$SOCK" send solicitation "${P}h1" >/dev/null ||
    fail "send solicitation"
sleep 1
kill $TPIDS 2>/dev/null
wait $TPIDS 2>/dev/null
TPIDS=""
for pm in "${P}p0:$MAC0" "${P}p1:$MAC1"; do
	p=${pm%%:*} mac=${pm#*:}
	rs=$(tcpdump -nvr "$T/$p.pcap" 2>/dev/null)
	n=$(printf '%s\n' "$rs" | grep -c "source link-address option")
	[ "$n" -ge 1 ] || fail "no RS with an SLLA came in on $p: $rs"
	bad=$(printf '%s\n' "$rs" | grep "source link-address option" |
	    grep -vc "$mac")
	[ "$bad" = 0 ] || fail "RSs on $p with another MAC than $mac: $rs"
	say "$p: $n RSs, each with SLLA $mac"
done

# a veth made after start is picked up and autoconfigured; with its
# link-local address tentative for 3 s (DAD), its first RS goes from ::
# without the SLLA option (RFC 4861 4.1). The bridge port forwards
# nothing until that RS is seen: a periodic RA arriving during the
# initial delay (RFC 4861 6.3.7) rightly means no RS is sent at all
# (a blackhole qdisc: this kernel has no tc classifiers).
nsx "$H" sysctl -qw net.ipv6.conf.default.dad_transmits=3
ip link add "${P}h2" netns "$H" address "$MAC2" type veth peer name \
    "${P}p2" netns "$R" || fail "veth ${P}h2"
ip -n "$R" link set "${P}p2" master br0
ip netns exec "$R" tc qdisc add dev "${P}p2" root blackhole ||
    fail "no blackhole qdisc on ${P}p2"
ip -n "$R" link set "${P}p2" up
nsx "$R" timeout 30 tcpdump --immediate-mode -U -nli "${P}p2" -Q in -w "$T/p2.pcap" \
    'icmp6 and ip6[40] == 133' >"$T/p2.tcpdump" 2>&1 &
TPIDS=$!
until_ok 50 grep -q listening "$T/p2.tcpdump" || fail "tcpdump on ${P}p2"
ip -n "$H" link set "${P}h2" up
rs_from_any()
{
	tcpdump -nvr "$T/p2.pcap" 2>/dev/null |
	    grep -q ':: > ff02::2: .*router solicitation, length 8$'
}
until_ok 100 rs_from_any || fail "no RS from :: without options on ${P}p2: \
$(tcpdump -nvr "$T/p2.pcap" 2>&1)"
ip netns exec "$R" tc qdisc del dev "${P}p2" root ||
    fail "blackhole qdisc on ${P}p2 not removed"
A2=$(eui64 "$MAC2" 2001:db8:55:0)
until_ok 300 has_addr "${P}h2" "$A2" || fail "the new ${P}h2 has no $A2"
"$SLAACCTL" -s "$SOCK" show interface "${P}h2" |
    grep -q "address $A2/64 eui64 configured" ||
    fail "slaacctl does not show $A2 configured"
say "a veth made after start: ${P}h2 has $A2"
kill $TPIDS 2>/dev/null
wait $TPIDS 2>/dev/null
TPIDS=""
say "${P}h2's first RS: from :: without options"

# a new MAC: a new EUI-64 address, the old one gone
MAC3=02:5a:ac:00:01:04
ip -n "$H" link set "${P}h1" address "$MAC3"
A3=$(eui64 "$MAC3" 2001:db8:55:0)
gone_a1()
{
	has_addr "${P}h1" "$A3" && ! has_addr "${P}h1" "$A1"
}
until_ok 300 gone_a1 || {
	ip -n "$H" -6 addr show dev "${P}h1" >&2
	fail "no $A3 in place of $A1 after the MAC changed"
}
say "new MAC $MAC3 on ${P}h1: $A3 in place of $A1"

# down and up: the kernel drops the address, the default route and its
# nexthop; slaacd proposes again what is still valid, and solicits:
# the routes and nexthops are those before (sorted: a multipath route's
# nexthops come back in another order)
has_default()
{
	ip -n "$H" -6 route show default |
	    grep -q "^default .*via fe80[^ ]* dev $1 "
}
kstate()
{
	{ ip -n "$H" -6 route; ip -n "$H" nexthop; } | sort
}
flap_back()
{
	has_addr "${P}h0" "$A0" && has_default "${P}h0" &&
	    [ "$(kstate)" = "$KBEFORE" ] &&
	    "$SLAACCTL" -s "$SOCK" show interface "${P}h0" >"$T/flap.show" &&
	    grep -q "address $A0/64 eui64 configured" "$T/flap.show" &&
	    grep -q "default ::/0 via fe80.* configured" "$T/flap.show"
}
# settled: the same for half a second
settled()
{
	KBEFORE=$(kstate)
	sleep 0.5
	[ "$(kstate)" = "$KBEFORE" ]
}
until_ok 100 has_default "${P}h0" || fail "${P}h0 has no default route"
until_ok 20 settled || fail "the routes do not settle"
ip -n "$H" link set "${P}h0" down
shown_removed()
{
	"$SLAACCTL" -s "$SOCK" show interface "${P}h0" >"$T/flap.show" &&
	    grep -q "address $A0/64 eui64 removed" "$T/flap.show" &&
	    grep -q "default ::/0 via fe80.* removed" "$T/flap.show"
}
until_ok 50 shown_removed || {
	cat "$T/flap.show" >&2
	fail "${P}h0 down: its address and default route not shown removed"
}
ip -n "$H" link set "${P}h0" up
until_ok 100 flap_back || {
	ip -n "$H" -6 addr show dev "${P}h0" >&2
	printf 'before:\n%s\nafter:\n%s\n' "$KBEFORE" "$(kstate)" >&2
	cat "$T/flap.show" >&2
	fail "${P}h0 down and up: no $A0 or default route back in 10 s"
}
say "${P}h0 down and up: $A0 and $(ip -n "$H" -6 route show default |
    grep "^default .* dev ${P}h0 "), the routes as before"

# a configured veth deleted: a log line, nothing else
ip -n "$H" link del "${P}h2"
until_ok 50 grep -q "frontend: ${P}h2: interface removed" "$LOG" ||
    fail "no log line for the removed ${P}h2"
sleep 1
kill -0 "$DPID" 2>/dev/null || fail "slaacd ended when ${P}h2 went"
[ "$(pgrep -P "$DPID" | wc -l)" = 2 ] ||
    fail "slaacd has $(pgrep -P "$DPID" | wc -l) children, not 2"
"$SLAACCTL" -s "$SOCK" show interface "${P}h2" >/dev/null &&
    fail "${P}h2 is still shown"
"$SLAACCTL" -s "$SOCK" show interface "${P}h0" | grep -q "address $A0/64" ||
    fail "${P}h0 lost its address"
grep -Ei "error|failed|exiting|killed" "$LOG" &&
    fail "an error logged after ${P}h2 went"
say "${P}h2 deleted: $(grep "${P}h2: interface removed" "$LOG")"
stop_daemon || fail "slaacd exited with status $?"
pass
