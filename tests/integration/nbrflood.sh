#!/usr/bin/env bash
# Neighbor solicitation and ARP floods from made-up sources (issue 11
# defect 2; bash nbrflood.sh IPIFCD IPIFC).
#
# ipifcd (namespace D, packet:) shares a link with namespace N, where
# scapy sends 20000 NSs for ipifc's IPv6 address and 20000 ARP requests
# for its IPv4 address in about five seconds, each from a random source with a random MAC, and
# where the Linux host that N also is comes to ipifc for the first time
# while the flood runs.
#
# Proves: the new Linux neighbor pings ipifc on both families during the
# flood and after it; the static entries of the `arp` file are unchanged;
# the neighbor table stays within IPIFC_MAXNBR (1024) entries and the
# daemon's memory within a coarse bound.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

need ping timeout pgrep
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null ||
    skip "no python3-scapy (scripts/deps.sh installs it)"

D=${P}d N=${P}n
MAXNBR=1024
netns "$D" "$N"
veth "$D" "${P}d0" "$N" "${P}n0"
quiet_v6 "$D" "${P}d0"
ip -n "$N" addr add 10.79.0.2/16 dev "${P}n0"
ip -n "$N" -6 addr add 2001:db8:79::2/64 dev "${P}n0" nodad

start_daemon "$D"
w ipifc/clone bind ether "packet:${P}d0" >/dev/null
w ipifc/0/ctl add 10.79.0.1/16
w ipifc/0/ctl add 2001:db8:79::1/64
wait_state 0 2001:db8:79::1 preferred 50
w arp add 10.79.0.50 02:00:00:00:79:50
w arp add 2001:db8:79::50 02:00:00:00:79:51 pub
static_before=$(r arp | grep ' static ')
rss()
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$STACK/status"
}
STACK=$(stack_pid)
rss0=$(rss)

say "flood: 20000 NS and 20000 ARP requests from random sources"
nsx "$N" timeout 90 /usr/bin/python3 - "${P}n0" "$T/started" <<'EOF' &
import random, struct, sys, time
from scapy.all import conf
from scapy.utils import checksum
ifname, started = sys.argv[1:3]
random.seed(79)
def rnd(n):
    return bytes(random.randrange(256) for _ in range(n))
# built by hand (scapy would take a minute for 40000); scapy sends them
raw = []
tgt = bytes.fromhex("20010db8007900000000000000000001")
sn = bytes.fromhex("ff0200000000000000000001ff000001")
for i in range(20000):
    m = b"\x02" + rnd(5)
    src = bytes.fromhex("20010db800790000") + rnd(8)
    icmp = struct.pack("!BBHI", 135, 0, 0, 0) + tgt + b"\x01\x01" + m
    pseudo = src + sn + struct.pack("!I3xB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", checksum(pseudo + icmp)) + icmp[4:]
    raw.append(b"\x33\x33\xff\x00\x00\x01" + m + b"\x86\xdd" +
        struct.pack("!IHBB", 0x60000000, len(icmp), 58, 255) + src + sn +
        icmp)
    m = b"\x02" + rnd(5)
    spa = bytes([10, 79, random.randrange(1, 255), random.randrange(3, 255)])
    raw.append(b"\xff" * 6 + m + b"\x08\x06" +
        struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + m + spa + b"\x00" * 6 +
        bytes([10, 79, 0, 1]))
s = conf.L2socket(iface=ifname)
open(started, "w").close()
# paced to last about five seconds, so that the pings fall inside it
for i, b in enumerate(raw):
    s.send(b)
    if i % 16 == 15:
        time.sleep(0.002)
s.close()
EOF
FPID=$!
until_ok 600 test -e "$T/started" || fail "scapy did not start"
sleep 0.5

say "a new Linux neighbor pings ipifc during the flood"
nsx "$N" ping -c 3 -i 0.2 -W 2 10.79.0.1 ||
    fail "no IPv4 echo reply during the flood"
nsx "$N" ping -c 3 -i 0.2 -W 2 2001:db8:79::1 ||
    fail "no IPv6 echo reply during the flood"
kill -0 "$FPID" 2>/dev/null || fail "the flood ended before the pings did"
n=$(r arp | wc -l)
say "arp file: $n lines during the flood"
wait "$FPID" || fail "scapy failed"

say "after the flood"
nsx "$N" ip neigh flush dev "${P}n0"
nsx "$N" ping -c 2 -i 0.2 -W 2 10.79.0.1 ||
    fail "no IPv4 echo reply after the flood"
nsx "$N" ping -c 2 -i 0.2 -W 2 2001:db8:79::1 ||
    fail "no IPv6 echo reply after the flood"
static_after=$(r arp | grep ' static ')
[ "$static_before" = "$static_after" ] || {
	echo "before:"; echo "$static_before"; echo "after:"; echo "$static_after"
	fail "static entries changed"
}
# our own addresses' lines, the statics, and at most MAXNBR dynamic ones
n=$(r arp | grep -vc ' static ')
say "$n dynamic entries, nbrdrops $(ifc_counter 0 nbrdrops)"
[ "$n" -le "$MAXNBR" ] || fail "$n dynamic neighbor entries, over $MAXNBR"
rss1=$(rss)
say "ipifcd VmRSS ${rss0} kB before, ${rss1} kB after"
# 1024 entries take under 1 MB; the sanitizers' quarantine holds freed ones
[ $((rss1 - rss0)) -lt 131072 ] || fail "ipifcd grew by $((rss1 - rss0)) kB"

stop_daemon_ok
pass
