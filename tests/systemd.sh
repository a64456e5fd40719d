#!/usr/bin/env bash
# The systemd unit (bash systemd.sh UNIT IPIFCD MANDIR SYSUSERS):
# `systemd-analyze verify` accepts it, with ExecStart pointed at the built
# ipifcd and the pages of its Documentation= found in MANDIR (the
# source's man/), and it
# says what the README says: Type=notify, the directories, the file, the
# sandbox; systemd-sysusers makes the _ipifc user from SYSUSERS.  Its
# readiness (READY=1 on $NOTIFY_SOCKET) is tested by
# tests/integration/conf.sh.  SKIP (77) without systemd-analyze.
set -u
unit=$1 ipifcd=$(realpath "$2") mandir=$(realpath "$3") sysusers=$4
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: no systemd-analyze (Debian package systemd)"
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0

sed "s|^ExecStart=[^ ]*/ipifcd |ExecStart=$ipifcd |" "$unit" >"$t/ipifcd.service"
# verify runs man(1) for each Documentation=man: page: MANPATH's layout.
for page in "$mandir"/*.[1-9]; do
	mkdir -p "$t/man/man${page##*.}"
	ln -s "$page" "$t/man/man${page##*.}/"
done
if ! MANPATH=$t/man systemd-analyze verify "$t/ipifcd.service" >"$t/out" 2>&1 ||
    [ -s "$t/out" ]; then
	echo "FAIL: systemd-analyze verify:" >&2
	cat "$t/out" >&2
	fail=1
fi
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
# a system user with no login, its home the stack process's empty root
mkdir -p "$t/root/etc"
if ! systemd-sysusers --root="$t/root" "$sysusers" >"$t/out" 2>&1 ||
    ! grep -Eq '^_ipifc:x:[0-9]+:[0-9]+:ipifc stack process:/var/lib/ipifc/empty:/usr/sbin/nologin$' \
    "$t/root/etc/passwd"; then
	echo "FAIL: systemd-sysusers $sysusers:" >&2
	cat "$t/out" "$t/root/etc/passwd" >&2
	fail=1
fi
if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	systemd-analyze security --offline=true "$t/ipifcd.service" 2>/dev/null |
	    tail -n 1
fi
[ $fail -eq 0 ] && echo ok
exit $fail
