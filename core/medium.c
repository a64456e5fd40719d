/*
 * Mediums, as plan9's Medium: a table of functions per kind of link.  The
 * core never knows what kind of link it sits on.  The backends behind a
 * DEV name (sim segments, TAP, AF_PACKET, TUN) come with the packet path;
 * here a medium checks the name and keeps the link-layer group list.
 */
#include <string.h>

#include "core.h"

static int
hasprefix(const char *dev, const char *p)
{
	size_t n = strlen(p);

	return strncmp(dev, p, n) == 0 && dev[n] != '\0';
}

static const char *
ether_bind(struct ipifc_ifc *ifc, const char *dev)
{
	if (hasprefix(dev, "sim:") || hasprefix(dev, "tap:") ||
	    hasprefix(dev, "packet:"))
		return NULL;
	return ipifc_errf(ifc->stack,
	    "bad ether device %s: want sim:SEGMENT, tap:NAME or packet:IFNAME",
	    dev);
}

static const char *
pkt_bind(struct ipifc_ifc *ifc, const char *dev)
{
	if (hasprefix(dev, "sim:") || hasprefix(dev, "tun:"))
		return NULL;
	return ipifc_errf(ifc->stack,
	    "bad pkt device %s: want sim:SEGMENT or tun:NAME", dev);
}

static const char *
loopback_bind(struct ipifc_ifc *ifc, const char *dev)
{
	return NULL;
}

static void
nop_unbind(struct ipifc_ifc *ifc)
{
}

static void
nop_multi(struct ipifc_ifc *ifc, const uint8_t *mac)
{
}

/* MTUs are IP MTUs: RFC 791 requires 68 octets at least. */
static const struct ipifc_medium mediums[] = {
	{
		.name = "ether", .hwlen = 6,
		.mintu = 68, .maxtu = 9000, .deftu = 1500,
		.flags = IPIFC_F_BROADCAST | IPIFC_F_MULTICAST,
		.bind = ether_bind, .unbind = nop_unbind,
		.addmulti = nop_multi, .remmulti = nop_multi,
	},
	{
		.name = "loopback", .hwlen = 0,
		.mintu = 68, .maxtu = 65536, .deftu = 65536,
		.flags = IPIFC_F_LOOPBACK | IPIFC_F_MULTICAST | IPIFC_F_NOARP,
		.bind = loopback_bind, .unbind = nop_unbind,
		.addmulti = nop_multi, .remmulti = nop_multi,
	},
	{
		.name = "pkt", .hwlen = 0,
		.mintu = 68, .maxtu = 65535, .deftu = 1500,
		.flags = IPIFC_F_MULTICAST | IPIFC_F_NOARP,
		.bind = pkt_bind, .unbind = nop_unbind,
		.addmulti = nop_multi, .remmulti = nop_multi,
	},
};

const struct ipifc_medium *
ipifc_medium_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(mediums) / sizeof(mediums[0]); i++)
		if (strcmp(mediums[i].name, name) == 0)
			return &mediums[i];
	return NULL;
}
