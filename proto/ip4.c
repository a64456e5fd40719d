/*
 * IPv4 input and output (RFC 791, RFC 1122 3.2.1, RFC 1812 5.2-5.3):
 * header validation, delivery by the self table, forwarding with TTL
 * decrement, fragmentation on output and reassembly on input.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/* FreeBSD in_canforward and RFC 1812 5.3.7: never forwarded. */
static int
canforward(const struct ipifc_ip *a)
{
	uint32_t v = ipifc_ip_v4val(a);

	if ((v >> 24) == 0 || (v >> 24) == 127 ||	/* 0/8, 127/8 */
	    (v >> 16) == 0xa9fe ||			/* 169.254/16 */
	    (v >> 28) >= 0xe)				/* 224/4, 240/4 */
		return 0;
	return 1;
}

/*
 * The options every fragment carries: those with the copied flag (RFC 791
 * 3.1), padded with End of Option List to a multiple of 4 bytes.
 */
static size_t
copied_options(const struct ipifc_ip4 *h, uint8_t *out)
{
	size_t i = 0, n = 0, olen;

	while (i < h->optlen && h->opts[i] != IPIFC_IP4OPT_EOL) {
		if (h->opts[i] == IPIFC_IP4OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= h->optlen || h->opts[i + 1] < 2 ||
		    h->opts[i + 1] > h->optlen - i)
			break;	/* malformed: input never lets these through */
		olen = h->opts[i + 1];
		if (h->opts[i] & 0x80) {
			memcpy(out + n, h->opts + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n % 4 != 0)
		out[n++] = IPIFC_IP4OPT_EOL;
	return n;
}

/*
 * Send a complete packet (header built) out ifc to nexthop, fragmenting
 * it when it exceeds the MTU and DF allows (RFC 791 3.2, "fragmentation").
 */
static int
ip4_emit(struct ipifc_ifc *ifc, uint8_t *pkt, size_t len,
    const struct ipifc_ip *nexthop)
{
	struct ipifc_ip4 h, fh;
	uint8_t frag[9216], copied[IPIFC_IP4_MAXOPT];
	size_t off, chunk, max, ncopied;
	int n;

	if (len <= (size_t)ifc->mtu) {
		ifc->m->bwrite(ifc, pkt, len, nexthop);
		return 0;
	}
	if (ipifc_ip4_parse(pkt, len, &h) < 0)
		return -EINVAL;
	if (ipifc_ip4_df(&h))
		return -EMSGSIZE;
	/* every fragment but the last carries a multiple of 8 bytes */
	max = ((size_t)ifc->mtu - (size_t)h.hlen) & ~(size_t)7;
	ncopied = copied_options(&h, copied);
	for (off = 0; off < h.plen; off += chunk) {
		chunk = h.plen - off < max ? h.plen - off : max;
		fh = h;
		if (off > 0) {
			fh.opts = copied;	/* RFC 791 3.1 */
			fh.optlen = ncopied;
		}
		fh.frag = (uint16_t)((h.frag & IPIFC_IP4_MF) |
		    ((ipifc_ip4_fragoff(&h) + off) >> 3));
		if (off + chunk < h.plen)
			fh.frag |= IPIFC_IP4_MF;
		fh.plen = chunk;
		if ((n = ipifc_ip4_build(frag, sizeof(frag), &fh)) < 0 ||
		    (size_t)n + chunk > sizeof(frag))
			return -EINVAL;
		memcpy(frag + n, h.payload + off, chunk);
		ifc->m->bwrite(ifc, frag, (size_t)n + chunk, nexthop);
	}
	return 0;
}

/*
 * The route to dst (from src), or NULL; the interface out (oif if
 * given, else the route's; NULL: no way out) and the next hop in *nexthop.
 */
static struct ipifc_route *
route4(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, struct ipifc_ifc *oif,
    struct ipifc_ifc **ifcp, struct ipifc_ip *nexthop)
{
	struct ipifc_route *r;
	struct ipifc_ifc *ifc;

	r = ipifc_out_route(s, dst, src, 1);
	if (oif != NULL)
		ifc = oif;
	else if (r != NULL && r->ifc != NULL)
		ifc = r->ifc;
	else
		ifc = NULL;
	*ifcp = ifc;
	*nexthop = *dst;
	if (r != NULL && r->ifc == ifc && !ipifc_ip_isunspec(&r->gate))
		*nexthop = r->gate;
	else if (r != NULL && (r->type & IPIFC_RT_BCAST))
		/* a subnet's broadcast, as the route says: the link's own
		 * broadcast, so that the medium need not ask the self table */
		*nexthop = ipifc_ip_bcast4;
	return r;
}

static int
ip4_output(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, int tos,
    const uint8_t *payload, size_t len, struct ipifc_ifc *oif,
    const uint8_t *opts, size_t optlen, uint8_t *pkt)
{
	struct ipifc_route *r;
	struct ipifc_lifc *l;
	struct ipifc_ifc *ifc;
	struct ipifc_ip4 h;
	struct ipifc_ip nexthop, from;
	uint8_t o[IPIFC_IP4_MAXOPT], ptr;
	int n;

	if (optlen > sizeof(o) || optlen % 4 != 0)
		return -EINVAL;
	if (len > IPIFC_MAXPKT - IPIFC_IP4_HLEN - optlen)
		return -EMSGSIZE;
	if ((r = route4(s, src, dst, oif, &ifc, &nexthop)) == NULL &&
	    ifc == NULL)
		return -EHOSTUNREACH;
	if (src != NULL)
		from = *src;
	else if ((l = ipifc_srcsel(s, dst, ifc)) != NULL)
		from = l->local;
	else
		return -EADDRNOTAVAIL;
	memset(&h, 0, sizeof(h));
	if (optlen > 0) {
		/* the sender is the first to record (RFC 791 3.1) */
		memcpy(o, opts, optlen);
		h.opts = o;
		h.optlen = optlen;
		if (ipifc_ip4opt_record(s, o, optlen, &from, &ptr) != 0)
			return -EINVAL;
	}
	/* RFC 1112 6.1: a group gets TTL 1 unless asked otherwise; RFC
	 * 1122 3.2.1.7: our own TTL, not IPv6's CurHopLimit an RA sets */
	h.ttl = (uint8_t)(ttl > 0 ? ttl : ipifc_ip_ismulti(dst) ? 1 :
	    IPIFC_DEFHOPLIMIT);
	h.tos = (uint8_t)tos;
	h.proto = (uint8_t)proto;
	h.id = proto_of(s)->ip4id++;
	h.src = from;
	h.dst = *dst;
	h.plen = len;
	if ((n = ipifc_ip4_build(pkt, IPIFC_MAXPKT, &h)) < 0)
		return n;
	if (payload != pkt + n)
		memcpy(pkt + n, payload, len);
	/* to ourselves: straight back in, as through a loopback */
	if (r != NULL && (r->type & IPIFC_RT_UNI)) {
		ipifc_ip4_input(ifc, pkt, (size_t)n + len, IPIFC_RX_LOCAL);
		return 0;
	}
	return ip4_emit(ifc, pkt, (size_t)n + len, &nexthop);
}

int
ipifc_ip4_output_opts(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, int tos,
    const uint8_t *payload, size_t len, struct ipifc_ifc *oif,
    const uint8_t *opts, size_t optlen)
{
	uint8_t *pkt;
	int rc;

	if ((pkt = ipifc_scratch_get(s)) == NULL)
		return -ENOBUFS;
	rc = ip4_output(s, src, dst, proto, ttl, tos, payload, len, oif, opts,
	    optlen, pkt);
	ipifc_scratch_put(s);
	return rc;
}

int
ipifc_ip4_output_buf(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int tos, uint8_t *pkt,
    size_t len, const uint8_t *opts, size_t optlen)
{
	return ip4_output(s, src, dst, proto, 0, tos, pkt + IPIFC_IP4_HLEN +
	    optlen, len, NULL, opts, optlen, pkt);
}

int
ipifc_ip4_output_reply(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const uint8_t *req, uint8_t *pkt, size_t len,
    int tos)
{
	struct ipifc_route *r;
	struct ipifc_ifc *ifc;
	struct ipifc_ip nexthop;
	uint32_t was, now;
	uint8_t ttl;

	if ((r = route4(s, src, dst, NULL, &ifc, &nexthop)) == NULL &&
	    ifc == NULL)
		return -EHOSTUNREACH;
	/* RFC 1112 6.1: a group gets TTL 1 */
	ttl = (uint8_t)(ipifc_ip_ismulti(dst) ? 1 : IPIFC_DEFHOPLIMIT);
	/*
	 * The words that change: version and TOS, ID, fragment, TTL (read
	 * from the request, not from the copy just written).  The addresses
	 * only swap: their sum is the same.
	 */
	was = (uint32_t)ipifc_get16(req) + ipifc_get16(req + 4) +
	    ipifc_get16(req + 6) + ipifc_get16(req + 8);
	pkt[1] = (uint8_t)tos;
	ipifc_put16(pkt + 4, proto_of(s)->ip4id++);
	ipifc_put16(pkt + 6, 0);
	pkt[8] = ttl;
	now = ((uint32_t)req[0] << 8 | (uint8_t)tos) +
	    ipifc_get16(pkt + 4) + ((uint32_t)ttl << 8 | req[9]);
	memcpy(pkt + 12, src->a + 12, 4);
	memcpy(pkt + 16, dst->a + 12, 4);
	ipifc_put16(pkt + 10, ipifc_cksum_update(ipifc_get16(req + 10), was,
	    now));
	/* to ourselves: straight back in, as through a loopback */
	if (r != NULL && (r->type & IPIFC_RT_UNI)) {
		ipifc_ip4_input(ifc, pkt, len, IPIFC_RX_LOCAL);
		return 0;
	}
	return ip4_emit(ifc, pkt, len, &nexthop);
}

int
ipifc_ip4_output(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, const uint8_t *payload,
    size_t len, struct ipifc_ifc *oif)
{
	return ipifc_ip4_output_opts(s, src, dst, proto, ttl, 0, payload,
	    len, oif, NULL, 0);
}

static int
canforward4(const struct ipifc_ip *src, const struct ipifc_ip *dst)
{
	return canforward(src) && canforward(dst);
}

/* The IPv4 part of forwarding: options, checksum, fragments. */
static void
ip4_forward_out(struct ipifc_ifc *in, struct ipifc_ifc *out, const void *hdr,
    const uint8_t *pkt, uint8_t *copy, size_t len,
    const struct ipifc_ip *nexthop)
{
	const struct ipifc_ip4 *h = hdr;
	struct ipifc_stack *s = in->stack;
	struct ipifc_lifc *l;
	uint8_t ptr;

	if (h->optlen > 0) {
		/* RFC 791 3.1, RFC 1812 5.2.4: the address we send it from */
		if ((l = ipifc_srcsel(s, &h->dst, out)) != NULL &&
		    ipifc_ip4opt_record(s, copy + IPIFC_IP4_HLEN, h->optlen,
		    &l->local, &ptr) != 0) {
			proto_of(s)->drops_hdr++;
			ipifc_icmp4_error(in, pkt, len, IPIFC_ICMP4_PARAMPROB,
			    0, ptr);
			return;
		}
		ipifc_put16(copy + 10, 0);
		ipifc_put16(copy + 10, ipifc_cksum_fold(ipifc_cksum_add(0,
		    copy, (size_t)h->hlen)));
	} else {
		/* RFC 1624 3: the TTL octet one less */
		ipifc_put16(copy + 10, ipifc_cksum_update(ipifc_get16(
		    copy + 10), ipifc_get16(pkt + 8), ipifc_get16(copy + 8)));
	}
	if (len > (size_t)out->mtu && ipifc_ip4_df(h)) {
		/* RFC 1191 4 */
		ipifc_icmp4_error(in, pkt, len, IPIFC_ICMP4_UNREACH,
		    IPIFC_ICMP4_UNREACH_NEEDFRAG, (uint32_t)out->mtu);
		return;
	}
	ip4_emit(out, copy, len, nexthop);
}

static const struct ipifc_fwdfam fwd4 = {
	.canforward = canforward4,
	.error = ipifc_icmp4_error,
	.timex = IPIFC_ICMP4_TIMEX,
	.unreach = IPIFC_ICMP4_UNREACH,
	.noroute = IPIFC_ICMP4_UNREACH_NET,
	.local = IPIFC_RT_UNI | IPIFC_RT_BCAST,
	.hlimoff = 8,
	.send = ip4_forward_out,
};

static void
ip4_forward(struct ipifc_ifc *in, struct ipifc_ip4 *h, const uint8_t *pkt,
    size_t len)
{
	ipifc_forward(in, &fwd4, h, &h->src, &h->dst, h->ttl, pkt, len);
}

int
ipifc_deliver4(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h)
{
	uint8_t opts[IPIFC_IP4_MAXOPT], ptr;

	if (h->optlen == 0)
		return ipifc_deliver(ifc, &h->src, &h->dst, h->proto, h->ttl,
		    h->payload, h->plen);
	/* the receiver records itself too, as Linux does */
	memcpy(opts, h->opts, h->optlen);
	(void)ipifc_ip4opt_record(ifc->stack, opts, h->optlen, &h->dst, &ptr);
	return ipifc_deliver_opts(ifc, &h->src, &h->dst, h->proto, h->ttl,
	    h->payload, h->plen, opts, h->optlen);
}

static void
ip4_local(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
    const uint8_t *pkt, size_t len, unsigned type, int rx)
{
	switch (h->proto) {
	case IPIFC_PROTO_ICMP:
		ipifc_icmp4_input(ifc, h, pkt, len, type);
		break;
	case IPIFC_PROTO_IGMP:
		ipifc_igmp_input(ifc, h);
		break;
	default:
		/* never about a link-layer broadcast (RFC 1122 3.2.2) */
		if (ipifc_deliver4(ifc, h) < 0 && (type & IPIFC_RT_UNI) &&
		    rx != IPIFC_RX_GROUP)
			ipifc_icmp4_error(ifc, pkt, len, IPIFC_ICMP4_UNREACH,
			    IPIFC_ICMP4_UNREACH_PROTO, 0);
		break;
	}
}

/*
 * An IGMP query from 0.0.0.0 to a group: a snooping switch without an
 * address queries so (RFC 4541 2.1.1, the Linux bridge), and Linux hosts
 * answer it.
 */
static int
unspec_query4(const struct ipifc_ip4 *h)
{
	return ipifc_ip_v4val(&h->src) == 0 && ipifc_ip_ismulti(&h->dst) &&
	    h->proto == IPIFC_PROTO_IGMP && !ipifc_ip4_isfrag(h) &&
	    h->plen > 0 && h->payload[0] == IPIFC_IGMP_QUERY;
}

/*
 * RFC 1122 3.2.1.3, RFC 1812 5.3.7: a source no host can have is
 * silently dropped (0/8 only speaks to a broadcast, as DHCP does, or
 * queries as above).
 */
static int
badsource4(struct ipifc_stack *s, const struct ipifc_ip4 *h, int rx)
{
	uint32_t v = ipifc_ip_v4val(&h->src);
	unsigned type;

	if (ipifc_ip_ismulti(&h->src) || ipifc_ip_isbcast(&h->src) ||
	    (v >> 28) == 0xf)
		return 1;
	if ((v >> 24) == 0 && !ipifc_ip_isbcast(&h->dst) && !unspec_query4(h))
		return 1;
	type = ipifc_self_type(s, &h->src);
	if ((type & IPIFC_RT_BCAST) ||
	    ((type & IPIFC_RT_UNI) && rx != IPIFC_RX_LOCAL))
		return 1;
	return 0;
}

void
ipifc_ip4_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    int rx)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip4 h;
	const uint8_t *whole;
	size_t wlen;
	unsigned type;
	uint8_t ptr;
	int bad;

	if (ipifc_ip4_parse(pkt, len, &h) < 0) {
		ifc->cnt.errin++;
		return;
	}
	len = h.totlen;		/* link padding cut */
	if (rx == IPIFC_RX_OTHER)
		return;		/* promisc: not for us to take or route */
	if (ipifc_martian_loopback(ifc, &h.src, &h.dst, rx) ||
	    badsource4(s, &h, rx)) {
		proto_of(s)->drops_martian++;
		return;
	}
	type = ipifc_ipforme(s, &h.dst);
	/* a malformed list or a source route drops the packet */
	if (h.optlen > 0 && (bad = ipifc_ip4opt_check(&h, &ptr)) != 0) {
		proto_of(s)->drops_hdr++;
		/*
		 * RFC 1122 3.2.2.5, for what we would take or route; never
		 * about a link-layer broadcast (RFC 1122 3.2.2)
		 */
		if (bad > 0 && rx != IPIFC_RX_GROUP &&
		    (type != 0 || s->iprouting))
			ipifc_icmp4_error(ifc, pkt, len,
			    IPIFC_ICMP4_PARAMPROB, 0, ptr);
		return;
	}
	if (type == 0) {
		/* RFC 1812 5.3.4: a link-layer broadcast is not forwarded */
		if (!s->iprouting || rx == IPIFC_RX_GROUP)
			return;
		/* plan9's reassemble: a router may put fragments together */
		if (ifc->reassemble && ipifc_ip4_isfrag(&h)) {
			if (ipifc_reasm4(ifc, &h, pkt, &whole, &wlen) <= 0)
				return;
			if (ipifc_ip4_parse(whole, wlen, &h) == 0)
				ip4_forward(ifc, &h, whole, wlen);
			ipifc_reasm_done(s, whole);
			return;
		}
		ip4_forward(ifc, &h, pkt, len);
		return;
	}
	if (ipifc_ip4_isfrag(&h)) {
		if (ipifc_reasm4(ifc, &h, pkt, &whole, &wlen) <= 0)
			return;		/* kept for later, or dropped */
		if (ipifc_ip4_parse(whole, wlen, &h) == 0)
			ip4_local(ifc, &h, whole, wlen, type, rx);
		ipifc_reasm_done(ifc->stack, whole);
		return;
	}
	ip4_local(ifc, &h, pkt, len, type, rx);
}
