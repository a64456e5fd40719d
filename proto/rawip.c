/*
 * The pkt medium: raw IP packets in and out, no link layer (a Linux TUN
 * device, or a sim segment of raw packets).
 */
#include <string.h>

#include "proto.h"

static const char *
pkt_bind(struct ipifc_ifc *ifc, const char *dev)
{
	if ((strncmp(dev, "sim:", 4) != 0 || dev[4] == '\0') &&
	    (strncmp(dev, "tun:", 4) != 0 || dev[4] == '\0'))
		return ipifc_errf(ifc->stack,
		    "bad pkt device %s: want sim:SEGMENT or tun:NAME", dev);
	return ipifc_link_open(ifc, dev);
}

static void
pkt_unbind(struct ipifc_ifc *ifc)
{
	ipifc_link_close(ifc);
}

static void
pkt_bwrite(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    const struct ipifc_ip *nexthop)
{
	ipifc_ifc_transmit(ifc, pkt, len);
}

static void
pkt_bread(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	ifc->cnt.pktin++;
	ipifc_ip_input(ifc, frame, len);
}

const struct ipifc_medium ipifc_pkt_medium = {
	.name = "pkt", .hwlen = 0,
	.mintu = 68, .maxtu = 65535, .deftu = 1500,
	.flags = IPIFC_F_MULTICAST | IPIFC_F_NOARP,
	.bind = pkt_bind,
	.unbind = pkt_unbind,
	.bwrite = pkt_bwrite,
	.bread = pkt_bread,
	.addmulti = ipifc_medium_nomulti,
	.remmulti = ipifc_medium_nomulti,
};
