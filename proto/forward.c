/*
 * Forwarding, one path for both families (RFC 1812 5.2-5.3, RFC 8200 3,
 * RFC 4443 3.3): may the packet cross a router at all, is its TTL or hop
 * limit spent, is there a route, may it leave by the interface it came
 * in on (plan9's reflect), the next hop, and a copy with the TTL or hop
 * limit one less.  What differs (the addresses never forwarded, the ICMP
 * types, the IPv4 header checksum, options and fragmentation) is the
 * family's struct ipifc_fwdfam.
 */
#include <string.h>

#include "proto.h"

static void
forward_in(struct ipifc_ifc *in, const struct ipifc_fwdfam *fam,
    const void *hdr, const struct ipifc_ip *src, const struct ipifc_ip *dst,
    int hlim, const uint8_t *pkt, size_t len, uint8_t *copy)
{
	struct ipifc_stack *s = in->stack;
	const struct ipifc_nexthop *nh;
	struct ipifc_ifc *out;
	struct ipifc_ip nexthop;

	if (!fam->canforward(src, dst)) {
		proto_of(s)->drops_noforward++;
		return;
	}
	if (hlim <= 1) {
		/* RFC 792, RFC 1812 5.3.1, RFC 4443 3.3 */
		fam->error(in, pkt, len, fam->timex, 0, 0);
		return;
	}
	if ((nh = ipifc_rtab_nexthop(s->rtab, dst, src)) == NULL ||
	    (out = nh->ifc) == NULL) {
		fam->error(in, pkt, len, fam->unreach, fam->noroute, 0);
		return;
	}
	if (out == in && !in->reflect) {
		proto_of(s)->drops_noforward++;
		return;
	}
	if (nh->type & fam->local)
		return;		/* not to be forwarded onto the wire */
	if (fam->toobig != 0 && len > (size_t)out->mtu) {
		fam->error(in, pkt, len, fam->toobig, 0, (uint32_t)out->mtu);
		return;
	}
	nexthop = ipifc_ip_isunspec(&nh->gate) ? *dst : nh->gate;
	memcpy(copy, pkt, len);
	copy[fam->hlimoff]--;
	fam->send(in, out, hdr, pkt, copy, len, &nexthop);
}

void
ipifc_forward(struct ipifc_ifc *in, const struct ipifc_fwdfam *fam,
    const void *hdr, const struct ipifc_ip *src, const struct ipifc_ip *dst,
    int hlim, const uint8_t *pkt, size_t len)
{
	uint8_t *copy;

	if ((copy = ipifc_scratch_get(in->stack)) == NULL)
		return;
	forward_in(in, fam, hdr, src, dst, hlim, pkt, len, copy);
	ipifc_scratch_put(in->stack);
}
