#!/usr/bin/env bash
# The systemd units (bash systemd.sh MANDIR IPIFCD_UNIT IPIFCD
# IPIFC_SYSUSERS SLAACD_UNIT SLAACD SLAACD_SYSUSERS SLAACD_TMPFILES):
# `systemd-analyze verify` accepts each, with ExecStart pointed at the
# built program and the pages of its Documentation= found in MANDIR (the
# source's man/); ipifcd's says what the README says: Type=notify, the
# directories, the file, the sandbox.  systemd-sysusers makes _ipifc and
# _slaacd, system users with no login, and systemd-tmpfiles slaacd's
# empty root /var/empty, root's and not writable by others.  ipifcd's
# readiness (READY=1 on $NOTIFY_SOCKET) is tested by
# tests/integration/conf.sh.  SKIP (77) without systemd-analyze.
set -u
mandir=$(realpath "$1")
unit=$2 ipifcd=$(realpath "$3") sysusers=$4
sunit=$5 slaacd=$(realpath "$6") ssysusers=$7 stmpfiles=$8
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: no systemd-analyze (Debian package systemd)"
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0

# verify runs man(1) for each Documentation=man: page: MANPATH's layout.
for page in "$mandir"/*.[1-9]; do
	mkdir -p "$t/man/man${page##*.}"
	ln -s "$page" "$t/man/man${page##*.}/"
done
# verify UNIT PROGRAM: the unit, its ExecStart naming PROGRAM, in $t
verify()
{
	local name

	name=$(basename "$2")
	sed "s|^ExecStart=[^ ]*/$name |ExecStart=$2 |" "$1" \
	    >"$t/$name.service"
	if ! MANPATH=$t/man systemd-analyze verify "$t/$name.service" \
	    >"$t/out" 2>&1 || [ -s "$t/out" ]; then
		echo "FAIL: systemd-analyze verify $name.service:" >&2
		cat "$t/out" >&2
		fail=1
	fi
}
# has_user SYSUSERS PASSWD-LINE: systemd-sysusers makes the user so
has_user()
{
	if ! systemd-sysusers --root="$t/root" "$1" >"$t/out" 2>&1 ||
	    ! grep -Eq "^$2\$" "$t/root/etc/passwd"; then
		echo "FAIL: systemd-sysusers $1:" >&2
		cat "$t/out" "$t/root/etc/passwd" >&2
		fail=1
	fi
}

verify "$unit" "$ipifcd"
for want in 'Type=notify' 'NotifyAccess=all' 'RuntimeDirectory=ipifc' \
    'StateDirectory=ipifc' 'ProtectSystem=strict' 'ProtectHome=yes' \
    'PrivateTmp=yes' 'NoNewPrivileges=yes' \
    "ExecStart=$ipifcd -d -f /etc/ipifc/ipifcd.conf" \
    'RestrictAddressFamilies=AF_UNIX AF_PACKET AF_NETLINK AF_XDP AF_INET' \
    'SystemCallFilter=@system-service chroot seccomp bpf'; do
	if ! grep -qxF "$want" "$t/ipifcd.service"; then
		echo "FAIL: no line $want" >&2
		fail=1
	fi
done
if ! grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_KILL CAP_BPF CAP_IPC_LOCK CAP_SETUID CAP_SETGID CAP_SYS_CHROOT' \
    "$t/ipifcd.service"; then
	echo "FAIL: capability bounding set" >&2
	fail=1
fi
verify "$sunit" "$slaacd"
grep -qxF "ExecStart=$slaacd -d \$SLAACD_ARGS" "$t/slaacd.service" || {
	echo "FAIL: slaacd.service: no ExecStart=$slaacd -d \$SLAACD_ARGS" >&2
	fail=1
}

mkdir -p "$t/root/etc"
has_user "$sysusers" \
    '_ipifc:x:[0-9]+:[0-9]+:ipifc stack process:/var/lib/ipifc/empty:/usr/sbin/nologin'
has_user "$ssysusers" \
    '_slaacd:x:[0-9]+:[0-9]+:slaacd unprivileged processes:/var/empty:/usr/sbin/nologin'
if ! systemd-tmpfiles --root="$t/root" --create "$stmpfiles" >"$t/out" 2>&1 ||
    [ "$(stat -c '%a %u' "$t/root/var/empty" 2>/dev/null)" != "755 0" ]; then
	echo "FAIL: systemd-tmpfiles $stmpfiles: /var/empty not root's 755:" >&2
	cat "$t/out" >&2
	fail=1
fi
if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	systemd-analyze security --offline=true "$t/ipifcd.service" 2>/dev/null |
	    tail -n 1
fi
[ $fail -eq 0 ] && echo ok
exit $fail
