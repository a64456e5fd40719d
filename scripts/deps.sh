# shellcheck shell=bash
# Sourced by the scripts, or run directly: ipifc_deps installs what the
# build and the tests need and is missing, with apt-get when run as root
# (Debian and Ubuntu).

# Each entry: Debian package, then the check that it is there.
IPIFC_DEPS="
meson		command -v meson
ninja-build	command -v ninja
gcc		command -v gcc
libc6-dev	test -e /usr/include/stdio.h
pkg-config	command -v pkg-config
libcmocka-dev	pkg-config --exists cmocka
tcpdump		command -v tcpdump
libevent-dev	pkg-config --exists libevent_core
libmnl-dev	pkg-config --exists libmnl
libseccomp-dev	pkg-config --exists libseccomp
libxdp-dev	pkg-config --exists libxdp
libbpf-dev	pkg-config --exists libbpf
iproute2	command -v ip
procps		command -v sysctl
iputils-ping	command -v ping
iputils-arping	command -v arping
ndisc6		command -v ndisc6
python3		command -v python3
iputils-tracepath	command -v tracepath
tshark		command -v tshark
traceroute	command -v traceroute
netcat-openbsd	command -v nc.openbsd
python3-scapy	/usr/bin/python3 -c 'import scapy.all'
radvd		command -v radvd || test -x /usr/sbin/radvd
systemd		command -v systemd-analyze
mandoc		command -v mandoc
dpkg-dev	command -v dpkg-buildpackage
debhelper	command -v dh
lintian		command -v lintian
ethtool		command -v ethtool || test -x /usr/sbin/ethtool
thc-ipv6	command -v atk6-implementation6
ipv6toolkit	command -v ra6 || test -x /usr/sbin/ra6
nmap		command -v nmap
"

ipifc_deps()
{
	local missing="" pkg check

	while read -r pkg check; do
		[ -n "$pkg" ] || continue
		# pkg-config itself may be what is missing: ask dpkg then.
		if ! eval "$check" >/dev/null 2>&1 &&
		    ! dpkg -s "$pkg" >/dev/null 2>&1; then
			missing="$missing $pkg"
		fi
	done <<END
$IPIFC_DEPS
END
	[ -n "$missing" ] || return 0

	if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "missing:$missing (install them, or run as root on Debian)" >&2
		return 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
}

# Run directly (`bash scripts/deps.sh`) rather than sourced: install them.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	ipifc_deps
	exit
fi
