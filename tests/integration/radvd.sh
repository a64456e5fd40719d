#!/usr/bin/env bash
# Host mode against radvd (bash radvd.sh IPIFCD IPIFC): radvd in namespace
# A advertises on a veth; ipifcd has the other end (packet:) in namespace
# D with `ra6 recvra 1`.
#
# Proves: ipifc forms the address radvd's prefix implies (a stable
# identifier, flag s), installs a default route via radvd's link-local
# address (tag ra), shows radvd's RDNSS, DNSSL and route information in
# ipifc/0/ra, and then pings the radvd host's global address from it.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

RADVD=$(command -v radvd || echo /usr/sbin/radvd)
[ -x "$RADVD" ] || skip "no radvd"
need timeout

D=${P}d A=${P}a
LIF=${P}a0
netns "$D" "$A"
start_daemon "$D"
veth "$D" "${P}d0" "$A" "$LIF"
quiet_v6 "$D" "${P}d0"
nsx "$A" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$A" addr add 2001:db8:88::1/64 dev "$LIF" nodad

cat >"$T/radvd.conf" <<END
interface $LIF {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	prefix 2001:db8:88::/64 {
		AdvOnLink on;
		AdvAutonomous on;
	};
	route 2001:db8:99::/48 {
		AdvRoutePreference high;
	};
	RDNSS 2001:db8:88::53 {
		AdvRDNSSLifetime 60;
	};
	DNSSL example.org {
		AdvDNSSLLifetime 60;
	};
};
END
ip netns exec "$A" "$RADVD" -C "$T/radvd.conf" -p "$T/radvd.pid" -n \
    -m stderr >"$T/radvd.log" 2>&1 &
RPID=$!
stop_radvd()
{
	kill "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
}
trap 'rc=$?; stop_radvd; (exit "$rc"); cleanup' EXIT

n=$(ipc write ipifc/clone bind ether "packet:${P}d0") || fail "bind packet"
[ "$n" = 0 ] || fail "clone answered '$n', not 0"
w ipifc/0/ctl ra6 recvra 1

LL=$(ip -n "$A" -6 addr show dev "$LIF" scope link |
    awk '$1 == "inet6" { sub("/.*", "", $2); print $2; exit }')
[ -n "$LL" ] || fail "radvd's side has no link-local address"
say "radvd's link-local address $LL"

global()
{
	r ipifc/0/status | awk '$1 ~ /^2001:db8:88:/ && $6 == "preferred" &&
	    $7 ~ /s/ { print $1; exit }'
}
has_global()
{
	[ -n "$(global)" ]
}
until_ok 300 has_global || {
	cat "$T/radvd.log" >&2
	r ipifc/0/status >&2
	r ipifc/0/ra >&2
	fail "no stable address from 2001:db8:88::/64"
}
G=$(global)
say "formed $G"
r ipifc/0/status

say "the default route goes via radvd's link-local address"
r iproute
r iproute | grep -q "^:: /0 :: /0 $LL 6 ra " ||
    fail "no default route via $LL"

say "ipifc/0/ra shows radvd's RDNSS, DNSSL and route"
ra=$(r ipifc/0/ra)
echo "$ra"
grep -q "^router $LL prf medium life " <<<"$ra" || fail "no router $LL"
grep -q "^dns 2001:db8:88::53 life " <<<"$ra" || fail "no RDNSS"
grep -q "^prefix 2001:db8:88::/64 onlink yes " <<<"$ra" || fail "no prefix"
grep -q "^domain example.org life " <<<"$ra" || fail "no DNSSL"
grep -q "^route 2001:db8:99::/48 via $LL prf high " <<<"$ra" ||
    fail "no route information"

say "ipifc pings the radvd host's global address"
out=$(ipc write ping -c 3 -i 200 2001:db8:88::1) || fail "ipifc ping: $out"
echo "$out"
grep -q " 0% packet loss" <<<"$out" || fail "ping 2001:db8:88::1 lost packets"

stop_radvd
stop_daemon_ok
pass
