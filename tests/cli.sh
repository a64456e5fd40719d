#!/usr/bin/env bash
# shellcheck disable=SC2016 # check() evals its second argument
# The command lines an administrator tries first: --help prints the usage
# on stdout and exits 0, -V prints the version, a bad option exits 2 with
# the usage on stderr, and scripts/deps.sh run directly installs (here:
# reports, as nothing can be installed with an empty PATH) what is missing.
#
#	cli.sh IPIFCD IPIFC VERSION DEPS_SH [PROGRAM...]
#
# PROGRAMs (slaacd, slaacctl) get the same checks of --help, -V and -Z.
set -u
ipifcd=$1 ipifc=$2 version=$3 deps=$4
shift 4
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

check()
{
	if ! eval "$2"; then
		echo "FAIL: $1" >&2
		fail=1
	fi
}

for p in "$ipifc" "$ipifcd" "$@"; do
	n=$(basename "$p")
	"$p" --help >"$t/out" 2>"$t/err"
	rc=$?
	check "$n --help exits 0 (got $rc)" '[ $rc -eq 0 ]'
	check "$n --help prints the usage on stdout" \
	    'grep -q "^usage: $n " "$t/out" && [ ! -s "$t/err" ]'
	"$p" -V >"$t/out" 2>&1
	rc=$?
	check "$n -V exits 0 (got $rc)" '[ $rc -eq 0 ]'
	check "$n -V prints \"$n $version\"" \
	    '[ "$(cat "$t/out")" = "$n $version" ]'
	"$p" -Z >"$t/out" 2>"$t/err"
	rc=$?
	check "$n -Z exits 2 (got $rc)" '[ $rc -eq 2 ]'
	check "$n -Z prints the usage on stderr only" \
	    'grep -q "^usage: $n " "$t/err" && [ ! -s "$t/out" ]'
done

# With no program on PATH every check fails and nothing can be installed.
env PATH=/nonexistent /bin/bash "$deps" >"$t/out" 2>"$t/err"
rc=$?
check "deps.sh run directly with everything missing exits 1 (got $rc)" \
    '[ $rc -eq 1 ]'
check "deps.sh run directly names what is missing" \
    'grep -q "^missing: meson ninja-build" "$t/err"'
# Sourced, it only defines ipifc_deps (.ci/run and scripts/test.sh).
out=$(env PATH=/nonexistent /bin/bash -c ". '$deps'; type -t ipifc_deps" 2>&1)
check "deps.sh sourced defines ipifc_deps and runs nothing (got $out)" \
    '[ "$out" = function ]'

[ $fail -eq 0 ] && echo "ok"
exit $fail
