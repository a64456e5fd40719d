#!/usr/bin/env bash
# ipifcd -f FILE: a configuration applied at start (bash conf.sh IPIFCD
# IPIFC).
#
# Proves: a file with comments, blank lines, a TAP interface and its
# addresses on both families is applied before the socket serves, so
# Linux (the TAP's side in the daemon's namespace) pings ipifc at once
# on IPv4 and IPv6; a file whose line 5 is bad stops the start with
# `FILE:5: ...` and a nonzero status, and leaves no TAP device behind
# (what lines 1-4 made is unbound); a missing file names itself; the
# examples (examples/host.conf, router.conf, on TAP devices in place of
# eth0 and eth1) start.  Without -d the started process exits 0 once the
# file is applied (the socket answers at once) and 1 on the bad file,
# and with $NOTIFY_SOCKET set (a datagram socket python listens on) the
# daemon sends READY=1 there.  That start runs as the systemd unit
# would: its capability bounding set only, and no_new_privs.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout setpriv

D=${P}d
netns "$D"
LIF=${P}t0

# start_conf FILE: start_daemon in D with -f FILE.
start_conf()
{
	DARGS="-f $1" start_daemon "$D"
}

# No process in D: the detached daemon is gone (called by until_ok).
# shellcheck disable=SC2317
d_empty()
{
	[ -z "$(ip netns pids "$D")" ]
}

[ "$(id -u)" -eq 0 ] || skip "not root (ipifcd starts as root)"

cat >"$T/good.conf" <<END
# a host on a TAP device

ipifc/clone bind ether tap:$LIF
   # indented comment
ipifc/0/ctl add 10.78.0.1/24
ipifc/0/ctl add 2001:db8:78::1/64
iproute add 0.0.0.0 /0 10.78.0.2
END
say "start with $T/good.conf"
start_conf "$T/good.conf"
# The file was applied before the socket existed.
r ipifc/0/status | grep -q '^10\.78\.0\.1 ' || fail "10.78.0.1 not bound"
ip -n "$D" link set "$LIF" up
ip -n "$D" addr add 10.78.0.2/24 dev "$LIF"
ip -n "$D" addr add 2001:db8:78::2/64 dev "$LIF" nodad
wait_state 0 2001:db8:78::1 preferred 50
nsx "$D" ping -c 1 -W 2 10.78.0.1 >/dev/null || fail "no IPv4 echo reply"
nsx "$D" ping -6 -c 1 -W 2 2001:db8:78::1 >/dev/null ||
    fail "no IPv6 echo reply"
r iproute | grep -q '^0\.0\.0\.0 /0 .*10\.78\.0\.2' || fail "no default route"
grep -q "good.conf: 4 writes applied" "$T/ipifcd.log" ||
    fail "no 'writes applied' log line"
stop_daemon_ok
ip -n "$D" link show "$LIF" >/dev/null 2>&1 && fail "TAP device left"

cat >"$T/bad.conf" <<END
# line 5 is bad: what lines 2-4 made must go
ipifc/clone bind ether tap:$LIF
ipifc/0/ctl add 10.78.0.1/24

ipifc/0/ctl add 10.78.0.300/24
ipifc/0/ctl add 10.78.1.1/24
END
say "start with $T/bad.conf"
: >"$T/ipifcd.log"
ip netns exec "$D" timeout 20 "$IPIFCD" -d -f "$T/bad.conf" -s "$SOCK" \
    -k "$T/secret" -c "$T" >>"$T/ipifcd.log" 2>&1
rc=$?
[ $rc -ne 0 ] || fail "ipifcd exited 0 on a bad line"
[ $rc -ne 124 ] || fail "ipifcd kept running on a bad line"
grep -q "$T/bad.conf:5: " "$T/ipifcd.log" || fail "no '$T/bad.conf:5: ' error"
say "$(grep "bad.conf:5:" "$T/ipifcd.log")"
ip -n "$D" link show "$LIF" >/dev/null 2>&1 && fail "TAP device left"
[ ! -e "$SOCK" ] || fail "socket left"

: >"$T/ipifcd.log"
ip netns exec "$D" timeout 20 "$IPIFCD" -d -f "$T/none.conf" -s "$SOCK" \
    -k "$T/secret" -c "$T" >>"$T/ipifcd.log" 2>&1 && fail "missing file: exit 0"
grep -q "$T/none.conf: No such file" "$T/ipifcd.log" ||
    fail "missing file not named"

# Detached: the started process's status says whether it serves.
say "start detached with $T/bad.conf"
: >"$T/ipifcd.log"
ip netns exec "$D" timeout 20 "$IPIFCD" -f "$T/bad.conf" -s "$SOCK" \
    -k "$T/secret" -c "$T" && fail "detached start on a bad line exits 0"
ip -n "$D" link show "$LIF" >/dev/null 2>&1 && fail "TAP device left"
# the started process has its answer when the stack process is gone;
# the privileged parent follows it
until_ok 50 d_empty || fail "a process left in $D"

say "start detached with $T/good.conf, NOTIFY_SOCKET set"
NS=$T/notify
/usr/bin/python3 - "$NS" >"$T/notified" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
print(s.recv(4096).decode(), end="")
PY
LPID=$!
until_ok 50 test -S "$NS" || fail "no listener on $NS"
# As the unit runs it: its capability bounding set, no_new_privs.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' \
    "$(dirname "$0")/../../dist/ipifcd.service.in" | tr 'A-Z ' 'a-z\n' |
    sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd, -)
[ -n "$caps" ] || fail "no CapabilityBoundingSet in dist/ipifcd.service.in"
say "bounding set -all,$caps"
ip netns exec "$D" env NOTIFY_SOCKET="$NS" timeout 20 \
    setpriv --bounding-set "-all,$caps" --inh-caps -all --no-new-privs \
    "$IPIFCD" -f "$T/good.conf" -s "$SOCK" -k "$T/secret" -c "$T" ||
    fail "detached start with a good file exits nonzero"
# no wait: it serves, the file applied
r ipifc/0/status | grep -q '^10\.78\.0\.1 ' || fail "10.78.0.1 not bound"
wait "$LPID" || fail "no notification: $(cat "$T/notified")"
[ "$(cat "$T/notified")" = "READY=1" ] ||
    fail "notified '$(cat "$T/notified")', not READY=1"
# shellcheck disable=SC2046
kill -TERM $(ip netns pids "$D")
until_ok 50 d_empty || fail "daemon did not exit"
ip -n "$D" link show "$LIF" >/dev/null 2>&1 && fail "TAP device left"

ex=$(dirname "$0")/../../examples
for e in host router; do
	sed "s/packet:eth\([01]\)/tap:${P}e\1/" "$ex/$e.conf" >"$T/$e.conf"
	say "start with examples/$e.conf"
	start_conf "$T/$e.conf"
	n=$(grep -cv '^[[:space:]]*\(#\|$\)' "$T/$e.conf")
	# answered once it serves, the file applied and logged
	r ipifc/0/status >/dev/null
	grep -q "$e.conf: $n writes applied" "$T/ipifcd.log" ||
	    fail "examples/$e.conf: not $n writes applied"
	stop_daemon_ok
	ip -n "$D" link show "${P}e0" >/dev/null 2>&1 && fail "TAP device left"
done
pass
