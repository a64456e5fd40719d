#!/usr/bin/env python3
"""Seed corpora for slaacd's fuzz targets: fuzz/corpus/slaacd_msg (framed
messages as a sibling writes them, first byte: the read size - 1) and
fuzz/corpus/slaacd_nl (rtnetlink reads: link and IPv6 address messages,
whole, truncated, and with bad attributes).  Layouts follow
daemon/slaacd.h on x86_64 (host byte order)."""
import os, struct, sys

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(d, name, data):
    os.makedirs(os.path.join(top, d), exist_ok=True)
    with open(os.path.join(top, d, name), "wb") as f:
        f.write(data)

def msg(t, payload, peer=2, pid=100):
    return struct.pack("=IIII", t, len(payload), peer, pid) + payload

SM_LOG, SM_IFINFO, SM_LLADDR, SM_RA, SM_DAD, SM_SEND_RS = 1, 2, 3, 4, 5, 6
SM_RESULT, SM_CTL_SHOW, SM_CTL_LINE, SM_CTL_END, SM_CTL_LOG = 8, 9, 10, 11, 12
ifinfo = struct.pack("=ii6s16s", 1, 1, bytes.fromhex("025aac000001"),
                     b"eth0".ljust(16, b"\0")) + bytes(2)  # padding
ra = bytes(16) + bytes(16) + struct.pack("=i", 255) + bytes([134, 0, 0, 0,
    64, 0, 7, 8]) + bytes(8)
stream = (msg(SM_LOG, struct.pack("=i", 6) + b"hello\0") +
          msg(SM_IFINFO, ifinfo) + msg(SM_LLADDR, struct.pack("=i", 1)) +
          msg(SM_RA, ra) + msg(SM_DAD, bytes(16) + struct.pack("=i", 1)) +
          msg(SM_SEND_RS, struct.pack("=ii6s2x", 0, 1, bytes(6))) +
          msg(SM_RESULT, struct.pack("=Ii", 1, 0)) + msg(SM_CTL_SHOW, b"") +
          msg(SM_CTL_LINE, b"eth0: ifindex 2") + msg(SM_CTL_END, b"") +
          msg(SM_CTL_LOG, struct.pack("=i", 1)))
put("slaacd_msg", "all-types-1", bytes([0]) + stream)
put("slaacd_msg", "all-types-7", bytes([6]) + stream)
put("slaacd_msg", "all-types-whole", bytes([255]) + stream)
# hot-plug, the secret, an address the kernel lost
SM_IFADD, SM_IFDEL, SM_SECRET, SM_ADDRGONE = 13, 14, 15, 16
put("slaacd_msg", "ifadd-ifdel-secret", bytes([255]) +
    msg(SM_IFADD, b"eth1".ljust(16, b"\0"), peer=3) + msg(SM_IFDEL, b"", peer=3) +
    msg(SM_SECRET, bytes(range(32)), peer=0) + msg(SM_ADDRGONE, bytes(16)))
put("slaacd_msg", "ifadd-peer0", bytes([40]) +
    msg(SM_IFADD, b"eth1".ljust(16, b"\0"), peer=0))
put("slaacd_msg", "bad-type", bytes([40]) + msg(99, b"x"))
put("slaacd_msg", "bad-length", bytes([40]) + msg(SM_IFINFO, b"short"))
put("slaacd_msg", "huge-length", bytes([40]) +
    struct.pack("=IIII", SM_RA, 0xffffffff, 2, 1))
put("slaacd_msg", "truncated", bytes([3]) + stream[:50])

def nlattr(t, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, t) + data + bytes((4 - n % 4) % 4)

def nlmsg(t, body, flags=0, seq=0):
    return struct.pack("=IHHII", 16 + len(body), t, flags, seq, 0) + body

RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR = 16, 17, 20, 21
NLMSG_DONE = 3
ifi = struct.pack("=BxHiII", 0, 1, 2, 0x1 | 0x40, 0xffffffff)
link = nlmsg(RTM_NEWLINK, ifi + nlattr(3, b"eth0\0") +
             nlattr(1, bytes.fromhex("025aac000001")))
ifa = struct.pack("=BBBBI", 10, 64, 0x80, 253, 2)
ll = bytes.fromhex("fe80000000000000005aacfffe000001")
addr = nlmsg(RTM_NEWADDR, ifa + nlattr(1, ll) + nlattr(8, struct.pack("=I", 0x80)))
glob = bytes.fromhex("20010db8007700000005aacfffe00001"[:32])
addr2 = nlmsg(RTM_NEWADDR, struct.pack("=BBBBI", 10, 64, 0, 0, 2) +
              nlattr(1, glob) + nlattr(8, struct.pack("=I", 0x40)))
put("slaacd_nl", "link", link)
put("slaacd_nl", "link-del", nlmsg(RTM_DELLINK, ifi))
put("slaacd_nl", "addr-ll", addr)
put("slaacd_nl", "addr-global-tentative", addr2)
put("slaacd_nl", "addr-del", nlmsg(RTM_DELADDR, ifa + nlattr(1, ll)))
put("slaacd_nl", "batch", link + addr + addr2 + nlmsg(NLMSG_DONE, bytes(4)))
put("slaacd_nl", "short-ifinfo", nlmsg(RTM_NEWLINK, ifi[:8]))
put("slaacd_nl", "addr-short-attr", nlmsg(RTM_NEWADDR, ifa + nlattr(1, ll[:8])))
put("slaacd_nl", "addr-no-address", nlmsg(RTM_NEWADDR, ifa))
put("slaacd_nl", "attr-overruns", nlmsg(RTM_NEWLINK, ifi) [:-0] +
    struct.pack("=HH", 200, 1))
put("slaacd_nl", "partial", (link + addr)[:len(link) + 10])
put("slaacd_nl", "bad-flags-attr", nlmsg(RTM_NEWADDR, ifa + nlattr(1, ll) +
                                         nlattr(8, b"\1\2")))
# a bridge's port (IFLA_MASTER 10), a name without its NUL, a loopback
put("slaacd_nl", "link-port", nlmsg(RTM_NEWLINK, ifi + nlattr(3, b"eth0\0") +
                                    nlattr(10, struct.pack("=I", 5))))
put("slaacd_nl", "link-name-nonul", nlmsg(RTM_NEWLINK, ifi + nlattr(3, b"eth0")))
put("slaacd_nl", "link-name-long", nlmsg(RTM_NEWLINK, ifi +
                                         nlattr(3, b"x" * 20 + b"\0")))
put("slaacd_nl", "link-loopback", nlmsg(RTM_NEWLINK,
    struct.pack("=BxHiII", 0, 772, 1, 0x1 | 0x8 | 0x40, 0xffffffff) +
    nlattr(3, b"lo\0")))
