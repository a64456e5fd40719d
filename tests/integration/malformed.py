# The malformed-packet batches of tests/integration/malformed.sh (run in
# the Linux namespace by /usr/bin/python3, with scapy):
#   python3 malformed.py IFACE IFCMAC IPIFC SOCK PID
#
# From valid packets of every protocol ipifc parses, sent by this host
# (its MAC and addresses, so that whatever ipifc answers goes to a host
# it already knows), it makes batches: every truncation, a bad checksum
# in each layer that has one, inconsistent length fields, zero-length
# and overlong options, fragments that overlap or never complete.  The
# valid packets themselves are never sent.  After each batch: ipifcd is
# alive, answers a ping on both families, and the namespace files
# (addresses of ipifc/0/status, iproute, arp but this host's entries,
# ipselftab) are as before the first batch.  Prints a line per batch;
# exits 1 at the first batch that fails.
import os
import socket
import struct
import subprocess
import sys
import time

from scapy.all import (ARP, ICMP, IP, UDP, Ether, ICMPv6DestUnreach,
                       ICMPv6EchoRequest, ICMPv6MLQuery, ICMPv6MLQuery2,
                       ICMPv6MLReport, ICMPv6MLReport2, ICMPv6MLDMultAddrRec,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_RS,
                       ICMPv6ND_Redirect, ICMPv6NDOptDNSSL,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptMTU,
                       ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS,
                       ICMPv6NDOptRedirectedHdr, ICMPv6NDOptRouteInfo,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptUnknown,
                       ICMPv6PacketTooBig, IPOption, IPOption_NOP,
                       IPOption_Router_Alert, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, PadN, RouterAlert, conf, fragment)
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mq, IGMPv3mr

conf.verb = 0
iface, ifcmac, ipifc, sock, pid = sys.argv[1:6]
# on a TUN device (no MACs) the Ethernet headers are only placeholders
amac = open("/sys/class/net/%s/address" % iface).read().strip() or \
    "02:00:00:00:00:02"
if ifcmac == "-":
    ifcmac = "02:00:00:00:00:01"
all_ll = subprocess.run(["ip", "-6", "-o", "addr", "show", "dev", iface,
                         "scope", "link"], capture_output=True,
                        text=True).stdout.split()
all_ll = ([w.split("/")[0] for w in all_ll if w.startswith("fe80:")] +
          ["fe80::2"])[0]
# a TUN device (ARPHRD_NONE) carries IP packets without a link layer
tun = open("/sys/class/net/%s/type" % iface).read().strip() == "65534"
A4, A6, I4, I6 = "10.1.0.2", "2001:db8:1::2", "10.1.0.1", "2001:db8:1::1"

E = Ether(src=amac, dst=ifcmac)
EB = Ether(src=amac, dst="ff:ff:ff:ff:ff:ff")
E6 = Ether(src=amac, dst="33:33:00:00:00:01")
ENS = Ether(src=amac, dst="33:33:ff:00:00:01")
EG = Ether(src=amac, dst="33:33:00:00:12:34")
E4M = Ether(src=amac, dst="01:00:5e:00:00:01")
E4G = Ether(src=amac, dst="01:00:5e:01:02:03")
HBH_RA = IPv6ExtHdrHopByHop(options=[RouterAlert()])
PAD = b"0123456789abcdef" * 4


def opt_pref64():
    # RFC 8781 4: scaled lifetime and PLC, then 96 bits of prefix
    return ICMPv6NDOptUnknown(type=38, len=2, data=b"\x07\x08" +
                              socket.inet_pton(socket.AF_INET6,
                                               "64:ff9b::")[:12])


def opt_captive():
    uri = b"https://portal.example/"
    uri += b"\0" * ((-(len(uri) + 2)) % 8)
    return ICMPv6NDOptUnknown(type=37, len=(len(uri) + 2) // 8, data=uri)


# name -> a valid packet of one kind, as ipifc would take it
BASES = {
    "arp": EB / ARP(op=1, hwsrc=amac, psrc=A4, pdst=I4),
    "ip4opt": E / IP(src=A4, dst=I4, options=[
        IPOption_NOP(), IPOption(b"\x07\x0b\x04" + bytes(8)),
        IPOption(b"\x44\x0c\x05\x00" + bytes(8))]) / ICMP(id=9, seq=1) / PAD,
    "udp4": E / IP(src=A4, dst=I4) / UDP(sport=4000, dport=9) / PAD,
    "icmp4err": E / IP(src=A4, dst=I4) / ICMP(type=3, code=4, nexthopmtu=576)
    / IP(src=I4, dst=A4, proto=17) / UDP(sport=9, dport=4000),
    "igmp2": E4G / IP(src=A4, dst="239.1.2.3", ttl=1,
                      options=[IPOption_Router_Alert()])
    / IGMP(type=0x16, gaddr="239.1.2.3"),
    "igmp3q": E4M / IP(src=A4, dst="224.0.0.1", ttl=1,
                       options=[IPOption_Router_Alert()])
    / IGMPv3(type=0x11, mrcode=20) / IGMPv3mq(gaddr="0.0.0.0"),
    "igmp3r": Ether(src=amac, dst="01:00:5e:00:00:16")
    / IP(src=A4, dst="224.0.0.22", ttl=1, options=[IPOption_Router_Alert()])
    / IGMPv3(type=0x22) / IGMPv3mr(records=[
        IGMPv3gr(rtype=4, maddr="239.1.2.3"),
        IGMPv3gr(rtype=1, maddr="239.1.2.4", srcaddrs=["10.1.0.7"])]),
    "ip6ext": E / IPv6(src=A6, dst=I6)
    / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")])
    / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])
    / IPv6ExtHdrRouting(segleft=0, addresses=[I6])
    / ICMPv6EchoRequest(id=9, seq=1, data=PAD),
    "ptb6": E / IPv6(src=A6, dst=I6) / ICMPv6PacketTooBig(mtu=1280)
    / IPv6(src=I6, dst=A6) / ICMPv6EchoRequest(id=1, data=PAD),
    "unreach6": E / IPv6(src=A6, dst=I6) / ICMPv6DestUnreach(code=4)
    / IPv6(src=I6, dst=A6) / UDP(sport=9, dport=4000),
    "ns": ENS / IPv6(src=A6, dst="ff02::1:ff00:1", hlim=255)
    / ICMPv6ND_NS(tgt=I6) / ICMPv6NDOptSrcLLAddr(lladdr=amac),
    "na": E / IPv6(src=A6, dst=I6, hlim=255)
    / ICMPv6ND_NA(tgt=A6, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=amac),
    "rs": Ether(src=amac, dst="33:33:00:00:00:02")
    / IPv6(src=all_ll, dst="ff02::2", hlim=255) / ICMPv6ND_RS()
    / ICMPv6NDOptSrcLLAddr(lladdr=amac),
    "ra": E6 / IPv6(src=all_ll, dst="ff02::1", hlim=255)
    / ICMPv6ND_RA(routerlifetime=1800, reachabletime=30000)
    / ICMPv6NDOptSrcLLAddr(lladdr=amac) / ICMPv6NDOptMTU(mtu=1400)
    / ICMPv6NDOptPrefixInfo(prefix="2001:db8:5::", prefixlen=64)
    / ICMPv6NDOptRouteInfo(prefix="2001:db8:6::", plen=48, prf=1)
    / ICMPv6NDOptRDNSS(lifetime=600, dns=["2001:db8:5::53"])
    / ICMPv6NDOptDNSSL(lifetime=600, searchlist=["example.org."])
    / opt_pref64() / opt_captive(),
    "redirect": E / IPv6(src=all_ll, dst=I6, hlim=255)
    / ICMPv6ND_Redirect(tgt="fe80::99", dst="2001:db8:7::1")
    / ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:00:99")
    / ICMPv6NDOptRedirectedHdr(pkt=bytes(IPv6(src=I6, dst="2001:db8:7::1")
                                         / ICMPv6EchoRequest())),
    "mld1q": E6 / IPv6(src=all_ll, dst="ff02::1", hlim=1) / HBH_RA
    / ICMPv6MLQuery(mrd=1000),
    "mld2q": EG / IPv6(src=all_ll, dst="ff15::1234", hlim=1) / HBH_RA
    / ICMPv6MLQuery2(mladdr="ff15::1234", sources=["2001:db8:1::7"]),
    "mld1r": EG / IPv6(src=all_ll, dst="ff15::1234", hlim=1) / HBH_RA
    / ICMPv6MLReport(mladdr="ff15::1234"),
    "mld2r": Ether(src=amac, dst="33:33:00:00:00:16")
    / IPv6(src=all_ll, dst="ff02::16", hlim=1) / HBH_RA
    / ICMPv6MLReport2(records=[
        ICMPv6MLDMultAddrRec(rtype=4, dst="ff15::1234"),
        ICMPv6MLDMultAddrRec(rtype=1, dst="ff15::1235",
                             sources=["2001:db8:1::7"])]),
}


def rio(plen, units, prefix):
    """A route information option of that length (RFC 4191 2.3)."""
    body = bytes([plen, 0x08]) + struct.pack("!I", 600) + \
        socket.inet_pton(socket.AF_INET6, prefix)
    return ICMPv6NDOptUnknown(type=24, len=units, data=body[:units * 8 - 2])


# An RA that teaches nothing but RFC 4191 routes: router lifetime 0.
RA0 = E6 / IPv6(src=all_ll, dst="ff02::1", hlim=255) / ICMPv6ND_RA(
    routerlifetime=0)
# Route information options too short for their prefix length, as the
# one that made libndp read past its buffer: each must be ignored.
RIO_SHORT = RA0 / rio(64, 1, "2001:db8:6::") / rio(96, 2, "2001:db8:6::") \
    / rio(128, 2, "2001:db8:6::1") / rio(129, 3, "2001:db8:6::")
# The control: the same RA with a RIO of the right length is taken.
RIO_GOOD = RA0 / rio(48, 2, "2001:db8:6::")
FRAG4 = [E / f for f in fragment(
    IP(src=A4, dst=I4) / ICMP(id=9, seq=2) / (PAD * 40), fragsize=1000)]
ECHO6 = bytes(IPv6(src=A6, dst=I6) /
              ICMPv6EchoRequest(id=9, seq=2, data=PAD * 40))[40:]
FRAG6 = [E / IPv6(src=A6, dst=I6)
         / IPv6ExtHdrFragment(nh=58, id=0x1234, offset=o // 8,
                              m=int(o + 1000 < len(ECHO6)))
         / ECHO6[o:o + 1000] for o in range(0, len(ECHO6), 1000)]


def b(p):
    return bytes(p)


def truncations(raw):
    """Every length shorter than the packet (every 7th past 200 bytes)."""
    return [raw[:n] for n in list(range(0, min(len(raw), 200))) +
            list(range(200, len(raw), 7))]


def bad_checksums(p):
    """The packet once per layer with a checksum, that checksum wrong."""
    raw = b(p)
    # the last byte flipped: the checksum over it is wrong
    out = [raw[:-1] + bytes([raw[-1] ^ 0xFF])] if ARP not in p else []
    ref = p.__class__(raw)
    for i, layer in enumerate(ref.layers()):
        lay = ref.getlayer(i)
        for f in ("chksum", "cksum"):
            if f in lay.fields:
                q = p.copy()
                setattr(q.getlayer(i), f, (getattr(lay, f) ^ 0x5A5A) or 1)
                out.append(b(q))
    return out


def ip4_csum(raw):
    """raw with its IPv4 header checksum (at offset 14) made right."""
    hl = (raw[14] & 15) * 4
    h = bytearray(raw[14:14 + hl])
    h[10:12] = b"\0\0"
    if len(h) % 2:
        h += b"\0"
    s = sum(struct.unpack("!%dH" % (len(h) // 2), bytes(h)))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return raw[:24] + struct.pack("!H", ~s & 0xFFFF) + raw[26:]


def icmp6_csum(raw):
    """raw (Ethernet, IPv6, ICMPv6 at 54) with its ICMPv6 checksum right."""
    m = raw[54:56] + b"\0\0" + raw[58:]
    d = raw[22:54] + struct.pack("!IxxxB", len(raw) - 54, 58) + m
    if len(d) % 2:
        d += b"\0"
    s = sum(struct.unpack("!%dH" % (len(d) // 2), d))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return raw[:56] + struct.pack("!H", ~s & 0xFFFF) + raw[58:]


def lengths(name, p):
    """Inconsistent length fields."""
    out = []
    raw = b(p)
    if IP in p:
        tot = len(raw) - 14
        for tl in (tot + 8, tot + 1000, 19, 0, (raw[14] & 15) * 4 - 1):
            out.append(ip4_csum(raw[:16] + struct.pack("!H", tl) + raw[18:]))
        for ihl in (0, 4, 15):
            out.append(ip4_csum(raw[:14] + bytes([0x40 | ihl]) + raw[15:]))
        out.append(ip4_csum(raw[:14] + b"\x65" + raw[15:]))	# version 6
        if UDP in p and name == "udp4":
            for ul in (0, 7, len(p[UDP]) + 8):
                q = p.copy()
                q[UDP].len = ul
                out.append(b(q))
    if IPv6 in p:
        pl = len(raw) - 54
        for v in (pl + 8, pl + 1000, 0, 1):
            out.append(raw[:18] + struct.pack("!H", v) + raw[20:])
        out.append(raw[:14] + b"\x40" + raw[15:])		# version 4
    if ARP in p:
        for f, v in (("hwlen", 8), ("plen", 16), ("plen", 0), ("hwlen", 0),
                     ("ptype", 0x86DD), ("hwtype", 6), ("op", 9)):
            q = p.copy()
            setattr(q[ARP], f, v)
            out.append(b(q))
    for layer, f, v in ((IGMPv3mr, "numgrp", 9), (IGMPv3mq, "numsrc", 9),
                        (ICMPv6MLReport2, "records_number", 9),
                        (ICMPv6MLQuery2, "sources_number", 9),
                        (IGMPv3gr, "numsrc", 40),
                        (ICMPv6MLDMultAddrRec, "sources_number", 40),
                        (IGMPv3gr, "auxdlen", 40),
                        (ICMPv6MLDMultAddrRec, "auxdata_len", 40)):
        if layer in p:
            q = p.copy()
            setattr(q[layer], f, v)
            out.append(b(q))
    return out


def options(p):
    """Zero-length and overlong options: ND, IPv4, IPv6 ext headers."""
    out = []
    raw = b(p)
    i = 0
    while p.getlayer(i) is not None:
        lay = p.getlayer(i)
        if lay.__class__.__name__.startswith("ICMPv6NDOpt"):
            # its length byte: zero, past the end by 8 bytes, 255 units;
            # set in the bytes (scapy would resize the option to match)
            o = len(raw) - len(b(lay))
            for v in (0, (len(raw) - o) // 8 + 1, 255):
                out.append(icmp6_csum(raw[:o + 1] + bytes([v]) +
                                      raw[o + 2:]))
        i += 1
    raw = b(p)
    if IP in p and (raw[14] & 15) > 5:
        # the first option that has a length byte
        o = 34
        while raw[o] == 1:
            o += 1
        for v in (0, 1, 2, 41, 255):
            out.append(ip4_csum(raw[:o + 1] + bytes([v]) + raw[o + 2:]))
        # options that run past the header: IHL one word short
        out.append(ip4_csum(raw[:14] + bytes([raw[14] - 1]) + raw[15:]))
    for ext in (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting):
        if ext in p:
            for v in (40, 255):
                q = p.copy()
                q[ext].len = v
                out.append(b(q))
            if ext is not IPv6ExtHdrRouting:
                q = p.copy()
                q[ext].options = [PadN(optlen=200, optdata=b"\0\0\0\0")]
                out.append(b(q))
                q = p.copy()
                q[ext].options = [PadN(optdata=b"\0\0\0\0")]
                q[ext].len = 1	# options end in the middle of the next one
                out.append(b(q))
    return out


def frags():
    """Fragments that overlap or never complete, both families."""
    f4 = [b(f) for f in FRAG4]
    f6 = [b(f) for f in FRAG6]
    out = {"frag4_incomplete": f4[:-1], "frag6_incomplete": f6[:-1],
           "frag4_nofirst": f4[1:], "frag6_nofirst": f6[1:]}
    # overlap: a second copy of the second fragment moved back 8 bytes
    o4 = FRAG4[1].copy()
    o4[IP].frag -= 1
    out["frag4_overlap"] = [f4[0], b(o4), f4[1], f4[2]]
    o6 = FRAG6[1].copy()
    o6[IPv6ExtHdrFragment].offset -= 1
    out["frag6_overlap"] = [f6[0], b(o6), f6[1], f6[2]]
    # the same bytes twice, different contents
    d4 = f4[1][:34] + bytes(len(f4[1]) - 34)
    out["frag4_differ"] = [f4[0], f4[1], d4, f4[2]]
    # truncated fragments
    out["frag4_trunc"] = truncations(f4[1])[14::5]
    out["frag6_trunc"] = truncations(f6[0])[54::5]
    # a fragment header with its own offset past 65535, and a tiny one
    big = FRAG6[1].copy()
    big[IPv6ExtHdrFragment].offset = 8190
    out["frag6_past"] = [f6[0], b(big)]
    tiny = FRAG4[1].copy()
    tiny[IP].frag = 8189
    out["frag4_past"] = [f4[0], b(tiny)]
    return out


def batches():
    for name, p in BASES.items():
        yield name + " truncated", truncations(b(p))
        c = bad_checksums(p)
        if c:
            yield name + " checksums", c
        yield name + " lengths", lengths(name, p)
        o = options(p)
        if o:
            yield name + " options", o
    yield "ra rio short (libndp)", [b(RIO_SHORT)]
    if tun:
        # whole, valid ND messages where there is no link layer, as the
        # ones that made smoltcp panic: ignored
        yield "nd on pkt (smoltcp)", [b(BASES[k]) for k in
                                      ("ns", "na", "rs", "ra", "redirect")]
    yield "ether", [b"\xff" * 6 + bytes.fromhex(amac.replace(":", "")) +
                    bytes.fromhex(t) for t in ("0800", "86dd", "0806", "8100",
                                               "88a8", "81000064")]
    yield from frags().items()


def ipifc_read(path):
    return subprocess.run([ipifc, "-s", sock, "read", path], check=True,
                          capture_output=True, text=True).stdout


MINE = {A4, A6, all_ll}


def files():
    st = ipifc_read("ipifc/0/status").split("\n", 1)[1]
    arp = "".join(ln + "\n" for ln in ipifc_read("arp").splitlines()
                  if ln.split()[0] not in MINE)
    return {"status": st, "iproute": ipifc_read("iproute"), "arp": arp,
            "ipselftab": ipifc_read("ipselftab")}


def pings():
    for dst in (I4, I6):
        for _ in range(3):
            if subprocess.run(["ping", "-c", "1", "-W", "2", dst],
                              stdout=subprocess.DEVNULL).returncode == 0:
                break
        else:
            return dst
    return None


def link(f):
    """A frame as the link carries it: on a TUN device the IP packet
    alone (no ARP, nothing shorter than the Ethernet header)."""
    if not tun:
        return f
    if len(f) <= 14 or f[12:14] not in (b"\x08\x00", b"\x86\xdd"):
        return None
    return f[14:]


def send(frames):
    sent = 0
    for f in frames:
        f = link(f)
        if f is None:
            continue
        try:
            if tun:
                s.sendto(f, (iface, 0x86DD if f[0] >> 4 == 6 else 0x0800))
            else:
                s.send(f)
            sent += 1
        except OSError:
            pass		# the kernel refuses some short frames
        if sent % 50 == 0:
            time.sleep(0.005)
    time.sleep(0.05)
    return sent


def check(name):
    try:
        os.kill(int(pid), 0)
    except OSError:
        sys.exit("FAIL: ipifcd died after %s" % name)
    bad = pings()
    if bad:
        sys.exit("FAIL: no reply from %s after %s" % (bad, name))
    now = files()
    for k in ref:
        if now[k] != ref[k]:
            sys.exit("FAIL: %s changed after %s:\n--- before\n%s--- after\n%s"
                     % (k, name, ref[k], now[k]))


s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
ref = files()
total = 0
only = os.environ.get("MALFORMED_ONLY")
if only:
    bl = [(n + " #%d" % j, [f]) for n, fs in batches() if n == only
          for j, f in enumerate(fs)]
else:
    bl = list(batches())
for name, frames in bl:
    sent = send(frames)
    total += sent
    check(name)
    print("%-24s %4d frames: ipifcd answers, files unchanged" % (name, sent),
          flush=True)
print("%d frames in all" % total)

if not tun:
    # the control: a change the files do show
    send([b(RIO_GOOD)])
    if "2001:db8:6:: /48 " not in ipifc_read("iproute"):
        sys.exit("FAIL: the control RA's route is not in iproute")
    print("control: an RA with a good route information option is taken")
