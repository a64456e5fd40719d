/*
 * ARP (RFC 826) on the neighbor state machine, replies for our own and
 * for published (proxy) addresses, announcements, and passive IPv4
 * address conflict detection (RFC 5227 2.4: report, defend once a
 * DEFEND_INTERVAL).
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

#define DEFEND_INTERVAL	10000	/* ms, RFC 5227 1.1 */

static const uint8_t bcastmac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zeromac[6];

static void
arp_send(struct ipifc_ifc *ifc, const uint8_t *dst, uint16_t op,
    const uint8_t *sha, const struct ipifc_ip *spa, const uint8_t *tha,
    const struct ipifc_ip *tpa)
{
	struct ipifc_arp a;
	uint8_t buf[IPIFC_ARP_LEN];

	memset(&a, 0, sizeof(a));
	a.op = op;
	memcpy(a.sha, sha, 6);
	a.spa = *spa;
	memcpy(a.tha, tha, 6);
	a.tpa = *tpa;
	if (ipifc_arp_build(buf, sizeof(buf), &a) < 0)
		return;
	ipifc_ether_send(ifc, dst, IPIFC_ETHERTYPE_ARP, buf, sizeof(buf));
}

/* The address of ifc to speak from when asking about ip. */
static const struct ipifc_lifc *
arp_source(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	const struct ipifc_lifc *l, *first = NULL;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (!ipifc_lifc_isv4(l))
			continue;
		if (!l->ptp && ipifc_ip_inprefix(ip, &l->net, l->plen))
			return l;
		if (first == NULL)
			first = l;
	}
	return first;
}

void
ipifc_arp_request(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *mac)
{
	const struct ipifc_lifc *l;

	if ((l = arp_source(ifc, ip)) == NULL)
		return;
	arp_send(ifc, mac != NULL ? mac : bcastmac, IPIFC_ARP_REQUEST,
	    ifc->mac, &l->local, zeromac, ip);
}

/* RFC 5227 2.3: an announcement is a request for our own address. */
void
ipifc_arp_announce(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	if (ifc->flags & IPIFC_F_NOARP)
		return;
	arp_send(ifc, bcastmac, IPIFC_ARP_REQUEST, ifc->mac, ip, zeromac, ip);
}

/* Someone else uses one of our addresses (RFC 5227 2.4). */
static void
conflict(struct ipifc_ifc *ifc, struct ipifc_lifc *l)
{
	uint64_t now = ifc->stack->now;

	if (!l->conflict) {
		l->conflict = 1;
		ipifc_announce_addr(l, IPIFC_EV_ADDR_CONFLICT);
	}
	if (l->defended == 0 || now - l->defended >= DEFEND_INTERVAL) {
		l->defended = now ? now : 1;
		ipifc_arp_announce(ifc, &l->local);
	}
}

void
ipifc_arp_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len)
{
	struct ipifc_arp a;
	struct ipifc_lifc *l;
	int forus;

	if (ipifc_arp_parse(pkt, len, &a) < 0) {
		ifc->cnt.errin++;
		return;
	}
	if (ifc->flags & IPIFC_F_NOARP)
		return;
	/* RFC 5227 2.1.1: a probe has sender 0.0.0.0 */
	if ((l = ipifc_lifc_onifc(ifc, &a.spa)) != NULL) {
		if (memcmp(a.sha, ifc->mac, 6) != 0)
			conflict(ifc, l);
		return;
	}
	if (a.sha[0] & 1)
		return;		/* a group address never answers for a host */
	l = ipifc_lifc_onifc(ifc, &a.tpa);
	forus = l != NULL;
	/* RFC 826 "packet reception": merge, then add if we are the target */
	if (!ipifc_ip_isunspec(&a.spa))
		ipifc_nbr_learn(ifc, &a.spa, a.sha,
		    a.op == IPIFC_ARP_REPLY && forus ? IPIFC_NBR_REACHABLE :
		    IPIFC_NBR_STALE, forus);
	if (a.op != IPIFC_ARP_REQUEST)
		return;
	if (forus || ipifc_nbr_proxy(ifc, &a.tpa)) {
		/* a probe (sender 0.0.0.0) gets its answer broadcast, RFC 5227 2.1.1 */
		arp_send(ifc, ipifc_ip_isunspec(&a.spa) ? bcastmac : a.sha,
		    IPIFC_ARP_REPLY, ipifc_nbr_answer_mac(ifc, &a.tpa), &a.tpa,
		    a.sha, &a.spa);
	}
}
