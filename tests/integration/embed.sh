#!/usr/bin/env bash
# The embedding example (bash embed.sh IPIFCD IPIFC BUILDDIR SANITIZE
# EXAMPLE_C): the project installed into a temporary DESTDIR (`meson
# install --destdir`), examples/tap_echo.c compiled with cc against the
# installed header, library and ipifc.pc (pkg-config, with the DESTDIR as
# its sysroot) and run in a namespace on a TAP device.
#
# Proves: the installed pkg-config file builds a program of the public
# API; that program, a stack in a libevent loop over a TAP device, is
# pinged by Linux on IPv4, on its global IPv6 address and on its
# link-local address; it exits 0 on SIGTERM (no leak under the
# sanitizers).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

BUILD=$1 SRC=$3
# "address,undefined", or as a newer Meson prints its list
SANITIZE=$(tr -d "[]' " <<<"$2")
need ping timeout pkg-config cc meson

D=$T/dest
say "meson install into $D"
meson install -C "$BUILD" --no-rebuild --destdir "$D" --quiet \
    >"$T/install.log" 2>&1 || fail "meson install: $(tail -n 5 "$T/install.log")"
pc=$(find "$D" -name ipifc.pc | head -n 1)
[ -n "$pc" ] || fail "no ipifc.pc installed"
[ -f "$D$(pkg-config --variable=includedir "$pc")/ipifc.h" ] ||
    fail "no ipifc.h where ipifc.pc says"

say "cc against the installed ipifc.pc"
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$D \
    pkg-config --cflags --libs ipifc) || fail "pkg-config ipifc"
echo "pkg-config --cflags --libs ipifc: $flags"
[[ $flags == *"-I$D/"* && $flags == *"-L$D/"* ]] ||
    fail "the flags do not point into the DESTDIR"
san=""
[ "$SANITIZE" != none ] && san="-fsanitize=$SANITIZE"
# shellcheck disable=SC2086 # word lists
cc -std=c11 -Wall -Werror $san -o "$T/tap_echo" "$SRC" $flags \
    $(pkg-config --cflags --libs libevent_core) >"$T/cc.log" 2>&1 ||
    fail "cc: $(cat "$T/cc.log")"
libdir=$(dirname "$(find "$D" -name libipifc.so | head -n 1)")

say "Linux pings it on both families"
netns "${P}e"
ip netns exec "${P}e" env LD_LIBRARY_PATH="$libdir" "$T/tap_echo" \
    "${P}t" 10.9.0.2/24 2001:db8:9::2/64 >"$T/echo.log" 2>&1 &
EPID=$!
until_ok 50 ip -n "${P}e" link show "${P}t" || fail "no TAP device"
ip -n "${P}e" link set "${P}t" up
ip -n "${P}e" addr add 10.9.0.1/24 dev "${P}t"
ip -n "${P}e" addr add 2001:db8:9::1/64 dev "${P}t" nodad
until_ok 50 grep -q '^addr ready 2001:db8:9::2 /64' "$T/echo.log" ||
    fail "2001:db8:9::2 never ready: $(cat "$T/echo.log")"
ll=$(awk '$1 == "addr" && $2 == "ready" && $3 ~ /^fe80:/ { print $3 }' \
    "$T/echo.log")
[ -n "$ll" ] || fail "no link-local address ready"
for a in 10.9.0.2 2001:db8:9::2 "$ll%${P}t"; do
	nsx "${P}e" ping -c 3 -i 0.2 -W 2 "$a" >"$T/ping" 2>&1 ||
	    fail "ping $a: $(cat "$T/ping")"
	grep -q '3 packets transmitted, 3 received' "$T/ping" ||
	    fail "ping $a: $(tail -n 2 "$T/ping")"
	echo "ping $a: 3 of 3"
done

kill -TERM "$EPID"
wait "$EPID" || fail "tap_echo exited $? on SIGTERM: $(tail "$T/echo.log")"
pass
