/*
 * Logical addresses: add, replace, update, remove; what each implies (self
 * entries, groups, routes); lifetimes, driven by the clock; the one writer
 * of an address's state.  DAD is core/dad.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int
ipifc_lifc_usable(const struct ipifc_lifc *l)
{
	/* RFC 4429 2.1: an optimistic address is usable during DAD */
	return l->state == IPIFC_ADDR_PREFERRED ||
	    l->state == IPIFC_ADDR_DEPRECATED ||
	    (l->state == IPIFC_ADDR_TENTATIVE && l->optimistic);
}

uint64_t
ipifc_lifc_expiry(const struct ipifc_lifc *l, uint32_t lt)
{
	if (lt == IPIFC_INFINITE)
		return UINT64_MAX;
	return l->origin + (uint64_t)lt * 1000;
}

uint32_t
ipifc_lifc_left(const struct ipifc_lifc *l, uint32_t lt)
{
	uint64_t end = ipifc_lifc_expiry(l, lt), now = l->ifc->stack->now;

	if (lt == IPIFC_INFINITE)
		return IPIFC_INFINITE;
	return end > now ? (uint32_t)((end - now) / 1000) : 0;
}

uint64_t
ipifc_lifc_deadline(const struct ipifc_lifc *l)
{
	uint64_t d = ipifc_lifc_expiry(l, l->validlt), p;

	if (l->state == IPIFC_ADDR_PREFERRED &&
	    (p = ipifc_lifc_expiry(l, l->preflt)) < d)
		d = p;
	return d;
}

/*
 * A tentative or duplicate address is not ours (RFC 4862 5.4, 5.4.5): no
 * unicast self entry, so no host route, and what goes to it goes to the
 * link, where its owner is; it is ours once DAD finds it unique.
 */
static void
set_mine(struct ipifc_lifc *l, int mine)
{
	struct ipifc_stack *s = l->ifc->stack;

	ipifc_self_retype(s, &l->local, l, mine ? IPIFC_RT_UNI :
	    IPIFC_SELF_TENTATIVE);
	ipifc_prefix_reconcile(s, &l->local, 128);
}

/*
 * The one writer of an address's state (issue 9; ipifc_nbr_transition is
 * the neighbors'): it sets the state, has DAD (core/dad.c) set its
 * deadline for it, makes the self table take the address for ours or
 * not as it becomes usable or not, and announces the change by its event
 * (ready, deprecated, duplicate).  An address being made (no interface
 * yet) only takes its first state: its `addr new' says the rest.
 */
void
ipifc_lifc_transition(struct ipifc_lifc *l, enum ipifc_lifc_state st)
{
	struct ipifc_ifc *ifc = l->ifc;
	enum ipifc_lifc_state old = l->state;
	int was = ipifc_lifc_usable(l);

	l->state = st;
	ipifc_dad_state(l);
	if (ifc == NULL)
		return;
	ipifc_lifc_refile(l);
	if (was != ipifc_lifc_usable(l))
		set_mine(l, !was);
	if (old == IPIFC_ADDR_TENTATIVE && st != IPIFC_ADDR_TENTATIVE &&
	    ipifc_lifc_usable(l)) {
		ipifc_announce_addr(l, IPIFC_EV_ADDR_READY);
		/* RFC 4861 6.2.2: a router's RAs wait for this address */
		if (ipifc_ip_islinklocal(&l->local) && ifc->ra6.sendra &&
		    ipifc_ifc_up(ifc))
			ipifc_ifc_rtadv(ifc, 1);
	}
	if (st == IPIFC_ADDR_DEPRECATED && old != st)
		ipifc_announce_addr(l, IPIFC_EV_ADDR_DEPRECATED);
	if (st == IPIFC_ADDR_DUPLICATE && old != st)
		ipifc_announce_addr(l, IPIFC_EV_ADDR_DUPLICATE);
}

/* RFC 4291 2.8: a router recognises ff01::2, ff02::2 and ff05::2. */
static const struct ipifc_ip allrouters_node = {
	{ 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } };
static const struct ipifc_ip allrouters_site = {
	{ 0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } };

/* An IPv6 address of the link, as a router sees it (iprouting). */
static int
routes_v6(const struct ipifc_lifc *l)
{
	return l->ifc->stack->iprouting && !ipifc_lifc_isv4(l) && !l->ptp &&
	    !ipifc_ip_isunspec(&l->local) &&
	    !ipifc_ip_eq(&l->local, &ipifc_ip_loopback6);
}

/*
 * RFC 4291 2.6.1: a router's prefix gives the subnet-router anycast
 * address, the prefix with a zero interface identifier; none for /127
 * (RFC 6164 6) or /128.
 */
static int
subnet_anycast(const struct ipifc_lifc *l, struct ipifc_ip *a)
{
	if (!routes_v6(l) || l->plen >= 127)
		return 0;
	*a = l->net;
	return 1;
}

/* The all-routers groups, and the anycast address's solicited-node group. */
static int
router_groups(const struct ipifc_lifc *l, struct ipifc_ip *g)
{
	struct ipifc_ip a;

	if (!routes_v6(l))
		return 0;
	g[0] = allrouters_node;
	g[1] = ipifc_ip_allrouters;
	g[2] = allrouters_site;
	if (!subnet_anycast(l, &a))
		return 3;
	ipifc_ip_solicited(&g[3], &a);	/* RFC 4861 7.2.1 */
	return 4;
}

/*
 * The groups an address joins: all-systems, all-nodes, solicited-node,
 * and while routing the all-routers groups.
 */
static int
lifc_groups(const struct ipifc_lifc *l, struct ipifc_ip *g)
{
	if (l->ptp || ipifc_ip_isunspec(&l->local))
		return 0;
	if (ipifc_lifc_isv4(l)) {
		g[0] = ipifc_ip_allsys4;	/* RFC 1112 4 */
		return 1;
	}
	if (ipifc_ip_eq(&l->local, &ipifc_ip_loopback6)) {
		g[0] = ipifc_ip_allnodes_node;
		return 1;
	}
	g[0] = ipifc_ip_allnodes;
	ipifc_ip_solicited(&g[1], &l->local);	/* RFC 4861 7.2.1 */
	return 2 + router_groups(l, &g[2]);
}

/*
 * Join (add) or leave what routing gives l: groups, anycast address.  A
 * join is all or none, so that the leave takes what it gave.
 */
static int
router_self(struct ipifc_lifc *l, int add)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_ip g[4], a;
	int i, n, any;

	n = router_groups(l, g);
	any = subnet_anycast(l, &a);
	if (!add) {
		for (i = 0; i < n; i++) {
			ipifc_self_remove(s, &g[i], l);
			ipifc_group_unref(l->ifc, &g[i]);
		}
		if (any) {
			ipifc_self_remove(s, &a, l);
			ipifc_prefix_reconcile(s, &a, 128);
		}
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (ipifc_self_add(s, &g[i], IPIFC_RT_MULTI, l) < 0)
			goto fail;
		if (ipifc_group_ref(l->ifc, &g[i]) < 0) {
			ipifc_self_remove(s, &g[i], l);
			goto fail;
		}
	}
	if (any) {
		if (ipifc_self_add(s, &a, IPIFC_RT_ANY, l) < 0)
			goto fail;
		ipifc_prefix_reconcile(s, &a, 128);
	}
	return 0;
fail:
	while (i-- > 0) {
		ipifc_self_remove(s, &g[i], l);
		ipifc_group_unref(l->ifc, &g[i]);
	}
	return -ENOMEM;
}

/* Routing on (all addresses joined, or none and -ENOMEM) or off. */
int
ipifc_lifc_iprouting(struct ipifc_stack *s, int on)
{
	struct ipifc_ifc *ifc, *fifc;
	struct ipifc_lifc *l, *fl;

	if (!on == !s->iprouting)
		return 0;
	if (!on)
		IPIFC_FOREACH_IFC(ifc, s)
			TAILQ_FOREACH(l, &ifc->lifcs, link)
				(void)router_self(l, 0);
	s->iprouting = on;
	if (on)
		IPIFC_FOREACH_IFC(ifc, s)
			TAILQ_FOREACH(l, &ifc->lifcs, link)
				if (router_self(l, 1) < 0)
					goto fail;
	IPIFC_FOREACH_IFC(ifc, s) {
		/* RFC 4861 6.2.5: the router lifetime changes; say it now */
		if (ifc->ra6.sendra && ipifc_ifc_up(ifc))
			ipifc_ifc_rtadv(ifc, 1);
	}
	return 0;
fail:
	/* the addresses before l joined theirs: they leave them */
	fl = l;
	IPIFC_FOREACH_IFC(fifc, s)
		TAILQ_FOREACH(l, &fifc->lifcs, link) {
			if (l == fl)
				goto undone;
			(void)router_self(l, 0);
		}
undone:
	s->iprouting = 0;
	return -ENOMEM;
}

/*
 * l's self entries and groups, all or none: an address with no entry of
 * its own could not be found by its address (ipifc_lifc_bylocal).
 */
static int
add_self(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_ip g[6], a;
	int i, n, joined = 0;

	if (ipifc_self_add(s, &l->local, ipifc_lifc_usable(l) ?
	    IPIFC_RT_UNI : IPIFC_SELF_TENTATIVE, l) < 0)
		goto fail;
	/* a router answers its prefix's anycast address, never DAD'd (5.4) */
	if (subnet_anycast(l, &a) &&
	    ipifc_self_add(s, &a, IPIFC_RT_ANY, l) < 0)
		goto fail;
	n = ipifc_ip4_bcasts(l, g);
	for (i = 0; i < n; i++)
		if (ipifc_self_add(s, &g[i], IPIFC_RT_BCAST, l) < 0)
			goto fail;
	n = lifc_groups(l, g);
	for (; joined < n; joined++)
		if (ipifc_self_add(s, &g[joined], IPIFC_RT_MULTI, l) < 0 ||
		    ipifc_group_ref(l->ifc, &g[joined]) < 0)
			goto fail;
	return 0;
fail:
	while (joined-- > 0)
		ipifc_group_unref(l->ifc, &g[joined]);
	ipifc_self_remove_all(s, l);
	return -ENOMEM;
}

static void
leave_groups(struct ipifc_lifc *l)
{
	struct ipifc_ip g[6];
	int i, n;

	n = lifc_groups(l, g);
	for (i = 0; i < n; i++)
		ipifc_group_unref(l->ifc, &g[i]);
}

/* Take l's routes away and give them out again after a change. */
static void
reroute(struct ipifc_lifc *l, const struct ipifc_implied *old, int nold)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_implied r[IPIFC_MAXIMPLIED];
	int i, n;

	ipifc_route_del_owner(s, l);
	ipifc_prefix_add_own(l);
	for (i = 0; i < nold; i++)
		ipifc_prefix_reconcile(s, &old[i].dst, old[i].plen);
	n = ipifc_lifc_implied(l, r, IPIFC_MAXIMPLIED);
	for (i = 0; i < n; i++)
		ipifc_prefix_reconcile(s, &r[i].dst, r[i].plen);
}

/* Off the stack's list of addresses being added (ipifc_lifc_bylocal). */
static void
lifcnew_drop(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_lifc **pp;

	for (pp = &s->lifcnew; *pp != NULL; pp = &(*pp)->newnext)
		if (*pp == l) {
			*pp = l->newnext;
			return;
		}
}

/* Does another address of l's interface (not point-to-point) share its prefix? */
static int
same_prefix_left(const struct ipifc_lifc *l)
{
	return ipifc_prefix_netcount(l->ifc, &l->net, l->plen) > 1;
}

void
ipifc_lifc_del(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_implied r[IPIFC_MAXIMPLIED];
	int n;

	n = ipifc_lifc_implied(l, r, IPIFC_MAXIMPLIED);
	ipifc_multi_lifc_gone(s, l);
	ipifc_nbr_proxy_drop(l);
	if (!l->ptp && !same_prefix_left(l))
		ipifc_nbr_flush_prefix(ifc, &l->net, l->plen);
	if (!l->ptp)
		ipifc_prefix_netunref(ifc, &l->net, l->plen);
	/*
	 * RFC 3810 5.2.13: the leaves go while l is still there, so that a
	 * link-local address going takes its own groups from itself, not ::
	 */
	leave_groups(l);
	TAILQ_REMOVE(&ifc->lifcs, l, link);
	ipifc_lifc_unfile(l);
	ifc->nlifc--;
	if (!ipifc_lifc_isv4(l))
		ifc->nlifc6--;
	ipifc_self_remove_all(s, l);
	/* hand the shared routes over first, then drop what is l's alone */
	ipifc_prefix_forget_of(l, r, n);
	ipifc_route_del_owner(s, l);
	ipifc_announce_addr(l, IPIFC_EV_ADDR_DEL);
	lifcnew_drop(s, l);	/* gone before its add ended */
	free(l);
	ipifc_nbr_proxy_sync(s, NULL);	/* a peer may no longer be on a link */
}

static void
set_mtu(struct ipifc_ifc *ifc, int mtu)
{
	struct ipifc_event ev;

	if (mtu == 0 || mtu == ifc->mtu)
		return;
	ifc->mtu = mtu;
	memset(&ev, 0, sizeof(ev));
	ev.type = IPIFC_EV_IFC_MTU;
	ev.ifc = ifc->num;
	ev.mtu = mtu;
	ipifc_announce(ifc->stack, &ev);
}

/* Re-adding an address unchanged: new lifetimes and flags. */
static void
update(struct ipifc_lifc *l, const struct ipifc_addreq *r)
{
	struct ipifc_implied old[IPIFC_MAXIMPLIED];
	int nold, routes;

	routes = l->proxy != r->proxy || l->onlink != r->onlink;
	nold = ipifc_lifc_implied(l, old, IPIFC_MAXIMPLIED);
	l->proxy = r->proxy;
	l->onlink = r->onlink;
	l->autonomous = r->autonomous;
	l->temporary = r->temporary;
	l->formed = r->formed;
	l->validlt = r->validlt;
	l->preflt = r->preflt;
	l->origin = l->ifc->stack->now;
	ipifc_lifc_refile(l);
	if (l->state == IPIFC_ADDR_DEPRECATED && l->preflt != 0)
		ipifc_lifc_transition(l, IPIFC_ADDR_PREFERRED);
	set_mtu(l->ifc, r->mtu);
	ipifc_announce_addr(l, IPIFC_EV_ADDR_NEW);
	if (l->state == IPIFC_ADDR_PREFERRED && l->preflt == 0)
		ipifc_lifc_transition(l, IPIFC_ADDR_DEPRECATED);
	if (routes)
		reroute(l, old, nold);
}

static int
has_v6(const struct ipifc_ifc *ifc)
{
	return ifc->nlifc6 > 0;
}

static const char *
check(struct ipifc_ifc *ifc, const struct ipifc_addreq *r, int ptp)
{
	struct ipifc_stack *s = ifc->stack;
	char a[IPIFC_IPSTRLEN], b[IPIFC_IPSTRLEN], m[8];
	int v4 = ipifc_ip_isv4(&r->local);
	struct ipifc_ip net;

	/* the address is formatted only for an error: adds come by the 100k */
	if (ipifc_ip_ismulti(&r->local) || (v4 && ipifc_ip_isbcast(&r->local)))
		return ipifc_errf(s, "bad local address %s",
		    ipifc_ip_fmt(&r->local, a, sizeof(a)));
	if (v4 && r->plen < 96)
		return ipifc_errf(s, "bad mask for %s",
		    ipifc_ip_fmt(&r->local, a, sizeof(a)));
	if (r->hasremote) {
		ipifc_ip_fmt(&r->local, a, sizeof(a));
		ipifc_ip_fmt(&r->remote, b, sizeof(b));
		if (ipifc_ip_isv4(&r->remote) != v4)
			return ipifc_errf(s, "remote %s is not of %s's family",
			    b, a);
		ipifc_ip_mask(&net, &r->local, r->plen);
		if (!ptp && !ipifc_ip_inprefix(&r->remote, &net, r->plen))
			return ipifc_errf(s, "remote %s is outside %s %s", b, a,
			    ipifc_mask_fmt(&r->local, r->plen, m, sizeof(m)));
	}
	if (r->proxy && !ptp)
		return ipifc_errf(s, "proxy needs a point-to-point address");
	if (r->mtu != 0 && (r->mtu < ifc->mintu || r->mtu > ifc->maxtu))
		return ipifc_errf(s, "mtu %d out of range %d..%d", r->mtu,
		    ifc->mintu, ifc->maxtu);
	/* RFC 8200 5: IPv6 needs links of 1280 octets */
	if ((!v4 || has_v6(ifc)) && (r->mtu ? r->mtu : ifc->mtu) < 1280)
		return ipifc_errf(s, "IPv6 needs an MTU of at least 1280");
	if (r->validlt < r->preflt)
		return ipifc_errf(s, "valid lifetime under preferred lifetime");
	return NULL;
}

static int
is_ptp(const struct ipifc_addreq *r)
{
	/* all-ones mask with a REMOTE: point-to-point */
	return r->hasremote && r->plen == 128 &&
	    !ipifc_ip_eq(&r->remote, &r->local);
}

/* Would r be refused on an interface with no addresses? (connect) */
const char *
ipifc_lifc_check(struct ipifc_ifc *ifc, const struct ipifc_addreq *r)
{
	struct ipifc_lifc *old;
	char a[IPIFC_IPSTRLEN];
	const char *err;
	int mtu = r->mtu ? r->mtu : ifc->mtu;

	if ((err = check(ifc, r, is_ptp(r))) != NULL)
		return err;
	if (!ipifc_ip_isv4(&r->local) && mtu < 1280)
		return ipifc_errf(ifc->stack, "IPv6 needs an MTU of at least 1280");
	old = ipifc_lifc_bylocal(ifc->stack, &r->local);
	if (old != NULL && old->ifc != ifc)
		return ipifc_errf(ifc->stack, "%s is already on interface %d",
		    ipifc_ip_fmt(&r->local, a, sizeof(a)), old->ifc->num);
	return NULL;
}

/*
 * An add that found no memory for l's self entries or memberships: l off
 * its interface and the MTU it set back, with nothing else yet made of it.  Its `addr
 * new' was said, so its `addr del' is too.
 */
static void
unadd(struct ipifc_lifc *l, int mtu)
{
	struct ipifc_ifc *ifc = l->ifc;
	struct ipifc_stack *s = ifc->stack;

	lifcnew_drop(s, l);
	TAILQ_REMOVE(&ifc->lifcs, l, link);
	ipifc_lifc_unfile(l);
	ifc->nlifc--;
	if (!ipifc_lifc_isv4(l))
		ifc->nlifc6--;
	if (!l->ptp)
		ipifc_prefix_netunref(ifc, &l->net, l->plen);
	set_mtu(ifc, mtu);
	ipifc_announce_addr(l, IPIFC_EV_ADDR_DEL);
	free(l);
}

const char *
ipifc_lifc_add(struct ipifc_ifc *ifc, const struct ipifc_addreq *r)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_implied imp[IPIFC_MAXIMPLIED];
	struct ipifc_lifc *l, *old;
	char a[IPIFC_IPSTRLEN];
	const char *err;
	int ptp, n, mtu = ifc->mtu;

	ptp = is_ptp(r);
	if ((err = check(ifc, r, ptp)) != NULL)
		return err;
	old = ipifc_lifc_bylocal(s, &r->local);
	if (old != NULL && old->ifc != ifc)
		return ipifc_errf(s, "%s is already on interface %d",
		    ipifc_ip_fmt(&r->local, a, sizeof(a)), old->ifc->num);
	if (old != NULL) {
		if (old->plen == r->plen && old->ptp == ptp &&
		    (!ptp || ipifc_ip_eq(&old->remote, &r->remote))) {
			update(old, r);
			ipifc_nbr_proxy_sync(s, old);
			return NULL;
		}
	} else if (ifc->nlifc >= s->maxlifc)
		return ipifc_errf(s, "too many addresses on interface %d",
		    ifc->num);
	if (ipifc_deadline_reserve(s) < 0)
		return ipifc_errf(s, "out of memory");
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return ipifc_errf(s, "out of memory");
	ipifc_ip_mask(&l->net, &r->local, r->plen);
	if (!ptp && ipifc_prefix_netref(ifc, &l->net, r->plen) < 0) {
		free(l);
		return ipifc_errf(s, "out of memory");
	}
	if (old != NULL)
		ipifc_lifc_del(old);	/* another mask or remote: replace */
	/* its first state, before it is on the interface (DAD starts below) */
	if (ipifc_dad_wanted(ifc, &r->local, ptp) && !r->notentative)
		ipifc_lifc_transition(l, IPIFC_ADDR_TENTATIVE);
	else
		ipifc_lifc_transition(l, r->preflt == 0 ?
		    IPIFC_ADDR_DEPRECATED : IPIFC_ADDR_PREFERRED);
	l->ifc = ifc;
	l->local = r->local;
	l->plen = r->plen;
	ipifc_ip_mask(&l->net, &r->local, r->plen);
	l->remote = ptp ? r->remote : l->net;
	l->ptp = ptp;
	l->proxy = r->proxy;
	l->onlink = r->onlink;
	l->autonomous = r->autonomous;
	l->temporary = r->temporary;
	l->formed = r->formed;
	l->optimistic = r->optimistic;
	l->validlt = r->validlt;
	l->preflt = r->preflt;
	l->origin = s->now;
	l->seq = ++s->lifcseq;
	/* found by ipifc_lifc_bylocal until its self entry links it */
	l->newnext = s->lifcnew;
	s->lifcnew = l;
	TAILQ_INSERT_TAIL(&ifc->lifcs, l, link);
	ipifc_lifc_refile(l);
	ifc->nlifc++;
	if (!ipifc_lifc_isv4(l))
		ifc->nlifc6++;
	set_mtu(ifc, r->mtu);
	ipifc_announce_addr(l, IPIFC_EV_ADDR_NEW);
	if (add_self(l) < 0) {
		unadd(l, mtu);
		return ipifc_errf(s, "out of memory");
	}
	lifcnew_drop(s, l);
	if (ipifc_multi_lifc_new(s, l) < 0) {
		leave_groups(l);
		ipifc_self_remove_all(s, l);
		unadd(l, mtu);
		return ipifc_errf(s, "out of memory");
	}
	ipifc_prefix_add_own(l);
	n = ipifc_lifc_implied(l, imp, IPIFC_MAXIMPLIED);
	ipifc_prefix_reconcile_of(l, imp, n);
	/* groups joined first: RFC 4862 5.4.2; the medium sends the first
	 * probe if it is due at once */
	if (l->state == IPIFC_ADDR_TENTATIVE)
		ipifc_dad_start(l);
	if (ifc->m->areg != NULL && (l->state == IPIFC_ADDR_TENTATIVE ||
	    ipifc_ifc_up(ifc)))
		ifc->m->areg(ifc, l);
	ipifc_nbr_proxy_sync(s, l);	/* a proxied peer, or its link */
	return NULL;
}

const char *
ipifc_lifc_remove(struct ipifc_ifc *ifc, const struct ipifc_ip *local,
    int plen, const struct ipifc_ip *remote, int hasremote)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l;
	char a[IPIFC_IPSTRLEN], m[8], m2[8];

	/* the address is formatted only for an error */
	if ((l = ipifc_lifc_onifc(ifc, local)) == NULL)
		return ipifc_errf(s, "no address %s on interface %d",
		    ipifc_ip_fmt(local, a, sizeof(a)), ifc->num);
	if (l->plen != plen)
		return ipifc_errf(s, "mask %s does not match %s %s",
		    ipifc_mask_fmt(local, plen, m, sizeof(m)),
		    ipifc_ip_fmt(local, a, sizeof(a)),
		    ipifc_mask_fmt(local, l->plen, m2, sizeof(m2)));
	if (l->ptp && !hasremote)
		return ipifc_errf(s, "%s is point-to-point: give its remote",
		    ipifc_ip_fmt(local, a, sizeof(a)));
	if (hasremote && l->ptp && !ipifc_ip_eq(&l->remote, remote))
		return ipifc_errf(s, "remote does not match %s's peer",
		    ipifc_ip_fmt(local, a, sizeof(a)));
	if (hasremote && !l->ptp &&
	    !ipifc_ip_inprefix(remote, &l->net, l->plen))
		return ipifc_errf(s, "remote is outside %s's prefix",
		    ipifc_ip_fmt(local, a, sizeof(a)));
	ipifc_lifc_del(l);
	return NULL;
}

static void
lifetimes(struct ipifc_lifc *l)
{
	uint64_t now = l->ifc->stack->now;

	if (now >= ipifc_lifc_expiry(l, l->validlt)) {
		ipifc_lifc_del(l);	/* RFC 4862 5.5.4 */
		return;
	}
	if (l->state == IPIFC_ADDR_PREFERRED &&
	    now >= ipifc_lifc_expiry(l, l->preflt))
		ipifc_lifc_transition(l, IPIFC_ADDR_DEPRECATED);
}

/* Only the addresses due, in the order of a walk of them all. */
void
ipifc_lifc_timers(struct ipifc_stack *s)
{
	struct ipifc_lifc *l;
	int i, n;

	n = ipifc_deadline_due(s);
	for (i = 0; i < n; i++)
		if ((l = ipifc_deadline_lifc(s, i)) != NULL)
			lifetimes(l);
	ipifc_dindex_done(&s->daddr);
}

static void
linklocal_of(const struct ipifc_ifc *ifc, struct ipifc_ip *a)
{
	memset(a, 0, sizeof(*a));
	a->a[0] = 0xfe;
	a->a[1] = 0x80;
	ipifc_eui64(&a->a[8], ifc->mac);
	/* the layer above may hold another identifier (RFC 7217) */
	if (ifc->stack->ext != NULL && ifc->stack->ext->linklocal != NULL)
		ifc->stack->ext->linklocal(ifc->stack->extarg, ifc, a);
}

/* RFC 4862 5.3: an ether interface forms fe80::/64 + its EUI-64 (or
 * the identifier the layer above gives) on up. */
void
ipifc_lifc_linklocal(struct ipifc_ifc *ifc)
{
	struct ipifc_addreq r;
	struct ipifc_lifc *l;

	if (ifc->m->hwlen != 6 || !ipifc_ifc_up(ifc) || ifc->nolinklocal)
		return;
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (!ipifc_lifc_isv4(l) && ipifc_ip_islinklocal(&l->local))
			return;
	memset(&r, 0, sizeof(r));
	linklocal_of(ifc, &r.local);
	r.plen = 64;
	r.onlink = 1;
	r.validlt = r.preflt = IPIFC_INFINITE;
	ipifc_lifc_add(ifc, &r);
}

/* Remove the link-local address formed from the current MAC, if any. */
void
ipifc_lifc_unlinklocal(struct ipifc_ifc *ifc)
{
	struct ipifc_lifc *l;
	struct ipifc_ip a;

	linklocal_of(ifc, &a);
	if ((l = ipifc_lifc_onifc(ifc, &a)) != NULL)
		ipifc_lifc_del(l);
}
