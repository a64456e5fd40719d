#!/usr/bin/env bash
# thc-ipv6 (Debian's, atk6-*) against ipifcd in host mode (bash thc.sh
# IPIFCD IPIFC): ipifcd (namespace D) opens a veth with packet:, with
# 10.1.0.1/24, 2001:db8:1::1/64, a static neighbor and `ra6 recvra 1`;
# the tools run in namespace A, a Linux host on the other end.
#
# Proves, each tool under `timeout`, ipifc answering ping on both
# families after each:
# - flood_router26 (RAs with some 25 prefixes and routes each, from
#   random routers): the ra file stays within the SLAAC engine's bounds
#   (8 routers, 16 prefixes, 32 addresses, 16 routes) and its drops line
#   counts the routers and prefixes refused;
# - flood_advertise6 and flood_solicitate6: the neighbor table holds at
#   most IPIFC_MAXNBR dynamic entries, and the static one is unchanged;
# - implementation6, the cases Linux answers so: two hop-by-hop headers
#   get parameter problem code 1 (RFC 8200 4.1), fragments and a routing
#   header with no segments left, in either order and behind hop-by-hop
#   or destination options, are answered (RFC 8200 4.5, RFC 6946), a
#   hop-by-hop header after a fragment header gets parameter problem
#   code 1 however many fragments (RFC 8200 4.1), a
#   routing header with segments left gets parameter problem code 0 (RFC
#   5095); ipstats counts badheader;
# - denial6 cases 1 to 7 (large and many extension headers, AH, first
#   fragments with a router alert): no crash, badheader and frag6 count;
# - fragmentation6 cases 13, 16, 25 and 31 (datagrams of 65486 and
#   66920 bytes, an empty one-shot fragment, a last fragment past 65535
#   bytes): no crash, frag6 counts;
# - dos-new-ip6 (answers every DAD probe): an address added meanwhile
#   is `duplicate` (RFC 4862 5.4.4), the log says so, and once the
#   attacker is gone `down` and `up` make it preferred; fake_router6's
#   prefix then gets four stable identifiers (RFC 7217 6: the first and
#   IDGEN_RETRIES more), each duplicate, and host mode gives up
#   (`dad`, `dadgiveup` in the ra file's drops line);
# - fake_router6 -F (the RA in fragments): ignored, counted in ndbad
#   (RFC 6980 5);
# - alive6 finds ipifc's global address.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout atk6-fake_router6 atk6-flood_router26 atk6-flood_advertise6 \
    atk6-flood_solicitate6 atk6-implementation6 atk6-denial6 \
    atk6-fragmentation6 atk6-dos-new-ip6 atk6-alive6

MAXNBR=1024
peer_link
w arp add 2001:db8:1::9 02:00:00:00:00:09
w ipifc/0/ctl ra6 recvra 1
wait_state 0 2001:db8:1::1 preferred 50

# in A, bounded: tool SECONDS ARGS...
tool()
{
	local t=$1

	shift
	nsx "$A" timeout "$t" "$@"
}

# stop_tool PID: the tool a background `tool` runs ends now (its
# timeout, the child of the subshell PID, passes SIGTERM on)
stop_tool()
{
	pkill -TERM -P "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# host mode gave an address up after DAD failures (until_ok calls it)
# shellcheck disable=SC2317
gaveup()
{
	[ "$(radrop dadgiveup)" -ge 1 ]
}

# first: the RA flood sets RetransTimer, DAD's pace, to whatever it likes
say "dos-new-ip6: an address added meanwhile is duplicate"
tool 10 atk6-dos-new-ip6 "$AIF" >"$T/dos.log" 2>&1 &
APID=$!
sleep 1
w ipifc/0/ctl add 2001:db8:1::77/64
wait_state 0 2001:db8:1::77 duplicate 50
stop_tool "$APID"
grep -q "2001:db8:1::77" "$T/dos.log" || fail "dos-new-ip6 did not answer"
grep -q "addr duplicate 2001:db8:1::77 " "$T/ipifcd.log" ||
    fail "no log line for the duplicate"
w ipifc/0/ctl down
w ipifc/0/ctl up
wait_state 0 2001:db8:1::77 preferred 50
peer_alive dos-new-ip6

say "fake_router6 -F (in fragments): ignored; fake_router6 under dos-new-ip6"
nd0=$(ipstat ndbad)
tool 2 atk6-fake_router6 -F "$AIF" 2001:db8:5::/64 >/dev/null 2>&1
[ "$(ipstat ndbad)" -gt "$nd0" ] || fail "ndbad did not count the RA"
r ipifc/0/ra | grep -q "^prefix 2001:db8:5:" &&
    fail "the fragmented RA's prefix was taken"
tool 12 atk6-dos-new-ip6 "$AIF" >/dev/null 2>&1 &
APID=$!
sleep 1
tool 2 atk6-fake_router6 "$AIF" 2001:db8:6::/64 >/dev/null 2>&1
# RFC 7217 6: IDGEN_RETRIES (3) more identifiers, each duplicate too
until_ok 100 gaveup || { r ipifc/0/ra; fail "host mode did not give up"; }
r ipifc/0/ra | grep '^drops '
[ "$(radrop dad)" -ge 4 ] || fail "fewer than 4 DAD failures"
r ipifc/0/status | grep -q "^2001:db8:6:" && fail "an address in 2001:db8:6::"
stop_tool "$APID"

say "flood_router26, 2 s"
tool 2 atk6-flood_router26 "$AIF" >/dev/null 2>&1
ra=$(r ipifc/0/ra)
for k in router:8 prefix:16 addr:32 route:16; do
	n=$(grep -c "^${k%:*} " <<<"$ra")
	say "ra file: $n ${k%:*} lines"
	[ "$n" -le "${k#*:}" ] || fail "$n ${k%:*} lines, over ${k#*:}"
done
[ "$(radrop routers)" -gt 0 ] || fail "no router counted as dropped"
[ "$(radrop prefixes)" -gt 0 ] || fail "no prefix counted as dropped"
grep '^drops ' <<<"$ra"
peer_alive flood_router26

static_before=$(r arp | grep ' static ')
say "flood_advertise6 and flood_solicitate6, 2 s each"
tool 2 atk6-flood_advertise6 "$AIF" >/dev/null 2>&1
tool 2 atk6-flood_solicitate6 "$AIF" 2001:db8:1::1 >/dev/null 2>&1
n=$(r arp | grep -vc ' static ')
say "$n dynamic neighbor entries, nbrdrops $(ifc_counter 0 nbrdrops)"
[ "$n" -le "$MAXNBR" ] || fail "$n dynamic neighbor entries, over $MAXNBR"
[ "$(r arp | grep ' static ')" = "$static_before" ] ||
    fail "the static entries changed"
peer_alive "the neighbor floods"

say "implementation6"
hdr0=$(ipstat badheader)
# case:what Linux answers too
for c in "3:error reply \[4:1\]" "4:error reply \[4:1\]" "11:PASSED" \
    "12:PASSED" "18:PASSED" "19:error reply \[4:0\]" "22:PASSED" \
    "23:error reply \[4:0\]" "24:PASSED" "25:PASSED" \
    "26:error reply \[4:1\]" "27:PASSED"; do
	out=$(tool 10 atk6-implementation6 "$AIF" 2001:db8:1::1 "${c%%:*}" 2>&1)
	line=$(grep "^Test *${c%%:*}:" <<<"$out")
	echo "$line"
	grep -q "${c#*:}" <<<"$line" ||
	    fail "implementation6 case ${c%%:*}: not '${c#*:}'"
done
[ "$(ipstat badheader)" -gt "$hdr0" ] || fail "badheader did not count"
peer_alive implementation6

say "denial6 cases 1 to 7, half a second each"
hdr0=$(ipstat badheader) frag0=$(ipstat frag6)
for c in 1 2 3 4 5 6 7; do
	tool 0.5 atk6-denial6 "$AIF" 2001:db8:1::1 "$c" >/dev/null 2>&1
done
say "badheader $hdr0 -> $(ipstat badheader), frag6 $frag0 -> $(ipstat frag6)"
[ "$(ipstat badheader)" -gt "$hdr0" ] || fail "badheader did not count"
peer_alive denial6

say "fragmentation6 cases 13, 16, 25 and 31"
frag0=$(ipstat frag6)
# 65486 bytes in 54 fragments; 66920 bytes, past 65535; a one-shot
# fragment without content; a last fragment at 8191 + 8 (past 65535)
for c in 13 16 25 31; do
	tool 10 atk6-fragmentation6 -p "$AIF" 2001:db8:1::1 "$c" >/dev/null 2>&1
done
say "frag6 $frag0 -> $(ipstat frag6)"
[ "$(ipstat frag6)" -gt "$frag0" ] || fail "frag6 did not count"
peer_alive fragmentation6

say "alive6"
out=$(tool 10 atk6-alive6 "$AIF" 2>&1)
echo "$out"
grep -q "^Alive: 2001:db8:1::1 " <<<"$out" || fail "alive6 did not find ipifc"

stop_daemon_ok
pass
