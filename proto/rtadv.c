/*
 * Router advertisements sent (RFC 4861 6.2): the router side of SLAAC.
 * While `ra6 sendra 1` and up, an interface with a link layer advertises
 * its `ra6` settings and the prefixes of its global IPv6 addresses to
 * all nodes, answers router solicitations, and says goodbye with a
 * router lifetime of 0 when it stops.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/* RFC 4861 10, router constants */
#define MAX_INITIAL_RTR_ADVERT_INTERVAL	16000	/* ms */
#define MAX_INITIAL_RTR_ADVERTISEMENTS	3
#define MIN_DELAY_BETWEEN_RAS		3000	/* ms */
#define MAX_RA_DELAY_TIME		500	/* ms */

/*
 * RFC 4861 6.2.2: no advertisement before the link-local address is
 * valid; while it is tentative, look again after this long.
 */
#define RTADV_LLWAIT			IPIFC_RETRANS_TIMER

static struct ipifc_rtadv *
rtadv_of(struct ipifc_ifc *ifc)
{
	return &pifc_of(ifc)->rtadv;
}

/* The next pass looks at ifc's link-local addresses again. */
static void
rtadv_mark(struct ipifc_ifc *ifc)
{
	ipifc_dindex_mark(&proto_of(ifc->stack)->drtadv, &pifc_of(ifc)->rdl);
}

/*
 * The link-local address to send from: the one used before if it is
 * still valid, so hosts keep one router (RFC 4861 6.2.8), else the first.
 */
static const struct ipifc_lifc *
rtadv_source(struct ipifc_ifc *ifc, const struct ipifc_rtadv *r)
{
	const struct ipifc_lifc *l, *first = NULL;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (ipifc_lifc_isv4(l) || !ipifc_lifc_usable(l) ||
		    !ipifc_ip_islinklocal(&l->local))
			continue;
		if (ipifc_ip_eq(&l->local, &r->src))
			return l;
		if (first == NULL)
			first = l;
	}
	return first;
}

/*
 * RFC 4861 6.2.2: solicitations to all-routers are ours.  The self table
 * entry hangs on the link-local address (by its order of addition, seq,
 * which no other address shares); when that address is replaced, the
 * entry moves to the new one.
 */
static void
rtadv_unhear(struct ipifc_ifc *ifc, struct ipifc_rtadv *r)
{
	struct ipifc_lifc *l;

	if (r->hearseq != 0 && (l = ipifc_lifc_onifc(ifc, &r->hear)) !=
	    NULL && l->seq == r->hearseq)
		ipifc_self_remove(ifc->stack, &ipifc_ip_allrouters, l);
	r->hearseq = 0;
}

/* -1: the entry could not be made (counted): the next pass tries again. */
static int
rtadv_hear(struct ipifc_ifc *ifc, struct ipifc_rtadv *r)
{
	struct ipifc_lifc *l, *ll = NULL;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (ipifc_lifc_isv4(l) || !ipifc_ip_islinklocal(&l->local) ||
		    l->state == IPIFC_ADDR_DUPLICATE)
			continue;
		if (r->hearseq != 0 && l->seq == r->hearseq)
			return 0;	/* still there */
		if (ll == NULL)
			ll = l;
	}
	rtadv_unhear(ifc, r);
	if (ll == NULL)
		return 0;
	if (ipifc_self_add(ifc->stack, &ipifc_ip_allrouters, IPIFC_RT_MULTI,
	    ll) < 0) {
		proto_of(ifc->stack)->drops_rtadv++;
		return -1;
	}
	r->hear = ll->local;
	r->hearseq = ll->seq;
	return 0;
}

/*
 * One prefix information option per prefix of the interface's global
 * IPv6 addresses (plan9's ipconfig advertises the interface's addresses
 * as `add6` made them), with the address's flags and the lifetimes it
 * has left: infinite stays infinite, a fixed one counts down with the
 * address.  Temporary, duplicate and /128 addresses give none; the first
 * IPIFC_ND_MAXPREFIX prefixes in order of addition go.
 */
static void
rtadv_prefixes(struct ipifc_ifc *ifc, struct ipifc_nd *m)
{
	const struct ipifc_lifc *l;
	struct ipifc_nd_prefix *pi;
	int i;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (ipifc_lifc_isv4(l) || l->temporary || l->ptp ||
		    l->plen >= 128 || l->state == IPIFC_ADDR_DUPLICATE ||
		    ipifc_ip_islinklocal(&l->local) ||
		    ipifc_ip_ismulti(&l->local) ||
		    ipifc_ip_isloopback(&l->local))
			continue;
		for (i = 0; i < m->nprefix; i++)
			if (m->prefix[i].plen == l->plen &&
			    ipifc_ip_eq(&m->prefix[i].prefix, &l->net))
				break;
		if (i < m->nprefix)
			continue;
		if (m->nprefix == IPIFC_ND_MAXPREFIX)
			return;
		pi = &m->prefix[m->nprefix++];
		pi->plen = (uint8_t)l->plen;
		pi->flags = (uint8_t)((l->onlink ? IPIFC_ND_PI_ONLINK : 0) |
		    (l->autonomous ? IPIFC_ND_PI_AUTO : 0));
		pi->valid = ipifc_lifc_left(l, l->validlt);
		pi->preferred = ipifc_lifc_left(l, l->preflt);
		pi->prefix = l->net;
	}
}

/*
 * RFC 8106 5.2: one DNSSL option per `ra6 dnssl` domain (ctl checked
 * them), with the lifetime of RDNSS.
 */
static void
rtadv_dnssl(const struct ipifc_ra6 *ra, struct ipifc_nd *m)
{
	const char *p = ra->dnssl, *e;
	size_t n;

	while (*p != '\0' && m->ndnssl < IPIFC_ND_MAXDNSSL) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n >= sizeof(m->dnssl[0].name))
			break;
		memcpy(m->dnssl[m->ndnssl].name, p, n);
		m->dnssl[m->ndnssl].name[n] = '\0';
		m->dnssl[m->ndnssl++].lifetime = ra->dnslt;
		p += e != NULL ? n + 1 : n;
	}
}

/* One RA from src to all nodes (RFC 4861 6.2.3). */
static void
rtadv_send_from(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    int final)
{
	const struct ipifc_ra6 *ra = &ifc->ra6;
	struct ipifc_nd m;
	uint8_t buf[IPIFC_IP6_MINMTU];
	int i, n;

	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_RA;
	m.curhlim = (uint8_t)ra->ttl;
	m.flags = (uint8_t)((ra->mflag ? IPIFC_ND_RA_MANAGED : 0) |
	    (ra->oflag ? IPIFC_ND_RA_OTHER : 0));
	/*
	 * RFC 4861 6.2.5: a final RA says "no longer a default router", and
	 * so must every RA while the node does not forward.
	 */
	m.rtrlife = (uint16_t)(final || !ifc->stack->iprouting ? 0 :
	    ra->routerlt);
	m.reachable = ra->reachtime;
	m.retrans = ra->rxmitra;
	m.has = IPIFC_ND_HAS_SLLA;
	memcpy(m.slla, ifc->mac, 6);
	if (ra->linkmtu != 0) {
		m.has |= IPIFC_ND_HAS_MTU;
		m.mtu = ra->linkmtu;
	}
	rtadv_prefixes(ifc, &m);
	for (i = 0; i < ra->nrdnss && i < IPIFC_ND_MAXRDNSS; i++) {
		m.rdnss[i].addr = ra->rdnss[i];
		m.rdnss[i].lifetime = ra->dnslt;
	}
	m.nrdnss = i;
	rtadv_dnssl(ra, &m);
	if ((n = ipifc_nd_build(buf, sizeof(buf), src, &ipifc_ip_allnodes,
	    &m)) < 0) {
		proto_of(ifc->stack)->drops_rtadv++;
		return;
	}
	ipifc_ip6_send_on(ifc, src, &ipifc_ip_allnodes, IPIFC_PROTO_ICMP6,
	    IPIFC_ND_HOPLIMIT, buf, (size_t)n);
}

/* One RA to all nodes; -1 without a link-local source. */
static int
rtadv_send(struct ipifc_ifc *ifc, struct ipifc_rtadv *r, int final)
{
	const struct ipifc_lifc *l;

	if ((l = rtadv_source(ifc, r)) == NULL)
		return -1;
	r->src = l->local;
	rtadv_send_from(ifc, &l->local, final);
	r->sent++;
	return 0;
}

/*
 * RFC 4861 6.2.8: the link-local address the RAs came from is gone (lladdr
 * replaced it).  A final RA from it, so that hosts drop that router, and
 * the next address starts over with initial advertisements, as a new
 * advertising interface would.
 */
static void
rtadv_moved(struct ipifc_ifc *ifc, struct ipifc_rtadv *r)
{
	const struct ipifc_lifc *l;
	uint64_t now = ifc->stack->now;

	if (r->sent == 0 || ipifc_ip_isunspec(&r->src) ||
	    ((l = rtadv_source(ifc, r)) != NULL &&
	    ipifc_ip_eq(&l->local, &r->src)))
		return;
	rtadv_send_from(ifc, &r->src, 1);
	r->src = ipifc_ip_unspec6;
	r->sent++;
	r->last = now;
	r->ninit = 0;
	r->next = now + MIN_DELAY_BETWEEN_RAS;
}


/* RFC 4861 6.2.4: uniform in [MinRtrAdvInterval, MaxRtrAdvInterval]. */
static uint64_t
rtadv_interval(struct ipifc_ifc *ifc, const struct ipifc_rtadv *r)
{
	const struct ipifc_ra6 *ra = &ifc->ra6;
	uint64_t iv = ra->minraint;

	if (ra->maxraint > ra->minraint)
		iv += ipifc_random(ifc->stack) %
		    (ra->maxraint - ra->minraint + 1);
	if (r->ninit < MAX_INITIAL_RTR_ADVERTISEMENTS &&
	    iv > MAX_INITIAL_RTR_ADVERT_INTERVAL)
		iv = MAX_INITIAL_RTR_ADVERT_INTERVAL;
	return iv;
}

/*
 * The hook the core calls when sendra, up/down or unbind may have
 * changed whether ifc advertises.
 */
void
ipifc_rtadv_set(struct ipifc_ifc *ifc, int on)
{
	struct ipifc_rtadv *r = rtadv_of(ifc);
	uint64_t now = ifc->stack->now;

	if (ifc->m->hwlen != 6)
		on = 0;
	if (on && !r->active) {
		/* RFC 4861 6.2.2: join all-routers to hear solicitations */
		if (ipifc_group_ref(ifc, &ipifc_ip_allrouters) < 0) {
			proto_of(ifc->stack)->drops_rtadv++;
			return;
		}
		memset(r, 0, sizeof(*r));
		r->active = 1;
		r->next = now;
		if (rtadv_hear(ifc, r) < 0)
			rtadv_mark(ifc);
	} else if (on) {
		/*
		 * RFC 4861 6.2.4: changed settings may go out as initial
		 * advertisements again, MIN_DELAY_BETWEEN_RAS apart.
		 */
		r->ninit = 0;
		r->next = now;
		if (r->sent > 0 && r->last + MIN_DELAY_BETWEEN_RAS > now)
			r->next = r->last + MIN_DELAY_BETWEEN_RAS;
	} else if (r->active) {
		rtadv_send(ifc, r, 1);
		rtadv_unhear(ifc, r);
		ipifc_group_unref(ifc, &ipifc_ip_allrouters);
		memset(r, 0, sizeof(*r));
	}
	ipifc_rtadv_refile(ifc);
}

/* RFC 4861 6.2.6: a valid solicitation heard on ifc. */
void
ipifc_rtadv_rs(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const struct ipifc_nd *m)
{
	struct ipifc_rtadv *r = rtadv_of(ifc);
	uint64_t now = ifc->stack->now, t;

	if (!r->active)
		return;		/* a host ignores solicitations (6.2.6) */
	if (!ipifc_ip_isunspec(&h->src) && (m->has & IPIFC_ND_HAS_SLLA))
		ipifc_ether_learn(ifc, &h->src, m->slla, IPIFC_NBR_STALE, 1);
	t = ipifc_random(ifc->stack) % (MAX_RA_DELAY_TIME + 1);
	if (r->sent > 0 && r->last + MIN_DELAY_BETWEEN_RAS > now)
		t += r->last + MIN_DELAY_BETWEEN_RAS;
	else
		t += now;
	/* an advertisement due sooner answers it */
	if (t < r->next) {
		r->next = t;
		ipifc_rtadv_refile(ifc);
	}
}

/*
 * RFC 4861 6.2.7: an RA another router sends on an advertising interface
 * is checked against ours, and counted (rainconsistent) when it says
 * otherwise.  Zero, "unspecified", is no disagreement; nor are the
 * lifetimes of a prefix whose address counts them down (6.2.1), which
 * 6.2.7 compares as expiry times that propagation and clock skew blur.
 */
void
ipifc_rtadv_ra(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const struct ipifc_nd *m)
{
	const struct ipifc_ra6 *ra = &ifc->ra6;
	const struct ipifc_nd_prefix *p, *q;
	struct ipifc_nd ours;
	int bad, i, j;

	if (!rtadv_of(ifc)->active || ipifc_lifc_onifc(ifc, &h->src) != NULL)
		return;		/* not a router here, or our own RA */
	bad = (m->curhlim != 0 && ra->ttl != 0 && m->curhlim != ra->ttl) ||
	    !(m->flags & IPIFC_ND_RA_MANAGED) != !ra->mflag ||
	    !(m->flags & IPIFC_ND_RA_OTHER) != !ra->oflag ||
	    (m->reachable != 0 && ra->reachtime != 0 &&
	    m->reachable != ra->reachtime) ||
	    (m->retrans != 0 && ra->rxmitra != 0 &&
	    m->retrans != ra->rxmitra) ||
	    ((m->has & IPIFC_ND_HAS_MTU) && ra->linkmtu != 0 &&
	    m->mtu != ra->linkmtu);
	memset(&ours, 0, sizeof(ours));
	rtadv_prefixes(ifc, &ours);
	for (i = 0; !bad && i < m->nprefix; i++) {
		p = &m->prefix[i];
		for (j = 0; j < ours.nprefix; j++) {
			q = &ours.prefix[j];
			if (q->plen != p->plen || !ipifc_ip_eq(&q->prefix,
			    &p->prefix))
				continue;
			if ((q->valid == IPIFC_INFINITE &&
			    p->valid != q->valid) ||
			    (q->preferred == IPIFC_INFINITE &&
			    p->preferred != q->preferred))
				bad = 1;
		}
	}
	if (bad)
		proto_of(ifc->stack)->drops_rainconsistent++;
}

void
ipifc_rtadv_refile(struct ipifc_ifc *ifc)
{
	struct ipifc_pifc *p = pifc_of(ifc);

	ipifc_dindex_file(&proto_of(ifc->stack)->drtadv, &p->rdl,
	    p->rtadv.active ? p->rtadv.next : UINT64_MAX);
}

/*
 * What the pass watches besides the time: the link-local addresses of an
 * advertising interface (the self entry of all-routers hangs on one, and
 * the RAs come from one).
 */
void
ipifc_rtadv_addr(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;

	if (ifc->pstate != NULL && rtadv_of(ifc)->active &&
	    !ipifc_lifc_isv4(l) && ipifc_ip_islinklocal(&l->local))
		rtadv_mark(ifc);
}

/* The order of the walk the pass replaces: by interface. */
static int
by_ifc(const void *x, const void *y)
{
	const struct ipifc_pifc *a = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)x, struct ipifc_pifc, rdl);
	const struct ipifc_pifc *b = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)y, struct ipifc_pifc, rdl);

	return (a->ifc->num > b->ifc->num) - (a->ifc->num < b->ifc->num);
}

/* The interfaces due, and those whose link-local addresses changed. */
void
ipifc_rtadv_timers(struct ipifc_stack *s)
{
	struct ipifc_dindex *x = &proto_of(s)->drtadv;
	struct ipifc_dnode *d;
	struct ipifc_rtadv *r;
	struct ipifc_ifc *ifc;
	int i, n;

	n = ipifc_dindex_due(x, s->now, by_ifc);
	for (i = 0; i < n; i++) {
		if ((d = x->due[i]) == NULL)
			continue;
		ifc = IPIFC_DNODE_OWNER(d, struct ipifc_pifc, rdl)->ifc;
		if (!(r = rtadv_of(ifc))->active)
			continue;
		/* a link-local address replaced (lladdr) takes over at once */
		if (rtadv_hear(ifc, r) < 0)
			rtadv_mark(ifc);
		rtadv_moved(ifc, r);
		if (r->next > s->now) {
			ipifc_rtadv_refile(ifc);
			continue;
		}
		if (rtadv_send(ifc, r, 0) < 0) {
			r->next = s->now + RTADV_LLWAIT;
			ipifc_rtadv_refile(ifc);
			continue;
		}
		r->last = s->now;
		if (r->ninit < MAX_INITIAL_RTR_ADVERTISEMENTS)
			r->ninit++;
		r->next = s->now + rtadv_interval(ifc, r);
		ipifc_rtadv_refile(ifc);
	}
	ipifc_dindex_done(x);
}

uint64_t
ipifc_rtadv_deadline(const struct ipifc_stack *s)
{
	return ipifc_dindex_next(&((const struct ipifc_proto *)
	    s->proto)->drtadv);
}
