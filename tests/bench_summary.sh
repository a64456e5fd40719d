#!/usr/bin/env bash
# bench/run.sh's summary table, without running a benchmark: the table
# made from each recorded run under DATA (DATA/NAME/*.out, the outputs of
# a run) must equal DATA/NAME.summary byte for byte.  A change of a
# benchmark's output that the parser no longer reads shows there as
# "no figure" when its sample is recorded again.  Then the benchmark
# programs given (bench_slaac_ra always; bench_echo and bench_churn in a
# -Dbench=true build) run at a tiny size, and their rows in the table
# must have figures: their output as it is now is still read.  Last,
# `bash -n` on bench/*.sh and shellcheck on bench/run.sh if present.
#
#	bench_summary.sh RUN_SH DATA [NAME PROGRAM]...
set -u
run=$1 data=$2
shift 2
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

for d in "$data"/*/; do
	n=$(basename "$d")
	bash "$run" --summary "$d" >"$t/$n" 2>&1
	if ! cmp -s "$t/$n" "$data/$n.summary"; then
		echo "FAIL: the summary of $n differs from $n.summary:" >&2
		diff -u "$data/$n.summary" "$t/$n" >&2
		fail=1
	fi
done

# live NAME ROWS: the rows of NAME in the table of $t/live must all have
# a figure for ipifc
live()
{
	local name=$1 want=$2 got

	bash "$run" --summary "$t/live" >"$t/live.summary" 2>&1
	got=$(awk -v b="$name" '$1 == b && $4 != "-"' "$t/live.summary" | wc -l)
	if [ "$got" -lt "$want" ]; then
		echo "FAIL: $name: $got rows with figures, want $want:" >&2
		cat "$t/live/$name.out" "$t/live.summary" >&2
		fail=1
	fi
}

mkdir "$t/live"
while [ $# -ge 2 ]; do
	name=$1 prog=$2
	shift 2
	rm -f "$t/live"/*.out
	case $name in
	slaac_ra) "$prog" 20000 >"$t/live/slaac_ra.out" 2>&1 ;;
	echo)	"$prog" 2000 echo >"$t/live/echo.out" 2>&1 ;;
	# -l 0: no Linux side (no namespace needed)
	churn)	"$prog" -r 1 -l 0 100 200 >"$t/live/churn.out" 2>&1 ;;
	*)	echo "FAIL: no live check for $name" >&2; fail=1; continue ;;
	esac
	rc=$?
	[ "$rc" -eq 0 ] || { echo "FAIL: $prog exits $rc" >&2; fail=1; }
	case $name in
	slaac_ra) live slaac_ra 1 ;;
	echo)	live echo 5 ;;		# the 4 echo rows and the allocations
	churn)	live churn 3 ;;		# time and ns/op of both families
	esac
done

for s in "$(dirname "$run")"/*.sh; do
	bash -n "$s" || { echo "FAIL: bash -n $s" >&2; fail=1; }
done
if command -v shellcheck >/dev/null 2>&1; then
	shellcheck "$run" || { echo "FAIL: shellcheck $run" >&2; fail=1; }
fi
exit "$fail"
