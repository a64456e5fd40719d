/*
 * Fuzz target for the wire parsers (proto/wire*.c, proto/cksum.c).
 *
 * The first byte picks a mode, the rest is the input.  Every parse that
 * succeeds is built again and parsed again, and the two parses must be
 * equal (the parse-build-parse round trip).  Unless the mode byte has its
 * top bit set, checksums are fixed before parsing, so that the fuzzer
 * reaches what lies behind them.
 *
 *   0  an Ethernet frame, through every layer
 *   1  an IP packet (the version decides), through every layer
 *   2  ARP                       3  IPv4 header      4  IPv6 header
 *   5  ICMPv4                    6  ICMPv6: src[16] dst[16] message
 *   7  ND: hlim src[16] dst[16] message
 *   8  MLD: src[16] dst[16] message      9  IGMP
 *  10  IPv4 options and a hop-by-hop header: the Router Alert finders,
 *      Record Route and Timestamp
 *  11  extension headers: nxt, headers
 *
 * Linked with fuzz/replay.c instead of libFuzzer, it replays a corpus
 * (the test fuzz_wire_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_DEFAULT_SOURCE -g -O1 \
 *	-fsanitize=fuzzer,address,undefined -Iinclude -Icore -Iproto \
 *	core/ipaddr.c proto/cksum.c proto/wire_*.c fuzz/fuzz_wire.c \
 *	-o fuzz_wire
 *   mkdir -p corpus && ./fuzz_wire -max_total_time=60 corpus fuzz/corpus/wire
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "wire_eq.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Inputs stay under what one IP packet can hold, so that whatever parses
 * also fits when built again.
 */
#define MAXIN	65000
#define BUFSZ	65536

static uint8_t	in[BUFSZ];	/* the input, with its checksums fixed */
static uint8_t	out[BUFSZ];	/* rebuilt */
static uint8_t	out2[BUFSZ];	/* rebuilt twice */

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* The parsers hand out const pointers into in; fixing sums writes there. */
static uint8_t *
mut(const uint8_t *p)
{
	return in + (p - in);
}

static size_t
minsz(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void
fix_plain(uint8_t *p, size_t len, size_t at)
{
	if (len < at + 2)
		return;
	ipifc_put16(p + at, 0);
	ipifc_put16(p + at, ipifc_cksum_fold(ipifc_cksum_add(0, p, len)));
}

static void
fix_icmp6(uint8_t *p, size_t len, const struct ipifc_ip *src,
    const struct ipifc_ip *dst)
{
	uint32_t sum;

	if (len < 4)
		return;
	ipifc_put16(p + 2, 0);
	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	ipifc_put16(p + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, p, len)));
}

/* ---- round trips ---- */

static void
rt_eth(const struct ipifc_eth *e)
{
	struct ipifc_eth e2;

	CHECK(ipifc_eth_build(out, sizeof(out), e->dst, e->src, e->type) ==
	    IPIFC_ETH_HLEN);
	memcpy(out + IPIFC_ETH_HLEN, e->payload, e->plen);
	CHECK(ipifc_eth_parse(out, IPIFC_ETH_HLEN + e->plen, &e2) == 0);
	CHECK(wire_eq_eth(e, &e2));
}

static void
rt_arp(const struct ipifc_arp *a)
{
	struct ipifc_arp a2;

	CHECK(ipifc_arp_build(out, IPIFC_ARP_LEN, a) == IPIFC_ARP_LEN);
	CHECK(ipifc_arp_parse(out, IPIFC_ARP_LEN, &a2) == 0);
	CHECK(wire_eq_arp(a, &a2));
}

static void
rt_ip4(const struct ipifc_ip4 *h)
{
	struct ipifc_ip4 h2;
	int	 n;

	n = ipifc_ip4_build(out, sizeof(out), h);
	CHECK(n == h->hlen);
	memcpy(out + n, h->payload, h->plen);
	CHECK(ipifc_ip4_parse(out, (size_t)n + h->plen, &h2) == 0);
	CHECK(wire_eq_ip4(h, &h2));
	CHECK(ipifc_ip4_fragoff(h) <= 0xfff8);
}

/* Each Record Route and Timestamp option of a list, round trip. */
static void
rt_ip4opts(const uint8_t *opts, size_t optlen)
{
	struct ipifc_ip4rec r, r2;
	size_t	 off = 0, olen;
	int	 type;

	while ((type = ipifc_ip4opt_next(opts, optlen, &off, &olen)) > 0) {
		CHECK(off <= optlen && olen >= 1 && olen <= off);
		if (ipifc_ip4rec_parse(opts + off - olen, olen, &r) != 0)
			continue;
		CHECK(r.type == type && r.len == olen);
		CHECK(ipifc_ip4rec_build(out, sizeof(out), &r) == (int)olen);
		CHECK(ipifc_ip4rec_parse(out, olen, &r2) == 0);
		CHECK(wire_eq_ip4rec(&r, &r2));
	}
}

static void
rt_ip6(const struct ipifc_ip6 *h)
{
	struct ipifc_ip6 h2;

	CHECK(ipifc_ip6_build(out, sizeof(out), h) == IPIFC_IP6_HLEN);
	memcpy(out + IPIFC_IP6_HLEN, h->payload, h->plen);
	CHECK(ipifc_ip6_parse(out, IPIFC_IP6_HLEN + h->plen, &h2) == 0);
	CHECK(wire_eq_ip6(h, &h2));
}

static int
icmp_iserror(int v6, uint8_t type)
{
	if (v6)
		return type < 128;
	return type != IPIFC_ICMP4_ECHO && type != IPIFC_ICMP4_ECHOREPLY;
}

/* A rebuilt error message quotes at most max bytes. */
static void
check_icmp(const struct ipifc_icmp *m, const struct ipifc_icmp *m2, int v6)
{
	struct ipifc_icmp want = *m;

	if (icmp_iserror(v6, m->type))
		want.dlen = minsz(m->dlen, v6 ? 1232 : 548);
	CHECK(wire_eq_icmp(&want, m2));
}

static void
rt_icmp4(const struct ipifc_icmp *m)
{
	struct ipifc_icmp m2;
	int	 n;

	n = ipifc_icmp4_build(out, sizeof(out), m);
	CHECK(n > 0);
	CHECK(ipifc_icmp4_parse(out, (size_t)n, &m2) == 0);
	check_icmp(m, &m2, 0);
}

static void
rt_icmp6(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    const struct ipifc_icmp *m)
{
	struct ipifc_icmp m2;
	int	 n;

	n = ipifc_icmp6_build(out, sizeof(out), src, dst, m);
	CHECK(n > 0);
	CHECK(ipifc_icmp6_parse(src, dst, out, (size_t)n, &m2) == 0);
	check_icmp(m, &m2, 1);
}

static struct ipifc_nd nd1, nd2, nd3;	/* large: keep them off the stack */

static void
rt_nd(const struct ipifc_ip6 *ip, const struct ipifc_nd *m)
{
	struct ipifc_nd want;
	int	 n;

	n = ipifc_nd_build(out, sizeof(out), &ip->src, &ip->dst, m);
	CHECK(n > 0);
	CHECK(n <= 0xffff);
	CHECK(ipifc_nd_parse(ip, out, (size_t)n, &nd2) == 0);
	/* the redirected packet may have been cut to fit 1280 bytes */
	want = *m;
	if (m->has & IPIFC_ND_HAS_RHDR) {
		CHECK(nd2.rhdrlen <= m->rhdrlen);
		CHECK(m->rhdrlen == nd2.rhdrlen || n > 1280 - 40 - 8);
		want.rhdrlen = nd2.rhdrlen;
	}
	CHECK(wire_eq_nd(&want, &nd2));
	/* and once more: now exact */
	n = ipifc_nd_build(out2, sizeof(out2), &ip->src, &ip->dst, &nd2);
	CHECK(n > 0);
	CHECK(ipifc_nd_parse(ip, out2, (size_t)n, &nd3) == 0);
	CHECK(wire_eq_nd(&nd2, &nd3));
}

static struct ipifc_mreport rep1, rep2;

static void
rt_mld(const struct ipifc_ip6 *ip, const uint8_t *p, size_t len)
{
	struct ipifc_mquery q, q2;
	int	 n;

	if (ipifc_mld_query_parse(ip, p, len, &q) == 0) {
		n = ipifc_mld_query_build(out, sizeof(out), &ip->src, &ip->dst,
		    &q);
		CHECK(n > 0);
		CHECK(ipifc_mld_query_parse(ip, out, (size_t)n, &q2) == 0);
		CHECK(wire_eq_mquery(&q, &q2, 16));
		CHECK(q.mrd == ipifc_mld_mrd(q.mrc) || q.version == 1);
	}
	if (ipifc_mld_report_parse(ip, p, len, &rep1) == 0) {
		n = ipifc_mld_report_build(out, sizeof(out), &ip->src,
		    &ip->dst, rep1.rec, rep1.nrec);
		CHECK(n > 0);
		CHECK(ipifc_mld_report_parse(ip, out, (size_t)n, &rep2) == 0);
		CHECK(wire_eq_mreport(&rep1, &rep2, 16));
		CHECK(rep2.ignored == 0);
	}
}

static void
rt_igmp(const uint8_t *p, size_t len)
{
	struct ipifc_mquery q, q2;
	int	 n;

	if (ipifc_igmp_query_parse(p, len, &q) == 0) {
		n = ipifc_igmp_query_build(out, sizeof(out), &q);
		CHECK(n > 0);
		CHECK(ipifc_igmp_query_parse(out, (size_t)n, &q2) == 0);
		CHECK(wire_eq_mquery(&q, &q2, 4));
	}
	if (ipifc_igmp_report_parse(p, len, &rep1) == 0) {
		n = ipifc_igmp_report_build(out, sizeof(out), rep1.rec,
		    rep1.nrec);
		CHECK(n > 0);
		CHECK(ipifc_igmp_report_parse(out, (size_t)n, &rep2) == 0);
		CHECK(wire_eq_mreport(&rep1, &rep2, 4));
		CHECK(rep2.ignored == 0);
	}
}

/* ---- the layers ---- */

static void
do_icmp4(uint8_t *p, size_t len, int fix)
{
	struct ipifc_icmp m;

	if (fix)
		fix_plain(p, len, 2);
	if (ipifc_icmp4_parse(p, len, &m) == 0)
		rt_icmp4(&m);
}

static void
do_igmp(uint8_t *p, size_t len, int fix)
{
	if (fix)
		fix_plain(p, len, 2);
	rt_igmp(p, len);
}

/* Everything an ICMPv6 message may be. */
static void
do_icmp6(const struct ipifc_ip6 *ip, uint8_t *p, size_t len, int fix)
{
	struct ipifc_icmp m;

	if (fix)
		fix_icmp6(p, len, &ip->src, &ip->dst);
	if (ipifc_icmp6_parse(&ip->src, &ip->dst, p, len, &m) == 0)
		rt_icmp6(&ip->src, &ip->dst, &m);
	if (ipifc_nd_parse(ip, p, len, &nd1) == 0)
		rt_nd(ip, &nd1);
	rt_mld(ip, p, len);
}

static void
do_ip4(uint8_t *p, size_t len, int fix)
{
	struct ipifc_ip4 h;
	size_t	 hl;

	if (fix && len >= IPIFC_IP4_HLEN) {
		hl = (size_t)(p[0] & 0x0f) * 4;
		if (hl >= IPIFC_IP4_HLEN && hl <= len)
			fix_plain(p, hl, 10);
	}
	if (ipifc_ip4_parse(p, len, &h) != 0)
		return;
	rt_ip4(&h);
	(void)ipifc_ip4_has_ra(h.opts, h.optlen);
	rt_ip4opts(h.opts, h.optlen);
	if (h.proto == IPIFC_PROTO_ICMP)
		do_icmp4(mut(h.payload), h.plen, fix);
	else if (h.proto == IPIFC_PROTO_IGMP)
		do_igmp(mut(h.payload), h.plen, fix);
}

static void
do_ip6(uint8_t *p, size_t len, int fix)
{
	struct ipifc_ip6 h;
	struct ipifc_ip6frag f;
	size_t	 off;
	uint8_t	 nxt;
	int	 r;

	if (ipifc_ip6_parse(p, len, &h) != 0)
		return;
	rt_ip6(&h);
	if (h.nxt == IPIFC_PROTO_HOPOPTS)
		(void)ipifc_ip6_hbh_ra(h.payload, h.plen);
	r = ipifc_ip6_skipext(h.nxt, h.payload, h.plen, &nxt, &off, &f);
	if (r < 0)
		return;
	CHECK(off <= h.plen);
	if (r == 1) {
		CHECK(f.hdroff + 8 == off);
		CHECK(f.nxt == nxt);
		return;
	}
	if (nxt == IPIFC_PROTO_ICMP6)
		do_icmp6(&h, mut(h.payload + off), h.plen - off, fix);
}

static void
do_frame(uint8_t *p, size_t len, int fix)
{
	struct ipifc_eth e;
	struct ipifc_arp a;

	if (ipifc_eth_parse(p, len, &e) != 0)
		return;
	rt_eth(&e);
	switch (e.type) {
	case IPIFC_ETHERTYPE_ARP:
		if (ipifc_arp_parse(e.payload, e.plen, &a) == 0)
			rt_arp(&a);
		break;
	case IPIFC_ETHERTYPE_IP4:
		do_ip4(mut(e.payload), e.plen, fix);
		break;
	case IPIFC_ETHERTYPE_IP6:
		do_ip6(mut(e.payload), e.plen, fix);
		break;
	}
}

/* src[16] dst[16] from the input, the rest is the message. */
static int
take_addrs(uint8_t **p, size_t *len, struct ipifc_ip6 *ip)
{
	if (*len < 32)
		return -1;
	memset(ip, 0, sizeof(*ip));
	memcpy(ip->src.a, *p, 16);
	memcpy(ip->dst.a, *p + 16, 16);
	*p += 32;
	*len -= 32;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipifc_arp a;
	struct ipifc_ip4 h4;
	struct ipifc_ip6 h6;
	struct ipifc_ip6frag f;
	uint8_t	*p, mode, nxt;
	size_t	 len, off;
	int	 fix;

	if (size < 1 || size - 1 > MAXIN)
		return 0;
	mode = data[0] & 0x7f;
	fix = (data[0] & 0x80) == 0;
	len = size - 1;
	memcpy(in, data + 1, len);
	p = in;

	switch (mode % 12) {
	case 0:
		do_frame(p, len, fix);
		break;
	case 1:
		if (len > 0 && p[0] >> 4 == 4)
			do_ip4(p, len, fix);
		else
			do_ip6(p, len, fix);
		break;
	case 2:
		if (ipifc_arp_parse(p, len, &a) == 0)
			rt_arp(&a);
		break;
	case 3:
		if (ipifc_ip4_parse(p, len, &h4) == 0)
			rt_ip4(&h4);
		break;
	case 4:
		if (ipifc_ip6_parse(p, len, &h6) == 0)
			rt_ip6(&h6);
		break;
	case 5:
		do_icmp4(p, len, fix);
		break;
	case 6:
	case 8:
		if (take_addrs(&p, &len, &h6) != 0)
			break;
		h6.hlim = 1;
		do_icmp6(&h6, p, len, fix);
		break;
	case 7:
		if (len < 1)
			break;
		p++;
		len--;
		if (take_addrs(&p, &len, &h6) != 0)
			break;
		h6.hlim = in[0];
		do_icmp6(&h6, p, len, fix);
		break;
	case 9:
		do_igmp(p, len, fix);
		break;
	case 10:
		(void)ipifc_ip4_has_ra(p, len);
		(void)ipifc_ip6_hbh_ra(p, len);
		rt_ip4opts(p, len);
		break;
	case 11:
		if (len < 1)
			break;
		if (ipifc_ip6_skipext(p[0], p + 1, len - 1, &nxt, &off,
		    &f) >= 0)
			CHECK(off <= len - 1);
		break;
	}
	return 0;
}
