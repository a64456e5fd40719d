#!/usr/bin/env bash
# Fuzz every target with clang's libFuzzer for a fixed time each.
#
#   scripts/fuzz.sh [SECONDS [TARGET...]]
#
# SECONDS per target (default 20); TARGET among wire stack slaac ctl
# ctlreq slaacd_msg slaacd_nl (default all).  Builds in a scratch
# directory with ASan and UBSan, fuzzes each target over a copy of
# fuzz/corpus/TARGET (the corpus in the tree is not changed) and stops
# at the first finding, whose input is left in the scratch directory
# and named.  With FUZZ_KEEP=DIR what a run grew is left in
# DIR/corpus_TARGET: merge it into the tree's corpus by hand with
# fuzz_TARGET -merge=1 (which keeps only inputs that add coverage).  Without clang or libFuzzer it
# says so and exits 77 (meson: skipped): the replays (suite fuzz) still
# run every corpus.
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-20}
shift || true
targets=${*:-wire stack slaac ctl ctlreq slaacd_msg slaacd_nl}

CC=${CLANG:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "SKIP: no clang: libFuzzer runs skipped"
	exit 77
fi
work=$(mktemp -d /tmp/ipifc-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
    >"$work/probe.c"
if ! "$CC" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null; then
	echo "SKIP: $CC has no libFuzzer (-fsanitize=fuzzer): runs skipped"
	exit 77
fi

flags="-std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -Iinclude -Icore
    -Iproto -Islaac -Idaemon"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# the library once, instrumented for the fuzzer; each target links it
mkdir -p "$work/obj"
for f in core/[a-z]*.c proto/[a-z]*.c slaac/[a-z]*.c daemon/ctlreq.c; do
	o=$work/obj/$(echo "$f" | tr / _).o
	# shellcheck disable=SC2086
	"$CC" $flags $san -fsanitize=fuzzer-no-link -c "$f" -o "$o" ||
	    { echo "fuzz: cannot build $f"; exit 1; }
done

rc=0
for t in $targets; do
	# slaacd's targets take their daemon files, not the stack's
	extra=""
	case $t in
	slaacd_msg) extra="daemon/slaacd_msg.c daemon/slaacd_log.c" ;;
	slaacd_nl) extra="daemon/slaacd_nl.c -lmnl" ;;
	esac
	# shellcheck disable=SC2086
	if ! "$CC" $flags $san -fsanitize=fuzzer "fuzz/fuzz_$t.c" $extra \
	    "$work"/obj/*.o -o "$work/fuzz_$t"; then
		echo "fuzz: cannot build fuzz_$t"
		exit 1
	fi
	mkdir -p "$work/corpus_$t" "$work/art_$t"
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	# shellcheck disable=SC2086
	if "$work/fuzz_$t" -max_total_time="$secs" -max_len=4096 -timeout=25 \
	    -print_final_stats=1 $dict -artifact_prefix="$work/art_$t/" \
	    "$work/corpus_$t" "fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
		echo "fuzz_$t: $secs s, $(grep -o 'stat::number_of_executed_units: [0-9]*' \
		    "$work/$t.log" | grep -o '[0-9]*$') runs, no finding"
	else
		echo "fuzz_$t: FINDING"
		tail -n 60 "$work/$t.log"
		ls "$work/art_$t"
		trap - EXIT	# keep the input for whoever reads this
		echo "fuzz: inputs kept in $work/art_$t"
		rc=1
	fi
	if [ -n "${FUZZ_KEEP:-}" ]; then
		mkdir -p "$FUZZ_KEEP" &&
		    rm -rf "$FUZZ_KEEP/corpus_$t" &&
		    cp -r "$work/corpus_$t" "$FUZZ_KEEP/corpus_$t" &&
		    cp "$work/fuzz_$t" "$work/$t.log" "$FUZZ_KEEP/"
	fi
done
exit $rc
