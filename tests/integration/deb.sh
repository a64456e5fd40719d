#!/usr/bin/env bash
# The Debian packages (debian/): a copy of the source tree becomes
# libipifc0, libipifc-dev and ipifc with `dpkg-buildpackage -us -uc -b`
# (nocheck: this suite is the check), lintian finds no error in them,
# they install, their programs, man pages and pkg-config file work from
# the system's paths, and they purge.  The copy and the packages go
# whether the test passes or not.
#
#	deb.sh SRCDIR VERSION
#
# SKIP (77) without root or dpkg-buildpackage, debhelper, lintian, or
# when a package named ipifc is installed already (not this test's to
# remove).
set -u
src=$1 version=$2
pkgs="ipifc libipifc-dev libipifc0"

skip()
{
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "not root"
for c in dpkg-buildpackage dh lintian apt-get; do
	command -v "$c" >/dev/null 2>&1 ||
	    skip "no $c (scripts/deps.sh installs it)"
done
for p in $pkgs; do
	if dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
	    grep -q ' installed$'; then
		skip "$p is installed already"
	fi
done

t=$(mktemp -d /tmp/ipifc-deb.XXXXXX)
installed=0
# The postinst makes the system users _ipifc and _slaacd and the
# directory /var/empty, which a purge keeps (Debian leaves system users):
# the test takes away what it made.
new_users=""
for u in _ipifc _slaacd; do
	getent passwd "$u" >/dev/null || new_users="$new_users $u"
done
had_empty=0
[ -d /var/empty ] && had_empty=1
cleanup()
{
	if [ $installed -eq 1 ]; then
		# shellcheck disable=SC2086
		dpkg --purge $pkgs >"$t/purge.log" 2>&1 ||
		    cat "$t/purge.log" >&2
	fi
	for u in $new_users; do
		if getent passwd "$u" >/dev/null; then
			userdel "$u"
		fi
		if getent group "$u" >/dev/null; then
			groupdel "$u"
		fi
	done
	if [ $had_empty -eq 0 ] && [ -d /var/empty ]; then
		rmdir /var/empty
	fi
	rm -rf "$t"
}
trap cleanup EXIT
fail=0
check()
{
	if ! eval "$2"; then
		echo "FAIL: $1" >&2
		fail=1
	fi
}
say()
{
	echo "== $*"
}

# The tree as it is (changes not committed included), without build
# directories or anything git ignores.
say "copy $src"
mkdir "$t/ipifc"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -co --exclude-standard -z |
	    xargs -0 cp -P --parents -t "$t/ipifc") || exit 1
else
	tar -C "$src" --exclude='./build*' -cf - . | tar -C "$t/ipifc" -xf - ||
	    exit 1
fi

say "dpkg-buildpackage -us -uc -b"
start=$SECONDS
if ! (cd "$t/ipifc" && \
    DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=$(nproc)" \
    timeout 600 dpkg-buildpackage -us -uc -b) >"$t/build.log" 2>&1; then
	tail -n 40 "$t/build.log" >&2
	echo "FAIL: dpkg-buildpackage" >&2
	exit 1
fi
say "built in $((SECONDS - start)) s"
for p in $pkgs; do
	check "no ${p}_${version}_*.deb" \
	    'ls "$t/${p}_${version}_"*.deb >/dev/null 2>&1'
done
[ $fail -eq 0 ] || exit 1

say "lintian"
lintian "$t"/ipifc_"$version"_*.changes >"$t/lintian.log" 2>&1
cat "$t/lintian.log"
check "lintian reports errors" '! grep -q "^E:" "$t/lintian.log"'

say "install"
installed=1
if ! DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q \
    --no-install-recommends -o DPkg::Lock::Timeout=120 \
    "$t"/ipifc_"$version"_*.deb "$t"/libipifc-dev_"$version"_*.deb \
    "$t"/libipifc0_"$version"_*.deb >"$t/install.log" 2>&1; then
	cat "$t/install.log" >&2
	echo "FAIL: apt-get install" >&2
	exit 1
fi

out=$(/usr/bin/ipifc -V 2>&1)
check "ipifc -V: $out" '[ "$out" = "ipifc $version" ]'
out=$(/usr/sbin/ipifcd --help 2>&1)
check "ipifcd --help: $out" 'printf "%s\n" "$out" | grep -q "^usage: ipifcd "'
out=$(/usr/sbin/slaacd --help 2>&1)
check "slaacd --help: $out" 'printf "%s\n" "$out" | grep -q "^usage: slaacd "'
for page in ipifc.1 ipifc.7 ipifcd.8 slaacd.8 slaacctl.8; do
	f=/usr/share/man/man${page##*.}/$page.gz
	check "no $f" '[ -f "$f" ]'
	if command -v man >/dev/null 2>&1; then
		out=$(man -w "$page" 2>&1)
		check "man -w $page: $out" '[ "$out" = "$f" ]'
	fi
done
check "no ipifcd.service" '[ -f /usr/lib/systemd/system/ipifcd.service ]'
check "the unit names /usr/sbin/ipifcd" \
    'grep -q "^ExecStart=/usr/sbin/ipifcd " /usr/lib/systemd/system/ipifcd.service'
check "no examples" '[ -f /usr/share/doc/ipifc/examples/router.conf ]'
check "no user _ipifc" 'getent passwd _ipifc >/dev/null'
check "no slaacd.service" '[ -f /usr/lib/systemd/system/slaacd.service ]'
check "the unit names /usr/sbin/slaacd" \
    'grep -q "^ExecStart=/usr/sbin/slaacd " /usr/lib/systemd/system/slaacd.service'
check "no user _slaacd" 'getent passwd _slaacd >/dev/null'
check "no /var/empty of root's, mode 755" \
    '[ "$(stat -c "%a %u" /var/empty)" = "755 0" ]'
out=$(pkg-config --modversion ipifc 2>&1)
check "pkg-config --modversion ipifc: $out" '[ "$out" = "$version" ]'

# A program against the installed library: header, pkg-config, .so.
if command -v cc >/dev/null 2>&1; then
	cat >"$t/prog.c" <<'EOF'
#include <stdio.h>
#include <ipifc.h>

int
main(void)
{
	struct ipifc_stack *s = ipifc_stack_new(NULL);

	if (s == NULL)
		return 1;
	ipifc_stack_free(s);
	puts("ok");
	return 0;
}
EOF
	# shellcheck disable=SC2046
	cc -o "$t/prog" "$t/prog.c" $(pkg-config --cflags --libs ipifc) \
	    >"$t/cc.log" 2>&1
	check "a program builds against libipifc-dev: $(cat "$t/cc.log")" \
	    '[ -x "$t/prog" ]'
	out=$("$t/prog" 2>&1)
	check "it runs on libipifc0: $out" '[ "$out" = ok ]'
	out=$(ldd "$t/prog" 2>&1 | grep libipifc)
	check "it uses the installed libipifc.so.0: $out" \
	    'printf "%s\n" "$out" | grep -Eq "=> (/usr)?/lib/.*/libipifc\.so\.0 "'
fi

say "purge"
# shellcheck disable=SC2086
if ! dpkg --purge $pkgs >"$t/purge.log" 2>&1; then
	cat "$t/purge.log" >&2
	fail=1
fi
installed=0
check "/usr/sbin/ipifcd left after purge" '[ ! -e /usr/sbin/ipifcd ]'

[ $fail -eq 0 ] && echo ok
exit $fail
