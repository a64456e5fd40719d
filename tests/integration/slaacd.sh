#!/usr/bin/env bash
# slaacd against radvd (bash slaacd.sh IPIFCD IPIFC SLAACD SLAACCTL
# SLAACD_TESTHOOK): radvd in
# namespace A advertises on two veths, one to namespace D where slaacd
# manages the other end, one to namespace K, D's twin (same MAC), where
# the Linux kernel does its own SLAAC (EUI-64).
#
# Proves: slaacd (-e, EUI-64) forms the address the kernel forms, with
# the same valid and preferred lifetimes within a second, and the same
# default route; its DNS file holds radvd's RDNSS and DNSSL; slaacctl
# shows them and sends a solicitation with the SLLA option; the engine
# process is unprivileged, chrooted, under seccomp, with no netlink or
# raw socket; SIGTERM ends all three processes and restores the
# sysctls; killing the engine or the frontend ends the daemon with a
# log line; with two routers on the link, both default routes stay; the
# test build's engine, whose first call after the seccomp
# filter is socket(2), is killed by SIGSYS and the daemon says so.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

SLAACD=$1
SLAACCTL=$2
TESTHOOK=$3
RADVD=$(command -v radvd || echo /usr/sbin/radvd)
[ -x "$RADVD" ] || skip "no radvd"
need timeout tcpdump
id nobody >/dev/null 2>&1 || skip "no user nobody"

D=${P}d K=${P}k A=${P}a
MAC=02:5a:ac:00:00:01
netns "$D" "$K" "$A"
veth "$D" "${P}d0" "$A" "${P}a0"
veth "$K" "${P}k0" "$A" "${P}a1"
for ns in "$D:${P}d0" "$K:${P}k0"; do
	ip -n "${ns%%:*}" link set "${ns#*:}" address "$MAC"
	nsx "${ns%%:*}" sysctl -qw "net.ipv6.conf.${ns#*:}.accept_ra=1" \
	    "net.ipv6.conf.${ns#*:}.autoconf=1" \
	    "net.ipv6.conf.${ns#*:}.addr_gen_mode=0" \
	    "net.ipv6.conf.${ns#*:}.accept_dad=0"
done
nsx "$A" sysctl -qw net.ipv6.conf.all.forwarding=1

# radvd_conf VALID PREFERRED: the prefix's lifetimes on both links
# (DNS options on a0 only)
radvd_conf()
{
	local a dns=1

	for a in "${P}a0" "${P}a1"; do
		cat <<END
interface $a {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	AdvDefaultLifetime 600;
	prefix 2001:db8:77::/64 {
		AdvValidLifetime $1;
		AdvPreferredLifetime $2;
	};
END
		[ "$dns" = 1 ] && cat <<END
	RDNSS 2001:db8:77::53 {
		AdvRDNSSLifetime 60;
	};
	DNSSL example.org {
		AdvDNSSLLifetime 60;
	};
END
		echo "};"
		dns=0
	done >"$T/radvd.conf"
}
# readvertise VALID PREFERRED: radvd rereads its file with these lifetimes
readvertise()
{
	radvd_conf "$1" "$2"
	kill -HUP "$(cat "$T/radvd.pid")"
}
radvd_conf 7200 3600
ip netns exec "$A" "$RADVD" -C "$T/radvd.conf" -p "$T/radvd.pid" -n -m stderr \
    >"$T/radvd.log" 2>&1 &
RPID=$!
trap 'rc=$?; kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null;
    (exit "$rc"); cleanup' EXIT

ROOT=$T/empty
mkdir -p "$ROOT"
DNS=$T/resolv.conf
# slaacd writes the log lib.sh's cleanup shows on failure
LOG=$T/ipifcd.log
start_slaacd()
{
	ip netns exec "$D" "$SLAACD" -dve -u nobody -r "$ROOT" -f "$DNS" -s "$SOCK" \
	    "${P}d0" \
	    >>"$LOG" 2>&1 &
	DPID=$!
}

sysctl_d()
{
	nsx "$D" cat "/proc/sys/net/ipv6/conf/${P}d0/$1"
}

start_slaacd
has_ar0()
{
	[ "$(sysctl_d accept_ra)" = 0 ] && [ "$(sysctl_d autoconf)" = 0 ]
}
until_ok 50 has_ar0 || fail "slaacd did not turn accept_ra/autoconf off"

global()
{
	ip -n "$1" -6 addr show dev "$2" scope global |
	    awk '$1 == "inet6" && $2 ~ /^2001:db8:77:/ { print $2; exit }'
}
has_globals()
{
	[ -n "$(global "$D" "${P}d0")" ] && [ -n "$(global "$K" "${P}k0")" ]
}
until_ok 300 has_globals || {
	ip -n "$D" -6 addr >&2
	ip -n "$K" -6 addr >&2
	fail "no address from 2001:db8:77::/64"
}
GD=$(global "$D" "${P}d0")
GK=$(global "$K" "${P}k0")
say "slaacd formed $GD, the kernel $GK"
[ "$GD" = "$GK" ] || fail "slaacd's address $GD is not the kernel's $GK"

# valid_lft and preferred_lft of the address, in seconds
lifetimes()
{
	ip -n "$1" -6 addr show dev "$2" scope global | awk -v a="$GD" '
	    $1 == "inet6" && $2 == a { getline
		v = $2; p = $4; sub("sec", "", v); sub("sec", "", p)
		print v, p; exit }'
}
read -r VD PD <<<"$(lifetimes "$D" "${P}d0")"
read -r VK PK <<<"$(lifetimes "$K" "${P}k0")"
say "lifetimes: slaacd $VD/$PD, kernel $VK/$PK"
close()
{
	[ -n "$1" ] && [ -n "$2" ] && [ $(($1 - $2)) -le 1 ] &&
	    [ $(($2 - $1)) -le 1 ]
}
close "$VD" "$VK" || fail "valid lifetime $VD, the kernel's $VK"
close "$PD" "$PK" || fail "preferred lifetime $PD, the kernel's $PK"
[ "$VD" -gt 7100 ] && [ "$PD" -gt 3500 ] || fail "lifetimes $VD/$PD"

# The default route for any source (slaacd adds one from the prefix
# too, RFC 8028 3), its lifetime, hop limit and radvd's link-local
# address on that link aside.
defroute()
{
	local ll

	ll=$(ip -n "$A" -6 addr show dev "$3" scope link |
	    awk '$1 == "inet6" { sub("/.*", "", $2); print $2; exit }')
	ip -n "$1" -6 route show default | grep -v '^default from' |
	    sed -e "s/ dev $2//" -e 's/ expires [0-9]*sec//' \
	    -e 's/ hoplimit [0-9]*//' -e 's/ nhid [0-9]*//' \
	    -e "s/ via $ll / via ROUTER /"
}
has_defroute()
{
	[ -n "$(defroute "$D" "${P}d0" "${P}a0")" ]
}
until_ok 50 has_defroute || fail "slaacd made no default route"
RD=$(defroute "$D" "${P}d0" "${P}a0")
RK=$(defroute "$K" "${P}k0" "${P}a1")
say "default route: slaacd '$RD', kernel '$RK'"
[ "$RD" = "$RK" ] || fail "default route '$RD', the kernel's '$RK'"

# The router's neighbor entry (RFC 4861 6.3.4): the proposal is
# answered done, and the kernel holds the entry, a router, with radvd's
# MAC, as beside it where the kernel autoconfigures.
RLL=$(ip -n "$A" -6 addr show dev "${P}a0" scope link |
    awk '$1 == "inet6" { sub("/.*", "", $2); print $2; exit }')
RMAC=$(ip -n "$A" link show "${P}a0" | awk '$1 == "link/ether" { print $2 }')
grep -Eq "nbr-stale ifindex [0-9]+ $RLL/0: done$" "$LOG" ||
    fail "the router's neighbor entry not answered done"
ip -n "$D" -6 neigh show dev "${P}d0" |
    grep -Eq "^$RLL lladdr $RMAC router (STALE|REACHABLE|DELAY|PROBE)" ||
    fail "no neighbor entry for the router: $(ip -n "$D" -6 neigh)"
say "the router's neighbor entry: done, $RLL $RMAC in the kernel"

has_dns()
{
	grep -qx 'nameserver 2001:db8:77::53' "$DNS" &&
	    grep -qx 'search example.org' "$DNS"
}
until_ok 50 has_dns || { cat "$DNS" >&2; fail "DNS file"; }
say "DNS file: $(grep -v '^#' "$DNS" | tr '\n' ';')"

ctl()
{
	"$SLAACCTL" -s "$SOCK" "$@"
}
SHOW=$(ctl show interface "${P}d0") || fail "slaacctl show interface"
printf '%s\n' "$SHOW"
LLA=$(ip -n "$A" -6 addr show dev "${P}a0" scope link |
    awk '$1 == "inet6" { sub("/.*", "", $2); print $2; exit }')
printf '%s\n' "$SHOW" | grep -Eq "^	address $GD eui64 configured valid 7[0-2][0-9][0-9]s preferred 3[56][0-9][0-9]s$" ||
    fail "slaacctl shows no configured address $GD"
printf '%s\n' "$SHOW" | grep -Eq "^	default ::/0 via $LLA configured lifetime [56][0-9][0-9]s pref medium$" ||
    fail "slaacctl shows no default route via $LLA"
printf '%s\n' "$SHOW" | grep -Eq "^	onlink 2001:db8:77::/64 configured lifetime 7[0-2][0-9][0-9]s" ||
    fail "slaacctl shows no on-link prefix route"
printf '%s\n' "$SHOW" | grep -Eq "^	nameserver 2001:db8:77::53 configured lifetime [0-6]?[0-9]s$" ||
    fail "slaacctl shows no name server"
printf '%s\n' "$SHOW" | grep -Eq "^	search example.org configured" ||
    fail "slaacctl shows no search domain"
printf '%s\n' "$SHOW" | grep -q "^frontend drops: notmanaged 0 hoplimit 0" ||
    fail "slaacctl shows no drop counters"
ctl show interface nosuch >/dev/null && fail "show of an unmanaged name"
ctl frobnicate >/dev/null && fail "an unknown command answered ok"
[ "$(ctl log brief)" = ok ] || fail "log brief"
[ "$(ctl log verbose)" = ok ] || fail "log verbose"

# An address removed by hand: the engine hears of it (the proposal shows
# `removed` while the kernel lacks it), and the next RA renews it (RFC
# 4862 5.5.3 e), which puts it back.
has_gd()
{
	ip -n "$D" -6 addr show dev "${P}d0" | grep -q "inet6 $GD "
}
ip -n "$D" -6 addr del "$GD" dev "${P}d0" || fail "ip addr del $GD"
until_ok 50 grep -q "engine: ${P}d0: address ${GD%/*} gone from the kernel" \
    "$LOG" || fail "slaacd did not notice $GD removed"
SHOW=$(ctl show interface "${P}d0")
if ! has_gd; then
	printf '%s\n' "$SHOW" | grep -q "^	address $GD eui64 removed " ||
	    fail "slaacctl does not show $GD removed: $SHOW"
fi
until_ok 100 has_gd || fail "$GD not back after the next RA"
show_gd()
{
	ctl show interface "${P}d0" | grep -q "^	address $GD eui64 configured "
}
until_ok 50 show_gd || fail "slaacctl does not show $GD configured again"
say "$GD removed by hand: noticed, back at the next RA"

# The two-hour rule (RFC 4862 5.5.3 e) against radvd, beside the
# kernel's own: a valid lifetime of 4 h is taken as it is (over the
# remaining one); then 600 s is not, the remaining 4 h become 2 h, and
# the preferred lifetime 300 s is taken as it is.
# lifetimes_of NS IF: valid and preferred of $GD there
lifetimes_of()
{
	ip -n "$1" -6 addr show dev "$2" | awk -v a="$GD" '
	    $1 == "inet6" && $2 == a { getline
		v = $2; p = $4; sub("sec", "", v); sub("sec", "", p)
		print v, p; exit }'
}
# both_pref P: both have preferred lifetime P or less
both_pref()
{
	local v p

	read -r v p <<<"$(lifetimes_of "$D" "${P}d0")"
	[ -n "$p" ] && [ "$p" -le "$1" ] || return 1
	read -r v p <<<"$(lifetimes_of "$K" "${P}k0")"
	[ -n "$p" ] && [ "$p" -le "$1" ]
}
both_valid_over()
{
	local v p

	read -r v p <<<"$(lifetimes_of "$D" "${P}d0")"
	[ -n "$v" ] && [ "$v" -gt "$1" ] || return 1
	read -r v p <<<"$(lifetimes_of "$K" "${P}k0")"
	[ -n "$v" ] && [ "$v" -gt "$1" ]
}
readvertise 14400 3500
until_ok 100 both_valid_over 14000 || fail "valid lifetime 4 h not taken: slaacd $(lifetimes_of "$D" "${P}d0"), kernel $(lifetimes_of "$K" "${P}k0")"
readvertise 600 300
until_ok 100 both_pref 300 || fail "preferred lifetime 300 not taken: slaacd $(lifetimes_of "$D" "${P}d0"), kernel $(lifetimes_of "$K" "${P}k0")"
read -r VD PD <<<"$(lifetimes_of "$D" "${P}d0")"
read -r VK PK <<<"$(lifetimes_of "$K" "${P}k0")"
say "two-hour rule: valid 600 advertised over 4 h left: slaacd $VD/$PD, kernel $VK/$PK"
[ "$VD" -gt 7100 ] && [ "$VD" -le 7200 ] || fail "valid lifetime $VD, not 2 h"
close "$VD" "$VK" || fail "valid lifetime $VD, the kernel's $VK"
close "$PD" "$PK" || fail "preferred lifetime $PD, the kernel's $PK"
SHOW=$(ctl show interface "${P}d0")
printf '%s\n' "$SHOW" | grep -Eq "^	address $GD eui64 configured valid (71[0-9][0-9]|7200)s preferred [0-3][0-9]{0,2}s$" ||
    fail "slaacctl does not show 2 h left: $SHOW"
readvertise 7200 3600

# send solicitation: an RS from the link-local address, with the SLLA
nsx "$A" timeout 10 tcpdump -nli "${P}a0" -c 1 -w "$T/rs.pcap" \
    'icmp6 and ip6[40] == 133' >"$T/tcpdump.log" 2>&1 &
TPID=$!
until_ok 50 grep -q listening "$T/tcpdump.log" || fail "tcpdump"
[ "$(ctl send solicitation "${P}d0")" = ok ] || fail "send solicitation"
wait "$TPID"
RS=$(tcpdump -nvr "$T/rs.pcap" 2>/dev/null)
printf '%s\n' "$RS" | grep -q "router solicitation" ||
    fail "no RS after send solicitation"
RSRC=$(printf '%s\n' "$RS" | grep -o 'fe80::[0-9a-f:]* > ff02::2:' |
    cut -d ' ' -f 1)
[ -n "$RSRC" ] && ip -n "$D" -6 addr show dev "${P}d0" scope link |
    grep -q "inet6 $RSRC/64" ||
    fail "the RS is not from a link-local address of ${P}d0: $RS"
printf '%s\n' "$RS" | grep -q "source link-address option.*$MAC" ||
    fail "the RS has no SLLA option with $MAC: $RS"
say "send solicitation: an RS from $RSRC with SLLA $MAC"

# The engine: the child of slaacd whose socket fds are all unix ones.
children()
{
	pgrep -P "$DPID"
}
ENGINE="" FRONT=""
for pid in $(children); do
	if grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status"; then
		ENGINE=$pid
	else
		FRONT=$pid
	fi
done
[ -n "$ENGINE" ] || fail "no engine process under seccomp (mode 2)"
[ -n "$FRONT" ] || fail "no frontend process"
st=/proc/$ENGINE/status
NOBODY=$(id -u nobody)
awk -v u="$NOBODY" '$1 == "Uid:" { exit !($2 == u && $3 == u && $4 == u) }' \
    "$st" || fail "engine Uid: $(grep Uid: "$st")"
grep -q '^CapEff:[[:space:]]*0000000000000000$' "$st" ||
    fail "engine $(grep CapEff: "$st")"
[ "$(readlink "/proc/$ENGINE/root")" = "$ROOT" ] ||
    fail "engine root $(readlink "/proc/$ENGINE/root"), not $ROOT"
# every socket the engine holds is a unix one, none netlink or raw
for fd in "/proc/$ENGINE/fd/"*; do
	l=$(readlink "$fd") || continue
	case $l in socket:*) ;; *) continue ;; esac
	ino=${l#socket:[}
	ino=${ino%]}
	nsx "$D" awk -v i="$ino" '$7 == i { f = 1 } END { exit !f }' \
	    /proc/net/unix || fail "engine fd $fd ($l) is no unix socket"
	if nsx "$D" awk -v i="$ino" '$10 == i { f = 1 } END { exit !f }' \
	    /proc/net/raw6 /proc/net/netlink; then
		fail "engine fd $fd is a raw or netlink socket"
	fi
done
say "engine $ENGINE: uid $NOBODY, CapEff 0, seccomp 2, root $ROOT, unix sockets only"

# a second slaacd does not take the first one's socket
ip netns exec "$D" "$SLAACD" -d -u nobody -r "$ROOT" -f "$T/dns2" \
    -s "$SOCK" "${P}d0" >"$T/second.log" 2>&1 &&
    fail "a second slaacd on the same socket started"
grep -q "another slaacd answers there" "$T/second.log" ||
    fail "the second slaacd did not say why it ended"
ctl show interface >/dev/null || fail "the first slaacd's socket is gone"

stop_daemon || fail "slaacd exited with status $? on SIGTERM"
grep -q nameserver "$DNS" && fail "the DNS file keeps servers after exit"
grep -E "process (exited with status [1-9]|killed)" "$LOG" &&
    fail "a child did not end cleanly at SIGTERM"
kill -0 "$ENGINE" 2>/dev/null && fail "the engine outlived slaacd"
kill -0 "$FRONT" 2>/dev/null && fail "the frontend outlived slaacd"
[ "$(sysctl_d accept_ra)" = 1 ] && [ "$(sysctl_d autoconf)" = 1 ] ||
    fail "sysctls not restored: accept_ra $(sysctl_d accept_ra)," \
    "autoconf $(sysctl_d autoconf)"
say "SIGTERM: all three ended, accept_ra and autoconf back to 1, the DNS file empty"

# Killing a child ends the daemon with a line saying which.
for who in engine frontend; do
	: >"$LOG"
	start_slaacd
	until_ok 50 has_ar0 || fail "slaacd did not start again"
	for pid in $(children); do
		if grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status"; then
			[ "$who" = engine ] && kill -KILL "$pid"
		else
			[ "$who" = frontend ] && kill -KILL "$pid"
		fi
	done
	for _ in $(seq 50); do
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$DPID" 2>/dev/null && fail "slaacd lives on without its $who"
	wait "$DPID"
	DPID=""
	# the other child may see it first: the parent names the dead one
	grep -q "^slaacd: $who process killed by signal 9" "$LOG" ||
	    fail "no log line for the $who's end"
	[ "$(sysctl_d accept_ra)" = 1 ] || fail "accept_ra not restored"
	say "killing the $who ends slaacd: $(grep "$who process killed" \
	    "$LOG")"
done
# A proposal the kernel refuses is retried: with radvd's link-local
# address on D's own interface too, the kernel refuses a default route
# via it (EINVAL: the gateway is a local address); slaacctl shows the
# refusal and the retries, and once the address is gone a retry puts the
# route in.
: >"$LOG"
ip -n "$D" -6 addr add "$LLA/64" dev "${P}d0" nodad || fail "add $LLA to D"
start_slaacd
refused()
{
	ctl show interface "${P}d0" | grep -Eq "^	default ::/0 via $LLA (refused|retrying)\(Invalid-argument\) lifetime [0-9]+s pref medium tries [1-5]/5"
}
until_ok 300 refused || {
	ctl show interface "${P}d0" >&2
	fail "slaacctl shows no refused default route being retried"
}
say "refused: $(ctl show interface "${P}d0" | grep "^	default ::/0 via $LLA" | head -1)"
ip -n "$D" -6 addr del "$LLA/64" dev "${P}d0"
routed()
{
	ip -n "$D" -6 route show default | grep -Eq "^default (nhid [0-9]+ )?via $LLA " &&
	    ctl show interface "${P}d0" | grep -Eq "^	default ::/0 via $LLA configured lifetime [0-9]+s pref medium$"
}
until_ok 300 routed || {
	ctl show interface "${P}d0" >&2
	fail "no default route via $LLA after a retry"
}
say "after a retry: $(ctl show interface "${P}d0" | grep "^	default ::/0 via $LLA" | head -1)"
stop_daemon || fail "slaacd exited with status $?"

# -t: an RFC 8981 temporary address beside the EUI-64 one, within the
# prefix's lifetimes (RFC 8981 3.4), shown as such and in the kernel.
: >"$LOG"
ip netns exec "$D" "$SLAACD" -de -t "${P}d0" -u nobody -r "$ROOT" \
    -f "$DNS" -s "$SOCK" "${P}d0" >>"$LOG" 2>&1 &
DPID=$!
temp()
{
	ctl show interface "${P}d0" | awk '$1 == "address" &&
	    $3 == "temporary" && $4 == "configured" { print $1, $2, $6, $8 }'
}
has_temp()
{
	[ -n "$(temp)" ]
}
until_ok 300 has_temp || fail "no temporary address with -t"
read -r _ TA TV TP <<<"$(temp)"
say "temporary address $TA valid $TV preferred $TP"
[ "$TA" != "$GD" ] || fail "the temporary address is the EUI-64 one"
case $TA in 2001:db8:77:0:*/64) ;; *) fail "temporary $TA not in the prefix" ;; esac
[ "${TV%s}" -le 7200 ] && [ "${TP%s}" -le 3600 ] ||
    fail "temporary lifetimes $TV/$TP over the prefix's"
ip -n "$D" -6 addr show dev "${P}d0" | grep -q "inet6 $TA " ||
    fail "the kernel has no $TA"
ip -n "$D" -6 addr show dev "${P}d0" | grep -q "inet6 $GD " ||
    fail "the EUI-64 address went with -t"
stop_daemon || fail "slaacd -t exited with status $?"

# -k: the RFC 7217 secret is made at the first start (mode 0600, 32
# bytes) and read at the next: the same stable address after a restart.
KEY=$T/state/secret
start_stable()
{
	: >"$LOG"
	ip netns exec "$D" "$SLAACD" -d -k "$KEY" -u nobody -r "$ROOT" \
	    -f "$DNS" -s "$SOCK" "${P}d0" >>"$LOG" 2>&1 &
	DPID=$!
}
stable()
{
	ctl show interface "${P}d0" | awk '$1 == "address" &&
	    $3 == "stable" && $4 == "configured" { print $2; exit }'
}
has_stable()
{
	[ -n "$(stable)" ]
}
start_stable
until_ok 300 has_stable || fail "no stable address"
S1=$(stable)
[ "$S1" != "$GD" ] || fail "the stable address is the EUI-64 one"
[ "$(stat -c %a "$KEY")" = 600 ] && [ "$(stat -c %s "$KEY")" = 32 ] ||
    fail "secret file: $(stat -c '%a %s' "$KEY")"
stop_daemon || fail "slaacd exited with status $?"
start_stable
until_ok 300 has_stable || fail "no stable address after a restart"
S2=$(stable)
[ "$S1" = "$S2" ] || fail "stable address $S1, then $S2 after a restart"
grep -q "a new RFC 7217 secret" "$LOG" && fail "a new secret at the restart"
stop_daemon || fail "slaacd exited with status $?"
say "stable address $S1 before and after a restart (secret $(stat -c '%a, %s bytes' "$KEY"))"

# Two routers on one link: both default routes stay (a route's add
# must not replace the other router's, RFC 4861 6.3.6 keeps a list),
# and RAs keep them past the router lifetime the first RA gave.  They
# are two routes, as the kernel's own SLAAC makes them on a twin on the
# same bridge, not one route with two next hops.
D2=${P}e B=${P}b R1=${P}r R2=${P}s K2=${P}j
netns "$D2" "$B" "$R1" "$R2" "$K2"
ip -n "$B" link add br0 type bridge || fail "bridge"
ip -n "$B" link set br0 up
for p in "$D2:${P}e0:${P}be" "$R1:${P}r0:${P}br" "$R2:${P}s0:${P}bs" \
    "$K2:${P}j0:${P}bj"; do
	IFS=: read -r ns ifn bif <<<"$p"
	veth "$ns" "$ifn" "$B" "$bif"
	ip -n "$B" link set "$bif" master br0
done
nsx "$K2" sysctl -qw "net.ipv6.conf.${P}j0.accept_ra=1" \
    "net.ipv6.conf.${P}j0.autoconf=1"
RPIDS=""
for r in "$R1:${P}r0" "$R2:${P}s0"; do
	IFS=: read -r ns ifn <<<"$r"
	nsx "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
	cat >"$T/radvd-$ns.conf" <<END
interface $ifn {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	prefix 2001:db8:66::/64 {
	};
};
END
	ip netns exec "$ns" "$RADVD" -C "$T/radvd-$ns.conf" -p "$T/radvd-$ns.pid" -n \
	    -m stderr >"$T/radvd-$ns.log" 2>&1 &
	RPIDS="$RPIDS $!"
done
trap 'rc=$?; kill "$RPID" $RPIDS 2>/dev/null; wait "$RPID" $RPIDS 2>/dev/null;
    (exit "$rc"); cleanup' EXIT
: >"$LOG"
ip netns exec "$D2" "$SLAACD" -dve -u nobody -r "$ROOT" -f "$T/dns2" \
    -s "$T/ctl2" "${P}e0" >>"$LOG" 2>&1 &
DPID=$!
ll_of()
{
	ip -n "$1" -6 addr show dev "$2" scope link |
	    awk '$1 == "inet6" { sub("/.*", "", $2); print $2; exit }'
}
L1=$(ll_of "$R1" "${P}r0")
L2=$(ll_of "$R2" "${P}s0")
both()
{
	local r

	r=$(ip -n "$D2" -6 route show default)
	printf '%s\n' "$r" | grep -q "via $L1 " &&
	    printf '%s\n' "$r" | grep -q "via $L2 "
}
until_ok 300 both || {
	ip -n "$D2" -6 route show default >&2
	fail "not both routers' default routes ($L1, $L2)"
}
say "two routers: default routes via $L1 and $L2"
# past the routers' lifetime (radvd's 3 x 4 s): the RAs renew it
sleep 14
both || { ip -n "$D2" -6 route show default >&2; fail "a router's default route went"; }
ip -n "$D2" -6 route show default | grep -q 'expires -' &&
    fail "an expired default route: $(ip -n "$D2" -6 route show default)"
# the default routes for any source (slaacd's RFC 8028 ones, from the
# prefix, have no counterpart in the kernel), the next hop object
# (slaacd's way to keep them apart), lifetimes and hop limits aside
routes_of()
{
	ip -n "$1" -6 route show default |
	    awk '/^default from/ { skip = 1; next } /^[^ \t]/ { skip = 0 }
		!skip' |
	    sed -e "s/ dev $2//" -e 's/ expires [0-9]*sec//' \
	    -e 's/ hoplimit [0-9]*//' -e 's/ nhid [0-9]*//' \
	    -e "s/ via $L1 / via ROUTER1 /" -e "s/ via $L2 / via ROUTER2 /" |
	    sort
}
twins()
{
	[ "$(routes_of "$D2" "${P}e0")" = "$(routes_of "$K2" "${P}j0")" ]
}
until_ok 100 twins || fail "default routes: slaacd '$(routes_of "$D2" "${P}e0")', the kernel '$(routes_of "$K2" "${P}j0")'"
say "two routers, as the kernel: $(routes_of "$D2" "${P}e0" | tr '\n' ';')"
stop_daemon || fail "slaacd exited with status $?"

# The seccomp filter kills an engine that calls socket(2).
: >"$LOG"
ip netns exec "$D" "$TESTHOOK" -d -k "$KEY" -u nobody -r "$ROOT" -f "$DNS" \
    -s "$SOCK" "${P}d0" >>"$LOG" 2>&1 &
DPID=$!
for _ in $(seq 50); do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$DPID" 2>/dev/null && fail "the test build lives on"
wait "$DPID" && fail "the test build exited 0"
DPID=""
grep -q "engine: test hook: calling socket" "$LOG" ||
    fail "the test hook did not run"
grep -q "test hook: socket(2) returned" "$LOG" &&
    fail "socket(2) returned under the seccomp filter"
grep -q "^slaacd: engine process killed by signal 31 (seccomp: a forbidden system call)" "$LOG" ||
    fail "no log line for the engine killed by seccomp"
[ "$(sysctl_d accept_ra)" = 1 ] || fail "accept_ra not restored"
say "seccomp: $(grep "engine process killed" "$LOG")"
pass
