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
# 0700, an unknown -u USER stops the start.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need pgrep timeout

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
for f in /etc/passwd ../x "$T/../x" /proc/self/mem . .. "" "sub/x" \
    "$T/sub/x"; do
	err=$(ipc write ipifc/0/ctl capture "$f" 2>&1) &&
	    fail "capture '$f' worked"
	echo "capture '$f': $err"
done
cmp -s /etc/passwd "$T/passwd.before" || fail "/etc/passwd changed"
[ ! -e "${T%/*}/x" ] || fail "capture ../x made ${T%/*}/x"
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
grep -q 'privileged: capture /etc/passwd' "$T/ipifcd.log" ||
    fail "the parent did not log the refusal"

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
pass
