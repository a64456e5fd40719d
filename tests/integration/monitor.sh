#!/usr/bin/env bash
# ipifc monitor (bash monitor.sh IPIFCD IPIFC): no namespaces; the daemon
# binds only loopback interfaces, whose events are the same every run.
#
# Proves: two monitors at once print the events of ctl writes, the same
# lines in both, and the same lines the runner's `monitor on` prints for
# those writes (without its "event h0: "); one monitor past the bound
# (-m 2) is refused with one line and status 1; reads and writes are
# served while monitors run; a monitor that ends frees its place at
# once; a monitor whose client is stopped (SIGSTOP) while some 180000
# events happen gets one "lost N" line after SIGCONT, and N and the
# lines it got add up to what a monitor that kept reading got, while
# the stack process's memory stays bounded; SIGINT ends `ipifc
# monitor` with status 0; SIGTERM ends the daemon with status 0.
export NONETNS=1
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need timeout python3 pgrep

# start_mon NAME: `ipifc monitor` in the background, its output in
# $T/NAME, its PID in MON_NAME.
start_mon()
{
	"$IPIFC" -s "$SOCK" monitor >"$T/$1" 2>"$T/$1.err" &
	eval "MON_$1=$!"
}

# refused: one more monitor is refused (every place is taken).
refused()
{
	local err

	err=$(timeout 2 "$IPIFC" -s "$SOCK" monitor 2>&1 >/dev/null)
	[ $? -eq 1 ] && [ "$err" = "ipifc: too many monitors (max 2)" ]
}

# seen FILE LINE: LINE is in FILE, waiting at most 10 s.
seen()
{
	until_ok 100 grep -qxF "$2" "$T/$1" ||
	    fail "$1 never printed '$2': $(tail -n 3 "$T/$1")"
}

# stop_mon NAME: SIGINT, and it must exit 0.
stop_mon()
{
	local pid

	eval "pid=\$MON_$1"
	kill -INT "$pid"
	wait "$pid" || fail "ipifc monitor $1 exited $? on SIGINT"
}

# mons_in NAME...: wait until these monitors are in, that is until each has
# printed an event (of mtu writes on interface 0); at most 10 s.
mons_in()
{
	local i m ok

	for i in $(seq 100); do
		w ipifc/0/ctl mtu $((9000 + i))
		ok=1
		for m in "$@"; do
			[ -s "$T/$m" ] || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	fail "monitors $* never printed an event"
}

# The stack process's resident set, kB.
rss()
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$STACK/status"
}

# flood N ROUNDS [-]: ROUNDS times, N address adds on interface 1, then
# their removals, each one request on a connection of its own, from one
# process; with -, the runner's lines for them on stdout instead.
flood()
{
	python3 - "${3:-$SOCK}" "$1" "$2" <<'EOF'
import socket, sys

path, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def req(line):
    if path == "-":
        print(line)
        return
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(line.encode() + b"\n")
    s.shutdown(socket.SHUT_WR)
    ans = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        ans += d
    s.close()
    if not ans.startswith(b"ok\n"):
        sys.exit("%s: %r" % (line, ans))

addrs = ["10.%d.%d.1" % (1 + i // 250, i % 250) for i in range(n)]
for _ in range(rounds):
    for a in addrs:
        req("write ipifc/1/ctl add %s /24" % a)
    for a in addrs:
        req("write ipifc/1/ctl remove %s /24" % a)
EOF
}

DARGS="-m 2"
# under AddressSanitizer, freed memory waits in a quarantine of 256 MB
# before reuse: a small one, so that the resident set measures
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
start_daemon
STACK=$(stack_pid)

say "two monitors see the same events, as the runner prints them"
w ipifc/clone bind loopback lo0 >/dev/null
start_mon m1
start_mon m2
mons_in m1 m2
refused || fail "a third monitor was not refused"
# from a mark on, the events of these writes
writes=(
	"ipifc/0/ctl mtu 1500"
	"ipifc/0/ctl add 127.0.0.1/8"
	"ipifc/0/ctl add ::1/128"
	"ipifc/0/ctl down"
	"ipifc/0/ctl up"
	"ipifc/0/ctl mtu 1400"
)
for x in "${writes[@]}"; do
	# shellcheck disable=SC2086 # the words of the write
	w $x
	echo "write $x"
done >"$T/sim"
r ipifc | grep -q '^0 lo0 loopback up' || fail "no read while monitors run"
seen m1 "ifc 0 mtu 1400"
seen m2 "ifc 0 mtu 1400"
sed -n '/^ifc 0 mtu 1500$/,$p' "$T/m1" >"$T/m1.mark"
sed -n '/^ifc 0 mtu 1500$/,$p' "$T/m2" >"$T/m2.mark"
cmp "$T/m1.mark" "$T/m2.mark" || fail "the two monitors differ"
{ echo "write ipifc/clone bind loopback lo0"; echo "monitor on";
    cat "$T/sim"; } |
    "$IPIFC" sim | sed -n 's/^event h0: //p' >"$T/sim.out"
diff "$T/sim.out" "$T/m1.mark" ||
    fail "the monitor's lines are not the runner's"
for l in "addr new 127.0.0.1 /8 ifc 0" "addr new ::1 /128 ifc 0" \
    "route add 127.0.0.1 /32 0.0.0.0 /0 - 4u ifc 0" "ifc 0 down" \
    "ifc 0 up"; do
	grep -qxF "$l" "$T/m1.mark" || fail "no '$l'"
done

say "a monitor that ends frees its place at once"
refused || fail "a third monitor was let in"
stop_mon m2
start_mon m3
mons_in m3
refused || fail "m3 took no place"
w ipifc/clone bind loopback lo1 >/dev/null
seen m3 "ifc 1 attach"
seen m1 "ifc 1 attach"

say "a stopped monitor loses events, counted, and the memory stays bounded"
# the flood once with both monitors reading: the daemon's allocations
# reach their steady size before the one measured
flood 3000 1 || fail "the first flood failed"
# a mark, again until m1 prints it: behind, it may have lost the first
for _ in $(seq 50); do
	w ipifc/0/ctl mtu 1301
	w ipifc/0/ctl mtu 1300
	until_ok 5 grep -qxF "ifc 0 mtu 1300" "$T/m1" && break
done
seen m1 "ifc 0 mtu 1300"
before=$(rss)
kill -STOP "$MON_m1"
flood 3000 6 || fail "the flood failed"
after=$(rss)
echo "stack process RSS: $before kB before the flood, $after kB after"
kill -CONT "$MON_m1"
# told at once, when it has taken what was buffered
until_ok 100 grep -q '^lost ' "$T/m1" || fail "no lost line after SIGCONT"
w ipifc/0/ctl mtu 1290
seen m1 "ifc 0 mtu 1290"
# what m1 printed between the last mark and the end: the flood's
# events, as many as the runner prints for its writes
awk '$0 == "ifc 0 mtu 1300" { n = NR } { l[NR] = $0 }
    $0 == "ifc 0 mtu 1290" { for (i = n + 1; i < NR; i++) print l[i] }' \
    "$T/m1" >"$T/m1.flood"
nlost=$(grep -c '^lost ' "$T/m1.flood")
[ "$nlost" = 1 ] || fail "$nlost lost lines, not 1"
lost=$(awk '$1 == "lost" { print $2 }' "$T/m1.flood")
got=$(grep -vc '^lost ' "$T/m1.flood")
all=$({ printf 'write ipifc/clone bind loopback %s\n' lo0 lo1;
    echo "monitor on"; flood 3000 6 -; } | "$IPIFC" sim | grep -c '^event ')
echo "the stopped monitor got $got lines and lost $lost of $all"
[ "$all" -gt 150000 ] || fail "only $all events in the flood"
[ "$lost" -gt 140000 ] || fail "only $lost lost"
[ $((got + lost)) = "$all" ] || fail "$got got + $lost lost is not $all"
# what the stopped monitor's client did not take is held in 64 KiB at
# most, not all the flood's lines (some 60 bytes each, 10 MB): the
# memory the first flood left free could take 5 MB of them, and the
# sanitizers' allocator moves by up to 3 MB; under half
[ $((after - before)) -lt $((all * 60 / 1024 / 2)) ] ||
    fail "RSS grew $((after - before)) kB in a flood of $all events"

say "SIGINT ends ipifc monitor with status 0"
stop_mon m1
stop_mon m3
[ ! -s "$T/m1.err" ] || fail "m1 said '$(cat "$T/m1.err")'"

stop_daemon_ok
pass
