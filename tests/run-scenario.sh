#!/bin/sh
# run-scenario.sh IPIFC SCRIPT EXPECTED: run the scenario, compare byte for byte.
# Set UPDATE=1 to rewrite EXPECTED from the actual output.
set -u
tool=$1 script=$2 expected=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$tool" sim "$script" >"$out" 2>&1
rc=$?
if [ "${UPDATE:-0}" = 1 ]; then cp "$out" "$expected"; fi
if [ ! -f "$expected" ]; then
	cat "$out"
	echo "scenario $script: no expected output $expected (UPDATE=1 writes it)"
	exit 1
fi
if ! diff -u "$expected" "$out"; then
	echo "scenario $script: output differs (exit $rc)"
	exit 1
fi
[ $rc -eq 0 ] || { echo "scenario $script: exit $rc"; exit 1; }
exit 0
