/*
 * The loopback medium: what goes out comes back in.  A bounded depth keeps
 * a packet that answers itself (an echo to our own address) from
 * recursing without end.
 */
#include "proto.h"

#define LOOPDEPTH	4

static const char *
loopback_bind(struct ipifc_ifc *ifc, const char *dev)
{
	return NULL;
}

static void
loopback_unbind(struct ipifc_ifc *ifc)
{
}

static void
loopback_bwrite(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    const struct ipifc_ip *nexthop)
{
	struct ipifc_proto *p = proto_of(ifc->stack);

	if (p->loopdepth >= LOOPDEPTH) {
		ifc->cnt.errout++;
		return;
	}
	ifc->cnt.pktout++;
	ifc->cnt.pktin++;
	p->loopdepth++;
	ipifc_ip_input(ifc, pkt, len);
	p->loopdepth--;
}

static void
loopback_bread(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	ipifc_ip_input(ifc, frame, len);
}

const struct ipifc_medium ipifc_loopback_medium = {
	.name = "loopback", .hwlen = 0,
	.mintu = 68, .maxtu = 65536, .deftu = 65536,
	.flags = IPIFC_F_LOOPBACK | IPIFC_F_MULTICAST | IPIFC_F_NOARP |
	    IPIFC_F_RUNNING,
	.bind = loopback_bind,
	.unbind = loopback_unbind,
	.bwrite = loopback_bwrite,
	.bread = loopback_bread,
	.addmulti = ipifc_medium_nomulti,
	.remmulti = ipifc_medium_nomulti,
};
