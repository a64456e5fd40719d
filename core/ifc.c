/*
 * Interfaces: attach (bind) and detach (unbind), up and down, and the
 * lookups BSD's if.c offers (by number, name, address, destination,
 * network).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void
ipifc_ifc_rtadv(struct ipifc_ifc *ifc, int on)
{
	const struct ipifc_hooks *h = ifc->stack->hooks;

	if (h != NULL && h->rtadv != NULL)
		h->rtadv(ifc, on);
}

struct ipifc_ifc *
ipifc_ifc_byname(struct ipifc_stack *s, const char *dev)
{
	struct ipifc_ifc *ifc;

	IPIFC_FOREACH_IFC(ifc, s)
		if (strcmp(ifc->dev, dev) == 0)
			return ifc;
	return NULL;
}

/*
 * Room for one more interface number: the slots double, up to the bound.
 * They never shrink: each keeps its number's generation (plan9 ifcid).
 */
static int
grow_slots(struct ipifc_stack *s)
{
	struct ipifc_ifc **v;
	uint32_t *g;
	int n;

	n = s->nslot ? 2 * s->nslot : 8;
	if (n > s->maxifc)
		n = s->maxifc;
	if ((v = realloc(s->ifc, (size_t)n * sizeof(*v))) == NULL)
		return -ENOMEM;
	s->ifc = v;
	if ((g = realloc(s->slotgen, (size_t)n * sizeof(*g))) == NULL)
		return -ENOMEM;
	s->slotgen = g;
	memset(&s->ifc[s->nslot], 0, (size_t)(n - s->nslot) * sizeof(*v));
	memset(&s->slotgen[s->nslot], 0, (size_t)(n - s->nslot) * sizeof(*g));
	s->nslot = n;
	return 0;
}

/* The medium named name (ether, loopback, pkt), NULL if none. */
static const struct ipifc_medium *
medium_find(struct ipifc_stack *s, const char *name)
{
	const struct ipifc_medium *const *m;

	for (m = s->mediums; m != NULL && *m != NULL; m++)
		if (strcmp((*m)->name, name) == 0)
			return *m;
	return NULL;
}

/* RFC 4861 6.2.1 defaults for the Adv... variables. */
static void
ra6_defaults(struct ipifc_ra6 *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->maxraint = IPIFC_MAXRTRADVINTERVAL;
	ra->minraint = IPIFC_MINRTRADVINTERVAL;
	ra->ttl = IPIFC_DEFHOPLIMIT;
	ra->routerlt = 3 * IPIFC_MAXRTRADVINTERVAL / 1000;
	ra->dnslt = IPIFC_RA6_DNSLT;
}

const char *
ipifc_ifc_bind(struct ipifc_stack *s, const char *medium, const char *dev,
    int *num)
{
	const struct ipifc_medium *m;
	struct ipifc_ifc *ifc;
	const char *err;
	int i;

	if ((m = medium_find(s, medium)) == NULL)
		return ipifc_errf(s, "unknown medium %s", medium);
	if (strlen(dev) >= IPIFC_DEVLEN)
		return ipifc_errf(s, "device name too long");
	if (ipifc_ifc_byname(s, dev) != NULL)
		return ipifc_errf(s, "device %s is already bound", dev);
	if (s->nifc >= s->maxifc)
		return ipifc_errf(s, "too many interfaces");
	/* the lowest free number: usually the next one */
	i = s->nifc < s->nslot ? 0 : s->nslot;
	for (; i < s->nslot && s->ifc[i] != NULL; i++)
		;
	if (i == s->nslot && grow_slots(s) < 0)
		return ipifc_errf(s, "out of memory");
	if ((ifc = calloc(1, sizeof(*ifc))) == NULL)
		return ipifc_errf(s, "out of memory");
	ifc->stack = s;
	ifc->num = i;
	ifc->gen = s->slotgen[i];
	snprintf(ifc->dev, sizeof(ifc->dev), "%s", dev);
	ifc->m = m;
	ifc->flags = m->flags | IPIFC_F_RUNNING;
	ifc->mintu = m->mintu;
	ifc->maxtu = m->maxtu;
	ifc->mtu = m->deftu;
	if (m->hwlen == 6) {
		/* deterministic, locally administered (RFC 7042 2.1) */
		ifc->mac[0] = 0x02;
		ifc->mac[2] = (uint8_t)(s->id >> 16);
		ifc->mac[3] = (uint8_t)(s->id >> 8);
		ifc->mac[4] = (uint8_t)(s->id ^ (uint32_t)(i >> 8));
		ifc->mac[5] = (uint8_t)i;
	}
	ifc->delay = IPIFC_DEFDELAY;
	ifc->hoplimit = IPIFC_DEFHOPLIMIT;
	ifc->retrans = IPIFC_RETRANS_TIMER;
	ifc->reachable = IPIFC_REACHABLE_TIME;
	ifc->dad = IPIFC_DEFDAD;
	ra6_defaults(&ifc->ra6);
	TAILQ_INIT(&ifc->lifcs);
	TAILQ_INIT(&ifc->groups);
	TAILQ_INIT(&ifc->nbrs);
	TAILQ_INIT(&ifc->strangers);
	if (s->hooks != NULL && s->hooks->attach != NULL &&
	    s->hooks->attach(ifc) < 0) {
		free(ifc);
		return ipifc_errf(s, "out of memory");
	}
	if ((err = m->bind(ifc, dev)) != NULL) {
		if (s->hooks != NULL && s->hooks->detach != NULL)
			s->hooks->detach(ifc);
		free(ifc);
		return err;
	}
	s->ifc[i] = ifc;
	s->nifc++;
	ipifc_announce_ifc(ifc, IPIFC_EV_IFC_ATTACH);
	/* plan9: a newly bound interface is up */
	ipifc_ifc_setup(ifc, 1);
	*num = i;
	return NULL;
}

/*
 * Detach: every address goes first (and all it implied), then every route
 * through the interface, user routes included (BSD if_rtdel), then the
 * medium.
 */
void
ipifc_ifc_unbind(struct ipifc_ifc *ifc)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l, *o;

	/* RFC 4861 6.2.5: the final advertisement, while addresses remain */
	ipifc_ifc_rtadv(ifc, 0);
	ipifc_multi_ifc_gone(s, ifc);
	/* link-local addresses last: the source of MLD leaves (RFC 3810 5.2.13) */
	while ((l = TAILQ_FIRST(&ifc->lifcs)) != NULL) {
		TAILQ_FOREACH(o, &ifc->lifcs, link)
			if (ipifc_lifc_isv4(o) || !ipifc_ip_islinklocal(&o->local))
				break;
		ipifc_lifc_del(o != NULL ? o : l);
	}
	ipifc_route_del_ifc(s, ifc);
	ipifc_nbr_clear(ifc);
	ipifc_ifc_dropsendq(ifc);
	ifc->m->unbind(ifc);
	ipifc_announce_ifc(ifc, IPIFC_EV_IFC_DETACH);
	if (s->hooks != NULL && s->hooks->detach != NULL)
		s->hooks->detach(ifc);
	s->slotgen[ifc->num]++;
	s->ifc[ifc->num] = NULL;
	s->nifc--;
	free(ifc->ghash);	/* every group went with the addresses */
	free(ifc->llhash);
	free(ifc);
}

/*
 * Up: every IPv6 address runs DAD again (RFC 4862 5.4), the medium sending
 * the probes due at once; down: DAD waits for up.
 */
static void
dad_again(struct ipifc_ifc *ifc)
{
	struct ipifc_lifc *l;
	int up = ipifc_ifc_up(ifc);

	if (up)
		ifc->dadfresh = 1;	/* (re)initialized: RFC 4862 5.4.2 */
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (ipifc_dad_restart(l) && up && ifc->m->areg != NULL)
			ifc->m->areg(ifc, l);
}

const char *
ipifc_ifc_setup(struct ipifc_ifc *ifc, int up)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l;
	struct ipifc_group *g;

	if (up == ((ifc->flags & IPIFC_F_UP) != 0))
		return NULL;
	if (up) {
		ifc->flags |= IPIFC_F_UP;
		s->rtgen++;	/* lookups skip routes through a down one */
		/* ACD's deadlines count again */
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			ipifc_lifc_refile(l);
		ipifc_announce_ifc(ifc, IPIFC_EV_IFC_UP);
		dad_again(ifc);
		/*
		 * groups joined while down are reported now, once the
		 * addresses are tentative again: MLD from :: until the
		 * link-local address is valid (RFC 3590 4)
		 */
		TAILQ_FOREACH(g, &ifc->groups, link)
			if (s->hooks != NULL && s->hooks->joined != NULL)
				s->hooks->joined(ifc, &g->ip);
		ipifc_lifc_linklocal(ifc);
		/* IPv4 addresses are probed and announced again */
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			if (ipifc_lifc_isv4(l) && ifc->m->areg != NULL)
				ifc->m->areg(ifc, l);
		ipifc_ifc_rtadv(ifc, ifc->ra6.sendra);
	} else {
		/* RFC 4861 6.2.5: the final advertisement goes out first */
		ipifc_ifc_rtadv(ifc, 0);
		ifc->flags &= ~IPIFC_F_UP;
		s->rtgen++;
		/* what waited to go out goes nowhere */
		ipifc_nbr_dropqueues(ifc);
		ipifc_ifc_dropsendq(ifc);
		dad_again(ifc);
		/* ACD waits for up: its deadlines count no more */
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			ipifc_lifc_refile(l);
		ipifc_announce_ifc(ifc, IPIFC_EV_IFC_DOWN);
	}
	ipifc_prefix_reconcile_ifc(ifc);
	return NULL;
}

/*
 * The address a, by its self entry (every address links its own from
 * add_self until it goes), or among the addresses being added that have
 * no link yet (s->lifcnew, one unless an add nests in another's events).
 * ifc NULL: on any interface.  No walk of the interfaces: O(1) however
 * many there are.
 */
static struct ipifc_lifc *
bylocal(struct ipifc_stack *s, const struct ipifc_ifc *ifc,
    const struct ipifc_ip *a)
{
	const struct ipifc_self *p;
	const struct ipifc_selflink *k;
	struct ipifc_lifc *l;

	if ((p = ipifc_self_find(s, a)) != NULL)
		LIST_FOREACH(k, &p->links, selflink)
			if (k->lifc != NULL && ipifc_ip_eq(&k->lifc->local, a))
				return ifc == NULL || k->lifc->ifc == ifc ?
				    k->lifc : NULL;
	for (l = s->lifcnew; l != NULL; l = l->newnext)
		if (ipifc_ip_eq(&l->local, a))
			return ifc == NULL || l->ifc == ifc ? l : NULL;
	return NULL;
}

/* The address ip on this interface, or NULL. */
struct ipifc_lifc *
ipifc_lifc_onifc(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	return bylocal(ifc->stack, ifc, ip);
}

struct ipifc_lifc *
ipifc_lifc_bylocal(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	return bylocal(s, NULL, a);
}

struct ipifc_lifc *
ipifc_lifc_bydst(struct ipifc_stack *s, const struct ipifc_ip *remote)
{
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l;

	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			if (l->ptp && ipifc_ip_eq(&l->remote, remote))
				return l;
	}
	return NULL;
}

/* The most specific network containing a; ties go to the closer local. */
struct ipifc_lifc *
ipifc_lifc_bynet(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l, *best = NULL;
	int cpl, bestcpl = -1;

	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(l, &ifc->lifcs, link) {
			if (l->ptp || !ipifc_ip_inprefix(a, &l->net, l->plen))
				continue;
			cpl = ipifc_ip_cpl(a, &l->local);
			if (best == NULL || l->plen > best->plen ||
			    (l->plen == best->plen && cpl > bestcpl)) {
				best = l;
				bestcpl = cpl;
			}
		}
	}
	return best;
}
