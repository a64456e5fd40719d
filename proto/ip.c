/*
 * What both IP versions share: raw input by version, and the library's
 * send and ping calls, and the reading of ICMP errors about a ping.
 */
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

void
ipifc_ip_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len)
{
	if (len < 1) {
		ifc->cnt.errin++;
		return;
	}
	/* a loopback interface hears only ourselves */
	int rx = (ifc->flags & IPIFC_F_LOOPBACK) ? IPIFC_RX_LOCAL :
	    IPIFC_RX_HOST;

	switch (pkt[0] >> 4) {
	case 4:
		ipifc_ip4_input(ifc, pkt, len, rx);
		break;
	case 6:
		ipifc_ip6_input(ifc, pkt, len, rx);
		break;
	default:
		ifc->cnt.errin++;
		break;
	}
}

struct ipifc_route *
ipifc_out_route_lookup(struct ipifc_stack *s, struct ipifc_rtcache *c,
    const struct ipifc_ip *dst, const struct ipifc_ip *src, int fallback)
{
	struct ipifc_route *r;

	r = ipifc_rtab_lookup(s->rtab, dst, src);
	if (r == NULL && src != NULL && fallback)
		r = ipifc_rtab_lookup(s->rtab, dst, NULL);
	c->gen = s->rtgen;
	c->dst = *dst;
	c->anysrc = src == NULL;
	if (src != NULL)
		c->src = *src;
	c->r = r;
	return r;
}

int
ipifc_send(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, const uint8_t *payload,
    size_t len)
{
	if (src != NULL && ipifc_ip_isv4(src) != ipifc_ip_isv4(dst))
		return -EINVAL;
	if (ipifc_ip_isv4(dst))
		return ipifc_ip4_output(s, src, dst, proto, ttl, payload, len,
		    NULL);
	return ipifc_ip6_output(s, src, dst, proto, ttl, payload, len, NULL);
}

static int
ping_in(struct ipifc_stack *s, const struct ipifc_ip *dst, uint16_t id,
    uint16_t seq, size_t datalen, const struct ipifc_pingopt *o,
    uint8_t *buf)
{
	struct ipifc_icmp m;
	struct ipifc_lifc *l;
	size_t i;
	int n, v4 = ipifc_ip_isv4(dst);

	/* the data where the message will hold it: the builders allow that */
	for (i = 0; i < datalen; i++)
		buf[IPIFC_ICMP_HLEN + i] = (uint8_t)i;	/* ping(8)'s pattern */
	memset(&m, 0, sizeof(m));
	m.type = v4 ? IPIFC_ICMP4_ECHO : IPIFC_ICMP6_ECHO;
	m.id = id;
	m.seq = seq;
	m.data = buf + IPIFC_ICMP_HLEN;
	m.dlen = datalen;
	if (v4) {
		if ((n = ipifc_icmp4_build(buf, IPIFC_MAXPKT, &m)) < 0)
			return n;
		return ipifc_ip4_output_opts(s, NULL, dst, IPIFC_PROTO_ICMP,
		    o->ttl, 0, buf, (size_t)n, NULL, o->opts, o->optlen);
	}
	if (o->optlen > 0)
		return -EINVAL;		/* IPv4 options */
	/* ICMPv6 checksums cover the source: choose it first */
	if ((l = ipifc_srcsel(s, dst, NULL)) == NULL)
		return -EADDRNOTAVAIL;
	if ((n = ipifc_icmp6_build(buf, IPIFC_MAXPKT, &l->local, dst, &m)) < 0)
		return n;
	return ipifc_ip6_output(s, &l->local, dst, IPIFC_PROTO_ICMP6, o->ttl,
	    buf, (size_t)n, NULL);
}

int
ipifc_ping_opt(struct ipifc_stack *s, const struct ipifc_ip *dst,
    uint16_t id, uint16_t seq, size_t datalen, const struct ipifc_pingopt *o)
{
	struct ipifc_ip4 h;
	uint8_t *buf, ptr;
	int rc;

	if (o->ttl < 0 || o->ttl > 255 || o->optlen > IPIFC_IP4_MAXOPT ||
	    o->optlen % 4 != 0 || (o->optlen > 0 && o->opts == NULL))
		return -EINVAL;
	/* only a list a receiver would take (RFC 791 3.1); no source route */
	memset(&h, 0, sizeof(h));
	h.opts = o->opts;
	h.optlen = o->optlen;
	if (ipifc_ip4opt_check(&h, &ptr) != 0)
		return -EINVAL;
	/* the largest datagram: 65535 bytes with its IPv4 and ICMP headers */
	if (datalen > IPIFC_MAXPKT - IPIFC_IP4_HLEN - o->optlen -
	    IPIFC_ICMP_HLEN)
		return -EMSGSIZE;
	if ((buf = ipifc_scratch_get(s)) == NULL)
		return -ENOBUFS;
	rc = ping_in(s, dst, id, seq, datalen, o, buf);
	ipifc_scratch_put(s);
	return rc;
}

int
ipifc_ping(struct ipifc_stack *s, const struct ipifc_ip *dst, uint16_t id,
    uint16_t seq, size_t datalen)
{
	struct ipifc_pingopt o;

	memset(&o, 0, sizeof(o));
	return ipifc_ping_opt(s, dst, id, seq, datalen, &o);
}

/* ping(8)'s words for an ICMP error (RFC 792, RFC 4443 3), by family. */
static void
ping_words(int v4, const uint8_t *m, char *buf, size_t len)
{
	static const char *const unreach4[] = { "Destination Net Unreachable",
	    "Destination Host Unreachable",
	    "Destination Protocol Unreachable",
	    "Destination Port Unreachable" };
	static const char *const unreach6[] = { "No route", "Administratively "
	    "prohibited", "Beyond scope of source address",
	    "Address unreachable", "Port unreachable" };
	unsigned type = m[0], code = m[1];
	uint32_t rest = ipifc_get32(m + 4);

	if (v4 && type == IPIFC_ICMP4_UNREACH && code < 4)
		snprintf(buf, len, "%s", unreach4[code]);
	else if (v4 && type == IPIFC_ICMP4_UNREACH && code == 4)
		snprintf(buf, len, "Frag needed and DF set (mtu = %u)",
		    rest & 0xffff);
	else if (v4 && type == IPIFC_ICMP4_TIMEX)
		snprintf(buf, len, "%s", code == 0 ? "Time to live exceeded" :
		    "Frag reassembly time exceeded");
	else if (v4 && type == IPIFC_ICMP4_PARAMPROB)
		snprintf(buf, len, "Parameter problem: pointer = %u",
		    rest >> 24);
	else if (!v4 && type == 1 && code < 5)
		snprintf(buf, len, "Destination unreachable: %s",
		    unreach6[code]);
	else if (!v4 && type == 2)
		snprintf(buf, len, "Packet too big: mtu=%u", rest);
	else if (!v4 && type == 3)
		snprintf(buf, len, "Time exceeded: %s", code == 0 ?
		    "Hop limit" : "Defragmentation failure");
	else if (!v4 && type == 4)
		snprintf(buf, len, "Parameter problem: pointer = %u", rest);
	else
		snprintf(buf, len, "ICMP type %u code %u", type, code);
}

/*
 * Where the ICMP message of a quoted datagram starts (RFC 792: the IP
 * header and 8 bytes; RFC 4443 2.4 (c)), past IPv6 extension headers and
 * the Fragment header of a first fragment; 0 if the quote holds none.
 */
static size_t
ping_quoted(int v4, const uint8_t *q, size_t len)
{
	struct ipifc_ip6frag frag;
	size_t hl, off;
	uint8_t nxt;
	int rc;

	if (v4) {
		if (len < IPIFC_IP4_HLEN || q[0] >> 4 != 4 ||
		    q[9] != IPIFC_PROTO_ICMP)
			return 0;
		hl = (size_t)(q[0] & 0x0f) * 4;
		if (hl < IPIFC_IP4_HLEN || len < hl + IPIFC_ICMP_HLEN ||
		    (ipifc_get16(q + 6) & 0x1fff) != 0)
			return 0;
		return hl;
	}
	if (len < IPIFC_IP6_HLEN || q[0] >> 4 != 6)
		return 0;
	rc = ipifc_ip6_skipext(q[6], q + IPIFC_IP6_HLEN, len - IPIFC_IP6_HLEN,
	    &nxt, &off, &frag);
	if (rc < 0 || (rc == 1 && frag.off != 0) ||
	    nxt != IPIFC_PROTO_ICMP6 ||
	    len - IPIFC_IP6_HLEN < off + IPIFC_ICMP_HLEN)
		return 0;
	return IPIFC_IP6_HLEN + off;
}

int
ipifc_ping_error(const struct ipifc_datagram *d, uint16_t *id, uint16_t *seq,
    char *words, size_t len)
{
	const uint8_t *m = d->payload;
	size_t at;
	int v4;

	if (d->len < IPIFC_ICMP_HLEN || (d->proto != IPIFC_PROTO_ICMP &&
	    d->proto != IPIFC_PROTO_ICMP6))
		return -1;
	v4 = d->proto == IPIFC_PROTO_ICMP;
	if (v4 ? m[0] != IPIFC_ICMP4_UNREACH && m[0] != IPIFC_ICMP4_TIMEX &&
	    m[0] != IPIFC_ICMP4_PARAMPROB : m[0] < 1 || m[0] > 4)
		return -1;
	if ((at = ping_quoted(v4, m + IPIFC_ICMP_HLEN,
	    d->len - IPIFC_ICMP_HLEN)) == 0)
		return -1;
	m += IPIFC_ICMP_HLEN + at;
	if (m[0] != (v4 ? IPIFC_ICMP4_ECHO : IPIFC_ICMP6_ECHO) || m[1] != 0)
		return -1;
	*id = ipifc_get16(m + 4);
	*seq = ipifc_get16(m + 6);
	ping_words(v4, d->payload, words, len);
	return 0;
}
