/*
 * The ether medium: Ethernet II framing (RFC 894 for IPv4, RFC 2464 for
 * IPv6), the receive filter built from the interface's link-layer group
 * list, and neighbor resolution (ARP for IPv4, ND for IPv6) on output.
 * The neighbor and DAD state machines (core/nud.c, core/dad.c) decide;
 * this medium carries out what they decided once they have returned.
 */
#include <stdlib.h>
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

static uint16_t
ethertype(const struct ipifc_ip *ip)
{
	return ipifc_ip_isv4(ip) ? ETHERTYPE_IP : ETHERTYPE_IPV6;
}

static void
solicit(const struct ipifc_nbr_act *a)
{
	const uint8_t *mac = a->unicast ? a->mac : NULL;

	if (ipifc_ip_isv4(&a->ip))
		ipifc_arp_request(a->ifc, &a->src, &a->ip, mac);
	else
		ipifc_nd_solicit(a->ifc, &a->src, &a->ip, mac);
}

/* A packet that waited for a neighbor who never answered. */
static void
unreachable(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len)
{
	if (len > 0 && (pkt[0] >> 4) == 4)
		ipifc_icmp4_error(ifc, pkt, len, IPIFC_ICMP4_UNREACH,
		    IPIFC_ICMP4_UNREACH_HOST, 0);
	else if (len > 0)
		/* RFC 4861 7.2.2 */
		ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_UNREACH,
		    IPIFC_ICMP6_UNREACH_ADDR, 0);
}

void
ipifc_ether_nbrdo(struct ipifc_nbr_acts *todo)
{
	struct ipifc_nbr_act *a;
	int i;

	for (i = 0; i < todo->n; i++) {
		a = &todo->a[i];
		switch (a->what) {
		case IPIFC_NBRDO_SEND:
			ipifc_ether_send(a->ifc, a->mac, ethertype(&a->ip),
			    a->pkt->data, a->pkt->len);
			break;
		case IPIFC_NBRDO_SOLICIT:
			solicit(a);
			break;
		case IPIFC_NBRDO_UNREACH:
			unreachable(a->ifc, a->pkt->data, a->pkt->len);
			break;
		}
		free(a->pkt);
	}
	todo->n = 0;
}

void
ipifc_ether_learn(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *mac, enum ipifc_nbr_state state, int create)
{
	struct ipifc_nbr_acts todo;

	ipifc_nbr_acts_init(&todo);
	ipifc_nbr_learn(ifc, ip, mac, state, create, &todo);
	ipifc_ether_nbrdo(&todo);
}

static void
dad_do(struct ipifc_dad_acts *todo)
{
	int i;

	for (i = 0; i < todo->n; i++)
		switch (todo->a[i].what) {
		case IPIFC_DADDO_NS:
			ipifc_nd_dadprobe(todo->a[i].l);
			break;
		case IPIFC_DADDO_ARPPROBE:
			ipifc_arp_probe(todo->a[i].l);
			break;
		case IPIFC_DADDO_ANNOUNCE:
			ipifc_arp_announce(todo->a[i].l);
			break;
		}
	todo->n = 0;
}

/* DAD's and the neighbors' timers, and what they decided, in order. */
void
ipifc_ether_timers(struct ipifc_stack *s)
{
	struct ipifc_dad_acts dad;
	struct ipifc_nbr_acts nbr;
	int more;

	ipifc_dad_acts_init(&dad);
	do {
		more = ipifc_dad_timers(s, &dad);
		dad_do(&dad);
	} while (more);
	ipifc_nbr_acts_init(&nbr);
	do {
		more = ipifc_nbr_timers(s, &nbr);
		ipifc_ether_nbrdo(&nbr);
	} while (more);
}

static void
ether_bwrite(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
    const struct ipifc_ip *nexthop)
{
	struct ipifc_nbr_act ask;
	uint8_t mac[6];

	if (ipifc_ip_ismulti(nexthop))
		ipifc_ip_multimac(mac, nexthop);
	else if (ipifc_ip_isv4(nexthop) && (ipifc_ip_isbcast(nexthop) ||
	    (ifc->flags & IPIFC_F_NOARP)))
		memcpy(mac, bcastmac, 6);
	else
		switch (ipifc_nbr_resolve(ifc, nexthop, pkt, len, mac, &ask)) {
		case IPIFC_NBR_FOUND:
			break;
		case IPIFC_NBR_SOLICIT:
			solicit(&ask);
			return;
		case IPIFC_NBR_QUEUED:
		case IPIFC_NBR_DROPPED:
			return;		/* waits, or counted */
		}
	ipifc_ether_send(ifc, mac, ethertype(nexthop), pkt, len);
}

/*
 * A new or restarted address: a tentative IPv6 one sends the DAD probe
 * due at once, if one is; an IPv4 one starts conflict detection.
 */
static void
ether_areg(struct ipifc_ifc *ifc, struct ipifc_lifc *l)
{
	if (l->state == IPIFC_ADDR_TENTATIVE) {
		if (ipifc_dad_now(l))
			ipifc_nd_dadprobe(l);
	} else if (ipifc_lifc_isv4(l))
		ipifc_acd_start(l);
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
};
