/*
 * ARP (RFC 826) on the neighbor state machine, replies for our own and
 * for published (proxy) addresses, and the messages of IPv4 address
 * conflict detection (RFC 5227), whose state machine is core/dad.c's.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

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

void
ipifc_arp_request(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *ip, const uint8_t *mac)
{
	arp_send(ifc, mac != NULL ? mac : bcastmac, IPIFC_ARP_REQUEST,
	    ifc->mac, src, zeromac, ip);
}

/* RFC 5227 2.3: an announcement is a request for our own address. */
void
ipifc_arp_announce(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;

	if (ifc->flags & IPIFC_F_NOARP)
		return;
	arp_send(ifc, bcastmac, IPIFC_ARP_REQUEST, ifc->mac, &l->local,
	    zeromac, &l->local);
}

/* RFC 5227 2.1.1: a probe asks from 0.0.0.0. */
void
ipifc_arp_probe(struct ipifc_lifc *l)
{
	arp_send(l->ifc, bcastmac, IPIFC_ARP_REQUEST, l->ifc->mac,
	    &ipifc_ip_unspec4, zeromac, &l->local);
}

void
ipifc_arp_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len)
{
	struct ipifc_arp a;
	struct ipifc_lifc *l, *defend;
	int forus;

	if (ipifc_arp_parse(pkt, len, &a) < 0) {
		ifc->cnt.errin++;
		return;
	}
	if (ifc->flags & IPIFC_F_NOARP)
		return;
	/* RFC 5227: a conflict with one of our addresses goes no further */
	if (ipifc_acd_input(ifc, &a.spa, &a.tpa, a.sha, &defend)) {
		if (defend != NULL)
			ipifc_arp_announce(defend);
		return;
	}
	if (a.sha[0] & 1)
		return;		/* a group address never answers for a host */
	l = ipifc_lifc_onifc(ifc, &a.tpa);
	forus = l != NULL;
	/* RFC 826 "packet reception": merge, then add if we are the target;
	 * never for a sender no host can be (as Linux's arp_process) */
	if (!ipifc_ip_isunspec(&a.spa) && !ipifc_ip_ismulti(&a.spa) &&
	    !ipifc_ip_isbcast(&a.spa) && !ipifc_ip_isloopback(&a.spa) &&
	    memcmp(a.sha, zeromac, 6) != 0)
		ipifc_ether_learn(ifc, &a.spa, a.sha,
		    a.op == IPIFC_ARP_REPLY && forus ? IPIFC_NBR_REACHABLE :
		    IPIFC_NBR_STALE, forus);
	if (a.op != IPIFC_ARP_REQUEST)
		return;
	/* a probe (sender 0.0.0.0) is answered too: that is our defence */
	if (forus || ipifc_nbr_proxy(ifc, &a.tpa))
		arp_send(ifc, a.sha, IPIFC_ARP_REPLY,
		    ipifc_nbr_answer_mac(ifc, &a.tpa), &a.tpa, a.sha, &a.spa);
}
