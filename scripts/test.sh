#!/usr/bin/env bash
# Build with AddressSanitizer and UBSan, run every test (unit and
# scenario), and close with one line: "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ipifc_deps

build=${IPIFC_TESTDIR:-build-test}
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if [ -f "$build/meson-private/coredata.dat" ]; then
	meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false \
	    --wipe
else
	rm -rf "$build"
	meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false
fi
if ! meson compile -C "$build"; then
	echo "build failed" >&2
	exit 1
fi

rm -f "$build/meson-logs/testlog.json"
rc=0
meson test -C "$build" --print-errorlogs || rc=$?

log=$build/meson-logs/testlog.json
pass=0 fail=0 skip=0
if [ -f "$log" ]; then
	if command -v python3 >/dev/null 2>&1; then
		read -r pass fail skip < <(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        s += 1
    else:
        f += 1
print(p, f, s)
PY
)
	else
		res=$(grep -o '"result": *"[A-Z]*"' "$log" | sed 's/.*"\([A-Z]*\)"$/\1/' || true)
		pass=$(printf '%s\n' "$res" | grep -cxE 'OK|EXPECTEDFAIL' || true)
		skip=$(printf '%s\n' "$res" | grep -cx 'SKIP' || true)
		fail=$(printf '%s\n' "$res" | grep -cvxE 'OK|EXPECTEDFAIL|SKIP|' || true)
	fi
fi

# meson failing with no failed test counted (a crash, a bad setup) is a failure too.
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
line="$pass passed, $fail failed"
if [ "$skip" -gt 0 ]; then
	line="$line, $skip skipped"
fi
echo "$line"

if [ "$fail" -ne 0 ]; then
	exit 1
fi
if [ "$pass" -eq 0 ]; then
	echo "no test ran" >&2
	exit 1
fi
exit 0
