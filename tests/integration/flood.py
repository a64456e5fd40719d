# Floods for tests/integration/floods.sh (run in the Linux namespace, by
# /usr/bin/python3): python3 flood.py KIND IFACE MAC COUNT PID IPIFC SOCK
#
# KIND is ra, na, mld or frag; IFACE the Linux end of ipifc's link; MAC
# ipifc's MAC; COUNT frames in all; PID ipifcd's stack process (not the
# privileged parent, which holds no stack); IPIFC SOCK the client and its
# socket.  Frames are built by hand (scapy is too slow for tens
# of thousands of distinct frames) and sent on a raw socket in four
# quarters, paced.  Around each quarter it reads ipifcd's CPU time (in
# microseconds: /proc/PID/schedstat's time on a CPU, else
# /proc/PID/stat's utime + stime in clock ticks) and pktin; at the start of the third
# quarter it pings ipifc from this host (a neighbor ipifc has not heard
# from) on both families (with frag, also in fragments), and collects the
# pings at its end.  It prints:
#
#   quarter N FRAMES CPU PKTIN RSS  one line per quarter (CPU in us;
#                                   RSS: VmRSS in kB at its end)
#   ping4 0|1, ping6 0|1              replies seen during the flood
#   ping4big 0|1, ping6big 0|1        the same for 3000-byte pings (frag)
import os
import random
import socket
import struct
import subprocess
import sys
import time

kind, iface, ifcmac, count, pid, ipifc, sock = sys.argv[1:8]
count = int(count)
rnd = random.Random(11)
r = rnd.getrandbits

MAC = bytes.fromhex(ifcmac.replace(":", ""))
ALLNODES = bytes.fromhex("333300000001")


def rmac():
    return bytes([0x02, r(8), r(8), r(8), r(8), r(8)])


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def a4(s):
    return socket.inet_aton(s)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ether(dst, src, typ, payload):
    return dst + src + struct.pack("!H", typ) + payload


def mcmac6(dst):
    return b"\x33\x33" + dst[12:]


def ip6(src, dst, nh, payload, hlim=255, hbh=b""):
    """An IPv6 packet; an ICMPv6 payload gets its checksum."""
    if nh == 58:
        ph = src + dst + struct.pack("!IxxxB", len(payload), 58)
        c = csum(ph + payload[:2] + b"\0\0" + payload[4:])
        payload = payload[:2] + struct.pack("!H", c) + payload[4:]
    first = nh
    if hbh:
        first = 0
        payload = bytes([nh]) + hbh + payload
    return struct.pack("!IHBB", 6 << 28, len(payload), first, hlim) + \
        src + dst + payload


# A hop-by-hop header's body after its next-header byte: length 0,
# Router Alert (RFC 2711) for MLD, PadN.
RTALERT6 = b"\x00\x05\x02\x00\x00\x01\x00"


def ip4(src, dst, proto, payload, ttl=64, ident=0, frag=0, opts=b""):
    hl = (20 + len(opts)) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl, 0, 20 + len(opts) +
                    len(payload), ident, frag, ttl, proto, 0, src, dst) + opts
    c = csum(h)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def opt(t, body):
    """An ND option, padded to 8 bytes."""
    body += b"\0" * ((-(len(body) + 2)) % 8)
    return bytes([t, (len(body) + 2) // 8]) + body


def ll_rand():
    return a6("fe80::%x:%x:%x" % (r(16), r(16), r(16) | 1))


OURS6 = [a6("2001:db8:1::1")]


def ra_frame():
    smac = rmac()
    src = ll_rand()
    body = struct.pack("!BBHBBHII", 134, 0, 0, 64, r(2) << 6,
                       rnd.choice([0, 30, 1800, 9000]), r(16), r(10))
    body += opt(1, smac)
    body += opt(5, b"\0\0" + struct.pack("!I", 1280 + r(8)))
    for _ in range(1 + r(1)):
        if r(4) == 0:
            # the prefix of ipifc's manual address, short lifetimes
            pfx = a6("2001:db8:1::")
        else:
            pfx = a6("2001:db8:%x:%x::" % (r(16), r(16)))
        valid = rnd.choice([0, 7, 7200, 0xFFFFFFFF])
        body += opt(3, struct.pack("!BBII4x16s", 64, 0xC0, valid,
                                   min(valid, 3600), pfx))
    body += opt(25, b"\0\0" + struct.pack("!I", 600) +
                a6("2001:db8:%x::%x" % (r(16), r(16))))
    rio = a6("2001:db9:%x:%x::" % (r(16), r(16)))
    body += opt(24, struct.pack("!BBI", 64, rnd.choice([0, 8, 0x18]),
                                rnd.choice([60, 0xFFFFFFFF])) + rio[:8])
    return ether(ALLNODES, smac, 0x86DD,
                 ip6(src, a6("ff02::1"), 58, body))


def na_frame(ll):
    smac = rmac()
    if r(1):
        tgt = a6("2001:db8:1::%x:%x" % (r(16), r(16) | 2))
    else:
        tgt = rnd.choice(OURS6 + [ll])
    if r(1):
        dst, dmac, flags = a6("ff02::1"), ALLNODES, 0x20
    else:
        dst, dmac, flags = OURS6[0], MAC, rnd.choice([0x20, 0x60, 0xE0])
    src = rnd.choice([ll_rand(), a6("2001:db8:1::%x" % (r(15) | 0x10))])
    body = struct.pack("!BBHB3x16s", 136, 0, 0, flags, tgt) + opt(2, rmac())
    return ether(dmac, smac, 0x86DD, ip6(src, dst, 58, body))


JOINED6 = a6("ff15::1234")
JOINED4 = a4("239.1.2.3")


def group6():
    if r(3) == 0:
        return JOINED6
    return a6("ff15::%x:%x" % (r(16), r(16)))


def group4():
    if r(3) == 0:
        return JOINED4
    return a4("239.%d.%d.%d" % (r(8), r(8), r(8)))


RTALERT4 = b"\x94\x04\x00\x00"


def mld_frame():
    smac = rmac()
    src = ll_rand()
    k = r(3)
    if k == 0:		# MLDv1 report, to the group
        g = group6()
        return ether(mcmac6(g), smac, 0x86DD,
                     ip6(src, g, 58, struct.pack("!BBHHH16s", 131, 0, 0,
                                                 0, 0, g), 1, RTALERT6))
    if k == 1:		# MLDv2 report: 1..70 records (a 1500-byte MTU)
        recs = b""
        n = 1 + rnd.randrange(70)
        for _ in range(n):
            recs += struct.pack("!BBH16s", rnd.choice([1, 2, 3, 4, 5, 6]),
                                0, 0, group6())
        d = a6("ff02::16")
        return ether(mcmac6(d), smac, 0x86DD,
                     ip6(src, d, 58, struct.pack("!BBHHH", 143, 0, 0, 0, n)
                         + recs, 1, RTALERT6))
    if k == 2:		# MLDv2 query, general or for a group
        g = rnd.choice([bytes(16), JOINED6, group6()])
        d = a6("ff02::1") if g == bytes(16) else g
        q = struct.pack("!BBHHH16sBBH", 130, 0, 0, r(16), 0, g, r(3),
                        r(8), 0)
        return ether(mcmac6(d), smac, 0x86DD, ip6(src, d, 58, q, 1,
                                                  RTALERT6))
    if k == 3:		# MLDv1 query
        g = rnd.choice([bytes(16), JOINED6])
        d = a6("ff02::1") if g == bytes(16) else g
        q = struct.pack("!BBHHH16s", 130, 0, 0, r(16), 0, g)
        return ether(mcmac6(d), smac, 0x86DD, ip6(src, d, 58, q, 1,
                                                  RTALERT6))
    s4 = a4("10.1.0.%d" % (10 + r(7)))
    if k == 4:		# IGMPv2 report
        g = group4()
        m = struct.pack("!BBH4s", 0x16, 0, 0, g)
        m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
        dmac = b"\x01\x00\x5e" + bytes([g[1] & 0x7F]) + g[2:]
        return ether(dmac, smac, 0x0800, ip4(s4, g, 2, m, 1, opts=RTALERT4))
    if k == 5:		# IGMPv3 report: 1..80 records
        recs = b""
        n = 1 + rnd.randrange(80)
        for _ in range(n):
            recs += struct.pack("!BBH4s", rnd.choice([1, 2, 3, 4, 5, 6]), 0,
                                0, group4())
        m = struct.pack("!BBHHH", 0x22, 0, 0, 0, n) + recs
        m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
        d = a4("224.0.0.22")
        return ether(b"\x01\x00\x5e\x00\x00\x16", smac, 0x0800,
                     ip4(s4, d, 2, m, 1, opts=RTALERT4))
    # IGMPv3 query, general or for the joined group
    g = rnd.choice([bytes(4), JOINED4])
    d = a4("224.0.0.1") if g == bytes(4) else g
    m = struct.pack("!BBH4sBBH", 0x11, r(8), 0, g, r(3), r(8), 0)
    m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
    dmac = b"\x01\x00\x5e" + bytes([d[1] & 0x7F]) + d[2:]
    return ether(dmac, smac, 0x0800, ip4(s4, d, 2, m, 1, opts=RTALERT4))


def frag_frames():
    """One or two fragments of a datagram that never completes."""
    smac = rmac()
    k = r(2)
    if k == 0:		# IPv4: a first fragment only, or two that overlap
        s = a4("10.1.0.%d" % (20 + r(7)))
        d = a4("10.1.0.1")
        ident = r(16)
        data = bytes(r(8) for _ in range(8)) * 100
        out = [ip4(s, d, 17, data, ident=ident, frag=0x2000)]
        if r(1):
            out.append(ip4(s, d, 17, data[:400], ident=ident,
                           frag=0x2000 | 25))
        return [ether(MAC, smac, 0x0800, p) for p in out]
    s = a6("2001:db8:1::%x:%x" % (r(16), r(16) | 4))
    d = OURS6[0]
    ident = r(32)
    echo = struct.pack("!BBHHH", 128, 0, 0, r(16), 1) + bytes(792)
    out = []
    fh = struct.pack("!BxHI", 58, 1, ident)		# offset 0, M
    out.append(ip6(s, d, 44, fh + echo, 64))
    if k == 1:
        fh = struct.pack("!BxHI", 58, (50 << 3) | 1, ident)	# overlaps
        out.append(ip6(s, d, 44, fh + echo[:400], 64))
    elif k == 2:
        fh = struct.pack("!BxHI", 58, 110 << 3, ident)		# the last
        out.append(ip6(s, d, 44, fh + bytes(96), 64))		# a hole
    return [ether(MAC, smac, 0x86DD, p) for p in out]


def frames():
    ll = a6(subprocess.run([ipifc, "-s", sock, "read", "ipifc/0/status"],
                           check=True, capture_output=True, text=True)
            .stdout.split("\n")[1].split()[0])
    out = []
    while len(out) < count:
        if kind == "ra":
            out.append(ra_frame())
        elif kind == "na":
            out.append(na_frame(ll))
        elif kind == "mld":
            out.append(mld_frame())
        elif kind == "frag":
            out.extend(frag_frames())
        else:
            sys.exit("unknown kind " + kind)
    return out[:count]


def cpu():
    # the stack process is one thread: its schedstat is all of it
    try:
        with open("/proc/%s/schedstat" % pid) as f:
            return int(f.read().split()[0]) // 1000	# ns on a CPU
    except (OSError, ValueError, IndexError):
        pass
    with open("/proc/%s/stat" % pid) as f:
        st = f.read().rsplit(")", 1)[1].split()
    # utime, stime (fields 14, 15)
    return (int(st[11]) + int(st[12])) * 1000000 // os.sysconf("SC_CLK_TCK")


def rss():
    with open("/proc/%s/status" % pid) as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    return 0


def pktin():
    out = subprocess.run([ipifc, "-s", sock, "read", "ipifc/0/status"],
                         check=True, capture_output=True, text=True).stdout
    w = out.split("\n")[0].split()
    return int(w[w.index("pktin") + 1])


PINGS = [("ping4", "-4", "10.1.0.1", "56"),
         ("ping6", "-6", "2001:db8:1::1", "56")]
if kind == "frag":	# datagrams in fragments, beside the flood's
    PINGS += [("ping4big", "-4", "10.1.0.1", "3000"),
              ("ping6big", "-6", "2001:db8:1::1", "3000")]
fs = frames()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
q = len(fs) // 4
pings = []
for n in range(4):
    c0, p0 = cpu(), pktin()
    if n == 2:
        for name, fam, dst, size in PINGS:
            pings.append((name, subprocess.Popen(
                ["timeout", "20", "ping", fam, "-c", "5", "-i", "0.2",
                 "-W", "2", "-s", size, dst], stdout=subprocess.DEVNULL)))
    part = fs[n * q:(n + 1) * q]
    for i in range(0, len(part), 40):
        for f in part[i:i + 40]:
            s.send(f)
        time.sleep(0.004)
    time.sleep(0.3)
    if n == 2:
        for name, p in pings:
            print(name, 1 if p.wait() == 0 else 0)
    print("quarter", n + 1, len(part), cpu() - c0, pktin() - p0, rss(),
          flush=True)
