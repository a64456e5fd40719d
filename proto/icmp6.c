/*
 * ICMPv6 (RFC 4443): echo replies, the errors the stack sends under the
 * rules of 2.4 (e) and (f), and the dispatch of ND and MLD messages.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

static int
is_error_type(uint8_t type)
{
	return type < 128;	/* RFC 4443 2.1 */
}

void
ipifc_icmp6_error(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    int type, int code, uint32_t param)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip6 h;
	struct ipifc_lifc *l;
	struct ipifc_ip6frag frag;
	struct ipifc_ifc *oif;
	struct ipifc_ip src;
	uint8_t nxt;
	size_t off;
	int rc;

	if (ipifc_ip6_parse(pkt, len, &h) < 0)
		return;
	/* 2.4 (e): never about an error, never to a group or nobody */
	if (ipifc_ip_isunspec(&h.src) || ipifc_ip_ismulti(&h.src))
		return;
	if (ipifc_ip_ismulti(&h.dst) && type != IPIFC_ICMP6_TOOBIG &&
	    !(type == IPIFC_ICMP6_PARAMPROB && code == 2))
		return;
	/* a first fragment (a reassembly timeout's quote) shows its type */
	if ((rc = ipifc_ip6_skipext(h.nxt, h.payload, h.plen, &nxt, &off,
	    &frag)) >= 0 && (rc == 0 || frag.off == 0) &&
	    nxt == IPIFC_PROTO_ICMP6 && off < h.plen &&
	    (is_error_type(h.payload[off]) ||
	    h.payload[off] == IPIFC_ND_REDIRECT))
		return;
	if (!ipifc_icmp_ratelimit(s, &h.src))
		return;
	/*
	 * RFC 4443 2.2: about a packet to one of our unicast addresses,
	 * from that address (a); else from an address toward the packet's
	 * source (b), not one of ifc, which may be the interface the packet
	 * was leaving by (address unreachable).  A link-local source is
	 * only reached on ifc.
	 */
	oif = ipifc_ip_islinklocal(&h.src) ? ifc : NULL;
	if (ipifc_ipforme(s, &h.dst) & IPIFC_RT_UNI)
		src = h.dst;
	else if ((l = ipifc_srcsel(s, &h.src, oif)) != NULL)
		src = l->local;
	else
		return;
	ipifc_icmp_error_send(s, &src, &h.src, oif, type, code, param, pkt,
	    len);
}

static void
echo_reply(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const uint8_t *icmp, size_t len, unsigned type)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l;
	struct ipifc_ip src;
	uint8_t *buf;
	int n;

	if (ipifc_ip_isunspec(&h->src))
		return;		/* nobody to answer */
	/* RFC 4443 4.2: to a group, answer from a unicast address of ours */
	if (type & IPIFC_RT_UNI)
		src = h->dst;
	else if ((l = ipifc_srcsel(s, &h->src, ifc)) != NULL)
		src = l->local;
	else
		return;
	/* the reply is made where the output sends it from: no copy */
	if ((buf = ipifc_scratch_get(s)) == NULL)
		return;
	if ((n = ipifc_icmp_echoreply(buf + IPIFC_IP6_HLEN, IPIFC_MAXPKT -
	    IPIFC_IP6_HLEN, icmp, len, IPIFC_ICMP6_ECHOREPLY, &h->dst,
	    &src)) >= 0)
		ipifc_ip6_output_buf(s, &src, &h->src, IPIFC_PROTO_ICMP6, buf,
		    (size_t)n, ipifc_ip_islinklocal(&h->src) ? ifc : NULL);
	ipifc_scratch_put(s);
}

void
ipifc_icmp6_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const uint8_t *icmp, size_t len, unsigned type, int fragmented)
{
	struct ipifc_icmp m;
	int rc;

	if (len < 1) {
		proto_of(ifc->stack)->drops_icmp++;
		return;
	}
	switch (icmp[0]) {
	case IPIFC_ND_RS:
	case IPIFC_ND_RA:
	case IPIFC_ND_NS:
	case IPIFC_ND_NA:
	case IPIFC_ND_REDIRECT:
		/* RFC 6980 5: never from a packet with a fragment header,
		 * reassembled or atomic (RA guard evasion, RFC 7113) */
		if (fragmented) {
			proto_of(ifc->stack)->drops_nd++;
			return;
		}
		ipifc_nd_input(ifc, h, icmp, len);
		return;
	case IPIFC_MLD_QUERY:
	case IPIFC_MLD_REPORT1:
	case IPIFC_MLD_DONE:
	case IPIFC_MLD_REPORT2:
		ipifc_mld_input(ifc, h, icmp, len);
		return;
	}
	if ((rc = ipifc_icmp6_parse(&h->src, &h->dst, icmp, len, &m)) < 0) {
		/* RFC 4443 2.4 (a), (b): unknown errors go up, informational
		 * messages of unknown type are dropped */
		if (rc == -EPROTONOSUPPORT && is_error_type(icmp[0]))
			ipifc_deliver(ifc, &h->src, &h->dst, IPIFC_PROTO_ICMP6,
			    h->hlim, icmp, len);
		else
			proto_of(ifc->stack)->drops_icmp++;
		return;
	}
	if (m.type == IPIFC_ICMP6_ECHO) {
		echo_reply(ifc, h, icmp, len, type);
		return;
	}
	/* RFC 8201 4: a Packet Too Big about what we sent lowers the path
	 * MTU; one that is not is dropped */
	if (m.type == IPIFC_ICMP6_TOOBIG && ipifc_pmtu_toobig(ifc, &m) < 0) {
		proto_of(ifc->stack)->drops_icmp++;
		return;
	}
	ipifc_deliver(ifc, &h->src, &h->dst, IPIFC_PROTO_ICMP6, h->hlim, icmp,
	    len);
}
