#!/usr/bin/env bash
# The control socket (bash ctlsock.sh IPIFCD IPIFC CTLPOKE): no
# namespaces, no root needed; the daemon binds only loopback interfaces.
#
# Proves: the socket is mode 0600; reads and writes answer as the client
# expects (a new interface's number, errors as one line and exit 1);
# a malformed request, one over 8 KiB and one with a NUL byte get
# "error ..." and the connection closes; a request may end in CRLF; an
# error line quotes unprintable bytes escaped; a client that stalls or
# goes away mid-request disturbs nobody; 70 clients trickling a byte
# every half second neither keep a fresh client waiting (it takes the
# oldest one's place, which is told "error busy") nor outlive their
# deadline from accept, and service goes on after; the `ping` file
# pings; a stale socket is replaced but a live daemon's is not; SIGTERM
# exits 0.
export NONETNS=1
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

POKE=$1
need timeout stat pgrep

start_daemon
[ "$(stat -c %a "$SOCK")" = 600 ] || fail "socket mode $(stat -c %a "$SOCK")"

say "reads and writes"
[ -z "$(r ipifc)" ] || fail "interfaces at start"
[ "$(w ipifc/clone bind loopback lo0)" = 0 ] || fail "clone did not say 0"
[ "$(w ipifc/clone bind loopback lo1)" = 1 ] || fail "clone did not say 1"
w ipifc/0/ctl add 127.0.0.1/8
r ipifc/0/status | grep -q '^127.0.0.1 /8 ' || fail "no 127.0.0.1"
err=$(ipc write ipifc/7/ctl up 2>&1) && fail "write to no interface worked"
[ "$err" = "ipifc: no interface 7" ] || fail "error was '$err'"
err=$(ipc read nosuchfile 2>&1) && fail "read of no file worked"
err=$(ipc write ipifc/0/ctl capture /dev/null 2>&1) &&
    fail "capture without a device worked"
grep -q 'no device' <<<"$err" || fail "capture error was '$err'"

say "malformed requests"
out=$(printf 'bogus\n' | "$POKE" "$SOCK" send)
[[ $out == "error malformed request"* ]] || fail "bogus: '$out'"
out=$(printf 'read\n' | "$POKE" "$SOCK" send)
[[ $out == "error malformed request"* ]] || fail "read alone: '$out'"
out=$(printf 'read ipifc extra\n' | "$POKE" "$SOCK" send)
[[ $out == "error malformed request"* ]] || fail "extra word: '$out'"
out=$(head -c 9000 /dev/zero | tr '\0' a | "$POKE" "$SOCK" send)
[ "$out" = "error request too long" ] || fail "9000 bytes: '$out'"
out=$( (printf 'read '; head -c 9000 /dev/zero | tr '\0' a; echo) |
    "$POKE" "$SOCK" send)
[ "$out" = "error request too long" ] || fail "a 9000-byte line: '$out'"
out=$(printf 'read ipi\0fc\n' | "$POKE" "$SOCK" send)
[ "$out" = "error malformed request: NUL byte" ] || fail "NUL: '$out'"
out=$(printf 'read ipifc' | "$POKE" "$SOCK" send)
[ -z "$out" ] || fail "half a request was answered: '$out'"

say "CRLF line ends and escaped error lines"
out=$(printf 'read ipifc\r\n' | "$POKE" "$SOCK" send)
[ "$(head -n 1 <<<"$out")" = ok ] || fail "read ipifc CRLF: '$out'"
out=$(printf 'write ipifc/0/ctl add 127.0.0.2/8\r\n' | "$POKE" "$SOCK" send)
[ "$out" = ok ] || fail "write CRLF: '$out'"
r ipifc/0/status | grep -q '^127.0.0.2 /8 ' || fail "no 127.0.0.2"
out=$(printf 'read no\033[2J\\file\001\n' | "$POKE" "$SOCK" send)
[ "$out" = 'error no\x1b[2J\\file\x01: no such file' ] ||
    fail "unprintable bytes: '$(cat -v <<<"$out")'"

say "stalled and vanished clients disturb nobody"
printf 'read ipi' | "$POKE" "$SOCK" hold 3 >"$T/held" &
held=$!
printf 'write ipifc/0/ctl add 127.0.0' | "$POKE" "$SOCK" drop
sleep 0.2
r ipifc | grep -q '^0 ' || fail "no answer while a client stalls"
r ipifc/0/status | grep -q '^127.0.0.1 ' || fail "the dropped write applied"
wait "$held"
[ ! -s "$T/held" ] || fail "the stalled client got '$(cat "$T/held")'"

say "slow clients lock nobody out"
# 70 clients (the bound is 64) each trickle a byte every half second,
# never finishing their line: an idle timeout would never fire
pids=""
for i in $(seq 70); do
	printf 'read ipifc/0/status%040d' 0 |
	    "$POKE" "$SOCK" trickle 14 >"$T/t$i" &
	pids="$pids $!"
done
sleep 2
# a fresh client takes the place of the oldest one still sending
for i in 1 2 3; do
	timeout 3 "$IPIFC" -s "$SOCK" read ipifc >"$T/fresh" 2>&1 ||
	    fail "a fresh client among slow ones: '$(cat "$T/fresh")'"
	grep -q '^0 ' "$T/fresh" || fail "fresh read: '$(cat "$T/fresh")'"
done
# shellcheck disable=SC2086
wait $pids
# each closed by its deadline (10 s from accept) or for a newer client
open=$(cat "$T"/t* | grep -c 'still open')
[ "$open" = 0 ] || fail "$open of 70 slow clients outlived their deadline"
busy=$(cat "$T"/t* | grep -c '^error busy')
[ "$busy" -ge 7 ] || fail "only $busy of 70 slow clients gave way"
until_ok 30 ipc read ipifc || fail "no service after the crowd left"

say "the ping file"
out=$(w ping -c 2 -i 50 127.0.0.1)
echo "$out"
grep -q '2 packets transmitted, 2 received, 0% packet loss' <<<"$out" ||
    fail "ping 127.0.0.1"
err=$(ipc write ping -c 0 127.0.0.1 2>&1) && fail "ping -c 0 worked"
err=$(ipc write ping 2>&1) && fail "ping without an address worked"

say "a stale socket is replaced, a live one is not"
"$IPIFCD" -d -s "$SOCK" >"$T/second.log" 2>&1 &&
    fail "a second daemon took a live socket"
grep -q 'another ipifcd is running' "$T/second.log" ||
    fail "second daemon said '$(cat "$T/second.log")'"
[ -S "$SOCK" ] || fail "the second daemon removed the live socket"
STACK=$(stack_pid)
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null
DPID=""
# the stack process sees its parent gone and exits, leaving the socket
until_ok 50 sh -c "! kill -0 $STACK" || fail "the stack process lives on"
[ -S "$SOCK" ] || fail "no stale socket to test with"
start_daemon
# start_daemon returns at once (the stale socket is there): wait until
# the new daemon has put its own in its place
until_ok 50 ipc read ipifc || fail "the new daemon does not answer"
[ -z "$(r ipifc)" ] || fail "a new daemon with old interfaces"

stop_daemon_ok
pass
