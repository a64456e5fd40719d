/*
 * Host mode: the SLAAC engine on an ipifc stack.  The engine hears what
 * the stack hears (a valid RA, link up and down, DAD results, the
 * link-local address) and its actions are carried out with the core's own
 * functions: addresses with lifetimes and flags, routes tagged `ra`,
 * neighbors learned stale, the interface's MTU, ReachableTime,
 * RetransTimer and hop limit (RFC 4861 6.3.4).  The stack knows none of
 * this: it sees an extension (struct ipifc_ext) and a subscriber.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "slaac_int.h"

/* A route the engine wants: several may share one key of the table (two
 * routers' default routes); the best preference is installed. */
struct want {
	int	used;
	int	ifc;
	struct ipifc_ip dst, src, gw;
	int	plen, splen, prf, kind;
};

/* What one interface's engine can want at once. */
#define MAXWANT	(IPIFC_SLAAC_MAXROUTERS * \
	(1 + IPIFC_SLAAC_MAXPREFIXES) + IPIFC_SLAAC_MAXROUTES + \
	IPIFC_SLAAC_MAXPREFIXES)

/* Stack events wait here for a safe point: the core may be walking the
 * very list an action would change. */
/* two per address of a full engine, and more */
#define MAXPEND	256

struct pend {
	struct ipifc_event ev;
	int	mine;		/* an address the engine added */
};

struct host_ifc {
	int	on;			/* registered with the engine */
	int	set;		/* c holds the interface's settings */
	int	llstable;		/* `iid stable` written: RFC 7217
					 * link-local address too */
	int	llcount;		/* its DAD_Counter (RFC 7217 6) */
	/* the MTU the operator gave the interface (at first use, then by
	 * `mtu`): an RA may lower the MTU, never raise it past this (RFC
	 * 4861 6.3.4, RFC 2464 2), as Linux bounds it by the device's */
	int	opmtu;
	struct ipifc_slaac_config c;
	/* MAXWANT while registered with the engine */
	struct want *want;
};

struct host {
	struct ipifc_stack *s;
	struct ipifc_slaac *e;
	uint8_t	secret[IPIFC_SLAAC_SECRETMAX];
	size_t	secretlen;
	int	draining, acting;
	int	skip;		/* ifc whose actions are dropped */
	struct pend pend[MAXPEND];
	int	npend;
	uint64_t drops_event;		/* pend full */
	uint64_t drops_route;		/* the table refused a route */
	/* by interface number, made on first use, freed when it goes */
	struct host_ifc **ifc;
	int	nifc;
};

static const char tag[] = "ra";

static uint32_t
hrandom(void *arg)
{
	return ipifc_random(arg);
}

/* Interface num's state, or NULL if it has none. */
static struct host_ifc *
hfind(const struct host *h, int num)
{
	return num >= 0 && num < h->nifc ? h->ifc[num] : NULL;
}

/* Is interface num registered with the engine? */
static int
hon(const struct host *h, int num)
{
	const struct host_ifc *hi = hfind(h, num);

	return hi != NULL && hi->on;
}

/* Interface ifc's state, made with the defaults; NULL: no memory. */
static struct host_ifc *
hifc(struct host *h, struct ipifc_ifc *ifc)
{
	struct host_ifc *hi, **v;
	int n;

	if (ifc->num >= h->nifc) {
		for (n = h->nifc ? h->nifc : 8; n <= ifc->num; n *= 2)
			;
		if ((v = realloc(h->ifc, (size_t)n * sizeof(*v))) == NULL)
			return NULL;
		memset(&v[h->nifc], 0, (size_t)(n - h->nifc) * sizeof(*v));
		h->ifc = v;
		h->nifc = n;
	}
	if ((hi = h->ifc[ifc->num]) == NULL &&
	    (hi = h->ifc[ifc->num] = calloc(1, sizeof(*hi))) == NULL)
		return NULL;
	if (!hi->set) {
		ipifc_slaac_config_default(&hi->c);
		memcpy(hi->c.secret, h->secret, h->secretlen);
		hi->c.secretlen = h->secretlen;
		snprintf(hi->c.net_iface, sizeof(hi->c.net_iface), "%.15s",
		    ifc->dev);
		hi->llstable = 0;
		hi->llcount = 0;
		hi->opmtu = ifc->mtu;
		hi->set = 1;
	}
	return hi;
}

/* ---- routes ---- */

static int
samekey(const struct want *w, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	return w->plen == plen && w->splen == splen &&
	    ipifc_ip_eq(&w->dst, dst) && ipifc_ip_eq(&w->src, src);
}

/* Install the best wanted route for a key, unless someone else holds it. */
static void
sync_key(struct host *h, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct ipifc_route *cur, r;
	struct ipifc_ifc *ifc;
	const struct want *best = NULL, *w;
	int i, k;

	for (k = 0; k < h->nifc; k++)
		for (i = 0; h->ifc[k] != NULL && h->ifc[k]->want != NULL &&
		    i < MAXWANT; i++) {
			w = &h->ifc[k]->want[i];
			if (w->used && samekey(w, dst, plen, src, splen) &&
			    (best == NULL || w->prf > best->prf))
				best = w;
		}
	cur = ipifc_rtab_get(h->s->rtab, dst, plen, src, splen);
	if (cur != NULL && (cur->owner != NULL || strcmp(cur->tag, tag) != 0))
		return;	/* an address's or the user's: untouched */
	if (best == NULL) {
		if (cur != NULL) {
			ipifc_route_del(h->s, dst, plen, src, splen);
			/* an address of the prefix may own the route now */
			ipifc_prefix_reconcile(h->s, dst, plen);
		}
		return;
	}
	if ((ifc = ipifc_ifc_bynum(h->s, best->ifc)) == NULL)
		return;
	if (cur != NULL && cur->ifc == ifc && ipifc_ip_eq(&cur->gate,
	    &best->gw))
		return;
	if (cur != NULL)
		ipifc_route_del(h->s, dst, plen, src, splen);
	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.plen = plen;
	r.src = *src;
	r.splen = splen;
	r.gate = best->gw;
	r.ifc = ifc;
	r.type = best->kind == IPIFC_SLAAC_RT_ONLINK ? IPIFC_RT_IFC : 0;
	strcpy(r.tag, tag);
	if (ipifc_route_add(h->s, &r) < 0)
		h->drops_route++;
}

static void
route_act(struct host *h, const struct ipifc_slaac_act *a)
{
	struct host_ifc *hi = hfind(h, (int)a->ifc);
	struct want *w, *slot = NULL, *want = hi != NULL ? hi->want : NULL;
	int i;

	for (i = 0; want != NULL && i < MAXWANT; i++) {
		w = &want[i];
		if (!w->used) {
			if (slot == NULL)
				slot = w;
			continue;
		}
		if (w->ifc == (int)a->ifc && samekey(w, &a->addr, a->plen,
		    &a->src, a->srcplen) && ipifc_ip_eq(&w->gw, &a->gw))
			break;
	}
	w = want != NULL && i < MAXWANT ? &want[i] : NULL;
	if (a->type == IPIFC_SLAAC_ROUTE_REMOVE) {
		if (w != NULL)
			w->used = 0;
	} else {
		if (w == NULL && (w = slot) == NULL) {
			h->drops_route++;
			return;
		}
		w->used = 1;
		w->ifc = (int)a->ifc;
		w->dst = a->addr;
		w->plen = a->plen;
		w->src = a->src;
		w->splen = a->srcplen;
		w->gw = a->kind == IPIFC_SLAAC_RT_ONLINK ? ipifc_ip_unspec6 :
		    a->gw;
		w->prf = a->prf;
		w->kind = a->kind;
	}
	sync_key(h, &a->addr, a->plen, &a->src, a->srcplen);
}

/* Forget every wanted route of an interface (it is gone). */
static void
forget_routes(struct host *h, int num)
{
	struct host_ifc *hi = hfind(h, num);

	if (hi != NULL) {
		free(hi->want);
		hi->want = NULL;
	}
}

/* ---- actions ---- */

static const struct ipifc_lifc *
linklocal(struct ipifc_ifc *ifc)
{
	const struct ipifc_lifc *l;

	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (!ipifc_lifc_isv4(l) && ipifc_ip_islinklocal(&l->local) &&
		    ipifc_lifc_usable(l))
			return l;
	return NULL;
}

/* RFC 4861 4.1, 6.3.7: to all routers, from the link-local address with
 * the SLLA, or from :: without it. */
static void
send_rs(struct ipifc_ifc *ifc, const struct ipifc_slaac_act *a)
{
	const struct ipifc_lifc *l = NULL;
	struct ipifc_ip6 ip;
	struct ipifc_nd m;
	uint8_t buf[64];
	int n;

	if (!a->unspec && (l = linklocal(ifc)) == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_RS;
	if (!a->unspec && a->slla) {
		m.has = IPIFC_ND_HAS_SLLA;
		memcpy(m.slla, a->mac, 6);
	}
	memset(&ip, 0, sizeof(ip));
	ip.src = l != NULL ? l->local : ipifc_ip_unspec6;
	if ((n = ipifc_nd_build(buf, sizeof(buf), &ip.src,
	    &ipifc_ip_allrouters, &m)) < 0)
		return;
	ipifc_ip6_send_on(ifc, &ip.src, &ipifc_ip_allrouters,
	    IPIFC_PROTO_ICMP6, IPIFC_ND_HOPLIMIT, buf, (size_t)n);
}

static void
addr_act(struct host *h, struct ipifc_ifc *ifc, const struct ipifc_slaac_act *a)
{
	struct ipifc_addreq r;
	struct ipifc_lifc *l;

	l = ipifc_lifc_onifc(ifc, &a->addr);
	if (a->type == IPIFC_SLAAC_ADDR_REMOVE) {
		/* only what the engine made: never the operator's */
		if (l != NULL && (l->formed != 0 || l->temporary))
			ipifc_lifc_del(l);
		return;
	}
	if (l != NULL && l->formed == 0 && !l->temporary)
		return;
	memset(&r, 0, sizeof(r));
	r.local = a->addr;
	r.plen = a->plen;
	/* the on-link route comes from the prefix's L flag, as a route */
	r.onlink = 0;
	r.autonomous = 1;
	r.validlt = a->valid;
	r.preflt = a->preferred;
	r.temporary = a->how == IPIFC_SLAAC_TEMPORARY;
	r.optimistic = a->type == IPIFC_SLAAC_ADDR_ADD && a->optimistic;
	r.formed = a->how == IPIFC_SLAAC_EUI64 ? 'e' :
	    a->how == IPIFC_SLAAC_STABLE ? 's' : 0;
	(void)ipifc_lifc_add(ifc, &r);
}

static void
set_mtu(struct host *h, struct ipifc_ifc *ifc, uint32_t mtu)
{
	const struct host_ifc *hi = hfind(h, ifc->num);
	char n[16], *argv[2];

	/* RFC 4861 6.3.4: never over the link's own maximum */
	if (hi == NULL || mtu < 1280 || mtu > (uint32_t)hi->opmtu ||
	    mtu > (uint32_t)ifc->maxtu || mtu == (uint32_t)ifc->mtu)
		return;
	snprintf(n, sizeof(n), "%u", mtu);
	argv[0] = "mtu";
	argv[1] = n;
	(void)ipifc_ifc_ctl(ifc, NULL, 2, argv);
}

/* Something the ra file shows changed: an event says so. */
static void
ra_event(struct host *h, const struct ipifc_slaac_act *a, const char *what)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = IPIFC_EV_RA;
	ev.ifc = (int)a->ifc;
	snprintf(ev.tag, sizeof(ev.tag), "%s", what);
	if (a->type == IPIFC_SLAAC_DNS_SERVER ||
	    a->type == IPIFC_SLAAC_PREF64) {
		ev.addr = a->addr;
		ev.plen = a->plen;
	}
	ipifc_announce(h->s, &ev);
}

static void
act(struct host *h, const struct ipifc_slaac_act *a)
{
	struct ipifc_ifc *ifc;

	if ((ifc = ipifc_ifc_bynum(h->s, (int)a->ifc)) == NULL)
		return;
	switch (a->type) {
	case IPIFC_SLAAC_SEND_RS:
		send_rs(ifc, a);
		break;
	case IPIFC_SLAAC_ADDR_ADD:
	case IPIFC_SLAAC_ADDR_UPDATE:
	case IPIFC_SLAAC_ADDR_REMOVE:
		addr_act(h, ifc, a);
		break;
	case IPIFC_SLAAC_ROUTE_ADD:
	case IPIFC_SLAAC_ROUTE_REMOVE:
		route_act(h, a);
		break;
	case IPIFC_SLAAC_SET_MTU:
		set_mtu(h, ifc, a->value);
		break;
	case IPIFC_SLAAC_SET_REACHABLE:
		/* BaseReachableTime: core/nud.c draws each ReachableTime */
		ifc->reachable = a->value;
		ra_event(h, a, "params");
		break;
	case IPIFC_SLAAC_SET_RETRANS:
		ifc->retrans = a->value;
		ra_event(h, a, "params");
		break;
	case IPIFC_SLAAC_SET_HOPLIMIT:
		ifc->hoplimit = (int)a->value;
		ra_event(h, a, "params");
		break;
	case IPIFC_SLAAC_NBR_STALE:
		ipifc_ether_learn(ifc, &a->addr, a->mac, IPIFC_NBR_STALE, 1);
		break;
	/* the ra file shows the engine's own tables */
	case IPIFC_SLAAC_DNS_SERVER:
		ra_event(h, a, "dns");
		break;
	case IPIFC_SLAAC_DNS_DOMAIN:
		ra_event(h, a, "domain");
		break;
	case IPIFC_SLAAC_PREF64:
		ra_event(h, a, "pref64");
		break;
	case IPIFC_SLAAC_CAPTIVE:
		ra_event(h, a, "captive");
		break;
	}
}

/* Carry out every action; events the actions cause may call the engine
 * again, and the outer loop takes what they queue. */
static void
drain(struct host *h)
{
	struct ipifc_slaac_act a;

	if (h->draining)
		return;
	h->draining = 1;
	while (ipifc_slaac_action(h->e, &a)) {
		if ((int)a.ifc == h->skip)
			continue;	/* unbound: the core removed it all */
		h->acting++;
		act(h, &a);
		h->acting--;
	}
	h->draining = 0;
}

/* ---- the interface registered or not ---- */

static void
start(struct host *h, struct ipifc_ifc *ifc)
{
	struct host_ifc *hi = hifc(h, ifc);
	struct ipifc_lifc *l;
	uint64_t now = h->s->now;

	if (hi == NULL || hi->on)
		return;		/* no memory, or registered already */
	hi->c.dad_transmits = (uint32_t)ifc->dad;
	hi->c.maxmtu = (uint32_t)hi->opmtu;
	if (hi->want == NULL && (hi->want = calloc(MAXWANT,
	    sizeof(struct want))) == NULL)
		return;
	if (ipifc_slaac_ifc_add(h->e, (unsigned)ifc->num, &hi->c) < 0) {
		forget_routes(h, ifc->num);
		return;
	}
	hi->on = 1;
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (!ipifc_lifc_isv4(l) && !ipifc_ip_islinklocal(&l->local) &&
		    l->formed == 0 && !l->temporary)
			(void)ipifc_slaac_user_addr(h->e, (unsigned)ifc->num,
			    &l->local, 1, now);
	(void)ipifc_slaac_link(h->e, (unsigned)ifc->num, ipifc_ifc_up(ifc),
	    ifc->m->hwlen == 6 ? ifc->mac : NULL, now);
	(void)ipifc_slaac_linklocal(h->e, (unsigned)ifc->num,
	    linklocal(ifc) != NULL, now);
	drain(h);
}

static void
stop(struct host *h, int num)
{
	if (!hon(h, num))
		return;
	h->ifc[num]->on = 0;
	(void)ipifc_slaac_ifc_remove(h->e, (unsigned)num, h->s->now);
	drain(h);
	forget_routes(h, num);
}

/* The interface is being unbound: forget it; the core removes the rest. */
static void
gone(struct host *h, int num)
{
	int i, n = 0;

	h->skip = num;
	stop(h, num);
	h->skip = -1;
	if (hfind(h, num) != NULL) {
		free(h->ifc[num]->want);
		free(h->ifc[num]);	/* a new interface: the defaults */
		h->ifc[num] = NULL;
	}
	for (i = 0; i < h->npend; i++)
		if (h->pend[i].ev.ifc != num)
			h->pend[n++] = h->pend[i];
	h->npend = n;
}

/* RFC 7217 5 for fe80::/64, once `iid stable` was written. */
static void
hlinklocal(void *arg, const struct ipifc_ifc *ifc, struct ipifc_ip *a)
{
	struct host *h = arg;
	const struct host_ifc *hi = hfind(h, ifc->num);

	if (hi != NULL && hi->set && hi->llstable)
		ipifc_slaac_iid_stable(a, 64, &hi->c, hi->llcount);
}

static void
hrecvra(void *arg, struct ipifc_ifc *ifc, int on)
{
	struct host *h = arg;

	if (on)
		start(h, ifc);
	else
		stop(h, ifc->num);
}

/* The engine's own copy of an interface's settings, or NULL. */
static struct slaac_ifc *
engine_ifc(struct host *h, int num)
{
	int i;

	for (i = 0; i < IPIFC_SLAAC_MAXIFC && hon(h, num); i++)
		if (h->e->ifc[i] != NULL && h->e->ifc[i]->id == (unsigned)num)
			return h->e->ifc[i];
	return NULL;
}

/* A setting that the next RA applies: the engine's copy follows. */
static void
update(struct host *h, struct ipifc_ifc *ifc)
{
	struct slaac_ifc *si;
	const struct host_ifc *hi;

	if ((si = engine_ifc(h, ifc->num)) == NULL)
		return;
	hi = h->ifc[ifc->num];		/* registered: there */
	si->c.twohour = hi->c.twohour;
	si->c.form_addrs = hi->c.form_addrs;
	si->c.temporary = hi->c.temporary;
	si->c.optimistic = hi->c.optimistic;
	si->c.dad_transmits = hi->c.dad_transmits;
	si->c.maxmtu = hi->c.maxmtu;
}

/* The identifier changed: the interface starts again, its addresses
 * formed anew. */
static void
restart(struct host *h, struct ipifc_ifc *ifc)
{
	if (!hon(h, ifc->num))
		return;
	stop(h, ifc->num);
	start(h, ifc);
}

/* ---- what the stack tells ---- */

static void
operator_mtu(struct host *h, int num, int mtu)
{
	struct host_ifc *hi = hfind(h, num);
	struct slaac_ifc *si;

	if (hi == NULL || !hi->set)
		return;		/* read at first use */
	hi->opmtu = mtu;
	hi->c.maxmtu = (uint32_t)mtu;
	if ((si = engine_ifc(h, num)) != NULL) {
		si->c.maxmtu = (uint32_t)mtu;
		si->mtu = 0;	/* the next RA's MTU applies again */
	}
}

static void
hevent(void *arg, const struct ipifc_event *ev)
{
	struct host *h = arg;
	const struct host_ifc *hi;

	if (ev->ifc < 0)
		return;
	if (ev->type == IPIFC_EV_IFC_DETACH) {
		gone(h, ev->ifc);
		return;
	}
	if (ev->type == IPIFC_EV_IFC_MTU) {
		/* not one an RA set: the operator's, the RAs' new bound */
		if (h->acting == 0)
			operator_mtu(h, ev->ifc, ev->mtu);
		return;
	}
	hi = hfind(h, ev->ifc);
	if (hi == NULL || (!hi->on && !(ev->type == IPIFC_EV_ADDR_DUPLICATE &&
	    hi->set && hi->llstable)))
		return;
	switch (ev->type) {
	case IPIFC_EV_IFC_UP:
	case IPIFC_EV_IFC_DOWN:
	case IPIFC_EV_IFC_LLADDR:
	case IPIFC_EV_IFC_FLAGS:
	case IPIFC_EV_ADDR_READY:
	case IPIFC_EV_ADDR_DUPLICATE:
	case IPIFC_EV_ADDR_NEW:
	case IPIFC_EV_ADDR_DEL:
		break;
	case IPIFC_EV_ROUTE_DEL:
		/* a route that held a key we want went: ours may go in */
		if (strcmp(ev->tag, tag) == 0)
			return;
		break;
	default:
		return;
	}
	/* the engine's own additions need no word back */
	if (ev->type == IPIFC_EV_ADDR_NEW && h->acting > 0)
		return;
	if (h->npend == MAXPEND) {
		h->drops_event++;
		return;
	}
	h->pend[h->npend].ev = *ev;
	h->pend[h->npend].mine = h->acting > 0;
	h->npend++;
}

/*
 * RFC 7217 6: a stable link-local address that another node holds is
 * formed again with the next DAD counter, IDGEN_RETRIES times at most.
 */
static void
stable_ll_retry(struct host *h, struct ipifc_ifc *ifc,
    const struct ipifc_ip *addr)
{
	struct host_ifc *hi = hfind(h, ifc->num);
	struct ipifc_lifc *l;

	if (hi == NULL || !hi->set || !hi->llstable ||
	    hi->llcount >= IPIFC_SLAAC_IDGEN_RETRIES ||
	    (l = ipifc_lifc_onifc(ifc, addr)) == NULL ||
	    l->state != IPIFC_ADDR_DUPLICATE)
		return;
	ipifc_lifc_unlinklocal(ifc);
	hi->llcount++;
	ipifc_lifc_linklocal(ifc);
}

static void
event(struct host *h, const struct ipifc_event *ev, int mine)
{
	struct ipifc_ifc *ifc;
	uint64_t now = h->s->now;
	unsigned id = (unsigned)ev->ifc;
	int ll;

	if ((ifc = ipifc_ifc_bynum(h->s, ev->ifc)) == NULL)
		return;
	ll = ipifc_ip_islinklocal(&ev->addr);
	if (ll && ev->type == IPIFC_EV_ADDR_DUPLICATE)
		stable_ll_retry(h, ifc, &ev->addr);
	if (!hon(h, ev->ifc))
		return;
	switch (ev->type) {
	case IPIFC_EV_IFC_UP:
	case IPIFC_EV_IFC_DOWN:
	case IPIFC_EV_IFC_LLADDR:
	case IPIFC_EV_IFC_FLAGS:
		(void)ipifc_slaac_link(h->e, id, ipifc_ifc_up(ifc),
		    ifc->mac, now);
		break;
	case IPIFC_EV_ADDR_READY:
		if (ll)
			(void)ipifc_slaac_linklocal(h->e, id, 1, now);
		else
			(void)ipifc_slaac_dad(h->e, id, &ev->addr, 1, now);
		break;
	case IPIFC_EV_ADDR_DUPLICATE:
		if (ll)
			(void)ipifc_slaac_linklocal(h->e, id,
			    linklocal(ifc) != NULL, now);
		else
			(void)ipifc_slaac_dad(h->e, id, &ev->addr, 0, now);
		break;
	case IPIFC_EV_ADDR_NEW:
		if (!mine && !ll && !ipifc_ip_isv4(&ev->addr))
			(void)ipifc_slaac_user_addr(h->e, id, &ev->addr, 1,
			    now);
		break;
	case IPIFC_EV_ADDR_DEL:
		if (ll)
			(void)ipifc_slaac_linklocal(h->e, id,
			    linklocal(ifc) != NULL, now);
		else if (!mine && !ipifc_ip_isv4(&ev->addr))
			(void)ipifc_slaac_user_addr(h->e, id, &ev->addr, 0,
			    now);
		break;
	case IPIFC_EV_ROUTE_DEL:
		sync_key(h, &ev->addr, ev->plen, &ev->src, ev->splen);
		return;
	default:
		return;
	}
	drain(h);
}

/* The events that waited, in their order (more may come meanwhile). */
static void
pending(struct host *h)
{
	struct pend p;

	while (h->npend > 0) {
		p = h->pend[0];
		memmove(&h->pend[0], &h->pend[1],
		    (size_t)(h->npend - 1) * sizeof(h->pend[0]));
		h->npend--;
		event(h, &p.ev, p.mine);
	}
}

static void
hra(void *arg, struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, uint8_t hlim, const uint8_t *icmp,
    size_t len)
{
	struct host *h = arg;

	if (!hon(h, ifc->num))
		return;
	/* RFC 8981 3.8: REGEN_ADVANCE follows `dad` as it is now */
	h->ifc[ifc->num]->c.dad_transmits = (uint32_t)ifc->dad;
	update(h, ifc);
	pending(h);
	(void)ipifc_slaac_ra(h->e, (unsigned)ifc->num, src, dst, hlim, icmp,
	    len, h->s->now);
	drain(h);
}

static void
htimers(void *arg, uint64_t now)
{
	struct host *h = arg;

	pending(h);
	ipifc_slaac_tick(h->e, now);
	drain(h);
}

static uint64_t
hdeadline(void *arg)
{
	struct host *h = arg;

	if (h->npend > 0)
		return h->s->now;	/* events wait: at once */
	return ipifc_slaac_next_deadline(h->e);
}

static void
hfree(void *arg)
{
	struct host *h = arg;
	int i;

	for (i = 0; i < h->nifc; i++)
		if (h->ifc[i] != NULL) {
			free(h->ifc[i]->want);
			free(h->ifc[i]);
		}
	free(h->ifc);
	ipifc_slaac_free(h->e);
	free(h);
}

/* ---- ctl messages ---- */

static const char *
onoff(struct ipifc_stack *s, const char *v, int *on)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*on = 1;
	else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*on = 0;
	else
		return ipifc_errf(s, "bad %s: want on or off", v);
	return NULL;
}

static const char *
hctl(void *arg, struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct host *h = arg;
	struct host_ifc *hi;
	struct ipifc_ip p;
	const char *err, *slash;
	char pfx[IPIFC_IPSTRLEN];
	int on = 0, plen, rc;

	if (strcmp(argv[0], "iid") == 0) {
		if ((hi = hifc(h, ifc)) == NULL)
			return ipifc_errf(h->s, "out of memory");
		if (argc != 2 || (strcmp(argv[1], "eui64") != 0 &&
		    strcmp(argv[1], "stable") != 0))
			return "usage: iid eui64|stable";
		/* the link-local address of the old mode goes, the new one
		 * is formed (with DAD) */
		if (hi->llstable != (argv[1][0] == 's')) {
			ipifc_lifc_unlinklocal(ifc);
			hi->llstable = argv[1][0] == 's';
			hi->llcount = 0;
			ipifc_lifc_linklocal(ifc);
		}
		hi->c.iid = hi->llstable ? IPIFC_SLAAC_IID_STABLE :
		    IPIFC_SLAAC_IID_EUI64;
		restart(h, ifc);
		return NULL;
	}
	if (strcmp(argv[0], "temporary") != 0)
		return ipifc_ext_notmine;
	if ((hi = hifc(h, ifc)) == NULL)
		return ipifc_errf(h->s, "out of memory");
	if (argc == 2) {
		if ((err = onoff(h->s, argv[1], &on)) != NULL)
			return err;
		hi->c.temporary = on;
		update(h, ifc);
		return NULL;
	}
	if (argc != 3)
		return "usage: temporary on|off, temporary PREFIX/LEN on|off";
	if ((slash = strchr(argv[1], '/')) == NULL ||
	    (size_t)(slash - argv[1]) >= sizeof(pfx))
		return ipifc_errf(h->s, "bad prefix %s", argv[1]);
	memcpy(pfx, argv[1], (size_t)(slash - argv[1]));
	pfx[slash - argv[1]] = '\0';
	if (ipifc_ip_parse(pfx, &p) < 0 || ipifc_ip_isv4(&p) ||
	    ipifc_mask_parse(slash, 0, &plen) < 0)
		return ipifc_errf(h->s, "bad prefix %s", argv[1]);
	if ((err = onoff(h->s, argv[2], &on)) != NULL)
		return err;
	if (!hi->on)
		return "temporary PREFIX: ra6 recvra is off";
	rc = ipifc_slaac_prefix_temporary(h->e, (unsigned)ifc->num, &p, plen,
	    on, h->s->now);
	drain(h);
	if (rc == -ENOSPC)
		return "too many prefixes without temporary addresses";
	if (rc < 0)
		return ipifc_errf(h->s, "bad prefix %s", argv[1]);
	return NULL;
}

/* ra6 keys of host mode: twohour, autoconf, optimistic. */
static const char *
hra6(void *arg, struct ipifc_ifc *ifc, const char *key, const char *val,
    int apply)
{
	struct host *h = arg;
	struct host_ifc *hi = hifc(h, ifc);
	int *v;

	if (hi == NULL)
		return ipifc_errf(h->s, "out of memory");
	if (strcmp(key, "twohour") == 0)
		v = &hi->c.twohour;
	else if (strcmp(key, "autoconf") == 0)
		v = &hi->c.form_addrs;
	else if (strcmp(key, "optimistic") == 0)
		v = &hi->c.optimistic;
	else if (apply)
		return NULL;	/* the core's own */
	else
		return ipifc_errf(h->s, "unknown ra6 key %s", key);
	if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0)
		return ipifc_errf(h->s, "bad %s %s: want 0 to 1", key, val);
	if (apply) {
		*v = val[0] == '1';
		update(h, ifc);
	}
	return NULL;
}

/* ---- the ra file ---- */

static void
lifetime(struct ipifc_buf *b, const char *key, uint64_t end, uint64_t now)
{
	uint32_t s = ipifc_slaac_remain(end, now);

	if (s == IPIFC_SLAAC_INFINITE)
		ipifc_buf_printf(b, " %s infinite", key);
	else
		ipifc_buf_printf(b, " %s %u", key, s);
}

static const char *
prfname(int prf)
{
	return prf > 0 ? "high" : prf < 0 ? "low" : "medium";
}

/* The engine's drop counters (all its interfaces), ipifc_slaac_stats. */
static void
drops(struct ipifc_buf *b, const struct ipifc_slaac_stats *st)
{
	ipifc_buf_printf(b, "drops routers %llu prefixes %llu addrs %llu "
	    "routes %llu dns %llu domains %llu pref64 %llu uri %llu mtu %llu "
	    "prefixlen %llu prefix %llu iid %llu dad %llu dadgiveup %llu "
	    "options %llu actions %llu\n",
	    (unsigned long long)st->routers_full,
	    (unsigned long long)st->prefixes_full,
	    (unsigned long long)st->addrs_full,
	    (unsigned long long)st->routes_full,
	    (unsigned long long)st->dns_full,
	    (unsigned long long)st->dnssl_full,
	    (unsigned long long)st->pref64_full,
	    (unsigned long long)st->uri_long,
	    (unsigned long long)st->mtu_bad,
	    (unsigned long long)st->prefix_badlen,
	    (unsigned long long)st->prefix_ignored,
	    (unsigned long long)st->iid_reserved,
	    (unsigned long long)st->dad_failed,
	    (unsigned long long)st->dad_giveup,
	    (unsigned long long)st->opts_ignored,
	    (unsigned long long)st->actq_full);
}

static int
hread(void *arg, struct ipifc_ifc *ifc, const char *name, struct ipifc_buf *b)
{
	static const char *const how[] = { "eui64", "stable", "temporary" };
	static const char *const st[] = { "free", "tentative", "optimistic",
	    "preferred", "deprecated", "duplicate" };
	struct host *h = arg;
	struct host_ifc *hi;
	const struct slaac_ifc *si;
	char a[IPIFC_IPSTRLEN], g[IPIFC_IPSTRLEN];
	uint64_t now = h->s->now;
	int i;

	if (strcmp(name, "ra") != 0)
		return -ENOENT;
	if ((hi = hifc(h, ifc)) == NULL)
		return -ENOMEM;
	ipifc_buf_printf(b, "recvra %d iid %s temporary %s twohour %d "
	    "autoconf %d optimistic %d mtu %d reachable %u retrans %u "
	    "hoplimit %d routedrops %llu eventdrops %llu\n",
	    ifc->ra6.recvra, hi->c.iid == IPIFC_SLAAC_IID_EUI64 ? "eui64" :
	    "stable", hi->c.temporary ? "on" : "off", hi->c.twohour,
	    hi->c.form_addrs, hi->c.optimistic, ifc->mtu, ifc->reachable,
	    ifc->retrans, ifc->hoplimit, (unsigned long long)h->drops_route,
	    (unsigned long long)h->drops_event);
	drops(b, ipifc_slaac_stats(h->e));
	if ((si = engine_ifc(h, ifc->num)) == NULL)
		return 0;
	for (i = 0; i < IPIFC_SLAAC_MAXROUTERS; i++) {
		if (si->rtr[i].state == RTR_FREE)
			continue;
		ipifc_buf_printf(b, "router %s prf %s",
		    ipifc_ip_fmt(&si->rtr[i].addr, a, sizeof(a)),
		    prfname(si->rtr[i].prf));
		lifetime(b, "life", si->rtr[i].deadline, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXPREFIXES; i++) {
		if (si->pfx[i].state == PFX_FREE)
			continue;
		ipifc_buf_printf(b, "prefix %s/%d onlink %s",
		    ipifc_ip_fmt(&si->pfx[i].prefix, a, sizeof(a)),
		    si->pfx[i].plen, si->pfx[i].onlink ? "yes" : "no");
		if (si->pfx[i].onlink)
			lifetime(b, "life", si->pfx[i].onlink_end, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		if (si->addr[i].state == ADDR_FREE)
			continue;
		ipifc_buf_printf(b, "addr %s %s %s",
		    ipifc_ip_fmt(&si->addr[i].addr, a, sizeof(a)),
		    how[si->addr[i].how], st[si->addr[i].state]);
		lifetime(b, "valid", si->addr[i].valid_end, now);
		lifetime(b, "preferred", si->addr[i].pref_end, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXROUTES; i++) {
		if (!si->route[i].used)
			continue;
		ipifc_buf_printf(b, "route %s/%d via %s prf %s",
		    ipifc_ip_fmt(&si->route[i].prefix, a, sizeof(a)),
		    si->route[i].plen, ipifc_ip_fmt(&si->route[i].gw, g,
		    sizeof(g)), prfname(si->route[i].prf));
		lifetime(b, "life", si->route[i].end, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXDNS; i++) {
		if (!si->dns[i].used)
			continue;
		ipifc_buf_printf(b, "dns %s", ipifc_ip_fmt(&si->dns[i].addr, a,
		    sizeof(a)));
		lifetime(b, "life", si->dns[i].end, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXDNSSL; i++) {
		if (!si->dom[i].used)
			continue;
		ipifc_buf_printf(b, "domain %s", si->dom[i].name);
		lifetime(b, "life", si->dom[i].end, now);
		ipifc_buf_printf(b, "\n");
	}
	for (i = 0; i < IPIFC_SLAAC_MAXPREF64; i++) {
		if (!si->p64[i].used)
			continue;
		ipifc_buf_printf(b, "pref64 %s/%d", ipifc_ip_fmt(
		    &si->p64[i].prefix, a, sizeof(a)), si->p64[i].plen);
		lifetime(b, "life", si->p64[i].end, now);
		ipifc_buf_printf(b, "\n");
	}
	if (si->captive[0] != '\0')
		ipifc_buf_printf(b, "captive %s\n", si->captive);
	return 0;
}

static const struct ipifc_ext ext = {
	.ra = hra,
	.ctl = hctl,
	.ra6 = hra6,
	.recvra = hrecvra,
	.linklocal = hlinklocal,
	.read = hread,
	.timers = htimers,
	.deadline = hdeadline,
	.free = hfree,
};

int
ipifc_slaac_attach(struct ipifc_stack *s, const uint8_t *secret, size_t len)
{
	struct host *h;
	int rc;

	if (secret == NULL || len == 0 || len > IPIFC_SLAAC_SECRETMAX)
		return -EINVAL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return -ENOMEM;
	h->s = s;
	h->skip = -1;
	memcpy(h->secret, secret, len);
	h->secretlen = len;
	if ((h->e = ipifc_slaac_new(hrandom, s, NULL, NULL)) == NULL) {
		free(h);
		return -ENOMEM;
	}
	if ((rc = ipifc_ext_set(s, &ext, h)) < 0) {
		ipifc_slaac_free(h->e);
		free(h);
		return rc;
	}
	if ((rc = ipifc_subscribe(s, hevent, h)) < 0) {
		s->ext = NULL;		/* set just above, by this call */
		ipifc_slaac_free(h->e);
		free(h);
		return -EBUSY;
	}
	return 0;
}
