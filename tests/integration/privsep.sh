#!/usr/bin/env bash
# ipifcd's privilege separation (daemon/priv.c): a root parent that only
# opens devices and capture files, and a stack process that holds the
# namespace, the control socket and every packet.
#
# Proves: the stack process runs as a user that is not root, with no
# capability, no_new_privs and a seccomp filter, chrooted to the empty
# directory, with only sockets, pipes, its event loop and the TAP device
# the parent passed it open; the parent keeps only CAP_NET_ADMIN,
# CAP_NET_RAW and CAP_KILL (and CAP_IPC_LOCK and CAP_BPF with xdp:)
# and no copy of the device; `capture` makes only
# new files of the capture directory: /etc/passwd, ../x, a file that
# exists and a link there are refused and left as they were; a capture
# directory that is a link is refused at start, a missing one is made
# 0700, an unknown -u USER stops the start; the stack process refuses
# a device name that is no interface name itself, and lives on; a sort
# of over 1 KiB (ipselftab of 60 addresses) runs under its filter.
#
# With the tests' build (ipifcd_testhook, the third argument), whose
# stack process sends the parent raw requests (`capture testhook:HEX`):
# a malformed request (an unknown type, a zero or wrong length, a frame
# shorter than its header, a NUL, a path outside the capture directory,
# a device name with '/' or too long, a descriptor attached) is logged
# once by the parent and ends the daemon: both processes gone, status 1,
# the TAP device removed; an empty datagram too (the parent takes it for
# the end).  A malformed answer of the parent (3 bytes), or one nobody
# asked for, is logged once by the stack process and ends the daemon the
# same way.  The parent killed (SIGKILL): the stack process logs it and
# exits, the TAP device goes.  The stack process killed: the parent
# logs it, removes the socket and exits 1.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need pgrep timeout
TESTHOOK=${1:-}

D=${P}d TAP=${P}t0
netns "$D"
start_daemon "$D"
[ "$(w ipifc/clone bind ether "tap:$TAP")" = 0 ] || fail "bind tap"
ip -n "$D" link show "$TAP" >/dev/null || fail "no TAP device $TAP"

STACK=$(pgrep -P "$DPID")
[ -n "$STACK" ] && [ "$(wc -w <<<"$STACK")" = 1 ] ||
    fail "not one stack process under $DPID: '$STACK'"
say "parent $DPID, stack process $STACK"

say "the stack process: unprivileged, filtered, chrooted"
st=/proc/$STACK/status
grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]*|NoNewPrivs|Seccomp):' "$st"
awk '$1 == "Uid:" || $1 == "Gid:" { for (i = 2; i <= 5; i++)
    if ($i == 0) exit 1 }' "$st" || fail "a uid or gid of the stack is 0"
grep -Eq '^Groups:[[:space:]]+[1-9][0-9]*[[:space:]]*$' "$st" ||
    fail "supplementary groups: $(grep '^Groups:' "$st")"
for c in CapInh CapPrm CapEff CapAmb; do
	grep -Eq "^$c:[[:space:]]+0+$" "$st" || fail "$c is not 0"
done
grep -Eq '^NoNewPrivs:[[:space:]]+1$' "$st" || fail "no no_new_privs"
grep -Eq '^Seccomp:[[:space:]]+2$' "$st" || fail "no seccomp filter"
root=$(readlink "/proc/$STACK/root")
[ "$root" = /var/lib/ipifc/empty ] || fail "stack root is '$root'"
[ -z "$(ls -A /var/lib/ipifc/empty)" ] || fail "the chroot is not empty"
[ "$(readlink "/proc/$STACK/cwd")" = /var/lib/ipifc/empty ] ||
    fail "stack cwd is $(readlink "/proc/$STACK/cwd")"

say "a sort of over 1 KiB under the filter (glibc's qsort asks sysinfo)"
# 60 addresses: ipselftab sorts over 128 entries (it killed the stack
# process with SIGSYS, as thc-ipv6's flood_router26 did in host mode)
for i in $(seq 60); do
	w ipifc/0/ctl add "10.60.$i.1/24"
done
n=$(r ipselftab | wc -l)
[ "$n" -gt 128 ] || fail "ipselftab has $n lines, not over 128"
kill -0 "$STACK" || fail "the stack process died of a sort"
for i in $(seq 60); do
	w ipifc/0/ctl remove "10.60.$i.1" /24
done

say "the stack process's descriptors"
ntun=0
for f in /proc/"$STACK"/fd/*; do
	n=${f##*/}
	l=$(readlink "$f")
	echo "$n -> $l"
	[ "$n" -le 2 ] && continue
	case $l in
	socket:* | pipe:* | anon_inode:*) ;;
	/dev/net/tun) ntun=$((ntun + 1)) ;;
	*) fail "the stack process holds $l" ;;
	esac
done
[ "$ntun" = 1 ] || fail "$ntun TUN/TAP descriptors in the stack, not 1"

say "the parent: three capabilities, no device"
pst=/proc/$DPID/status
grep -E '^(Uid|Cap[A-Za-z]*):' "$pst"
# CAP_KILL 5, CAP_NET_ADMIN 12, CAP_NET_RAW 13; with xdp: built in
# (libxdp), CAP_IPC_LOCK 14 and CAP_BPF 39 too
eff=0+3020
! ldd "$IPIFCD" | grep -q libxdp || eff=0+8000007020
grep -Eq "^CapEff:[[:space:]]+$eff\$" "$pst" ||
    fail "parent CapEff $(grep '^CapEff:' "$pst")"
for f in /proc/"$DPID"/fd/*; do
	l=$(readlink "$f")
	[ "$l" != /dev/net/tun ] || fail "the parent kept the TAP device"
done

say "captures: new files of the capture directory only"
cp /etc/passwd "$T/passwd.before"
# another user of this machine's /tmp may hold an x of its own
x0=$([ -e "${T%/*}/x" ] && echo there)
for f in /etc/passwd ../x "$T/../x" /proc/self/mem . .. "" "sub/x" \
    "$T/sub/x"; do
	err=$(ipc write ipifc/0/ctl capture "$f" 2>&1) &&
	    fail "capture '$f' worked"
	echo "capture '$f': $err"
done
cmp -s /etc/passwd "$T/passwd.before" || fail "/etc/passwd changed"
[ -n "$x0" ] || [ ! -e "${T%/*}/x" ] || fail "capture ../x made ${T%/*}/x"
echo keep >"$T/exists"
err=$(ipc write ipifc/0/ctl capture exists 2>&1) &&
    fail "capture over an existing file worked"
grep -q 'File exists' <<<"$err" || fail "existing file: '$err'"
[ "$(cat "$T/exists")" = keep ] || fail "the existing file was written"
err=$(ipc write ipifc/0/ctl capture "$T/exists" 2>&1) &&
    fail "capture over an existing file (full path) worked"
ln -s "$T/target" "$T/link"
err=$(ipc write ipifc/0/ctl capture link 2>&1) &&
    fail "capture through a link worked"
[ ! -e "$T/target" ] || fail "capture followed the link"
w ipifc/0/ctl capture new.pcap
[ -f "$T/new.pcap" ] || fail "capture new.pcap made nothing"
[ "$(stat -c '%a %u' "$T/new.pcap")" = "640 0" ] ||
    fail "new.pcap is $(stat -c '%a %u' "$T/new.pcap")"
w ipifc/0/ctl capture "$T/new2.pcap"
w ipifc/0/ctl capture off
[ "$(head -c 4 "$T/new2.pcap" | od -An -tx1 | tr -d ' ')" = d4c3b2a1 ] ||
    fail "new2.pcap has no pcap header"
# refused by the stack process before it asks: the parent never sees it
grep -q 'capture /etc/passwd: refused: not a file name in the capture' \
    "$T/ipifcd.log" || fail "the refusal was not logged"
grep -q 'malformed' "$T/ipifcd.log" && fail "a malformed request was sent"

say "device names that are no interface names are refused, the daemon lives"
for dev in tap:a/b tap:0123456789abcdef tap: "tap:a b" tun:.. packet:a:b; do
	err=$(ipc write ipifc/clone bind ether "$dev" 2>&1) &&
	    fail "bind ether '$dev' worked"
	echo "bind ether '$dev': $err"
done
kill -0 "$DPID" || fail "the daemon died of a bad device name"
[ "$(w ipifc/clone bind ether "tap:${P}t1")" = 1 ] || fail "bind after"
w ipifc/1/ctl unbind

say "the capture directory and the user at start"
ln -s "$T" "$T/caplink"
timeout 10 "$IPIFCD" -d -s "$T/ctl2" -k "$T/secret" -c "$T/caplink" \
    >"$T/second.log" 2>&1 && fail "a capture directory that is a link worked"
grep -q 'capture directory' "$T/second.log" ||
    fail "link capture dir: $(cat "$T/second.log")"
timeout 10 "$IPIFCD" -d -s "$T/ctl2" -k "$T/secret" -c "$T/capx" \
    -u no-such-user-$$ >"$T/second.log" 2>&1 && fail "-u no-such-user worked"
grep -q 'no user' "$T/second.log" || fail "-u: $(cat "$T/second.log")"
ip netns exec "$D" "$IPIFCD" -d -s "$T/ctl2" -k "$T/secret" -c "$T/capx" \
    >"$T/second.log" 2>&1 &
PID2=$!
until_ok 50 test -S "$T/ctl2" || fail "second daemon did not start"
[ "$(stat -c %a "$T/capx")" = 700 ] ||
    fail "capture directory made $(stat -c %a "$T/capx")"
kill -TERM "$PID2"
wait "$PID2" || fail "second daemon exited $?"
[ ! -e "$T/ctl2" ] || fail "the second daemon left its socket"

stop_daemon_ok
! ip -n "$D" link show "$TAP" >/dev/null 2>&1 ||
    fail "the TAP device is still there"

[ -n "$TESTHOOK" ] || { say "no test build: end-to-end cases skipped"; pass; }

# hook_start N: the test build in $D, socket $T/hctlN, a TAP device bound;
# sets HPID (the parent) and HSTACK (the stack process).
hook_start()
{
	HSOCK=$T/hctl$1
	: >"$T/hook.log"
	ip netns exec "$D" "$TESTHOOK" -d -s "$HSOCK" -k "$T/secret" -c "$T" \
	    >>"$T/hook.log" 2>&1 &
	HPID=$!
	HSTACK=""
	until_ok 50 test -S "$HSOCK" || hook_fail "the test build did not start"
	HSTACK=$(pgrep -P "$HPID")
	[ -n "$HSTACK" ] || hook_fail "test build: no stack process"
	[ "$(timeout 30 "$IPIFC" -s "$HSOCK" write ipifc/clone bind ether \
	    "tap:$TAP")" = 0 ] || hook_fail "test build: bind tap"
}

# hook_fail MSG: kill what the test build left, then fail.
hook_fail()
{
	kill -KILL "$HPID" "$HSTACK" 2>/dev/null
	fail "$@"
}

# hook_gone WHAT: the parent ends within 5 s with status 1, the stack
# process is gone, the TAP device too.
hook_gone()
{
	local rc

	for _ in $(seq 50); do
		kill -0 "$HPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$HPID" 2>/dev/null && hook_fail "$1: the daemon lives on"
	wait "$HPID"
	rc=$?
	[ "$rc" = 1 ] || fail "$1: the daemon exited $rc, not 1"
	until_ok 50 sh -c "! kill -0 $HSTACK" ||
	    hook_fail "$1: the stack process lives on"
	until_ok 50 sh -c "! ip -n $D link show $TAP" ||
	    fail "$1: the TAP device is still there"
}

# hex STRING: its bytes in hex; le32 N: N as four bytes, little-endian
# (the header is in host order: CI runs on little-endian hosts).
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# req TYPE ARG: a well-formed frame of TYPE (1 open, 2 carrier, 3 capture)
req() { echo "$(le32 "$1")$(le32 ${#2})$(hex "$2")"; }

say "malformed requests from a running stack process end the daemon"
n=0
while IFS='|' read -r what frame why; do
	n=$((n + 1))
	hook_start "$n"
	timeout 30 "$IPIFC" -s "$HSOCK" write ipifc/0/ctl \
	    capture "testhook:$frame" >/dev/null 2>&1 &&
	    hook_fail "$what: the write worked"
	hook_gone "$what"
	grep -q "test hook: .* to the privileged parent" "$T/hook.log" ||
	    fail "$what: the hook did not run"
	grep -q "test hook: the parent answered" "$T/hook.log" &&
	    fail "$what: the parent answered"
	c=$(grep -cF "privileged: malformed message from the stack process ($why): exiting" "$T/hook.log")
	[ "$c" = 1 ] || { cat "$T/hook.log"; fail "$what: $c lines for '$why'"; }
	echo "$what: $(grep 'malformed message' "$T/hook.log")"
done <<EOF
unknown type|$(le32 9)$(le32 4)$(hex tap:)|unknown type
zero length|$(le32 1)$(le32 0)|argument length out of bounds
length over the bound|$(le32 1)$(le32 1025)$(hex tap:x)|argument length out of bounds
length not the datagram's|$(le32 1)$(le32 8)$(hex tap:x)|length does not match the datagram
a partial header|$(le32 1 | cut -c1-6)|shorter than its header
a NUL|$(le32 1)$(le32 5)$(hex tap:)00|NUL in the argument
a path outside the capture directory|$(req 3 /etc/passwd)|not a file name in the capture directory
a capture of ..|$(req 3 ..)|not a file name in the capture directory
a device name with /|$(req 1 tap:a/b)|not KIND:NAME with NAME an interface name
a device name too long|$(req 1 tap:0123456789abcdef)|not KIND:NAME with NAME an interface name
an interface name too long|$(req 2 veth0123456789abc)|not an interface name
a descriptor|fd:$(req 2 lo)|a descriptor or a truncated datagram
EOF

say "an empty datagram: the parent takes it for the end, the stack ends"
hook_start e
timeout 30 "$IPIFC" -s "$HSOCK" write ipifc/0/ctl capture testhook: \
    >/dev/null 2>&1 && fail "empty datagram: the write worked"
hook_gone "empty datagram"
grep -q "privileged parent: gone: exiting" "$T/hook.log" ||
    fail "empty datagram: the stack process did not say why"

say "malformed answers from the parent end the daemon"
for what in short:"malformed answer" unasked:"a message nobody asked for"; do
	hook_start "${what%%:*}"
	timeout 30 "$IPIFC" -s "$HSOCK" write ipifc/0/ctl \
	    capture "testhook-${what%%:*}" >/dev/null 2>&1
	hook_gone "answer ${what%%:*}"
	grep -q "test hook: answering ${what%%:*}" "$T/hook.log" ||
	    fail "answer ${what%%:*}: the hook did not run"
	c=$(grep -c "privileged parent: ${what#*:}: exiting" "$T/hook.log")
	[ "$c" = 1 ] || { cat "$T/hook.log"; fail "answer ${what%%:*}: $c lines"; }
	echo "answer ${what%%:*}: $(grep 'privileged parent: ' "$T/hook.log")"
done

say "the parent killed: the stack process says so and exits"
hook_start k
kill -KILL "$HPID"
wait "$HPID" 2>/dev/null
until_ok 50 sh -c "! kill -0 $HSTACK" ||
    hook_fail "parent killed: the stack process lives on"
until_ok 50 sh -c "! ip -n $D link show $TAP" ||
    fail "parent killed: the TAP device is still there"
c=$(grep -c "privileged parent: gone: exiting" "$T/hook.log")
[ "$c" = 1 ] || { cat "$T/hook.log"; fail "parent killed: $c log lines"; }
echo "parent killed: $(grep 'privileged parent: gone' "$T/hook.log")"

say "the stack process killed: the parent says so, cleans up, exits 1"
hook_start s
kill -KILL "$HSTACK"
hook_gone "stack killed"
grep -q "stack process killed by signal 9" "$T/hook.log" ||
    fail "stack killed: the parent did not say so"
[ ! -e "$HSOCK" ] || fail "stack killed: the socket was left"
echo "stack killed: $(grep 'stack process killed' "$T/hook.log")"
pass
