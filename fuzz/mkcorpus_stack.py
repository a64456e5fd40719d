#!/usr/bin/env python3
"""
Seeds for fuzz/fuzz_stack.c, written into fuzz/corpus/stack/.

    fuzz/mkcorpus_stack.py            write the corpus
    fuzz/mkcorpus_stack.py --pcap F   also write every frame of interface
                                      0 to a pcap (Ethernet; check the sums
                                      with tshark -o ip.check_checksum:TRUE)

A seed is a list of records, as fuzz_stack.c reads them:

    delay[2] sel[1] len[2] frame[len]       (big-endian)

sel bit 0 picks the interface (0: ether, MAC 02:00:00:00:01:00; 1: pkt,
raw IP); a sel whose top three bits are set is a ctl record, its bits 0-4
the line (CTL below).  A delay of 0xffff runs the clock on to the stack's
next deadline.  The frames use the builders of fuzz/mkcorpus.py,
whose checksums come from its own RFC 1071 sum.

The stack under test: 10.0.0.1/24, 2001:db8::1/64 and fe80::ff:fe00:100
on interface 0, 192.168.9.1/32 peer 192.168.9.2 (proxy) on interface 1,
iprouting 1, reassemble 1, arp 10.0.0.7 = 02:00:00:00:77:77, groups
239.1.2.3 and ff05::1:3, default routes via 10.0.0.254 and 2001:db8::fe,
router advertisements on interface 0 (ra6 sendra 1, every 3 to 4 s).
Its clock starts at 0 with DAD pending: seeds begin with a delay.
"""
import os
import struct
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkcorpus import (a4, a6, csum, eth, icmp4, icmp6, igmp, ip4,  # noqa
                      ip6, mac)

# the ctl lines of fuzz_stack.c (its ctls[]), by index: a suffix 0 or 1
# names the interface
CTL = {
    'down0': 0, 'down1': 1, 'up0': 2, 'up1': 3,
    'remove4': 4, 'add4': 5, 'remove6': 6, 'add6': 7,
    'removeptp': 8, 'addptp': 9,
    'lladdr99': 10, 'lladdr00': 11,
    'promisc_on0': 12, 'promisc_on1': 13,
    'promisc_off0': 14, 'promisc_off1': 15,
    'mtu1280_0': 16, 'mtu1280_1': 17, 'mtu1500_0': 18, 'mtu1500_1': 19,
    'iprouting0': 20, 'iprouting1': 21,
    'leave4': 22, 'join4': 23, 'leave6': 24, 'join6': 25,
    'reassemble0': 26, 'reassemble1': 27,
    'allmulti_on': 28, 'allmulti_off': 29,
    'arpflush': 30, 'arpadd': 31,
}
NEXTTIMER = 0xffff                # delay: on to the stack's next deadline

ME = '02:00:00:00:01:00'          # stack 1, interface 0
BCAST = 'ff:ff:ff:ff:ff:ff'
H9 = '02:00:00:00:00:09'          # a host, 10.0.0.9 / 2001:db8::9
GW = '02:00:00:00:00:fe'          # the gateway, 10.0.0.254 / 2001:db8::fe
OTHER = '02:00:00:00:99:99'       # a host that is not us
ZMAC = '00:00:00:00:00:00'
LLME = 'fe80::ff:fe00:100'
LL9 = 'fe80::ff:fe00:9'
SNME = 'ff02::1:ff00:1'           # solicited-node of 2001:db8::1
SNMAC = '33:33:ff:00:00:01'
SNLLMAC = '33:33:ff:00:01:00'     # solicited-node of fe80::ff:fe00:100
HBH_RA = bytes([58, 0, 5, 2, 0, 0, 1, 0])
IP4_RA = bytes([0x94, 4, 0, 0])
DATA = b'abcdefghijklmnopqrstuvwabcdefghi'
DAD_DONE = 3000                   # ms: DAD and ARP probing are over


def rec(delay, ifc, frame):
    return struct.pack('!HBH', delay, ifc, len(frame)) + frame


def ctl(delay, name):
    return struct.pack('!HBH', delay, 0xe0 | CTL[name], 0)


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, mac(sha),
                       a4(spa), mac(tha), a4(tpa))


def udp4(src, dst, sport, dport, data):
    u = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    ph = a4(src) + a4(dst) + struct.pack('!xBH', 17, len(u))
    c = csum(ph + u) or 0xffff
    return u[:6] + struct.pack('!H', c) + u[8:]


def udp6(src, dst, sport, dport, data):
    u = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    ph = a6(src) + a6(dst) + struct.pack('!IxxxB', len(u), 17)
    c = csum(ph + u) or 0xffff
    return u[:6] + struct.pack('!H', c) + u[8:]


def echo4(src, dst, ident=0x4242, seq=1, data=DATA, ttl=64, frag=0x4000):
    return ip4(src, dst, 1, icmp4(8, 0, ident << 16 | seq, data), ttl=ttl,
               ident=seq, frag=frag)


def echo6(src, dst, ident=0x4242, seq=1, data=DATA, hlim=64):
    return ip6(src, dst, 58, icmp6(src, dst, 128, 0,
                                   struct.pack('!HH', ident, seq) + data),
               hlim=hlim)


def e4(dst, src, pkt):
    return eth(dst, src, 0x0800, pkt)


def e6(dst, src, pkt):
    return eth(dst, src, 0x86dd, pkt)


def earp(dst, src, body):
    return eth(dst, src, 0x0806, body)


def ns(src, dst, target, slla=None):
    body = bytes(4) + a6(target)
    if slla:
        body += bytes([1, 1]) + mac(slla)
    return ip6(src, dst, 58, icmp6(src, dst, 135, 0, body), hlim=255)


def na(src, dst, target, flags, tlla=None):
    body = struct.pack('!I', flags << 24) + a6(target)
    if tlla:
        body += bytes([2, 1]) + mac(tlla)
    return ip6(src, dst, 58, icmp6(src, dst, 136, 0, body), hlim=255)


def frags4(src, dst, proto, payload, ident, pieces):
    """pieces: (offset, length, more) in bytes of payload."""
    out = []
    for off, n, more in pieces:
        out.append(ip4(src, dst, proto, payload[off:off + n], ident=ident,
                       frag=(0x2000 if more else 0) | off // 8))
    return out


def ping4_payload(n, ident=0x4242, seq=7):
    data = bytes((i * 7) & 0xff for i in range(n))
    return icmp4(8, 0, ident << 16 | seq, data)


S = {}

# ARP: who has 10.0.0.1, the reply learned, a request for another host
S['arp_request'] = [
    rec(DAD_DONE, 0, earp(BCAST, H9, arp(1, H9, '10.0.0.9', ZMAC,
                                         '10.0.0.1'))),
    rec(10, 0, e4(ME, H9, echo4('10.0.0.9', '10.0.0.1'))),
    rec(10, 0, earp(BCAST, H9, arp(1, H9, '10.0.0.9', ZMAC,
                                   '10.0.0.50'))),
    rec(10, 0, earp(ME, H9, arp(1, H9, '10.0.0.9', ME, '10.0.0.1'))),
]
# a probe (RFC 5227: sender 0.0.0.0), a gratuitous ARP, a conflict
S['arp_conflict'] = [
    rec(100, 0, earp(BCAST, OTHER, arp(1, OTHER, '0.0.0.0',
                                       ZMAC, '10.0.0.1'))),
    rec(DAD_DONE, 0, earp(BCAST, OTHER, arp(1, OTHER, '10.0.0.9',
                                            ZMAC, '10.0.0.9'))),
    rec(10, 0, earp(BCAST, OTHER, arp(2, OTHER, '10.0.0.1', BCAST,
                                      '10.0.0.1'))),
    rec(20000, 0, earp(BCAST, OTHER, arp(1, OTHER, '10.0.0.1',
                                         ZMAC, '10.0.0.1'))),
    rec(100, 0, earp(BCAST, OTHER, arp(1, OTHER, '10.0.0.7',
                                       ZMAC, '10.0.0.1'))),
]
# forwarding waits for ARP of the gateway; its reply lets the packet go
S['arp_reply'] = [
    # from the pkt link, off-link through the gateway: ARP for it first
    rec(DAD_DONE, 1, echo4('192.168.9.2', '198.51.100.1')),
    rec(5, 1, echo4('192.168.9.2', '198.51.100.1', seq=2)),
    rec(5, 0, earp(ME, GW, arp(2, GW, '10.0.0.254', ME, '10.0.0.1'))),
    rec(5, 1, echo4('192.168.9.2', '198.51.100.1', seq=3)),
    # a neighbor who never answers: host unreachable, back on the pkt link
    rec(5, 1, echo4('192.168.9.2', '10.0.0.77', seq=4)),
    rec(1500, 0, b''), rec(1500, 0, b''), rec(1500, 0, b''),
    # between the ether hosts: out the way it came, not forwarded
    rec(5, 0, e4(ME, H9, echo4('10.0.0.9', '198.51.100.1', seq=5))),
]
S['icmp4_echo'] = [
    rec(DAD_DONE, 0, e4(ME, '02:00:00:00:77:77',
                        echo4('10.0.0.7', '10.0.0.1'))),
    rec(1, 0, e4(BCAST, H9, echo4('10.0.0.9', '10.0.0.255', seq=2))),
    rec(1, 0, e4('01:00:5e:01:02:03', H9, echo4('10.0.0.9', '239.1.2.3',
                                                seq=3))),
    rec(1, 0, e4(ME, H9, echo4('10.0.0.9', '10.0.0.1', seq=4,
                               data=bytes(1400)))),
    # a reply to nobody, and an echo with a bad checksum
    rec(1, 0, e4(ME, H9, ip4('10.0.0.9', '10.0.0.1', 1,
                             icmp4(0, 0, 0x42420001, DATA)))),
    rec(1, 0, e4(ME, H9, ip4('10.0.0.9', '10.0.0.1', 1,
                             b'\x08\x00\x00\x00' + bytes(8)))),
]
S['icmp6_echo'] = [
    rec(DAD_DONE, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8::1'))),
    rec(5, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1', '2001:db8::9', 0x60,
                            H9))),
    rec(5, 0, e6(ME, H9, echo6(LL9, LLME, seq=2))),
    rec(5, 0, e6('33:33:00:00:00:01', H9, echo6(LL9, 'ff02::1', seq=3))),
    rec(5, 0, e6('33:33:00:01:00:03', H9, echo6('2001:db8::9', 'ff05::1:3',
                                                seq=4))),
    rec(5, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8::1', seq=5,
                               data=bytes(1400)))),
]
# nobody listens to UDP: protocol unreachable, parameter problem
S['udp_unreach'] = [
    rec(DAD_DONE, 0, e4(ME, '02:00:00:00:77:77', ip4(
        '10.0.0.7', '10.0.0.1', 17, udp4('10.0.0.7', '10.0.0.1', 5000, 53,
                                         DATA)))),
    rec(5, 0, e6(ME, H9, ip6('2001:db8::9', '2001:db8::1', 17, udp6(
        '2001:db8::9', '2001:db8::1', 5000, 53, DATA)))),
    rec(5, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1', '2001:db8::9', 0x60,
                            H9))),
    rec(5, 0, e4(ME, '02:00:00:00:77:77', ip4('10.0.0.7', '10.0.0.1', 6,
                                              bytes(20)))),
    rec(5, 0, e4(BCAST, '02:00:00:00:77:77', ip4(
        '10.0.0.7', '10.0.0.255', 17, udp4('10.0.0.7', '10.0.0.255', 5000,
                                           53, DATA)))),
]

# IPv4 fragments: in order, out of order, overlapping, a lost one timing out
P = ping4_payload(600)
ok = frags4('10.0.0.7', '10.0.0.1', 1, P, 0x100,
            [(0, 200, 1), (200, 200, 1), (400, len(P) - 400, 0)])
rev = frags4('10.0.0.7', '10.0.0.1', 1, P, 0x101,
             [(400, len(P) - 400, 0), (0, 200, 1), (200, 200, 1)])
over = frags4('10.0.0.7', '10.0.0.1', 1, P, 0x102,
              [(0, 200, 1), (104, 200, 1), (200, 200, 1),
               (304, len(P) - 304, 0), (0, 8, 1)])
lost = frags4('10.0.0.7', '10.0.0.1', 1, P, 0x103,
              [(0, 200, 1), (400, len(P) - 400, 0)])
M7 = '02:00:00:00:77:77'
S['ip4_frag'] = ([rec(DAD_DONE, 0, e4(ME, M7, f)) for f in ok] +
                 [rec(1, 0, e4(ME, M7, f)) for f in rev] +
                 [rec(1, 0, e4(ME, M7, f)) for f in over] +
                 [rec(1, 0, e4(ME, M7, f)) for f in lost] +
                 [rec(40000, 0, b'')])
# reassembled before forwarding (reassemble 1), then out the pkt link
FP = udp4('10.0.0.7', '192.168.9.2', 1, 2, bytes(1400))
S['ip4_frag_fwd'] = (
    [rec(DAD_DONE, 0, e4(ME, M7, f)) for f in frags4(
        '10.0.0.7', '192.168.9.2', 17, FP, 0x200,
        [(0, 1000, 1), (1000, len(FP) - 1000, 0)])] +
    [ctl(1, 'mtu1280_1')] +
    [rec(1, 0, e4(ME, M7, f)) for f in frags4(
        '10.0.0.7', '192.168.9.2', 17, FP, 0x201,
        [(1000, len(FP) - 1000, 0), (0, 1000, 1)])] +
    # a tiny first piece, a zero-length one, one that ends past 65535
    [rec(1, 0, e4(ME, M7, f)) for f in frags4(
        '10.0.0.7', '10.0.0.1', 17, FP, 0x202,
        [(0, 8, 1), (8, 0, 1), (8, 16, 1)])] +
    [rec(1, 0, e4(ME, M7, ip4('10.0.0.7', '10.0.0.1', 17, bytes(16),
                              ident=0x202, frag=0x2000 | 65528 // 8)))])

# ND: a DAD probe from another node while our address is tentative
S['nd_dad_tentative'] = [
    rec(100, 0, e6(SNMAC, OTHER, ns('::', SNME, '2001:db8::1'))),
    rec(100, 0, e6('33:33:00:00:00:01', OTHER, na(
        '2001:db8::77', 'ff02::1', LLME, 0x20, OTHER))),
    rec(DAD_DONE, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8::1'))),
]
# ... and after: we defend it
S['nd_dad_defend'] = [
    rec(DAD_DONE, 0, e6(SNMAC, OTHER, ns('::', SNME, '2001:db8::1'))),
    rec(5, 0, e6(SNLLMAC, OTHER, ns('::', 'ff02::1:ff00:100', LLME))),
    rec(5, 0, e6('33:33:00:00:00:01', OTHER, na(
        'fe80::99', 'ff02::1', '2001:db8::1', 0x20, OTHER))),
]
# ordinary resolution: NS for us, NA solicited and not, router flag
S['nd_normal'] = [
    rec(DAD_DONE, 0, e6(SNMAC, H9, ns('2001:db8::9', SNME, '2001:db8::1',
                                      H9))),
    rec(5, 0, e6(ME, H9, ns(LL9, LLME, LLME, H9))),
    rec(5, 0, e6(ME, GW, na('2001:db8::fe', '2001:db8::1', '2001:db8::fe',
                            0xa0, GW))),
    rec(5, 0, e6('33:33:00:00:00:01', H9, na(LL9, 'ff02::1', LL9, 0x20,
                                             OTHER))),
    rec(5, 0, e6(ME, H9, echo6(LL9, LLME))),
    # hop limit not 255: dropped
    rec(5, 0, e6(SNMAC, H9, ip6('2001:db8::9', SNME, 58, icmp6(
        '2001:db8::9', SNME, 135, 0, bytes(4) + a6('2001:db8::1')),
        hlim=64))),
    # NUD of the neighbor runs down with nobody answering
    rec(30000, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8::1'))),
    rec(6000, 0, b''), rec(1000, 0, b''), rec(1000, 0, b''),
    rec(1000, 0, b''),
]
# MLD: v2 general, v1 general, v2 group specific, then the reports go out
MQ2 = icmp6('fe80::fe', 'ff02::1', 130, 0, struct.pack('!HH', 10000, 0) +
            bytes(16) + bytes([2, 125, 0, 0]))
MQ1 = icmp6('fe80::fe', 'ff02::1', 130, 0, struct.pack('!HH', 10000, 0) +
            bytes(16))
MQG = icmp6('fe80::fe', 'ff05::1:3', 130, 0, struct.pack('!HH', 1000, 0) +
            a6('ff05::1:3') + bytes([2, 125, 0, 1]) + a6('2001:db8::9'))
MR = icmp6('fe80::fe', 'ff02::16', 143, 0, struct.pack('!HH', 0, 1) +
           struct.pack('!BBH16s', 4, 0, 0, a6('ff05::1:3')))
S['mld'] = [
    rec(DAD_DONE, 0, e6('33:33:00:00:00:01', GW, ip6(
        'fe80::fe', 'ff02::1', 0, HBH_RA + MQ2, hlim=1))),
    rec(11000, 0, e6('33:33:00:00:00:01', GW, ip6(
        'fe80::fe', 'ff02::1', 0, HBH_RA + MQ1, hlim=1))),
    rec(11000, 0, e6('33:33:00:01:00:03', GW, ip6(
        'fe80::fe', 'ff05::1:3', 0, HBH_RA + MQG, hlim=1))),
    rec(2000, 0, e6('33:33:00:00:00:16', GW, ip6(
        'fe80::fe', 'ff02::16', 0, HBH_RA + MR, hlim=1))),
    rec(11000, 0, b''),
]
# IGMP: v3 general, v2 general, v3 group specific, a report heard
IQ3 = igmp(struct.pack('!BBH4sBBH', 0x11, 100, 0, bytes(4), 2, 125, 0))
IQ2 = igmp(struct.pack('!BBH4s', 0x11, 100, 0, bytes(4)))
IQG = igmp(struct.pack('!BBH4sBBH4s', 0x11, 10, 0, a4('239.1.2.3'), 2, 125,
                       1, a4('10.0.0.9')))
IQG2 = igmp(struct.pack('!BBH4sBBH4s4s', 0x11, 10, 0, a4('239.1.2.3'), 2,
                        125, 2, a4('10.0.0.8'), a4('10.0.0.9')))
IR = igmp(struct.pack('!BBHHHBBH4s', 0x22, 0, 0, 0, 1, 4, 0, 0,
                      a4('239.1.2.3')))
S['igmp'] = [
    rec(DAD_DONE, 0, e4('01:00:5e:00:00:01', GW, ip4(
        '10.0.0.254', '224.0.0.1', 2, IQ3, ttl=1, tos=0xc0, opts=IP4_RA))),
    rec(11000, 0, e4('01:00:5e:00:00:01', GW, ip4(
        '10.0.0.254', '224.0.0.1', 2, IQ2, ttl=1, opts=IP4_RA))),
    rec(11000, 0, e4('01:00:5e:01:02:03', GW, ip4(
        '10.0.0.254', '239.1.2.3', 2, IQG, ttl=1, tos=0xc0, opts=IP4_RA))),
    rec(500, 0, e4('01:00:5e:00:00:16', H9, ip4(
        '10.0.0.9', '224.0.0.22', 2, IR, ttl=1, tos=0xc0, opts=IP4_RA))),
    rec(11000, 0, b''),
    # from 0.0.0.0 (a snooping switch): group-and-source queries merge
    rec(10, 0, e4('01:00:5e:01:02:03', GW, ip4(
        '0.0.0.0', '239.1.2.3', 2, IQG, ttl=1, opts=IP4_RA))),
    rec(10, 0, e4('01:00:5e:01:02:03', GW, ip4(
        '0.0.0.0', '239.1.2.3', 2, IQG2, ttl=1, opts=IP4_RA))),
    rec(11000, 0, b''),
]
# forwarding: to the peer on the pkt link, from it to the LAN, off-link
S['forward'] = [
    rec(DAD_DONE, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2'))),
    rec(5, 1, echo4('192.168.9.2', '10.0.0.7', seq=2)),
    rec(5, 1, echo4('192.168.9.2', '203.0.113.5', seq=3)),
    rec(5, 0, e4(ME, GW, ip4('203.0.113.5', '192.168.9.2', 17, udp4(
        '203.0.113.5', '192.168.9.2', 1, 2, DATA), frag=0))),
    rec(5, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8:5::1'))),
    rec(5, 0, e6(ME, GW, na('2001:db8::fe', '2001:db8::1', '2001:db8::fe',
                            0xe0, GW))),
    rec(5, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8:5::1', seq=2))),
    # IPv6 from the pkt link onto the LAN, after ND
    rec(5, 1, echo6('2001:db8:9::2', '2001:db8::9', seq=3)),
    rec(5, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1', '2001:db8::9', 0x60,
                            H9))),
    rec(5, 1, echo6('2001:db8:9::2', '2001:db8::9', seq=4)),
    # too big for the next link: DF set, then not
    ctl(1, 'mtu1280_1'),
    rec(5, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2', seq=4,
                               data=bytes(1300)))),
    rec(5, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2', seq=5,
                               data=bytes(1300), frag=0))),
    # not for our MAC: not forwarded
    rec(5, 0, e4(OTHER, M7, echo4('10.0.0.7', '192.168.9.2', seq=6))),
    ctl(1, 'iprouting0'),
    rec(5, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2', seq=7))),
]
S['ttl1'] = [
    rec(DAD_DONE, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2', ttl=1))),
    rec(5, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', ttl=1, seq=2))),
    rec(5, 1, echo4('192.168.9.2', '10.0.0.7', ttl=1, seq=3)),
    rec(5, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8:5::1', hlim=1))),
    rec(5, 1, echo6('2001:db8:9::2', '2001:db8::9', hlim=1)),
    rec(5, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1', '2001:db8::9', 0x60,
                            H9))),
    rec(5, 0, e6(ME, H9, echo6('2001:db8::9', '2001:db8:5::1', hlim=1,
                               seq=2))),
    rec(5, 0, e4(ME, M7, echo4('10.0.0.7', '192.168.9.2', ttl=0, seq=4))),
]

# IPv4 options (RFC 791 3.1): Record Route and Timestamp to us (the reply
# carries them) and forwarded; a full TS whose overflow is full, a bad RR
# pointer and a TS flag of 2 (parameter problem); and the first fragment
# of an echo with TTL 1 (time exceeded, told by the type)
RR9 = bytes([1, 7, 39, 4]) + bytes(36)
TS1 = bytes([68, 36, 5, 1]) + bytes(32)
TSFULL = bytes([68, 4, 5, 0xf0])
RRBAD = bytes([7, 7, 5, 0, 0, 0, 0, 0])
TS2 = bytes([68, 8, 5, 2, 0, 0, 0, 0])


def opt4(src, dst, opts, ttl=64, seq=1, frag=0x4000, data=DATA):
    return ip4(src, dst, 1, icmp4(8, 0, 0x4242 << 16 | seq, data), ttl=ttl,
               ident=seq, frag=frag, opts=opts)


S['ip4_options'] = [
    rec(DAD_DONE, 0, e4(ME, M7, opt4('10.0.0.7', '10.0.0.1', RR9))),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '10.0.0.1', TS1, seq=2))),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '192.168.9.2', RR9, seq=3))),
    rec(5, 1, opt4('192.168.9.2', '10.0.0.7', TS1, seq=4)),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '10.0.0.1', TSFULL, seq=5))),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '10.0.0.1', RRBAD, seq=6))),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '192.168.9.2', TS2, seq=7))),
    rec(5, 0, e4(ME, M7, opt4('10.0.0.7', '192.168.9.2', RR9, ttl=1,
                              seq=8, frag=0x2000, data=DATA[:16]))),
]


# IPv6 extension headers
def ext6(nxt, hdrs, src='2001:db8::9', dst='2001:db8::1'):
    return e6(ME, H9, ip6(src, dst, nxt, hdrs))


E = icmp6('2001:db8::9', '2001:db8::1', 128, 0,
          struct.pack('!HH', 1, 1) + DATA)
S['ip6_ext'] = [
    rec(DAD_DONE, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1',
                                   '2001:db8::9', 0x60, H9))),
    rec(1, 0, ext6(0, bytes([58, 0, 1, 4, 0, 0, 0, 0]) + E)),   # hbh, PadN
    rec(1, 0, ext6(60, bytes([58, 0, 0x80, 4, 0, 0, 0, 0]) + E)),
    rec(1, 0, ext6(60, bytes([58, 0, 0xc0, 4, 0, 0, 0, 0]) + E)),
    rec(1, 0, ext6(60, bytes([58, 0, 0x40, 4, 0, 0, 0, 0]) + E)),
    rec(1, 0, ext6(43, bytes([58, 0, 0, 1, 0, 0, 0, 0]) + E)),  # segs left
    rec(1, 0, ext6(43, bytes([58, 0, 4, 0, 0, 0, 0, 0]) + E)),  # done
    rec(1, 0, ext6(44, bytes([58, 0, 0, 0, 0, 0, 0, 1]) + E)),  # atomic
    rec(1, 0, ext6(44, bytes([58, 0, 0, 1, 0, 0, 0, 2]) + E)),  # first
    rec(1, 0, ext6(59, DATA)),                                  # no next
    rec(1, 0, ext6(60, bytes([0, 0, 1, 4, 0, 0, 0, 0]) +
                   bytes([58, 0, 1, 4, 0, 0, 0, 0]) + E)),      # hbh late
    rec(1, 0, ext6(0, bytes([60, 0, 1, 4, 0, 0, 0, 0]) +
                   bytes([43, 0, 1, 4, 0, 0, 0, 0]) +
                   bytes([44, 0, 4, 0, 0, 0, 0, 0]) +
                   bytes([58, 0, 0, 0, 0, 0, 0, 3]) + E)),
    rec(1, 0, ext6(253, bytes([1, 2, 3, 4]))),
    rec(1, 0, ext6(60, bytes([58, 200, 1, 4, 0, 0, 0, 0]) + E)),  # runs off
]
# raw IP on the pkt link
S['pkt_raw'] = [
    rec(DAD_DONE, 1, echo4('192.168.9.2', '192.168.9.1')),
    rec(1, 1, ip4('192.168.9.2', '192.168.9.1', 17, udp4(
        '192.168.9.2', '192.168.9.1', 1, 2, DATA))),
    rec(1, 1, echo6('2001:db8:9::2', '2001:db8::1')),
    rec(1, 1, echo4('192.168.9.2', '10.0.0.1', seq=2)),
    rec(1, 1, echo4('192.168.9.2', '10.0.0.255', seq=3)),
    rec(1, 1, b'\x45'),
    rec(1, 1, b''),
    rec(1, 1, echo4('127.0.0.1', '192.168.9.1', seq=4)),
] + [rec(1, 1, f) for f in frags4('192.168.9.2', '192.168.9.1', 1, P, 0x300,
                                   [(0, 304, 1), (304, len(P) - 304, 0)])]
# the state machines: down and up, addresses going and coming, lladdr,
# promisc, mtu, with frames between
S['state'] = [
    rec(DAD_DONE, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1'))),
    ctl(1, 'down0'),
    rec(1, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', seq=2))),
    ctl(1, 'up0'),
    rec(1, 0, e6(SNMAC, OTHER, ns('::', SNME, '2001:db8::1'))),
    ctl(DAD_DONE, 'remove4'),
    rec(1, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', seq=3))),
    ctl(1, 'add4'),
    ctl(1, 'remove6'),
    ctl(1, 'add6'),
    rec(1, 0, e6(SNMAC, OTHER, ns('::', SNME, '2001:db8::1'))),
    ctl(1, 'lladdr99'),
    rec(1, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', seq=4))),
    ctl(1, 'lladdr00'),
    ctl(1, 'promisc_on0'),
    rec(1, 0, e4(OTHER, M7, echo4('10.0.0.7', '10.0.0.9', seq=5))),
    ctl(1, 'promisc_off0'),
    ctl(1, 'promisc_off0'),
    ctl(1, 'mtu1280_0'),
    rec(1, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', seq=6,
                               data=bytes(1400)))),
    ctl(1, 'mtu1500_0'),
    ctl(1, 'removeptp'),
    rec(1, 1, echo4('192.168.9.2', '192.168.9.1', seq=7)),
    ctl(1, 'addptp'),
    ctl(1, 'down1'),
    rec(1, 1, echo4('192.168.9.2', '192.168.9.1', seq=8)),
    ctl(1, 'up1'),
    ctl(1, 'iprouting0'),
    ctl(1, 'iprouting1'),
    ctl(1, 'leave4'), ctl(1, 'leave6'), ctl(1, 'allmulti_on'),
    rec(1, 0, e4('01:00:5e:01:02:03', M7, echo4('10.0.0.7', '239.1.2.3'))),
    ctl(1, 'allmulti_off'), ctl(1, 'join4'), ctl(1, 'join6'),
    ctl(1, 'reassemble0'), ctl(1, 'reassemble1'),
    ctl(1, 'arpflush'),
    rec(1, 0, e4(ME, M7, echo4('10.0.0.7', '10.0.0.1', seq=9))),
    ctl(1, 'arpadd'),
    rec(60000, 0, b''),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
]
# a pending resolution dropped by down, and the waiting queue filled
S['nbr_queue'] = (
    [rec(DAD_DONE if i == 0 else 0, 1,
         echo4('192.168.9.2', '10.0.0.60', seq=i, data=b''))
     for i in range(66)] +
    [ctl(1, 'down0'), ctl(1, 'up0'), rec(5000, 0, b'')])


# more datagrams at once than the table holds: the oldest gives way;
# last fragments that disagree on the length, one past the end
S['ip4_frag_table'] = (
    [rec(DAD_DONE if i == 0 else 1, 0, e4(ME, M7, ip4(
        '10.0.0.7', '10.0.0.1', 17, bytes(8), ident=0x400 + i,
        frag=0x2000))) for i in range(10)] +
    [rec(1, 0, e4(ME, M7, f)) for f in frags4(
        '10.0.0.7', '10.0.0.1', 1, P, 0x500,
        [(400, len(P) - 400, 0), (200, len(P) - 200, 0)])] +
    [rec(1, 0, e4(ME, M7, f)) for f in frags4(
        '10.0.0.7', '10.0.0.1', 1, P, 0x501,
        [(200, 200, 0), (400, 8, 1)])] +
    [rec(1, 0, e4(ME, M7, ip4('10.0.0.7', '10.0.0.1', 1, bytes(12),
                              ident=0x502, frag=0x2000)))] +
    [rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b'')])
# older queriers: IGMPv1 and MLDv1 compatibility, with joins and leaves
IQ1 = igmp(struct.pack('!BBH4s', 0x11, 0, 0, bytes(4)))
S['mcast_compat'] = [
    rec(DAD_DONE, 0, e4('01:00:5e:00:00:01', GW, ip4(
        '10.0.0.254', '224.0.0.1', 2, IQ1, ttl=1))),
    rec(10, 0, e6('33:33:00:00:00:01', GW, ip6(
        'fe80::fe', 'ff02::1', 0, HBH_RA + MQ1, hlim=1))),
    rec(NEXTTIMER, 0, b''),
    ctl(1, 'leave4'), ctl(1, 'leave6'),
    ctl(1, 'join4'), ctl(1, 'join6'),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(10, 0, e4('01:00:5e:00:00:01', GW, ip4(
        '10.0.0.254', '224.0.0.1', 2, IQ2, ttl=1, opts=IP4_RA))),
    ctl(1, 'leave4'), ctl(1, 'join4'),
    ctl(1, 'down0'), ctl(1, 'up0'),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(60000, 0, b''), rec(60000, 0, b''), rec(60000, 0, b''),
    rec(60000, 0, b''), rec(60000, 0, b''),
    ctl(1, 'leave4'), ctl(1, 'leave6'),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
]
# IPv6 fragments (RFC 8200 4.5): in order, reversed, a duplicate, an
# overlap, a first piece without the upper-layer header (RFC 7112), a lost
# one timing out; then packet too big messages (RFC 8201)
def frags6(src, dst, nxt, payload, ident, pieces):
    """pieces: (offset, length, more) in bytes of payload."""
    return [e6(ME, H9, ip6(src, dst, 44, struct.pack(
        '!BBHI', nxt, 0, off | more, ident) + payload[off:off + n]))
        for off, n, more in pieces]


P6 = icmp6('2001:db8::9', '2001:db8::1', 128, 0, struct.pack('!HH', 2, 2) +
           bytes((i * 5) & 0xff for i in range(3000)))
Q6 = bytes(ip6('2001:db8::1', '2001:db8:5::5', 58, bytes(1400)))[:48]
S['ip6_frag'] = (
    [rec(DAD_DONE, 0, e6(ME, H9, na('2001:db8::9', '2001:db8::1',
                                    '2001:db8::9', 0x60, H9)))] +
    [rec(1, 0, f) for f in frags6('2001:db8::9', '2001:db8::1', 58, P6, 1,
                                  [(0, 1448, 1), (1448, 1448, 1),
                                   (2896, len(P6) - 2896, 0)])] +
    [rec(1, 0, f) for f in frags6('2001:db8::9', '2001:db8::1', 58, P6, 2,
                                  [(2896, len(P6) - 2896, 0), (0, 1448, 1),
                                   (0, 1448, 1), (1448, 1448, 1)])] +
    [rec(1, 0, f) for f in frags6('2001:db8::9', '2001:db8::1', 58, P6, 3,
                                  [(0, 1448, 1), (1000, 1448, 1)])] +
    [rec(1, 0, f) for f in frags6('2001:db8::9', '2001:db8::1', 58, P6, 4,
                                  [(0, 2, 1), (8, 9, 1)])] +
    [rec(1, 0, f) for f in frags6('2001:db8::9', '2001:db8::1', 58, P6, 5,
                                  [(0, 1448, 1), (65528, 16, 0)])] +
    [rec(1, 0, e6(ME, GW, ip6('2001:db8::fe', '2001:db8::1', 58, icmp6(
        '2001:db8::fe', '2001:db8::1', 2, 0, struct.pack('!I', m) + Q6))))
     for m in (1400, 1000, 1450, 1300)] +
    [rec(40000, 0, b'')])



def rs(src, slla=None):
    body = bytes(4)
    if slla:
        body += bytes([1, 1]) + mac(slla)
    return ip6(src, 'ff02::2', 58, icmp6(src, 'ff02::2', 133, 0, body),
               hlim=255)


# router mode (RFC 4861 6.2): solicitations answered, the link-local
# address replaced while advertising, down and up (final RAs)
S['rtadv'] = [
    rec(DAD_DONE, 0, e6('33:33:00:00:00:02', H9, rs(LL9, H9))),
    rec(10, 0, e6('33:33:00:00:00:02', H9, rs('::'))),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    ctl(1, 'lladdr99'),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(1, 0, e6('33:33:00:00:00:02', H9, rs(LL9, H9))),
    ctl(1, 'lladdr00'), ctl(1, 'down0'),
    rec(10, 0, e6('33:33:00:00:00:02', H9, rs(LL9, H9))),
    ctl(1, 'up0'),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
]

def ra(src, life=1800, opts=b'', hlim=255):
    body = struct.pack('!BBHII', 64, 0, life, 30000, 1000) + opts
    return ip6(src, 'ff02::1', 58, icmp6(src, 'ff02::1', 134, 0, body),
               hlim=hlim)


def ra_opts(slla):
    return (bytes([1, 1]) + mac(slla) +
            bytes([5, 1, 0, 0]) + struct.pack('!I', 1400) +
            bytes([3, 4, 64, 0xc0]) + struct.pack('!III', 600, 300, 0) +
            a6('2001:db8:5::') +
            bytes([25, 3, 0, 0]) + struct.pack('!I', 600) +
            a6('2001:db8:5::53') +
            bytes([24, 3, 96, 0x08]) + struct.pack('!I', 600) +
            a6('2001:db8:6::'))


# host mode (ra6 recvra 1): an RA with every option the stack applies,
# the addresses through DAD, a router lifetime of 0, an RA with a bad hop
# limit, then lifetimes running out
S['slaac_host'] = [
    rec(DAD_DONE, 0, e6('33:33:00:00:00:01', H9, ra(LL9,
                                                   opts=ra_opts(H9)))),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(NEXTTIMER, 0, b''),
    rec(10, 0, e6('33:33:00:00:00:01', H9, ra(LL9, life=0))),
    rec(10, 0, e6('33:33:00:00:00:01', H9, ra(LL9, hlim=64,
                                              opts=ra_opts(H9)))),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
    rec(NEXTTIMER, 0, b''), rec(NEXTTIMER, 0, b''),
]

# the timers alone, from the start: DAD, ARP probes, reports
S['timers'] = [rec(NEXTTIMER, 0, b'') for i in range(24)]


def frames():
    for name, recs in S.items():
        for r in recs:
            if len(r) > 5 and r[2] & 0xe0 != 0xe0 and r[2] & 1 == 0:
                yield r[5:]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus', 'stack')
    if '--pcap' in sys.argv:
        fn = sys.argv[sys.argv.index('--pcap') + 1]
        with open(fn, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for v in frames():
                f.write(struct.pack('<IIII', 0, 0, len(v), len(v)) + v)
    os.makedirs(out, exist_ok=True)
    for k, recs in S.items():
        with open(os.path.join(out, k), 'wb') as f:
            f.write(b''.join(recs))


if __name__ == '__main__':
    main()
