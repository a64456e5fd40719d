#!/usr/bin/env python3
"""
Seeds for fuzz/fuzz_slaac.c, written into fuzz/corpus/slaac/.

A seed is one configuration byte, then records as fuzz_slaac.c reads
them (big-endian):

    delay[2] op[1] args...

delay: bit 15 set, seconds; else ms; 0xffff: on to the engine's next
deadline.  op 0: RA, rtr[1] len[2] message (the harness fixes its
checksum); 1: DAD idx[1] ok[1]; 2: link up[1] mac[1]; 3: link-local
usable[1]; 4: the operator takes address idx[1]; 5: temporary addresses
for 2001:db8:(n % 4)::/64 on (bit 7) or off.
"""
import os
import struct
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkcorpus import a6, RAO  # noqa

NEXT = 0xffff
EUI64, TEMP, NOTWOHOUR, OPTIMISTIC, ROUTESONLY = 1, 2, 4, 8, 16
LA = 0xc0


def ra(rtrlife=1800, prf=0, opts=b'', hlim=64, reach=0, retrans=0):
    """An RA without its checksum (the harness sets it)."""
    return struct.pack('!BBHBBHII', 134, 0, 0, hlim, prf << 3, rtrlife,
                       reach, retrans) + opts


def pio(prefix, valid, pref, plen=64, flags=LA):
    return struct.pack('!BBBBIII16s', 3, 4, plen, flags, valid, pref, 0,
                       a6(prefix))


def rio(prefix, plen, life, prf=0):
    n = 1 if plen == 0 else 2 if plen <= 64 else 3
    return struct.pack('!BBBBI', 24, n, plen, prf << 3, life) + \
        a6(prefix)[:8 * (n - 1)]


def rdnss(addr, life):
    return struct.pack('!BBHI16s', 25, 3, 0, life, a6(addr))


def mtu(v):
    return struct.pack('!BBHI', 5, 1, 0, v)


def slla(m):
    return bytes([1, 1]) + bytes(m)


def rec_ra(delay, msg, rtr=0):
    return struct.pack('!HBBH', delay, 0, rtr, len(msg)) + msg


def rec_dad(delay, idx, ok):
    return struct.pack('!HBBB', delay, 1, idx, ok)


def rec_link(delay, up, m):
    return struct.pack('!HBBB', delay, 2, up, m)


def rec_user(delay, idx):
    return struct.pack('!HBB', delay, 4, idx)


def rec_temp(delay, n):
    return struct.pack('!HBB', delay, 5, n)


def secs(s):
    return 0x8000 | s


def run(n):
    """n steps to the next deadline (a DAD result for address 0 each)."""
    return b''.join(rec_dad(NEXT, 0, 1) for _ in range(n))


BASIC = ra(opts=pio('2001:db8:1::', 7200, 3600) +
           rio('2001:db8:99::', 48, 900, 1) + rdnss('2001:db8::53', 600) +
           mtu(1400) + slla([2, 0, 0, 0, 0, 0xfe]))
SEEDS = {
    'basic': bytes([0]) + rec_ra(10, BASIC) + rec_dad(5, 0, 1) + run(12),
    'eui64_optimistic': bytes([EUI64 | OPTIMISTIC]) +
    rec_ra(10, BASIC) + rec_ra(10, ra(opts=pio('2001:db8:2::', 100, 50))) +
    rec_link(secs(5), 1, 9) + rec_ra(secs(1), BASIC) + run(8),
    'temporary': bytes([TEMP]) +
    rec_ra(10, ra(opts=pio('2001:db8:2::', 0xffffffff, 0xffffffff))) +
    rec_dad(1, 0, 1) + rec_dad(1, 1, 1) + run(20) +
    rec_temp(secs(1), 2) + rec_temp(secs(1), 0x82) +
    rec_ra(secs(1), ra(opts=pio('2001:db8:2::', 0xffffffff, 0xffffffff))),
    'twohour': bytes([0]) +
    rec_ra(10, ra(opts=pio('2001:db8:3::', 36000, 3600))) +
    rec_ra(secs(1), ra(opts=pio('2001:db8:3::', 3600, 600))) +
    rec_ra(secs(3600), ra(opts=pio('2001:db8:3::', 10, 0))) +
    rec_ra(secs(1), ra(opts=pio('2001:db8:3::', 0, 0))) + run(4),
    'twohour_off': bytes([NOTWOHOUR]) +
    rec_ra(10, ra(opts=pio('2001:db8:3::', 36000, 3600))) +
    rec_ra(secs(1), ra(opts=pio('2001:db8:3::', 0, 0))) + run(2),
    'dad_retry': bytes([0]) +
    rec_ra(10, ra(opts=pio('2001:db8:4::', 7200, 3600))) +
    rec_dad(1, 0, 0) + rec_dad(1, 0, 0) + rec_dad(1, 0, 0) +
    rec_dad(1, 0, 0) + rec_ra(secs(1), ra(opts=pio('2001:db8:4::', 7200,
                                                   3600))) + run(3),
    'routers': bytes([0]) +
    rec_ra(10, ra(prf=1, opts=pio('2001:db8:1::', 7200, 3600)), 0) +
    rec_ra(10, ra(prf=3, opts=pio('2001:db8:2::', 7200, 3600)), 1) +
    rec_ra(10, ra(rtrlife=0), 0) +
    rec_ra(10, ra(rtrlife=30, opts=rio('::', 0, 60, 3)), 2) + run(6),
    'user': bytes([0]) + rec_ra(10, BASIC) + rec_user(1, 0) +
    rec_ra(secs(1), BASIC) + run(4),
    'routes_only': bytes([ROUTESONLY]) + rec_ra(10, BASIC) + run(4),
    'options': bytes([0]) + rec_ra(10, RAO[:2] + b'\0\0' + RAO[4:]) + run(4),
    'link': bytes([0]) + rec_link(0, 0, 1) + struct.pack('!HBB', 5, 3, 0) +
    rec_link(100, 1, 1) + run(5) + rec_ra(10, BASIC),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, 'corpus', 'slaac')
    os.makedirs(out, exist_ok=True)
    for k, v in SEEDS.items():
        with open(os.path.join(out, k), 'wb') as f:
            f.write(v)


if __name__ == '__main__':
    main()
