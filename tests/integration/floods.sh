#!/usr/bin/env bash
# Floods from a Linux namespace (ipifc issue 11), bash floods.sh IPIFCD
# IPIFC KIND [COUNT]: ipifcd opens a veth with packet:, and flood.py
# sends COUNT distinct frames (default 40000) of one KIND from the other
# end, paced, in four quarters (it builds them with struct: scapy builds
# about a thousand a second):
#
#   ra      router advertisements from random routers (random prefixes,
#           the manual address's prefix with short lifetimes, RDNSS,
#           route information, MTU), ipifc not listening (`recvra 0`)
#   rahost  the same with `ra6 recvra 1` (host mode)
#   na      unsolicited neighbor advertisements for random targets and
#           for ipifc's own addresses, with override
#   mld     MLDv1 and v2 reports (up to 70 records) and queries, IGMPv2
#           and v3 reports and queries, for random groups and the ones
#           ipifc joined
#   frag    IPv4 and IPv6 fragments of datagrams that never complete:
#           first fragments alone, overlapping pairs, and datagrams with
#           a hole
#
# Proves, for each (memory and CPU time are those of ipifcd's stack
# process, not of the privileged parent, which holds no stack): its
# VmRSS grows by at most 8 MiB (the tables the flood fills are bounded:
# README, Limits), and by at most 4 MiB
# from the end of the first quarter to the end; its CPU time per frame
# in the last quarter is at most 3 times that of the first (the tables
# are full by then); a host ipifc never heard from pings it on both
# families during the flood; afterwards the manual addresses, the user
# routes, the static neighbors and the joined groups are as before, and
# ipifc answers pings (with rahost: at most 8 routers, 16 prefixes, 32
# addresses, 16 routes, 8 DNS servers in ipifc/0/ra and 64 addresses in
# ipifc/0/status; with frag: the drops are counted, and 3000-byte pings
# from the new host pass during the flood and after it).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
need ping timeout pgrep
[ -x "$PY" ] || skip "no $PY"

kind=${1:-ra}
count=${2:-40000}
# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by
# default) before reuse, which would count in VmRSS: keep it small.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=2"
peer_link
w iproute add 10.9.0.0 /16 10.1.0.9
w iproute add 2001:db8:9:: /48 2001:db8:1::9
w arp add 10.1.0.9 02:00:00:00:00:09
w arp add 2001:db8:1::9 02:00:00:00:00:09
w ipifc/0/ctl joinmulti ff15::1234
w ipifc/0/ctl joinmulti 239.1.2.3
[ "$kind" = rahost ] && w ipifc/0/ctl ra6 recvra 1
wait_state 0 2001:db8:1::1 preferred 50
LL=$(ifc_linklocal 0)
wait_state 0 "$LL" preferred 50
MAC=$(ifc_mac 0)

# What the operator configured, and what it implies: it must come out of
# the flood unchanged (host mode adds its own addresses, routes and
# references beside it).
manual()
{
	local m="10.1.0.0 10.1.0.1 10.1.0.9 10.1.0.255 224.0.0.0 224.0.0.1
	    255.255.255.255 0.0.0.0 239.1.2.3 :: 2001:db8:1:: 2001:db8:1::1
	    2001:db8:1::9 fe80:: $LL ff02:: ff15::1234"

	r ipifc/0/status | awk -v m="$m" 'BEGIN { split(m, a)
	    for (i in a) k[a[i]] = 1 } NR > 1 && ($1 in k)'
	r iproute | awk -v m="$m" 'BEGIN { split(m, a)
	    for (i in a) k[a[i]] = 1 } ($1 in k) && ($3 in k) && $7 != "ra"'
	r arp | awk '$3 == "static"' | awk -v m="$m" 'BEGIN { split(m, a)
	    for (i in a) k[a[i]] = 1 } ($1 in k)'
	r ipifc/0/multi | awk '$1 == "ff15::1234" || $1 == "239.1.2.3"'
	r ipselftab | awk -v m="$m" 'BEGIN { split(m, a)
	    for (i in a) k[a[i]] = 1 } ($1 in k)'
}
rss()
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$STACK/status"
}
STACK=$(stack_pid)
manual >"$T/before"
rss0=$(rss)
# A is a new neighbor: ipifc has no entry for it before the flood
r arp | grep -E '^(10\.1\.0\.2|2001:db8:1::2) ' &&
    fail "ipifc knows A before the flood"

say "flood: $count frames ($kind)"
fk=$kind
[ "$kind" = rahost ] && fk=ra
out=$(nsx "$A" timeout 60 "$PY" "$(dirname "$0")/flood.py" "$fk" "$AIF" \
    "$MAC" "$count" "$STACK" "$IPIFC" "$SOCK") || fail "flood.py: $out"
echo "$out"
kill -0 "$DPID" 2>/dev/null || fail "ipifcd died"
rss1=$(rss)
say "VmRSS ${rss0} kB before, ${rss1} kB after"
[ $((rss1 - rss0)) -le $((8 * 1024)) ] ||
    fail "VmRSS grew by $((rss1 - rss0)) kB"
# the tables are full after the first quarter: what grows after it
# grows with the frames
q1=$(awk '$1 == "quarter" && $2 == 1 { print $6 }' <<<"$out")
q4=$(awk '$1 == "quarter" && $2 == 4 { print $6 }' <<<"$out")
[ $((q4 - q1)) -le $((4 * 1024)) ] ||
    fail "VmRSS grew by $((q4 - q1)) kB from the first quarter's end"

say "CPU per frame: the last quarter against the first"
# CPU time per frame taken in (pktin), in us: at least 10 ms a quarter,
# against the noise of a loaded machine (a quarter takes some 20 to 60
# ms of the stack process's time)
read -r t1 p1 t4 p4 < <(awk '$1 == "quarter" && ($2 == 1 || $2 == 4) {
    printf "%d %d ", ($4 < 10000 ? 10000 : $4), $5 } END { print "" }' <<<"$out")
if [ -z "$p4" ] || [ "$p1" -eq 0 ] || [ "$p4" -eq 0 ]; then
	fail "no quarters"
fi
echo "first quarter $t1 us for $p1 frames, last $t4 us for $p4"
[ $((t4 * p1)) -le $((3 * t1 * p4)) ] || fail "CPU per frame grew"

grep -qx "ping4 1" <<<"$out" || fail "no IPv4 ping reached ipifc"
grep -qx "ping6 1" <<<"$out" || fail "no IPv6 ping reached ipifc"

say "the manual configuration is unchanged"
manual >"$T/after"
diff "$T/before" "$T/after" || fail "the manual configuration changed"
r arp
r ipstats

say "ipifc answers pings"
nsx "$A" timeout 20 ping -c 2 -i 0.2 -W 2 10.1.0.1 || fail "ping 10.1.0.1"
nsx "$A" timeout 20 ping -6 -c 2 -i 0.2 -W 2 2001:db8:1::1 ||
    fail "ping 2001:db8:1::1"

case $kind in
rahost)
	ra=$(r ipifc/0/ra)
	for k in router:8 prefix:16 addr:32 route:16 dns:8; do
		n=$(grep -c "^${k%:*} " <<<"$ra")
		echo "${k%:*} $n"
		[ "$n" -le "${k#*:}" ] || fail "$n ${k%:*} lines in ipifc/0/ra"
	done
	n=$(r ipifc/0/status | tail -n +2 | wc -l)
	echo "addresses $n"
	[ "$n" -le 64 ] || fail "$n addresses"
	;;
ra)
	r iproute | awk '$7 == "ra"' | grep -q . && fail "learned routes"
	;;
frag)
	[ "$(ipstat reassembly)" -gt 0 ] || fail "no reassembly drops counted"
	[ "$(ipstat frag6)" -gt 0 ] || fail "no frag6 drops counted"
	grep -qx "ping4big 1" <<<"$out" ||
	    fail "no fragmented IPv4 ping reached ipifc during the flood"
	grep -qx "ping6big 1" <<<"$out" ||
	    fail "no fragmented IPv6 ping reached ipifc during the flood"
	nsx "$A" timeout 20 ping -c 2 -i 0.2 -W 2 -s 3000 10.1.0.1 ||
	    fail "ping -s 3000 10.1.0.1"
	nsx "$A" timeout 20 ping -6 -c 2 -i 0.2 -W 2 -s 3000 2001:db8:1::1 ||
	    fail "ping -6 -s 3000 2001:db8:1::1"
	;;
esac

stop_daemon_ok
pass
