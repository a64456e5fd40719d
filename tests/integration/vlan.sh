#!/usr/bin/env bash
# 802.1Q-tagged frames (ipifc issue 8, defect 9), bash vlan.sh IPIFCD
# IPIFC packet|tap.  ipifc has no VLAN configured, so tagged frames are
# not its own.
#
# packet: a Linux host A on a veth whose other end ipifc opens with
#         packet:.  The kernel strips a VLAN tag into metadata before a
#         packet socket sees the frame.
# tap:    a TAP device ipifc makes, moved into A: the tag comes inline.
#
# Proves: untagged, A's ARP request and echo (from scapy) are answered;
# tagged VLAN 100 (802.1Q), 802.1ad, and double-tagged, the same requests
# from another address get no ARP reply and no echo reply, ipifc's `arp`
# file does not learn the sender, and ipstats counts them in `vlan`.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
need timeout
$PY -c 'import scapy.all' 2>/dev/null ||
    skip "no scapy for $PY (scripts/deps.sh installs python3-scapy)"

kind=${1:-packet}
D=${P}d A=${P}a
netns "$D" "$A"
start_daemon "$D"
case $kind in
tap)
	AIF=${P}t0
	bind_tap "$D" "$A" "$AIF"
	;;
packet)
	AIF=${P}a0
	bind_veth "$D" "${P}d0" "$A" "$AIF"
	;;
*)
	fail "unknown kind $kind"
	;;
esac
quiet_v6 "$A" "$AIF"
w ipifc/0/ctl add 10.1.0.1/24
MAC=$(ifc_mac 0)
[ -n "$MAC" ] || fail "no MAC"

# probe SRC TAGS: from A, an ARP request for 10.1.0.1 and an echo request
# to it, from SRC (a MAC and address of A's, not its interface's), with
# TAGS ("" untagged, "q" 802.1Q VLAN 100, "ad" 802.1ad VLAN 100, "qq"
# 802.1ad 100 over 802.1Q 200).  Prints what came back to SRC: "arp",
# "echo", one a line.
probe()
{
	nsx "$A" timeout 30 "$PY" - "$AIF" "$MAC" "$1" "$2" <<'PY'
import sys
from scapy.all import (ARP, Dot1AD, Dot1Q, Ether, ICMP, IP, AsyncSniffer,
                       conf, sendp)
import time

conf.verb = 0
iface, mac, src, tags = sys.argv[1:5]
smac = "02:00:5e:00:00:%02x" % int(src.split(".")[3])

def tagged(dst, payload):
    e = Ether(src=smac, dst=dst)
    if tags == "q":
        return e / Dot1Q(vlan=100) / payload
    if tags == "ad":
        return e / Dot1AD(vlan=100) / payload
    if tags == "qq":
        return e / Dot1AD(vlan=100) / Dot1Q(vlan=200) / payload
    return e / payload

def answer(p):
    if ARP in p and p[ARP].op == 2 and p[ARP].pdst == src:
        return "arp"
    if ICMP in p and p[ICMP].type == 0 and p[IP].dst == src:
        return "echo"
    return None

sn = AsyncSniffer(iface=iface, store=True,
                  lfilter=lambda p: answer(p) is not None)
sn.start()
time.sleep(0.5)
sendp(tagged("ff:ff:ff:ff:ff:ff",
             ARP(op=1, hwsrc=smac, psrc=src, pdst="10.1.0.1")), iface=iface)
time.sleep(0.3)
sendp(tagged(mac, IP(src=src, dst="10.1.0.1") / ICMP(id=7, seq=1)),
      iface=iface)
time.sleep(1.5)
sn.stop()
for a in sorted({answer(p) for p in sn.results}):
    print(a)
PY
}

ipstat()
{
	r ipstats | awk -v k="$1" '$1 == k { print $2 }'
}

# The echo needs ipifc to know SRC's MAC: the ARP request teaches it.
say "untagged: ARP and echo are answered"
out=$(probe 10.1.0.50 "") || fail "scapy failed"
echo "$out"
grep -qx arp <<<"$out" || fail "no ARP reply to an untagged request"
grep -qx echo <<<"$out" || fail "no echo reply to an untagged request"
r arp | grep -q '^10\.1\.0\.50 ' || fail "did not learn 10.1.0.50"

n=0
for tags in q ad qq; do
	n=$((n + 1))
	src=10.1.0.$((60 + n))
	say "tagged ($tags): no ARP reply, no echo reply, $src not learned"
	out=$(probe "$src" "$tags") || fail "scapy failed"
	[ -z "$out" ] || fail "answered a tagged ($tags) frame: $out"
	r arp | grep -q "^${src//./\\.} " &&
	    fail "learned $src from a tagged ($tags) frame"
done
c=$(ipstat vlan)
echo "ipstats vlan $c"
# two tagged frames a probe; the untagged ones are not counted
[ "$c" = 6 ] || fail "ipstats vlan is '$c', not 6"

stop_daemon_ok
pass
