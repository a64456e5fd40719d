#!/usr/bin/env bash
# Linux and ipifc on a veth whose ipifc end is opened with xdp: (AF_XDP).
#
# Proves: the interface's status says `link xdp` and the veth carries an
# XDP program; Linux pings ipifc on IPv4, IPv6 and link-local, arping and
# ndisc6 resolve ipifc's addresses to its MAC; ipifc pings Linux on both
# families; 1400-byte pings both ways; a bounded flood (ping -f -c 2000)
# is answered; unbind leaves the veth with no XDP program, a bind again
# gets AF_XDP again, and SIGTERM leaves none either, nor the stack
# process killed (SIGKILL: the parent cleans up).  A veth that holds
# someone else's XDP program is opened with AF_PACKET instead (status
# `link packet`, one line in the log), answers pings, and keeps that
# program after unbind.  A veth with MTU 9000, where native XDP is
# refused, gets generic mode, and frames over a UMEM frame are dropped
# and counted both ways (rxdrops, txtoobig).  SKIP when this ipifcd or
# kernel has no AF_XDP (after checking that xdp: answered pings through
# AF_PACKET).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping arping ndisc6 timeout pgrep

D=${P}d A=${P}a
DIF=${P}d0 LIF=${P}a0
netns "$D" "$A"
veth "$D" "$DIF" "$A" "$LIF"
quiet_v6 "$D" "$DIF"
start_daemon "$D"

# has_xdp IF: the interface in D carries an XDP program.
has_xdp()
{
	ip -n "$D" link show "$1" | grep -q 'prog/xdp'
}

# link_kind N: the word after `link` in interface N's status line.
link_kind()
{
	r "ipifc/$1/status" | head -n 1 |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "link") print $(i+1) }'
}

# ping_ok NS ARGS...: a bounded ping from namespace NS that must answer.
ping_ok()
{
	local ns=$1

	shift
	nsx "$ns" timeout 30 ping -q -W 2 "$@" >/dev/null ||
	    fail "ping $* from $ns"
}

say "bind ether xdp:$DIF"
n=$(ipc write ipifc/clone bind ether "xdp:$DIF") || fail "bind xdp"
[ "$n" = 0 ] || fail "clone answered '$n', not 0"
ip -n "$A" addr add 10.78.0.2/24 dev "$LIF"
ip -n "$A" addr add 2001:db8:78::2/64 dev "$LIF" nodad
w ipifc/0/ctl add 10.78.0.1/24
w ipifc/0/ctl add 2001:db8:78::1/64
wait_state 0 2001:db8:78::1 preferred 50
LL=$(ifc_linklocal 0)
[ -n "$LL" ] || fail "no link-local address"
wait_state 0 "$LL" preferred 50

kind=$(link_kind 0)
if [ "$kind" != xdp ]; then
	[ "$kind" = packet ] || fail "status says link '$kind'"
	why=$(grep -m 1 'no AF_XDP' "$T/ipifcd.log")
	[ -n "$why" ] || fail "AF_PACKET instead of AF_XDP, and no log line"
	ping_ok "$A" -c 2 -i 0.2 10.78.0.1
	ping_ok "$A" -6 -c 2 -i 0.2 2001:db8:78::1
	skip "AF_XDP unavailable (${why#*privileged: });" \
	    "xdp: answered through AF_PACKET"
fi
has_xdp "$DIF" || fail "status says xdp but $DIF has no XDP program"
grep -m 1 'AF_XDP, ' "$T/ipifcd.log"
r ipifc/0/status | head -n 1 | grep -o ' link .*'

say "Linux pings ipifc"
ping_ok "$A" -c 3 -i 0.2 10.78.0.1
ping_ok "$A" -6 -c 3 -i 0.2 2001:db8:78::1
ping_ok "$A" -6 -c 3 -i 0.2 "$LL%$LIF"

MAC=$(ifc_mac 0)
LMAC=$(linux_mac "$A" "$LIF")
say "ARP and ND resolve ipifc's addresses to $MAC"
out=$(nsx "$A" timeout 20 arping -c 2 -w 5 -I "$LIF" 10.78.0.1) ||
    fail "arping: $out"
grep -qi "$MAC" <<<"$out" || fail "arping did not see $MAC"
out=$(nsx "$A" timeout 20 ndisc6 -1 -r 3 -w 1000 2001:db8:78::1 "$LIF") ||
    fail "ndisc6: $out"
grep -qi "link-layer address: *$MAC" <<<"$out" ||
    fail "ndisc6 did not see $MAC"

say "ipifc pings Linux"
for a in 10.78.0.2 2001:db8:78::2; do
	out=$(ipc write ping -c 3 -i 200 "$a") || fail "ipifc ping $a"
	grep -q "3 packets transmitted, 3 received" <<<"$out" ||
	    fail "ipifc ping $a: $out"
done
for a in 10.78.0.2 2001:db8:78::2; do
	r arp | grep -Eqi "^$a $LMAC " || fail "ipifc has no entry $a"
done

say "1400-byte pings, both ways"
ping_ok "$A" -c 3 -i 0.2 -s 1400 10.78.0.1
ping_ok "$A" -6 -c 3 -i 0.2 -s 1400 2001:db8:78::1
for a in 10.78.0.2 2001:db8:78::2; do
	out=$(ipc write ping -c 3 -i 200 -s 1400 "$a") ||
	    fail "ipifc ping -s 1400 $a"
	grep -q "3 packets transmitted, 3 received" <<<"$out" ||
	    fail "ipifc ping -s 1400 $a: $out"
done

say "a flood of 2000 is answered"
for fam in -4 -6; do
	a=10.78.0.1
	[ "$fam" = -6 ] && a=2001:db8:78::1
	out=$(nsx "$A" timeout 60 ping "$fam" -f -c 2000 -w 50 "$a" 2>&1)
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	echo "ping $fam -f: ${got:-?} of 2000"
	[ -n "$got" ] && [ "$got" -ge 1980 ] || fail "flood $a: $out"
done
r ipifc/0/status | head -n 1 | grep -o ' link .*'

say "unbind leaves $DIF as it was; a bind again gets AF_XDP again"
w ipifc/0/ctl unbind
has_xdp "$DIF" && fail "an XDP program is left on $DIF after unbind"
n=$(ipc write ipifc/clone bind ether "xdp:$DIF") || fail "bind again"
[ "$(link_kind "$n")" = xdp ] || fail "the second bind is not AF_XDP"
w "ipifc/$n/ctl" add 10.78.0.1/24
ping_ok "$A" -c 2 -i 0.2 10.78.0.1

say "a veth with someone's XDP program: AF_PACKET, and the program stays"
DIF2=${P}d1 LIF2=${P}a1
veth "$D" "$DIF2" "$A" "$LIF2"
quiet_v6 "$D" "$DIF2"
prog=$(ls /usr/lib/*/bpf/xsk_def_xdp_prog.o \
    /usr/lib/bpf/xsk_def_xdp_prog.o 2>/dev/null | head -n 1)
[ -n "$prog" ] || fail "no xsk_def_xdp_prog.o to attach"
ip -n "$D" link set "$DIF2" xdpgeneric obj "$prog" sec xdp ||
    fail "cannot attach a program to $DIF2"
id=$(ip -n "$D" link show "$DIF2" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
m=$(ipc write ipifc/clone bind ether "xdp:$DIF2") || fail "bind xdp:$DIF2"
[ "$(link_kind "$m")" = packet ] || fail "xdp:$DIF2 is not AF_PACKET"
grep "xdp:$DIF2: no AF_XDP" "$T/ipifcd.log" || fail "no log line"
ip -n "$A" addr add 10.79.0.2/24 dev "$LIF2"
w "ipifc/$m/ctl" add 10.79.0.1/24
ping_ok "$A" -c 2 -i 0.2 10.79.0.1
w "ipifc/$m/ctl" unbind
ip -n "$D" link show "$DIF2" | grep -q "prog/xdp id $id " ||
    fail "the program on $DIF2 is gone or changed"

say "native XDP refused (MTU 9000): generic mode; frames too long counted"
DIF3=${P}d2 LIF3=${P}a2
veth "$D" "$DIF3" "$A" "$LIF3"
quiet_v6 "$D" "$DIF3"
ip -n "$D" link set "$DIF3" mtu 9000
ip -n "$A" link set "$LIF3" mtu 9000
m=$(ipc write ipifc/clone bind ether "xdp:$DIF3") || fail "bind xdp:$DIF3"
[ "$(link_kind "$m")" = xdp ] || fail "xdp:$DIF3 is not AF_XDP"
grep "xdp:$DIF3: AF_XDP, generic, copy" "$T/ipifcd.log" ||
    fail "xdp:$DIF3 is not in generic mode"
ip -n "$D" link show "$DIF3" | grep -q xdpgeneric || fail "no xdpgeneric"
ip -n "$A" addr add 10.80.0.2/24 dev "$LIF3"
w "ipifc/$m/ctl" add 10.80.0.1/24
w "ipifc/$m/ctl" mtu 9000
ping_ok "$A" -c 2 -i 0.2 -s 1400 10.80.0.1
# 3028 bytes: over a UMEM frame both ways, lost and counted
nsx "$A" timeout 10 ping -q -c 2 -i 0.2 -W 1 -s 3000 10.80.0.1 >/dev/null &&
    fail "a 3028-byte frame came through"
ipc write ping -c 2 -i 100 -s 3000 10.80.0.2 >/dev/null
st=$(r "ipifc/$m/status" | head -n 1)
grep -o ' link .*' <<<"$st"
grep -Eq ' rxdrops [1-9][0-9]* ' <<<"$st" || fail "no rxdrops counted"
grep -Eq ' txtoobig [1-9][0-9]* ' <<<"$st" || fail "no txtoobig counted"
w "ipifc/$m/ctl" unbind
has_xdp "$DIF3" && fail "an XDP program is left on $DIF3 after unbind"

say "SIGTERM leaves $DIF without XDP"
stop_daemon_ok
has_xdp "$DIF" && fail "an XDP program is left on $DIF after SIGTERM"

say "a stack process killed: the parent takes the program off"
start_daemon "$D"
n=$(ipc write ipifc/clone bind ether "xdp:$DIF") || fail "bind after restart"
[ "$(link_kind "$n")" = xdp ] || fail "no AF_XDP after restart"
STACK=$(pgrep -P "$DPID")
[ -n "$STACK" ] || fail "no stack process under $DPID"
kill -KILL "$STACK"
stop_daemon
has_xdp "$DIF" && fail "an XDP program is left on $DIF after SIGKILL"
pass
