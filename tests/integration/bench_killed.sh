#!/usr/bin/env bash
# bench/run.sh cleans up after a benchmark its timeout killed: a stand-in
# bench_churn makes its namespace (ipifc-churn-PID, as bench_churn does),
# starts a process in it out of the timeout's reach (its own session),
# and ignores SIGTERM, so only the timeout's KILL ends it and nothing of
# its own cleanup runs.  After run.sh: the namespace and the process in
# it are gone, and so is its file of ip -batch lines
# (/tmp/ipifc-churn-PID-add-XXXXXX), the output says so, and a namespace
# and a file named after a process still running (the test's) are left
# alone.
#
#	bench_killed.sh IPIFCD IPIFC RUN_SH
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
RUN_SH=$1

need timeout setsid sleep
B=$T/build
mkdir -p "$B"
printf '#!/bin/sh\nexit 0\n' >"$B/ipifcd"
cat >"$B/bench_churn" <<'FAKE'
#!/usr/bin/env bash
ip netns add "ipifc-churn-$$" || exit 1
ip netns add "ipifc-churn-$KEEPPID" || exit 1
echo "$$" >"$FAKEDIR/pid"
mktemp "/tmp/ipifc-churn-$$-add-XXXXXX" >"$FAKEDIR/batch" || exit 1
setsid ip netns exec "ipifc-churn-$$" sleep 300 </dev/null >/dev/null 2>&1 &
echo "$!" >"$FAKEDIR/inner"
trap '' TERM
echo "churning"
for _ in $(seq 300); do sleep 1; done
FAKE
chmod +x "$B/ipifcd" "$B/bench_churn"

say "run.sh with a bench_churn killed by its timeout"
# a running process's batch file (the test's), which must stay
keep=$(mktemp "/tmp/ipifc-churn-$$-del-XXXXXX") || fail "mktemp"
NSLIST="$NSLIST ipifc-churn-$$"		# lib.sh removes it at the end
OUT=$T/out ONLY=churn TIMEOUT=1 KEEPPID=$$ FAKEDIR=$T \
    timeout 60 bash "$RUN_SH" "$B" >"$T/run.log" 2>&1
rc=$?
cat "$T/run.log"
[ -s "$T/pid" ] || fail "the stand-in did not run"
pid=$(cat "$T/pid")
inner=$(cat "$T/inner")
NSLIST="$NSLIST ipifc-churn-$pid"	# removed at the end if a failure left it
[ "$rc" -eq 0 ] || fail "run.sh exits $rc"
rc=$(awk '$1 == "churn" { print $2 }' "$T/out/runinfo")
[ "$rc" -eq 137 ] || [ "$rc" -eq 124 ] || fail "churn exit $rc, not the timeout's"
# gone, or a zombie for a moment
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -qs '^[^)]*) [^ZX]' "/proc/$pid/stat" || break
	sleep 0.2
done
grep -qs '^[^)]*) [^ZX]' "/proc/$pid/stat" && fail "the stand-in still runs"
ip netns list | grep -qw "ipifc-churn-$pid" &&
    fail "namespace ipifc-churn-$pid left behind"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 "$inner" 2>/dev/null || break
	sleep 0.2
done
kill -0 "$inner" 2>/dev/null &&
    { kill -KILL "$inner"; fail "the process in the namespace still runs"; }
grep -q "removed namespace ipifc-churn-$pid" "$T/run.log" ||
    fail "run.sh did not say what it removed"
grep -q "left namespace ipifc-churn-$pid: removed" "$T/out/churn.out" ||
    fail "churn.out does not say what was removed"
ip netns list | grep -qw "ipifc-churn-$$" ||
    fail "the namespace of a running process was removed"
batch=$(cat "$T/batch")
case $batch in /tmp/ipifc-churn-"$pid"-add-*) ;;
*) fail "the stand-in's batch file is \"$batch\"" ;; esac
[ -e "$batch" ] && fail "batch file $batch left behind"
grep -q "removed $batch" "$T/run.log" ||
    fail "run.sh did not say it removed $batch"
[ -e "$keep" ] || fail "the batch file of a running process was removed"
rm -f "$keep"
echo "ok"
