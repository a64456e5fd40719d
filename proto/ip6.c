/*
 * IPv6 input and output (RFC 8200): header validation, extension headers,
 * delivery by the self table (never to a tentative or duplicate address,
 * RFC 4862 5.4), forwarding with hop-limit decrement (RFC 8200 3, RFC 4443
 * 3.3) under the forwarding rules of RFC 4291 2.5.6.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/* Unspecified, loopback and link-local never cross a router. */
static int
canforward6(const struct ipifc_ip *a)
{
	return !ipifc_ip_isunspec(a) && !ipifc_ip_isloopback(a) &&
	    !ipifc_ip_islinklocal(a) &&
	    !(ipifc_ip_ismulti(a) && ipifc_ip_scope(a) <= IPIFC_SCOPE_LINK);
}

/* RFC 3493 5.2: a group gets hop limit 1 unless asked otherwise */
static int
defhlim(const struct ipifc_ifc *ifc, const struct ipifc_ip *dst)
{
	return ipifc_ip_ismulti(dst) ? 1 : ifc->hoplimit;
}

/* The header and payload into pkt; the packet's length or -EMSGSIZE. */
static int
ip6_pack(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len, uint8_t *pkt, size_t cap)
{
	struct ipifc_ip6 h;
	int n;

	if (len > cap - IPIFC_IP6_HLEN)
		return -EMSGSIZE;
	memset(&h, 0, sizeof(h));
	h.nxt = (uint8_t)nxt;
	h.hlim = (uint8_t)(hlim > 0 ? hlim : defhlim(ifc, dst));
	h.src = *src;
	h.dst = *dst;
	h.plen = len;
	if ((n = ipifc_ip6_build(pkt, cap, &h)) < 0)
		return -EMSGSIZE;
	if (payload != pkt + n)
		memcpy(pkt + n, payload, len);
	return n + (int)len;
}

/*
 * Source fragmentation (RFC 8200 4.5): the unfragmentable part (the
 * header, then through the routing header if there is one, else through
 * the hop-by-hop header: what nodes on the way read) leads every
 * fragment, its last Next Header now naming the fragment header; the
 * data goes in multiples of 8 bytes under one identification drawn at
 * random for the datagram (RFC 7739).  The first fragment holds the
 * whole header chain (RFC 7112), as mtu is at least 1280.
 */
static int
ip6_fragment(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t n,
    const struct ipifc_ip *nexthop, size_t mtu)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip6frag fh;
	size_t unfrag = IPIFC_IP6_HLEN, nxtfield = 6, off, chunk, max, dlen;
	size_t at = IPIFC_IP6_HLEN, field = 6;
	uint8_t *frag;
	int k;

	/* destination options before a routing header go with it (RFC 8200
	 * 4.1 order); those after it, or with none, are fragmentable */
	while (at + 2 <= n && (pkt[field] == IPIFC_PROTO_ROUTING ||
	    pkt[field] == IPIFC_PROTO_DSTOPTS ||
	    (pkt[field] == IPIFC_PROTO_HOPOPTS && field == 6))) {
		k = pkt[field];
		field = at;
		at += ((size_t)pkt[at + 1] + 1) * 8;
		if (k != IPIFC_PROTO_DSTOPTS) {
			nxtfield = field;
			unfrag = at;
		}
	}
	if (unfrag > n || unfrag + IPIFC_IP6_FRAGLEN + 8 > mtu)
		return -EMSGSIZE;
	max = (mtu - unfrag - IPIFC_IP6_FRAGLEN) & ~(size_t)7;
	dlen = n - unfrag;
	memset(&fh, 0, sizeof(fh));
	fh.nxt = pkt[nxtfield];
	fh.ident = ipifc_random(s);
	if ((frag = ipifc_scratch_get(s)) == NULL)
		return -ENOBUFS;
	for (off = 0; off < dlen; off += chunk) {
		chunk = dlen - off < max ? dlen - off : max;
		memcpy(frag, pkt, unfrag);
		frag[nxtfield] = IPIFC_PROTO_FRAGMENT;
		ipifc_put16(frag + 4, (uint16_t)(unfrag - IPIFC_IP6_HLEN +
		    IPIFC_IP6_FRAGLEN + chunk));
		fh.off = (uint16_t)off;
		fh.more = off + chunk < dlen;
		if ((k = ipifc_ip6frag_build(frag + unfrag, IPIFC_MAXPKT - unfrag,
		    &fh)) < 0)
			break;
		memcpy(frag + unfrag + (size_t)k, pkt + unfrag + off, chunk);
		ifc->m->bwrite(ifc, frag, unfrag + (size_t)k + chunk, nexthop);
	}
	ipifc_scratch_put(s);
	return off < dlen ? -EINVAL : 0;
}

/* Onto the link to nexthop, in fragments over mtu. */
static int
ip6_emit(struct ipifc_ifc *ifc, const uint8_t *pkt, int n,
    const struct ipifc_ip *nexthop, size_t mtu)
{
	if ((size_t)n > mtu)
		return ip6_fragment(ifc, pkt, (size_t)n, nexthop, mtu);
	ifc->m->bwrite(ifc, pkt, (size_t)n, nexthop);
	return 0;
}

int
ipifc_ip6_send_on(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len)
{
	uint8_t *pkt;
	int n;

	if ((pkt = ipifc_scratch_get(ifc->stack)) == NULL)
		return -ENOBUFS;
	if ((n = ip6_pack(ifc, src, dst, nxt, hlim, payload, len, pkt,
	    IPIFC_MAXPKT)) >= 0)
		n = ip6_emit(ifc, pkt, n, dst, (size_t)ifc->mtu);
	ipifc_scratch_put(ifc->stack);
	return n;
}

static int
ip6_output(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len, struct ipifc_ifc *oif, uint8_t *pkt)
{
	struct ipifc_route *r;
	struct ipifc_lifc *l;
	struct ipifc_ifc *ifc;
	struct ipifc_ip from, nexthop;
	int n;

	if (src != NULL)
		from = *src;
	else if ((l = ipifc_srcsel(s, dst, oif)) != NULL)
		from = l->local;
	else
		return -EADDRNOTAVAIL;
	/* routes limited to a source carry link-local traffic to its link */
	r = ipifc_out_route(s, dst, &from, 0);
	if (oif != NULL)
		ifc = oif;
	else if (r != NULL && r->ifc != NULL)
		ifc = r->ifc;
	else if ((l = ipifc_lifc_bylocal(s, &from)) != NULL &&
	    (ipifc_ip_islinklocal(dst) || ipifc_ip_ismulti(dst)))
		ifc = l->ifc;
	else
		return -EHOSTUNREACH;
	if ((n = ip6_pack(ifc, &from, dst, nxt, hlim, payload, len, pkt,
	    IPIFC_MAXPKT)) < 0)
		return n;
	if (r != NULL && (r->type & (IPIFC_RT_UNI | IPIFC_RT_ANY))) {
		/* to ourselves: straight back in */
		ipifc_ip6_input(ifc, pkt, (size_t)n, IPIFC_RX_LOCAL);
		return 0;
	}
	/* through a router the header names dst, the link the gateway */
	nexthop = *dst;
	if (r != NULL && r->ifc == ifc && !ipifc_ip_isunspec(&r->gate))
		nexthop = r->gate;
	return ip6_emit(ifc, pkt, n, &nexthop,
	    ipifc_pmtu_get(s, dst, (size_t)ifc->mtu));
}

int
ipifc_ip6_output(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len, struct ipifc_ifc *oif)
{
	uint8_t *pkt;
	int rc;

	if ((pkt = ipifc_scratch_get(s)) == NULL)
		return -ENOBUFS;
	rc = ip6_output(s, src, dst, nxt, hlim, payload, len, oif, pkt);
	ipifc_scratch_put(s);
	return rc;
}

int
ipifc_ip6_output_buf(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, uint8_t *pkt, size_t len,
    struct ipifc_ifc *oif)
{
	return ip6_output(s, src, dst, nxt, 0, pkt + IPIFC_IP6_HLEN, len, oif,
	    pkt);
}

static int
canforward6pair(const struct ipifc_ip *src, const struct ipifc_ip *dst)
{
	return canforward6(src) && canforward6(dst) && !ipifc_ip_ismulti(dst);
}

/* IPv6 has no header checksum, and routers never fragment (RFC 8201 4). */
static void
ip6_forward_out(struct ipifc_ifc *in, struct ipifc_ifc *out, const void *hdr,
    const uint8_t *pkt, uint8_t *copy, size_t len,
    const struct ipifc_ip *nexthop)
{
	out->m->bwrite(out, copy, len, nexthop);
}

static const struct ipifc_fwdfam fwd6 = {
	.canforward = canforward6pair,
	.error = ipifc_icmp6_error,
	.timex = IPIFC_ICMP6_TIMEX,
	.unreach = IPIFC_ICMP6_UNREACH,
	.noroute = IPIFC_ICMP6_UNREACH_NOROUTE,
	.toobig = IPIFC_ICMP6_TOOBIG,
	.hlimoff = 7,
	.send = ip6_forward_out,
};

static void
ip6_forward(struct ipifc_ifc *in, const struct ipifc_ip6 *h,
    const uint8_t *pkt, size_t len)
{
	ipifc_forward(in, &fwd6, h, &h->src, &h->dst, h->hlim, pkt, len);
}

/* What the extension headers ask of us (RFC 8200 4.2, 4.4). */
struct extverdict {
	int	drop;		/* discard the packet */
	int	icmp;		/* and answer with a parameter problem */
	int	code;
	uint32_t pointer;	/* from the start of the IPv6 header */
	uint32_t nxtfield;	/* where the last Next Header field is */
	int	multicast;	/* the packet's destination is a group */
};

/* The options of a hop-by-hop or destination options header at p. */
static void
judge_options(const uint8_t *p, size_t hlen, uint32_t base, int multicast,
    int hbh, struct extverdict *v)
{
	size_t i = 2, olen;
	uint8_t t;

	while (i < hlen && !v->drop) {
		t = p[i];
		if (t == IPIFC_IP6OPT_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > hlen || i + 2 + p[i + 1] > hlen) {
			v->drop = 1;	/* cut short: skipext let no such pass */
			return;
		}
		olen = 2 + (size_t)p[i + 1];
		if (t != IPIFC_IP6OPT_PADN && !(hbh && t == IPIFC_IP6OPT_RA)) {
			/* an option we do not know: its top two bits decide */
			switch (t >> 6) {
			case 0:
				break;
			case 1:
				v->drop = 1;
				break;
			case 3:
				if (multicast) {
					v->drop = 1;
					break;
				}
				/* FALLTHROUGH */
			case 2:
				v->drop = v->icmp = 1;
				v->code = IPIFC_ICMP6_PARAMPROB_OPTION;
				v->pointer = base + (uint32_t)i;
				break;
			}
		}
		i += olen;
	}
}

/* One header of the chain, judged: nonzero to stop at it. */
static int
judge_one(void *arg, int n, uint8_t type, const uint8_t *p, size_t off,
    size_t hlen)
{
	struct extverdict *v = arg;

	if (type == IPIFC_PROTO_HOPOPTS && n > 0) {
		/* RFC 8200 4, 4.1: hop-by-hop only right after the IPv6
		 * header; elsewhere an unrecognized Next Header, pointed at
		 * in the header that named it (Linux and the BSDs too) */
		v->drop = v->icmp = 1;
		v->code = IPIFC_ICMP6_PARAMPROB_NXT;
		v->pointer = v->nxtfield;
		return 1;
	}
	if (type == IPIFC_PROTO_HOPOPTS || type == IPIFC_PROTO_DSTOPTS)
		judge_options(p, hlen, IPIFC_IP6_HLEN + (uint32_t)off,
		    v->multicast, type == IPIFC_PROTO_HOPOPTS, v);
	else if (type == IPIFC_PROTO_ROUTING && p[3] != 0) {
		/* segments left, of a type we do not route (RFC 5095) */
		v->drop = v->icmp = 1;
		v->code = IPIFC_ICMP6_PARAMPROB_HEADER;
		v->pointer = IPIFC_IP6_HLEN + (uint32_t)off + 2;
	}
	v->nxtfield = IPIFC_IP6_HLEN + (uint32_t)off;
	return v->drop;
}

/* The whole chain judged, and the upper layer's header and offset. */
static void
judge_ext(const struct ipifc_ip6 *h, struct extverdict *v, uint8_t *nxt,
    size_t *off)
{
	memset(v, 0, sizeof(*v));
	v->nxtfield = 6;
	v->multicast = ipifc_ip_ismulti(&h->dst);
	/* through a fragment header too: an atomic fragment's (RFC 6946
	 * 4), which other extension headers may follow */
	if (ipifc_ip6_walkext(h->nxt, h->payload, h->plen, judge_one, v, nxt,
	    off) < 0)
		v->drop = 1;	/* too many, or cut short */
}

/* RFC 7112 5: the upper-layer header, whole, in the first fragment. */
static size_t
ulp_minlen(uint8_t nxt)
{
	switch (nxt) {
	case IPIFC_PROTO_TCP:
		return 20;		/* RFC 9293 3.1 */
	case IPIFC_PROTO_UDP:
		return 8;		/* RFC 768 */
	case IPIFC_PROTO_ICMP6:
		return 4;		/* RFC 4443 2.1 */
	default:
		return 0;
	}
}

/*
 * A fragment for us: put into reassembly, and the whole datagram, when it
 * is, through local input again.  The first fragment must hold the whole
 * header chain (RFC 7112 5: else parameter problem code 3).
 */
static void ip6_local(struct ipifc_ifc *, const struct ipifc_ip6 *,
		    const uint8_t *, size_t, unsigned, int, int);

/*
 * RFC 4443 2.4 (e.4, e.5): no error about a frame that came to a
 * link-layer group or broadcast, but for an unrecognized option whose
 * sender asked to hear of it even so (parameter problem code 2).
 */
static int
ll_quiet(int rx, int code)
{
	return rx == IPIFC_RX_GROUP && code != IPIFC_ICMP6_PARAMPROB_OPTION;
}

static void
ip6_fragment_in(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const struct ipifc_ip6frag *f, const uint8_t *pkt, size_t len,
    unsigned type, int rx)
{
	struct ipifc_stack *s = ifc->stack;
	const uint8_t *whole, *p = h->payload + f->hdroff + IPIFC_IP6_FRAGLEN;
	size_t plen = h->plen - f->hdroff - IPIFC_IP6_FRAGLEN, off, wlen, hlen;
	struct ipifc_ip6 wh;
	uint8_t nxt;

	if (f->off == 0 && (ipifc_ip6_skipext(f->nxt, p, plen, &nxt, &off,
	    NULL) != 0 || plen - off < ulp_minlen(nxt))) {
		proto_of(s)->drops_frag6++;
		if (!ll_quiet(rx, IPIFC_ICMP6_PARAMPROB_CHAIN))
			ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
			    IPIFC_ICMP6_PARAMPROB_CHAIN, 0);
		return;
	}
	if (ipifc_reasm6(ifc, h, f, pkt, len, &whole, &wlen, &hlen) <= 0)
		return;		/* kept for later, or dropped */
	if (hlen == IPIFC_IP6_HLEN && whole[6] == IPIFC_PROTO_HOPOPTS) {
		/* RFC 8200 4.1: it followed the fragment header, though
		 * now it leads; as for any unknown Next Header (Linux too) */
		proto_of(s)->drops_hdr++;
		if (!ll_quiet(rx, IPIFC_ICMP6_PARAMPROB_NXT))
			ipifc_icmp6_error(ifc, whole, wlen,
			    IPIFC_ICMP6_PARAMPROB, IPIFC_ICMP6_PARAMPROB_NXT,
			    6);
	} else if (ipifc_ip6_parse(whole, wlen, &wh) < 0)
		proto_of(s)->drops_hdr++;
	else
		ip6_local(ifc, &wh, whole, wlen, type, rx, 1);
	ipifc_reasm_done(s, whole);
}

/*
 * A packet for us (type from the self table), or a reassembled one: h is
 * pkt's header, parsed once by the caller.
 */
static void
ip6_local(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const uint8_t *pkt, size_t len, unsigned type, int rx, int reassembled)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip6frag frag;
	struct extverdict v;
	uint8_t nxt;
	size_t off;
	int rc;

	rc = ipifc_ip6_skipext(h->nxt, h->payload, h->plen, &nxt, &off,
	    &frag);
	if (rc < 0 && rc != -EINVAL) {
		proto_of(s)->drops_hdr++;	/* too many, or cut short */
		return;
	}
	if (rc == 1 && reassembled) {
		proto_of(s)->drops_frag6++;	/* a fragment inside one */
		return;
	}
	if (rc == 1 && (frag.off != 0 || frag.more)) {
		ip6_fragment_in(ifc, h, &frag, pkt, len, type, rx);
		return;
	}
	/* rc 1 here: an atomic fragment, whole as it is, apart from any
	 * datagram in reassembly (RFC 6946 4); -EINVAL: a hop-by-hop header
	 * out of place, which the judge answers */
	judge_ext(h, &v, &nxt, &off);
	if (v.drop) {
		proto_of(s)->drops_hdr++;
		if (v.icmp && !ll_quiet(rx, v.code))
			ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
			    v.code, v.pointer);
		return;
	}
	if (nxt == IPIFC_PROTO_ICMP6) {
		ipifc_icmp6_input(ifc, h, h->payload + off, h->plen - off,
		    type, reassembled || rc == 1);
		return;
	}
	if (nxt == IPIFC_PROTO_NONE)
		return;		/* RFC 8200 4.7: nothing follows */
	if (ipifc_deliver(ifc, &h->src, &h->dst, nxt, h->hlim,
	    h->payload + off, h->plen - off) < 0 && (type & IPIFC_RT_UNI) &&
	    !ll_quiet(rx, IPIFC_ICMP6_PARAMPROB_NXT))
		/* RFC 8200 4: point at the Next Header field we cannot follow */
		ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
		    IPIFC_ICMP6_PARAMPROB_NXT, v.nxtfield);
}

void
ipifc_ip6_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len, int rx)
{
	struct ipifc_stack *s = ifc->stack;
	unsigned stype;
	struct ipifc_ip6 h;
	unsigned type;

	if (ipifc_ip6_parse(pkt, len, &h) < 0) {
		ifc->cnt.errin++;
		return;
	}
	len = IPIFC_IP6_HLEN + h.plen;
	if (rx == IPIFC_RX_OTHER)
		return;		/* promisc: not for us to take or route */
	/* RFC 4291 2.7: a group is never a source */
	if (ipifc_martian_loopback(ifc, &h.src, &h.dst, rx) ||
	    ipifc_ip_ismulti(&h.src)) {
		proto_of(s)->drops_martian++;
		return;
	}
	/* one probe answers both whether it is ours and whether tentative */
	if (!ipifc_self_lookup(s, &h.dst, &stype))
		type = ipifc_ipforme(s, &h.dst);	/* accept-all */
	else if ((type = stype & IPIFC_SELF_SHOWN) == 0 &&
	    (stype & IPIFC_SELF_TENTATIVE)) {
		/* RFC 4862 5.4: a tentative address receives nothing */
		proto_of(s)->drops_tentative++;
		return;
	}
	if (type == 0) {
		/* RFC 4443 2.4 (e): link-layer groups are not routed */
		if (s->iprouting && rx != IPIFC_RX_GROUP)
			ip6_forward(ifc, &h, pkt, len);
		return;
	}
	ip6_local(ifc, &h, pkt, len, type, rx, 0);
}
