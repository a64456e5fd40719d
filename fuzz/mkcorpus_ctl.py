#!/usr/bin/env python3
"""
Seeds for fuzz/fuzz_ctl.c, written into fuzz/corpus/ctl/.

    fuzz/mkcorpus_ctl.py

Each scenario of tests/scenarios/ gives one seed: its writes (of every
host, onto the one stack the target has) and its clock steps, in the
target's language (PATH TEXT, +MS).  A few seeds of our own add what the
scenarios do not: frames that make an address duplicate (an NS from ::
and an NA for a tentative address, RFC 4862 5.4.3, 5.4.4), clients that
go away holding groups, and each file read.
"""
import glob
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkcorpus import a6, eth, icmp6, ip6  # noqa: E402

UNITS = {'ms': 1, 's': 1000, 'm': 60000, 'h': 3600000}


def duration(d):
    m = re.fullmatch(r'(\d+)(ms|s|m|h)', d)
    return int(m.group(1)) * UNITS[m.group(2)] if m else 0


def scenario(path):
    out = []
    for line in open(path):
        w = line.split(None, 1)
        if not w:
            continue
        if w[0] == 'write' and len(w) > 1:
            out.append(w[1].rstrip('\n'))
        elif w[0] == 'advance' and len(w) > 1:
            out.append('+%d' % duration(w[1].strip()))
        elif w[0] == 'read' and len(w) > 1:
            out.append('?' + w[1].strip())
    return '\n'.join(out) + '\n'


def dad_frames():
    """An NS from :: and an NA for 2001:db8::1, each in an Ethernet frame."""
    tgt = '2001:db8::1'
    sn = 'ff02::1:ff00:1'
    ns = ip6('::', sn, 58, icmp6('::', sn, 135, 0, b'\0' * 4 + a6(tgt)),
             hlim=255)
    na_body = struct.pack('!I', 0x20000000) + a6(tgt) + \
        bytes([2, 1, 2, 0, 0, 0, 0, 0x99])
    na = ip6('fe80::99', 'ff02::1', 58,
             icmp6('fe80::99', 'ff02::1', 136, 0, na_body), hlim=255)
    return (eth('33:33:ff:00:00:01', '02:00:00:00:00:99', 0x86dd, ns),
            eth('33:33:00:00:00:01', '02:00:00:00:00:99', 0x86dd, na))


def own():
    ns, na = dad_frames()
    seeds = {}
    seeds['dad_ns'] = '\n'.join([
        'ipifc/clone bind ether sim:a',
        'ipifc/0/ctl add 2001:db8::1/64',
        '<0 ' + ns.hex(),
        '+',
        '+2000',
        '?ipselftab',
        'ipifc/0/ctl add 2001:db8::1/64',
        '+',
        '+1000',
    ]) + '\n'
    seeds['dad_na'] = '\n'.join([
        'ipifc/clone bind ether sim:a',
        'ipifc/0/ctl add 2001:db8::1/64',
        '+',
        '<0 ' + na.hex(),
        '+3000',
        'ipifc/0/ctl down',
        'ipifc/0/ctl up',
        '<0 ' + na.hex(),
        '+',
    ]) + '\n'
    seeds['clients'] = '\n'.join([
        'ipifc/clone bind ether sim:a',
        'ipifc/clone bind pkt sim:b',
        'ipifc/0/ctl add 10.0.0.1/24',
        '@1',
        'ipifc/0/ctl joinmulti 239.1.2.3',
        'ipifc/0/ctl joinmulti 239.1.2.3 10.0.0.1',
        'ipifc/0/ctl promisc on',
        '@2',
        'ipifc/0/ctl joinmulti 239.1.2.3',
        'ipifc/0/ctl allmulti on',
        '~1',
        'ipifc/0/ctl remove 10.0.0.1 /24',
        '~2',
        '@0',
        'ipifc/0/ctl leavemulti 239.1.2.3',
        'ipifc/0/ctl promisc off',
        'ipifc/1/ctl add 192.168.9.1 255.255.255.255 192.168.9.2 1500 proxy',
        'ipifc/1/ctl unbind',
    ]) + '\n'
    seeds['tables'] = '\n'.join([
        'ipifc/clone bind ether sim:a',
        'ipifc/0/ctl add 10.0.0.1 255.255.255.0',
        'ipifc/0/ctl add 2001:db8::1/64',
        'iproute add 0.0.0.0 /0 10.0.0.254',
        'iproute add 2001:db8:9:: /48 2001:db8::fe',
        'iproute remove 0.0.0.0 /0',
        'iproute flush',
        'arp add 10.0.0.7 02:00:00:00:77:77',
        'arp add 10.0.0.8 02:00:00:00:77:78 pub',
        'arp del 10.0.0.7',
        'arp flush',
        'ippolicy add fd00:2:: /32 10 7',
        'ippolicy remove fd00:2:: /32',
        'ippolicy default',
        '?iproute',
        '?arp',
        '?ippolicy',
        '?ipifc/0/status',
    ]) + '\n'
    return seeds


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    out = os.path.join(here, 'corpus', 'ctl')
    os.makedirs(out, exist_ok=True)
    seeds = own()
    for sim in sorted(glob.glob(os.path.join(top, 'tests', 'scenarios',
                                             '*.sim'))):
        seeds['scen_' + os.path.basename(sim)[:-4]] = scenario(sim)
    for k, v in seeds.items():
        with open(os.path.join(out, k), 'w') as f:
            f.write(v)


if __name__ == '__main__':
    main()
