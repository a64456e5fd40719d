/*
 * ICMPv4 (RFC 792): echo replies, and the errors the stack sends, under
 * the rules of RFC 1122 3.2.2 (never about an ICMP error, a non-first
 * fragment, a broadcast or multicast, or an invalid source) and the rate
 * limit of icmprate.c.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/* RFC 3168 5: the ECN bits are not for an echo reply to copy */
#define TOS_ECN		0x03

/*
 * The ICMP error messages (RFC 1812 4.3.2.7, RFC 1122 3.2.2): destination
 * unreachable, source quench, redirect, time exceeded, parameter problem,
 * and any type RFC 792 and RFC 950 leave undefined (1, 2, 7, and past 18),
 * as a type nobody knows cannot be taken for a query.
 */
static int
is_error_type(uint8_t type)
{
	return type == 1 || type == 2 || type == IPIFC_ICMP4_UNREACH ||
	    type == 4 || type == 5 || type == 7 ||
	    type == IPIFC_ICMP4_TIMEX || type == IPIFC_ICMP4_PARAMPROB ||
	    type > 18;
}

void
ipifc_icmp4_error(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    int type, int code, uint32_t param)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip4 h;
	uint32_t v;

	if (ipifc_ip4_parse(pkt, len, &h) < 0)
		return;
	v = ipifc_ip_v4val(&h.src);
	if (ipifc_ip_ismulti(&h.dst) || ipifc_ip_isbcast(&h.dst) ||
	    (ipifc_ipforme(s, &h.dst) & IPIFC_RT_BCAST) ||
	    ipifc_ip_ismulti(&h.src) || ipifc_ip_isbcast(&h.src) ||
	    (v >> 24) == 0 || (v >> 24) == 127 ||
	    ipifc_ip4_fragoff(&h) != 0)
		return;
	/* by the type alone: the quote of a first fragment fails any checksum */
	if (h.proto == IPIFC_PROTO_ICMP &&
	    (h.plen < 1 || is_error_type(h.payload[0])))
		return;		/* never about an ICMP error */
	if (ipifc_icmp_ratelimit(s, &h.src))
		ipifc_icmp_error_send(s, NULL, &h.src, NULL, type, code,
		    param, pkt, h.totlen);
}

void
ipifc_icmp4_input(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
    const uint8_t *pkt, size_t len, unsigned type)
{
	struct ipifc_icmp m;
	const struct ipifc_ip *src;
	uint8_t all[IPIFC_IP4_MAXOPT], opts[IPIFC_IP4_MAXOPT], ptr, *buf;
	size_t optlen = 0, hl;
	int n;

	if (h->plen >= IPIFC_ICMP_HLEN && h->payload[0] == IPIFC_ICMP4_ECHO) {
		/* what ipifc_icmp4_parse checks of a request, its length
		 * and checksum (RFC 792), without decoding what the reply
		 * copies */
		if (!ipifc_cksum_ok(h->payload, h->plen)) {
			proto_of(ifc->stack)->drops_icmp++;
			return;
		}
	} else if (ipifc_icmp4_parse(h->payload, h->plen, &m) < 0) {
		proto_of(ifc->stack)->drops_icmp++;
		return;
	} else {
		/* replies and errors are for the library's user */
		ipifc_deliver4(ifc, h);
		return;
	}
	/* RFC 1122 3.2.2.6 lets broadcast echoes go unanswered (no smurfs) */
	if ((type & IPIFC_RT_UNI) == 0)
		return;
	src = &h->dst;
	if (h->optlen > 0) {
		/*
		 * RFC 1122 3.2.2.6: the reply carries the request's Record
		 * Route and Timestamp, with this host in them, for the
		 * whole round trip; output adds the reply's source.
		 */
		memcpy(all, h->opts, h->optlen);
		if (ipifc_ip4opt_record(ifc->stack, all, h->optlen, src,
		    &ptr) != 0) {
			proto_of(ifc->stack)->drops_hdr++;
			ipifc_icmp4_error(ifc, pkt, len, IPIFC_ICMP4_PARAMPROB,
			    0, ptr);
			return;
		}
		optlen = ipifc_ip4opt_echo(all, h->optlen, opts);
	}
	/* the reply is made where the output sends it from: no copy */
	if ((buf = ipifc_scratch_get(ifc->stack)) == NULL)
		return;
	if (h->optlen == 0 && len <= IPIFC_MAXPKT) {
		/*
		 * The request whole, changed where the reply differs: ICMP
		 * type and checksum, and in the IP header what output
		 * updates (RFC 1624): no checksum summed anew.  Both read
		 * the request, not the copy being written.
		 */
		memcpy(buf, pkt, IPIFC_IP4_HLEN);
		if (ipifc_icmp_echoreply(buf + IPIFC_IP4_HLEN,
		    IPIFC_MAXPKT - IPIFC_IP4_HLEN, h->payload, h->plen,
		    IPIFC_ICMP4_ECHOREPLY, NULL, NULL) >= 0)
			ipifc_ip4_output_reply(ifc->stack, &h->dst, &h->src,
			    pkt, buf, len, h->tos & ~TOS_ECN);
		ipifc_scratch_put(ifc->stack);
		return;
	}
	hl = IPIFC_IP4_HLEN + optlen;
	if ((n = ipifc_icmp_echoreply(buf + hl, IPIFC_MAXPKT - hl, h->payload,
	    h->plen, IPIFC_ICMP4_ECHOREPLY, NULL, NULL)) >= 0)
		ipifc_ip4_output_buf(ifc->stack, src, &h->src, IPIFC_PROTO_ICMP,
		    h->tos & ~TOS_ECN, buf, (size_t)n, opts, optlen);
	ipifc_scratch_put(ifc->stack);
}
