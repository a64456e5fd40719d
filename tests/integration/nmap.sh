#!/usr/bin/env bash
# nmap against ipifcd in router mode (bash nmap.sh IPIFCD IPIFC):
# ipifcd (namespace D) opens a veth with packet:, with 10.1.0.1/24,
# 2001:db8:1::1/64, `iprouting 1` and `ra6 sendra 1` advertising
# 2001:db8:1::/64; nmap runs in namespace A, a Linux host on the other
# end.
#
# ipifc speaks neither TCP nor UDP (ipifcd has no listener), so what a
# port or protocol it does not serve gets is the answer of RFC 1122
# 3.2.2.1 (ICMP protocol unreachable) and RFC 8200 4 (ICMPv6 parameter
# problem code 1), rate limited (RFC 1812 4.3.2.8, RFC 4443 2.4 (f)).
# Proves, each scan under `timeout`, on both families:
# - ping scans (-sn) find the host up;
# - protocol scans (-sO) find ICMP (ICMPv6) open and TCP, UDP and SCTP
#   closed, by those answers;
# - TCP SYN and UDP scans get them (nmap's reasons proto-unreach and
#   param-problem), and a 1000-port SYN scan in about a second is
#   answered at most 10 + 1 per 100 ms, the rest counted in
#   icmpratelimit;
# - OS detection (-O: odd TCP, UDP and ICMP probes) ends, and ipifc
#   still answers ping.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout nmap

peer_link
w ipifc/0/ctl iprouting 1
w ipifc/0/ctl add6 2001:db8:1:: 64
w ipifc/0/ctl ra6 sendra 1
wait_state 0 2001:db8:1::1 preferred 50

# nm SECONDS ARGS...: nmap in A, no DNS, one retry
nm()
{
	local t=$1

	shift
	nsx "$A" timeout "$t" nmap -n -Pn --max-retries 1 "$@" 2>&1
}

# expect OUTPUT REGEX...: each a line of OUTPUT
expect()
{
	local out=$1 re

	shift
	for re in "$@"; do
		grep -Eq "$re" <<<"$out" || {
			echo "$out"
			fail "no line '$re'"
		}
	done
}

say "ping scans"
out=$(nsx "$A" timeout 30 nmap -n -sn 10.1.0.1 2>&1)
expect "$out" "1 host up"
out=$(nsx "$A" timeout 30 nmap -6 -n -sn 2001:db8:1::1 2>&1)
expect "$out" "1 host up"

say "protocol scans"
out=$(nm 30 -sO -p 1,2,6,17,58,132 10.1.0.1)
echo "$out" | grep -E '^[0-9]+ '
expect "$out" "^1 +open +icmp" "^6 +closed +tcp" "^17 +closed +udp" \
    "^132 +closed +sctp"
out=$(nm 30 -6 -sO -p 1,2,6,17,58,132 2001:db8:1::1)
echo "$out" | grep -E '^[0-9]+ '
expect "$out" "^58 +open +ipv6-icmp" "^6 +closed +tcp" "^17 +closed +udp" \
    "^132 +closed +sctp"

say "SYN and UDP scans"
out=$(nm 30 -sS --reason -p 22,25,80 10.1.0.1)
expect "$out" "^22/tcp +filtered +ssh +proto-unreach" \
    "^80/tcp +filtered +http +proto-unreach"
out=$(nm 30 -6 -sS --reason -p 22,25,80 2001:db8:1::1)
expect "$out" "^22/tcp +filtered +ssh +param-problem" \
    "^80/tcp +filtered +http +param-problem"
out=$(nm 30 -sU --reason -p 53,123 10.1.0.1)
expect "$out" "^53/udp +filtered +domain +proto-unreach"
out=$(nm 30 -6 -sU --reason -p 53,123 2001:db8:1::1)
expect "$out" "^53/udp +filtered +domain +param-problem"

say "a 1000-port SYN scan: the errors rate limited"
# past the per-destination bucket's burst of 10, refilled since
sleep 1
rl0=$(ipstat icmpratelimit)
t0=$(date +%s%N)
out=$(nm 30 -sS -T5 --max-retries 0 --reason -p 1-1000 10.1.0.1)
ms=$((($(date +%s%N) - t0) / 1000000))
n=$(sed -n 's/.*, \([0-9]*\) filtered tcp ports (proto-unreach).*/\1/p' \
    <<<"$out")
[ -n "$n" ] || n=$(grep -c "proto-unreach" <<<"$out")
say "$n answered in $ms ms, icmpratelimit $rl0 -> $(ipstat icmpratelimit)"
[ "$n" -ge 10 ] || fail "only $n of the first 10 SYNs answered"
[ "$n" -le $((10 + ms / 100 + 1)) ] || fail "$n answers in $ms ms"
[ "$(ipstat icmpratelimit)" -gt "$rl0" ] || fail "icmpratelimit did not count"

say "OS detection"
out=$(nm 60 -O --max-os-tries 1 -p 22 10.1.0.1)
expect "$out" "OS detection performed" "1 host up"
out=$(nm 60 -6 -O --max-os-tries 1 -p 22 2001:db8:1::1)
expect "$out" "OS detection performed" "1 host up"
peer_alive "nmap"

stop_daemon_ok
pass
