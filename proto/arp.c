/*
 * ARP (RFC 826) on the neighbor state machine, replies for our own and
 * for published (proxy) addresses, and IPv4 address conflict detection
 * (RFC 5227): a new address is probed, then announced; a conflict is
 * reported (status flag, event) and the address defended once a
 * DEFEND_INTERVAL.  As DESIGN decides, an IPv4 address is never tentative:
 * it is usable while it is probed, and a conflict is reported, not acted
 * on.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/* RFC 5227 1.1 */
#define PROBE_WAIT		1000	/* ms */
#define PROBE_NUM		3
#define PROBE_MIN		1000	/* ms */
#define PROBE_MAX		2000	/* ms */
#define ANNOUNCE_WAIT		2000	/* ms */
#define ANNOUNCE_NUM		2
#define ANNOUNCE_INTERVAL	2000	/* ms */
#define DEFEND_INTERVAL		10000	/* ms */

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

/* RFC 5227 2.1.1: a probe asks from 0.0.0.0. */
static void
probe(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	arp_send(ifc, bcastmac, IPIFC_ARP_REQUEST, ifc->mac,
	    &ipifc_ip_unspec4, zeromac, ip);
}

static uint64_t
between(struct ipifc_stack *s, uint32_t min, uint32_t max)
{
	return min + ipifc_random(s) % (max - min + 1);
}

/*
 * A new address: PROBE_NUM probes, PROBE_MIN..PROBE_MAX apart after a
 * random PROBE_WAIT, then ANNOUNCE_NUM announcements (RFC 5227 2.1, 2.3).
 * acd counts what is left: probes first, then announcements.
 */
void
ipifc_arp_start(struct ipifc_ifc *ifc, struct ipifc_lifc *l)
{
	if ((ifc->flags & IPIFC_F_NOARP) || l->ptp ||
	    ipifc_ip_isunspec(&l->local))
		return;
	l->conflict = 0;
	l->acd = PROBE_NUM + ANNOUNCE_NUM;
	l->acd_deadline = ifc->stack->now + between(ifc->stack, 0, PROBE_WAIT);
}

static void
acd_step(struct ipifc_ifc *ifc, struct ipifc_lifc *l)
{
	struct ipifc_stack *s = ifc->stack;

	if (l->acd > ANNOUNCE_NUM) {
		probe(ifc, &l->local);
		l->acd--;
		l->acd_deadline = s->now + (l->acd > ANNOUNCE_NUM ?
		    between(s, PROBE_MIN, PROBE_MAX) : ANNOUNCE_WAIT);
		return;
	}
	ipifc_arp_announce(ifc, &l->local);
	l->acd--;
	l->acd_deadline = s->now + ANNOUNCE_INTERVAL;
}

void
ipifc_arp_timers(struct ipifc_stack *s)
{
	struct ipifc_lifc *l;
	int i;

	for (i = 0; i < IPIFC_MAXIFC; i++) {
		if (s->ifc[i] == NULL || !ipifc_ifc_up(s->ifc[i]))
			continue;
		TAILQ_FOREACH(l, &s->ifc[i]->lifcs, link)
			if (l->acd > 0 && s->now >= l->acd_deadline)
				acd_step(s->ifc[i], l);
	}
}

uint64_t
ipifc_arp_deadline(const struct ipifc_stack *s)
{
	const struct ipifc_lifc *l;
	uint64_t min = UINT64_MAX;
	int i;

	for (i = 0; i < IPIFC_MAXIFC; i++) {
		if (s->ifc[i] == NULL || !ipifc_ifc_up(s->ifc[i]))
			continue;
		TAILQ_FOREACH(l, &s->ifc[i]->lifcs, link)
			if (l->acd > 0 && l->acd_deadline < min)
				min = l->acd_deadline;
	}
	return min;
}

/* Probes, or the ANNOUNCE_WAIT after them: no announcement yet. */
static int
probing(const struct ipifc_lifc *l)
{
	return l->acd >= ANNOUNCE_NUM;
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
	if (probing(l)) {
		/* RFC 5227 2.1.1: a conflict while probing; no more probes */
		l->acd = 0;
		return;
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
	/* RFC 5227 2.4: another sender of one of our addresses */
	if ((l = ipifc_lifc_onifc(ifc, &a.spa)) != NULL) {
		if (memcmp(a.sha, ifc->mac, 6) != 0)
			conflict(ifc, l);
		return;
	}
	/* RFC 5227 2.1.1: another host probes for what we probe for */
	if (ipifc_ip_isunspec(&a.spa) &&
	    (l = ipifc_lifc_onifc(ifc, &a.tpa)) != NULL &&
	    probing(l) && memcmp(a.sha, ifc->mac, 6) != 0) {
		conflict(ifc, l);
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
		ipifc_nbr_learn(ifc, &a.spa, a.sha,
		    a.op == IPIFC_ARP_REPLY && forus ? IPIFC_NBR_REACHABLE :
		    IPIFC_NBR_STALE, forus);
	if (a.op != IPIFC_ARP_REQUEST)
		return;
	/* a probe (sender 0.0.0.0) is answered too: that is our defence */
	if (forus || ipifc_nbr_proxy(ifc, &a.tpa))
		arp_send(ifc, a.sha, IPIFC_ARP_REPLY,
		    ipifc_nbr_answer_mac(ifc, &a.tpa), &a.tpa, a.sha, &a.spa);
}
