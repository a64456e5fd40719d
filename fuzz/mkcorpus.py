#!/usr/bin/env python3
"""
The wire test vectors, built here independently of the C code (their
checksums come from this file's own RFC 1071 sum), written as seeds for
fuzz/fuzz_wire.c into fuzz/corpus/wire/.

    fuzz/mkcorpus.py            write the corpus
    fuzz/mkcorpus.py --pcap F   also write the frames to a pcap (check them
                                with tshark -o ip.check_checksum:TRUE ...)
    fuzz/mkcorpus.py --c        print the vectors as C arrays

A seed is one selector byte (the mode of fuzz_wire.c) and the input.
"""
import ipaddress
import os
import struct
import sys

MODE_FRAME = 0
MODE_IP = 1
MODE_ARP = 2
MODE_ICMP6 = 6
MODE_ND = 7
MODE_MLD = 8
MODE_IGMP = 9
MODE_OPTS = 10
MODE_EXT = 11


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def a4(s):
    return ipaddress.IPv4Address(s).packed


def a6(s):
    return ipaddress.IPv6Address(s).packed


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def eth(dst, src, etype, payload, pad=True):
    f = mac(dst) + mac(src) + struct.pack('!H', etype) + payload
    if pad and len(f) < 60:
        f += b'\0' * (60 - len(f))
    return f


def ip4(src, dst, proto, payload, ttl=64, ident=0, frag=0x4000, tos=0,
        opts=b''):
    hl = 20 + len(opts)
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | hl // 4, tos, hl + len(payload),
                    ident, frag, ttl, proto, 0, a4(src), a4(dst)) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nxt, payload, hlim=64, tclass=0, flow=0):
    return struct.pack('!IHBB16s16s', 6 << 28 | tclass << 20 | flow,
                       len(payload), nxt, hlim, a6(src), a6(dst)) + payload


def icmp4(typ, code, rest, data):
    m = struct.pack('!BBHI', typ, code, 0, rest) + data
    return m[:2] + struct.pack('!H', csum(m)) + m[4:]


def icmp6(src, dst, typ, code, body):
    m = struct.pack('!BBH', typ, code, 0) + body
    ph = a6(src) + a6(dst) + struct.pack('!IxxxB', len(m), 58)
    return m[:2] + struct.pack('!H', csum(ph + m)) + m[4:]


def igmp(b):
    return b[:2] + struct.pack('!H', csum(b)) + b[4:]


HBH_RA = bytes([58, 0, 5, 2, 0, 0, 1, 0])
IP4_RA = bytes([0x94, 4, 0, 0])
M1 = '02:00:00:00:00:01'
M2 = '02:00:00:00:00:02'
LL1 = 'fe80::ff:fe00:1'
LL2 = 'fe80::ff:fe00:2'
DATA = b'abcdefghijklmnopqrstuvwabcdefghi'

V = {}

V['arp_request'] = eth('ff:ff:ff:ff:ff:ff', M1, 0x0806, struct.pack(
    '!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac(M1), a4('192.0.2.1'),
    bytes(6), a4('192.0.2.2')))
V['arp_reply'] = eth(M1, M2, 0x0806, struct.pack(
    '!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 2, mac(M2), a4('192.0.2.2'),
    mac(M1), a4('192.0.2.1')))
V['icmp4_echo'] = eth(M2, M1, 0x0800, ip4(
    '192.0.2.1', '192.0.2.2', 1, icmp4(8, 0, 0x42420001, DATA),
    ident=0x1234))
V['icmp4_needfrag'] = eth(M1, M2, 0x0800, ip4(
    '192.0.2.2', '192.0.2.1', 1, icmp4(3, 4, 1400, ip4(
        '192.0.2.1', '198.51.100.7', 17,
        struct.pack('!HHHH', 5000, 53, 1480, 0) + bytes(40))[:28]),
    frag=0, ttl=255))
V['igmp3_report'] = eth('01:00:5e:00:00:16', M1, 0x0800, ip4(
    '192.0.2.1', '224.0.0.22', 2, igmp(struct.pack(
        '!BBHHHBBH4s', 0x22, 0, 0, 0, 1, 4, 0, 0, a4('224.0.0.251'))),
    ttl=1, tos=0xc0, opts=IP4_RA))
V['igmp3_query'] = eth('01:00:5e:00:00:01', M2, 0x0800, ip4(
    '192.0.2.2', '224.0.0.1', 2, igmp(struct.pack(
        '!BBH4sBBH', 0x11, 100, 0, bytes(4), 2, 125, 0)),
    ttl=1, tos=0xc0, opts=IP4_RA))
V['igmp2_query'] = eth('01:00:5e:00:00:01', M2, 0x0800, ip4(
    '192.0.2.2', '224.0.0.1', 2, igmp(struct.pack(
        '!BBH4s', 0x11, 100, 0, bytes(4))), ttl=1, opts=IP4_RA))

NS = icmp6(LL1, 'ff02::1:ff00:2', 135, 0, bytes(4) + a6(LL2) +
           bytes([1, 1]) + mac(M1))
V['nd_ns'] = eth('33:33:ff:00:00:02', M1, 0x86dd,
                 ip6(LL1, 'ff02::1:ff00:2', 58, NS, hlim=255))
DAD = icmp6('::', 'ff02::1:ff00:2', 135, 0, bytes(4) + a6(LL2) +
            bytes([14, 1, 1, 2, 3, 4, 5, 6]))
V['nd_dad'] = eth('33:33:ff:00:00:02', M2, 0x86dd,
                  ip6('::', 'ff02::1:ff00:2', 58, DAD, hlim=255))
NA = icmp6(LL2, LL1, 136, 0, bytes([0x60, 0, 0, 0]) + a6(LL2) +
           bytes([2, 1]) + mac(M2))
V['nd_na'] = eth(M1, M2, 0x86dd, ip6(LL2, LL1, 58, NA, hlim=255))
RA = icmp6('fe80::1', 'ff02::1', 134, 0, struct.pack(
    '!BBHII', 64, 0xc0, 1800, 30000, 1000) +
    bytes([1, 1]) + mac('02:00:00:00:00:fe') +
    struct.pack('!BBHI', 5, 1, 0, 1500) +
    struct.pack('!BBBBIII16s', 3, 4, 64, 0xc0, 2592000, 604800, 0,
                a6('2001:db8:1::')) +
    struct.pack('!BBHI16s', 25, 3, 0, 600, a6('2001:db8::53')))
V['nd_ra'] = eth('33:33:00:00:00:01', '02:00:00:00:00:fe', 0x86dd,
                 ip6('fe80::1', 'ff02::1', 58, RA, hlim=255))
# RFC 4191 route information, RFC 8106 DNSSL, RFC 8781 PREF64, RFC 8910
# captive portal; router preference high
DNSSL_NAMES = b''.join(bytes([len(x)]) + x for x in (b'example', b'com')) + \
    b'\0' + b''.join(bytes([len(x)]) + x for x in
                     (b'lab', b'example', b'org')) + b'\0'
DNSSL_NAMES += bytes(-(8 + len(DNSSL_NAMES)) % 8)
CP_URI = b'https://portal.example/'
RAO = icmp6('fe80::1', 'ff02::1', 134, 0, struct.pack(
    '!BBHII', 64, 0x08, 1800, 0, 0) +
    struct.pack('!BBBBI8s', 24, 2, 48, 0x18, 3600, a6('2001:db8:2::')[:8]) +
    struct.pack('!BBBBI', 24, 1, 0, 0x08, 1800) +
    struct.pack('!BBHI', 31, (8 + len(DNSSL_NAMES)) // 8, 0, 1200) +
    DNSSL_NAMES +
    struct.pack('!BBH12s', 38, 2, 600 | 0, a6('64:ff9b::')[:12]) +
    bytes([37, (2 + len(CP_URI) + 7) // 8]) + CP_URI +
    bytes(-(2 + len(CP_URI)) % 8))
V['nd_ra_opts'] = eth('33:33:00:00:00:01', '02:00:00:00:00:fe', 0x86dd,
                      ip6('fe80::1', 'ff02::1', 58, RAO, hlim=255))
RS = icmp6(LL1, 'ff02::2', 133, 0, bytes(4) + bytes([1, 1]) + mac(M1))
V['nd_rs'] = eth('33:33:00:00:00:02', M1, 0x86dd,
                 ip6(LL1, 'ff02::2', 58, RS, hlim=255))
RD = icmp6('fe80::1', '2001:db8::5', 137, 0, bytes(4) + a6('fe80::2') +
           a6('2001:db8:9::1') + bytes([4, 7]) + bytes(6) +
           ip6('2001:db8::5', '2001:db8:9::1', 59, bytes(8))[:48])
V['nd_redirect'] = eth(M1, '02:00:00:00:00:fe', 0x86dd,
                       ip6('fe80::1', '2001:db8::5', 58, RD, hlim=255))
E6 = icmp6('2001:db8::1', '2001:db8::2', 128, 0,
           struct.pack('!HH', 0x4242, 1) + DATA)
V['icmp6_echo'] = eth(M2, M1, 0x86dd,
                      ip6('2001:db8::1', '2001:db8::2', 58, E6))
TB = icmp6('2001:db8::fe', '2001:db8::1', 2, 0, struct.pack('!I', 1400) +
           ip6('2001:db8::1', '2001:db8:7::7', 17, bytes(1400))[:200])
V['icmp6_toobig'] = eth(M1, M2, 0x86dd,
                        ip6('2001:db8::fe', '2001:db8::1', 58, TB))
MR = icmp6(LL1, 'ff02::16', 143, 0, struct.pack('!HH', 0, 1) +
           struct.pack('!BBH16s', 4, 0, 0, a6('ff02::fb')))
V['mld2_report'] = eth('33:33:00:00:00:16', M1, 0x86dd,
                       ip6(LL1, 'ff02::16', 0, HBH_RA + MR, hlim=1))
MQ = icmp6('fe80::1', 'ff02::1', 130, 0, struct.pack('!HH', 10000, 0) +
           bytes(16) + bytes([2, 125, 0, 0]))
V['mld2_query'] = eth('33:33:00:00:00:01', '02:00:00:00:00:fe', 0x86dd,
                      ip6('fe80::1', 'ff02::1', 0, HBH_RA + MQ, hlim=1))
MQ1 = icmp6('fe80::1', 'ff02::1', 130, 0, struct.pack('!HH', 10000, 0) +
            bytes(16))
V['mld1_query'] = eth('33:33:00:00:00:01', '02:00:00:00:00:fe', 0x86dd,
                      ip6('fe80::1', 'ff02::1', 0, HBH_RA + MQ1, hlim=1))
FR = bytes([17, 0]) + struct.pack('!HI', 1448 | 1, 0xdeadbeef) + bytes(16)
V['ip6_frag'] = eth(M2, M1, 0x86dd, ip6(
    '2001:db8::1', '2001:db8::2', 60,
    bytes([44, 0, 1, 4, 0, 0, 0, 0]) + FR))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus', 'wire')
    if '--c' in sys.argv:
        for k, v in V.items():
            print('static const uint8_t %s[] = {' % k)
            for i in range(0, len(v), 12):
                print('\t' + ', '.join('0x%02x' % b for b in v[i:i + 12])
                      + ',')
            print('};')
        return
    if '--pcap' in sys.argv:
        fn = sys.argv[sys.argv.index('--pcap') + 1]
        with open(fn, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for v in V.values():
                f.write(struct.pack('<IIII', 0, 0, len(v), len(v)) + v)
    os.makedirs(out, exist_ok=True)
    for k, v in V.items():
        with open(os.path.join(out, k), 'wb') as f:
            f.write(bytes([MODE_FRAME]) + v)
    # the ND and MLD parsers alone: hop limit, source, destination, message
    seeds = {
        'only_ns': (MODE_ND, bytes([255]) + a6(LL1) + a6('ff02::1:ff00:2') +
                    NS),
        'only_ra': (MODE_ND, bytes([255]) + a6('fe80::1') + a6('ff02::1') +
                    RA),
        'only_ra_opts': (MODE_ND, bytes([255]) + a6('fe80::1') +
                         a6('ff02::1') + RAO),
        'only_mldq': (MODE_MLD, a6('fe80::1') + a6('ff02::1') + MQ),
        'only_mldr': (MODE_MLD, a6(LL1) + a6('ff02::16') + MR),
        'only_echo6': (MODE_ICMP6, a6('2001:db8::1') + a6('2001:db8::2') +
                       E6),
        'only_ext': (MODE_EXT, bytes([0]) + HBH_RA + FR),
        # IPv4 options (RFC 791 3.1): a NOP, Record Route with one of two
        # slots taken, Timestamp flag 1 with one of two pairs, EOL
        'only_ip4opts': (MODE_OPTS, bytes([1, 7, 11, 8]) + a4('10.0.0.1') +
                         bytes(4) + bytes([68, 20, 13, 0x21]) +
                         a4('10.0.0.1') + struct.pack('!I', 0x80000001) +
                         bytes(8) + bytes([0])),
    }
    for k, (mode, v) in seeds.items():
        with open(os.path.join(out, k), 'wb') as f:
            f.write(bytes([mode]) + v)


if __name__ == '__main__':
    main()
