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
	memcpy(pkt + n, payload, len);
	return n + (int)len;
}

/* Onto the link to nexthop; no fragmentation at the source yet. */
static int
ip6_emit(struct ipifc_ifc *ifc, const uint8_t *pkt, int n,
    const struct ipifc_ip *nexthop)
{
	if (n > ifc->mtu)
		return -EMSGSIZE;
	ifc->m->bwrite(ifc, pkt, (size_t)n, nexthop);
	return 0;
}

int
ipifc_ip6_send_on(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len)
{
	uint8_t pkt[IPIFC_MAXPKT];
	int n;

	if ((n = ip6_pack(ifc, src, dst, nxt, hlim, payload, len, pkt,
	    sizeof(pkt))) < 0)
		return n;
	return ip6_emit(ifc, pkt, n, dst);
}

int
ipifc_ip6_output(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int nxt, int hlim, const uint8_t *payload,
    size_t len, struct ipifc_ifc *oif)
{
	struct ipifc_route *r;
	struct ipifc_lifc *l;
	struct ipifc_ifc *ifc;
	struct ipifc_ip from, nexthop;
	uint8_t pkt[IPIFC_MAXPKT];
	int n;

	if (src != NULL)
		from = *src;
	else if ((l = ipifc_srcsel(s, dst, oif)) != NULL)
		from = l->local;
	else
		return -EADDRNOTAVAIL;
	/* routes limited to a source carry link-local traffic to its link */
	r = ipifc_rtab_lookup(s->rtab, dst, &from);
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
	    sizeof(pkt))) < 0)
		return n;
	if (r != NULL && (r->type & IPIFC_RT_UNI)) {
		/* to ourselves: straight back in */
		ipifc_ip6_input(ifc, pkt, (size_t)n, IPIFC_RX_LOCAL);
		return 0;
	}
	/* through a router the header names dst, the link the gateway */
	nexthop = *dst;
	if (r != NULL && r->ifc == ifc && !ipifc_ip_isunspec(&r->gate))
		nexthop = r->gate;
	return ip6_emit(ifc, pkt, n, &nexthop);
}

static void
ip6_forward(struct ipifc_ifc *in, const struct ipifc_ip6 *h,
    const uint8_t *pkt, size_t len)
{
	struct ipifc_stack *s = in->stack;
	struct ipifc_route *r;
	struct ipifc_ifc *out;
	struct ipifc_ip nexthop;
	uint8_t copy[IPIFC_MAXPKT];

	if (!canforward6(&h->src) || !canforward6(&h->dst) ||
	    ipifc_ip_ismulti(&h->dst)) {
		proto_of(s)->drops_noforward++;
		return;
	}
	if (h->hlim <= 1) {
		ipifc_icmp6_error(in, pkt, len, IPIFC_ICMP6_TIMEX, 0, 0);
		return;
	}
	if ((r = ipifc_rtab_lookup(s->rtab, &h->dst, &h->src)) == NULL ||
	    (out = r->ifc) == NULL) {
		ipifc_icmp6_error(in, pkt, len, IPIFC_ICMP6_UNREACH,
		    IPIFC_ICMP6_UNREACH_NOROUTE, 0);
		return;
	}
	if (out == in && !in->reflect) {
		proto_of(s)->drops_noforward++;
		return;
	}
	if (len > (size_t)out->mtu) {
		/* RFC 8201 4: routers never fragment IPv6 */
		ipifc_icmp6_error(in, pkt, len, IPIFC_ICMP6_TOOBIG, 0,
		    (uint32_t)out->mtu);
		return;
	}
	nexthop = ipifc_ip_isunspec(&r->gate) ? h->dst : r->gate;
	memcpy(copy, pkt, len);
	copy[7]--;		/* the hop limit; IPv6 has no header checksum */
	out->m->bwrite(out, copy, len, &nexthop);
}

void
ipifc_ip6_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len, int rx)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip6 h;
	struct ipifc_lifc *l;
	struct ipifc_ip6frag frag;
	uint8_t nxt;
	size_t off;
	unsigned type;
	int rc;

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
	type = ipifc_ipforme(s, &h.dst);
	if (type == 0) {
		/* RFC 4443 2.4 (e): link-layer groups are not routed */
		if (s->iprouting && rx != IPIFC_RX_GROUP)
			ip6_forward(ifc, &h, pkt, len);
		return;
	}
	if ((type & IPIFC_RT_UNI) && (l = ipifc_lifc_bylocal(s, &h.dst)) !=
	    NULL && !ipifc_lifc_usable(l)) {
		/* RFC 4862 5.4: a tentative address receives nothing */
		proto_of(s)->drops_tentative++;
		return;
	}
	rc = ipifc_ip6_skipext(h.nxt, h.payload, h.plen, &nxt, &off, &frag);
	if (rc < 0) {
		proto_of(s)->drops_hdr++;
		return;
	}
	if (rc == 1 && (frag.off != 0 || frag.more)) {
		proto_of(s)->drops_frag6++;	/* no IPv6 reassembly yet */
		return;
	}
	/* rc 1 here: an atomic fragment, whole as it is (RFC 6946 4) */
	if (nxt == IPIFC_PROTO_ICMP6) {
		ipifc_icmp6_input(ifc, &h, h.payload + off, h.plen - off, type);
		return;
	}
	if (ipifc_deliver(ifc, &h.src, &h.dst, nxt, h.hlim, h.payload + off,
	    h.plen - off) < 0 && (type & IPIFC_RT_UNI) && off == 0)
		/* RFC 8200 4: the Next Header field at byte 6 is unknown */
		ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
		    IPIFC_ICMP6_PARAMPROB_NXT, 6);
}
