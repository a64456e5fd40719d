/*
 * The ether medium: Ethernet II framing (RFC 894 for IPv4, RFC 2464 for
 * IPv6), the receive filter built from the interface's link-layer group
 * list, and neighbor resolution (ARP for IPv4, ND for IPv6) on output.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IPV6	0x86dd

static const uint8_t bcastmac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int
hasprefix(const char *dev, const char *p)
{
	size_t n = strlen(p);

	return strncmp(dev, p, n) == 0 && dev[n] != '\0';
}

static const char *
ether_bind(struct ipifc_ifc *ifc, const char *dev)
{
	if (!hasprefix(dev, "sim:") && !hasprefix(dev, "tap:") &&
	    !hasprefix(dev, "packet:") && !hasprefix(dev, "xdp:"))
		return ipifc_errf(ifc->stack, "bad ether device %s: want "
		    "sim:SEGMENT, tap:NAME, packet:IFNAME or xdp:IFNAME", dev);
	return ipifc_link_open(ifc, dev);
}

static void
ether_unbind(struct ipifc_ifc *ifc)
{
	ipifc_link_close(ifc);
}

/* Is a frame to dst for us?  Unicast to our MAC, broadcast, a group we
 * joined; anything with promisc, any group with allmulti. */
static int
ether_accept(const struct ipifc_ifc *ifc, const uint8_t *dst)
{
	if (ifc->flags & IPIFC_F_PROMISC)
		return 1;
	if ((dst[0] & 1) == 0)
		return memcmp(dst, ifc->mac, 6) == 0;
	if (memcmp(dst, bcastmac, 6) == 0 || (ifc->flags & IPIFC_F_ALLMULTI))
		return 1;
	return ipifc_llgroup_has(ifc, dst);
}

static void
ether_bread(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	struct ipifc_eth e;
	int rx;

	if (ipifc_eth_parse(frame, len, &e) < 0) {
		/* no VLAN is configured: a tagged frame is another link's */
		if (ipifc_eth_tagged(frame, len))
			proto_of(ifc->stack)->drops_vlan++;
		else
			ifc->cnt.errin++;
		return;
	}
	if (!ether_accept(ifc, e.dst))
		return;
	ifc->cnt.pktin++;
	if (e.dst[0] & 1)
		rx = IPIFC_RX_GROUP;
	else if (memcmp(e.dst, ifc->mac, 6) == 0)
		rx = IPIFC_RX_HOST;
	else
		rx = IPIFC_RX_OTHER;
	switch (e.type) {
	case ETHERTYPE_IP:
		ipifc_ip4_input(ifc, e.payload, e.plen, rx);
		break;
	case ETHERTYPE_IPV6:
		ipifc_ip6_input(ifc, e.payload, e.plen, rx);
		break;
	case ETHERTYPE_ARP:
		if (rx != IPIFC_RX_OTHER)
			ipifc_arp_input(ifc, e.payload, e.plen);
		break;
	default:
		break;		/* not ours to speak */
	}
}

void
ipifc_ether_send(struct ipifc_ifc *ifc, const uint8_t *dst, uint16_t type,
    const uint8_t *payload, size_t len)
{
	uint8_t frame[IPIFC_ETHHDR + 9216], *f;

	if (len > sizeof(frame) - IPIFC_ETHHDR) {
		ifc->cnt.errout++;
		return;
	}
	/* a packet made in a scratch buffer takes its header in place */
	if ((f = ipifc_scratch_head(ifc->stack, payload, IPIFC_ETHHDR)) !=
	    NULL) {
		ipifc_eth_build(f, IPIFC_ETHHDR, dst, ifc->mac, type);
		ipifc_ifc_transmit(ifc, f, IPIFC_ETHHDR + len);
		return;
	}
	ipifc_eth_build(frame, sizeof(frame), dst, ifc->mac, type);
	memcpy(frame + IPIFC_ETHHDR, payload, len);
	ipifc_ifc_transmit(ifc, frame, IPIFC_ETHHDR + len);
}

static void
ether_bwrite(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    const struct ipifc_ip *nexthop)
{
	int v4 = ipifc_ip_isv4(nexthop);
	uint8_t mac[6];

	if (ipifc_ip_ismulti(nexthop))
		ipifc_ip_multimac(mac, nexthop);
	else if (v4 && (ipifc_ip_isbcast(nexthop) ||
	    (ifc->flags & IPIFC_F_NOARP)))
		memcpy(mac, bcastmac, 6);
	else if (!ipifc_nbr_resolve(ifc, nexthop, pkt, len, mac))
		return;		/* waits for resolution */
	ipifc_ether_send(ifc, mac, v4 ? ETHERTYPE_IP : ETHERTYPE_IPV6, pkt,
	    len);
}

static void
ether_areg(struct ipifc_ifc *ifc, struct ipifc_lifc *l)
{
	if (ipifc_lifc_isv4(l))
		ipifc_acd_start(l);
}

static void
ether_solicit(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *mac)
{
	if (ipifc_ip_isv4(ip))
		ipifc_arp_request(ifc, ip, mac);
	else
		ipifc_nd_solicit(ifc, ip, mac);
}

/* MTUs are IP MTUs: RFC 791 requires 68 octets at least. */
const struct ipifc_medium ipifc_ether_medium = {
	.name = "ether", .hwlen = 6,
	.mintu = 68, .maxtu = 9000, .deftu = 1500,
	.flags = IPIFC_F_BROADCAST | IPIFC_F_MULTICAST,
	.bind = ether_bind,
	.unbind = ether_unbind,
	.bwrite = ether_bwrite,
	.bread = ether_bread,
	.addmulti = ipifc_medium_nomulti,
	.remmulti = ipifc_medium_nomulti,
	.areg = ether_areg,
	.solicit = ether_solicit,
};
