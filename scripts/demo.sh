#!/usr/bin/env bash
# Build ipifc (no sanitizers) and run the demo scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ipifc_deps

if [ ! -f build/meson-private/coredata.dat ]; then
	rm -rf build
	meson setup build
fi
meson compile -C build
exec build/ipifc sim demo/demo.sim
