/*
 * Neighbor Discovery (RFC 4861): solicitations and advertisements on the
 * neighbor state machine, proxy advertisements for published addresses,
 * and the messages of duplicate address detection (RFC 4862 5.4), whose
 * state machine is core/dad.c's.  Router and prefix discovery belong to
 * SLAAC.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

static void
nd_send(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const struct ipifc_nd *m)
{
	uint8_t buf[256];
	int n;

	if ((n = ipifc_nd_build(buf, sizeof(buf), src, dst, m)) < 0)
		return;
	/* RFC 4861 7.1: every ND message leaves with hop limit 255 */
	ipifc_ip6_send_on(ifc, src, dst, IPIFC_PROTO_ICMP6, IPIFC_ND_HOPLIMIT,
	    buf, (size_t)n);
}

void
ipifc_nd_solicit(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *ip, const uint8_t *mac)
{
	struct ipifc_nd m;
	struct ipifc_ip dst;

	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_NS;
	m.target = *ip;
	m.has = IPIFC_ND_HAS_SLLA;
	memcpy(m.slla, ifc->mac, 6);
	if (mac != NULL)
		dst = *ip;	/* a probe goes to the neighbor itself */
	else
		ipifc_ip_solicited(&dst, ip);
	nd_send(ifc, src, &dst, &m);
}

/*
 * RFC 4862 5.4.2: from ::, to the solicited-node group, no SLLA; with
 * the nonce DAD chose (RFC 7527).
 */
void
ipifc_nd_dadprobe(struct ipifc_lifc *l)
{
	struct ipifc_nd m;
	struct ipifc_ip dst;

	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_NS;
	m.target = l->local;
	m.has = IPIFC_ND_HAS_NONCE;
	memcpy(m.nonce, l->dad_nonce, sizeof(m.nonce));
	ipifc_ip_solicited(&dst, &l->local);
	nd_send(l->ifc, &ipifc_ip_unspec6, &dst, &m);
}

static void
advertise(struct ipifc_ifc *ifc, const struct ipifc_ip *target,
    const struct ipifc_ip *dst, int solicited, int override)
{
	const struct ipifc_lifc *l;
	struct ipifc_nd m;
	const struct ipifc_ip *src;

	/* the target itself speaks, or (proxy) our link-local address */
	if ((l = ipifc_lifc_bylocal(ifc->stack, target)) != NULL &&
	    l->ifc == ifc)
		src = &l->local;
	else if ((l = ipifc_nbr_source(ifc, target)) != NULL)
		src = &l->local;
	else
		return;
	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_NA;
	m.target = *target;
	m.flags = (uint8_t)((ifc->stack->iprouting ? IPIFC_ND_NA_ROUTER : 0) |
	    (solicited ? IPIFC_ND_NA_SOLICITED : 0) |
	    (override ? IPIFC_ND_NA_OVERRIDE : 0));
	m.has = IPIFC_ND_HAS_TLLA;
	memcpy(m.tlla, ipifc_nbr_answer_mac(ifc, target), 6);
	nd_send(ifc, src, dst, &m);
}

/*
 * RFC 4861 7.2.7: the answer for an anycast target waits a random time in
 * 0..MAX_ANYCAST_DELAY_TIME, without override, so that the nearest of the
 * nodes that share it wins; with the list full it goes now (a delay of 0).
 */
static void
advertise_anycast(struct ipifc_ifc *ifc, const struct ipifc_ip *target,
    const struct ipifc_ip *dst)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_ndlater *q;
	uint64_t due;
	int i;

	due = s->now + ipifc_random(s) % (IPIFC_MAX_ANYCAST_DELAY + 1);
	if (due == s->now || p->nndlater == IPIFC_NDLATER) {
		advertise(ifc, target, dst, 1, 0);
		return;
	}
	for (i = p->nndlater; i > 0 && p->ndlater[i - 1].due > due; i--)
		p->ndlater[i] = p->ndlater[i - 1];
	q = &p->ndlater[i];
	q->ifc = ifc->num;
	q->gen = ifc->gen;
	q->target = *target;
	q->dst = *dst;
	q->due = due;
	p->nndlater++;
}

void
ipifc_nd_timers(struct ipifc_stack *s)
{
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_ndlater q;
	struct ipifc_ifc *ifc;

	while (p->nndlater > 0 && p->ndlater[0].due <= s->now) {
		q = p->ndlater[0];
		memmove(&p->ndlater[0], &p->ndlater[1],
		    (size_t)--p->nndlater * sizeof(q));
		/* the interface, or the anycast address, may be gone */
		if ((ifc = ipifc_ifc_bynum(s, q.ifc)) != NULL &&
		    ifc->gen == q.gen &&
		    ipifc_self_onifc(s, &q.target, ifc, IPIFC_RT_ANY))
			advertise(ifc, &q.target, &q.dst, 1, 0);
	}
}

uint64_t
ipifc_nd_deadline(const struct ipifc_stack *s)
{
	const struct ipifc_proto *p = s->proto;

	return p->nndlater > 0 ? p->ndlater[0].due : UINT64_MAX;
}

static void
ns_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const struct ipifc_nd *m)
{
	struct ipifc_lifc *l = ipifc_lifc_onifc(ifc, &m->target);
	int dad = ipifc_ip_isunspec(&h->src), proxy = 0, anycast = 0;

	if (l == NULL && !(proxy = ipifc_nbr_proxy(ifc, &m->target)) &&
	    !(anycast = ipifc_self_onifc(ifc->stack, &m->target, ifc,
	    IPIFC_RT_ANY)))
		return;
	switch (ipifc_dad_ns(l, dad, (m->has & IPIFC_ND_HAS_NONCE) ?
	    m->nonce : NULL, anycast)) {
	case IPIFC_DAD_DROP:
		return;
	case IPIFC_DAD_DEFEND:
		/* RFC 4861 7.2.4: to all nodes; a proxy never overrides */
		advertise(ifc, &m->target, &ipifc_ip_allnodes, 0, !proxy);
		return;
	case IPIFC_DAD_PASS:
		break;
	}
	/* RFC 4861 7.2.3: the source's link-layer address, as stale */
	if (m->has & IPIFC_ND_HAS_SLLA)
		ipifc_ether_learn(ifc, &h->src, m->slla, IPIFC_NBR_STALE, 1);
	if (anycast) {
		advertise_anycast(ifc, &m->target, &h->src);
		return;
	}
	/* neither a proxy (RFC 4861 7.2.8) nor an optimistic address
	 * (RFC 4429 2.2) overrides */
	advertise(ifc, &m->target, &h->src, 1, !proxy &&
	    !(l != NULL && l->state == IPIFC_ADDR_TENTATIVE));
}

/* RFC 4861 7.2.5 */
static void
na_input(struct ipifc_ifc *ifc, const struct ipifc_nd *m)
{
	struct ipifc_nbr_acts todo;

	/* about one of our addresses: DAD's (RFC 4862 5.4.4) */
	if (ipifc_dad_na(ipifc_lifc_onifc(ifc, &m->target)))
		return;
	ipifc_nbr_acts_init(&todo);
	ipifc_nbr_advert(ifc, &m->target,
	    (m->has & IPIFC_ND_HAS_TLLA) ? m->tlla : NULL,
	    (m->flags & IPIFC_ND_NA_ROUTER) != 0,
	    (m->flags & IPIFC_ND_NA_SOLICITED) != 0,
	    (m->flags & IPIFC_ND_NA_OVERRIDE) != 0, &todo);
	ipifc_ether_nbrdo(&todo);
}

void
ipifc_nd_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const uint8_t *icmp, size_t len)
{
	struct ipifc_nd m;

	if (ifc->m->hwlen != 6) {
		/* no neighbor discovery without a link layer: counted */
		proto_of(ifc->stack)->drops_nd++;
		return;
	}
	if (ipifc_nd_parse(h, icmp, len, &m) < 0) {
		proto_of(ifc->stack)->drops_nd++;
		return;
	}
	switch (m.type) {
	case IPIFC_ND_NS:
		ns_input(ifc, h, &m);
		break;
	case IPIFC_ND_NA:
		na_input(ifc, &m);
		break;
	case IPIFC_ND_RS:
		ipifc_rtadv_rs(ifc, h, &m);
		break;
	case IPIFC_ND_RA:
		ipifc_rtadv_ra(ifc, h, &m);	/* RFC 4861 6.2.7 */
		/* RFC 4861 6.3.4: to whoever listens above (SLAAC) */
		if (ifc->stack->ext != NULL && ifc->stack->ext->ra != NULL)
			ifc->stack->ext->ra(ifc->stack->extarg, ifc, &h->src,
			    &h->dst, h->hlim, icmp, len);
		break;
	default:
		break;		/* redirect: not yet */
	}
}
