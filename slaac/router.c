/*
 * Routers and the routes they give: the default route of each router
 * with its preference (RFC 4861 6.3.4, RFC 4191 2.2), more-specific
 * routes (RFC 4191 3.1), and the default routes limited to the addresses
 * formed from a router's own prefixes (RFC 8028 3).
 *
 * A router lifetime of 0 withdraws that router's default route only:
 * its RFC 4191 routes and its prefixes keep their own lifetimes.
 */
#include <string.h>

#include "slaac_int.h"

/* routers are bits of a prefix's advby and srcrt */
_Static_assert(IPIFC_SLAAC_MAXROUTERS <= 32, "IPIFC_SLAAC_MAXROUTERS");

static const char *const rtr_names[] = {
	[RTR_FREE] = "free",
	[RTR_DEFAULT] = "default",
};

static void
route_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    enum ipifc_slaac_act_type type, int kind, const struct ipifc_ip *dst,
    int plen, const struct ipifc_ip *gw, int prf, uint64_t end,
    const struct ipifc_ip *src, int srcplen, uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, type);
	a->kind = kind;
	a->addr = *dst;
	a->plen = plen;
	if (gw != NULL)
		a->gw = *gw;
	a->prf = prf;
	a->lifetime = ipifc_slaac_remain(end, now);
	if (src != NULL) {
		a->src = *src;
		a->srcplen = srcplen;
	}
}

/* The one place that writes a router's state; it adds or removes the
 * default route with it. */
static void
rtr_transition(struct ipifc_slaac *e, struct slaac_ifc *ifc, int r,
    enum rtr_state new, uint64_t now)
{
	struct slaac_router *rt = &ifc->rtr[r];
	enum rtr_state old = rt->state;
	char	 b[64];
	int	 k;

	rt->state = new;
	if (new == RTR_FREE)
		rt->deadline = NEVER;
	if (old == new)
		return;
	ipifc_slaac_logf(e, "ifc %u router %s: %s -> %s", ifc->id,
	    ipifc_ip_fmt(&rt->addr, b, sizeof(b)), rtr_names[old],
	    rtr_names[new]);
	if (new == RTR_DEFAULT) {
		route_act(e, ifc, IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
		    &ipifc_ip_unspec6, 0, &rt->addr, rt->prf, rt->deadline,
		    NULL, 0, now);
		return;
	}
	route_act(e, ifc, IPIFC_SLAAC_ROUTE_REMOVE, IPIFC_SLAAC_RT_DEFAULT,
	    &ipifc_ip_unspec6, 0, &rt->addr, rt->prf, now, NULL, 0, now);
	/* its RFC 8028 routes go with it; the slot forgets the router */
	ipifc_slaac_srcroutes(e, ifc, now);
	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
		ifc->pfx[k].advby &= ~(1u << r);
}

int
ipifc_slaac_router_find(struct slaac_ifc *ifc, const struct ipifc_ip *a)
{
	int	 r;

	for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
		if (ifc->rtr[r].state != RTR_FREE &&
		    ipifc_ip_eq(&ifc->rtr[r].addr, a))
			return r;
	return -1;
}

/* RFC 8028: the default routes for source prefix k, router r. */
static void
srcroute(struct ipifc_slaac *e, struct slaac_ifc *ifc, int k, int r,
    enum ipifc_slaac_act_type type, uint64_t now)
{
	struct slaac_prefix *p = &ifc->pfx[k];
	struct slaac_router *rt = &ifc->rtr[r];

	route_act(e, ifc, type, IPIFC_SLAAC_RT_DEFAULT, &ipifc_ip_unspec6, 0,
	    &rt->addr, rt->prf, type == IPIFC_SLAAC_ROUTE_ADD ? rt->deadline :
	    now, &p->prefix, p->plen, now);
	if (type == IPIFC_SLAAC_ROUTE_ADD)
		p->srcrt |= 1u << r;
	else
		p->srcrt &= ~(1u << r);
}

void
ipifc_slaac_srcroutes(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	struct slaac_prefix *p;
	uint32_t want, bit;
	int	 k, r;

	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++) {
		p = &ifc->pfx[k];
		want = 0;
		if (p->state != PFX_FREE && ipifc_slaac_prefix_hasaddr(ifc, k))
			for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
				if (ifc->rtr[r].state == RTR_DEFAULT &&
				    (p->advby & (1u << r)))
					want |= 1u << r;
		if (want == p->srcrt)
			continue;
		for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++) {
			bit = 1u << r;
			if ((want & bit) && !(p->srcrt & bit))
				srcroute(e, ifc, k, r, IPIFC_SLAAC_ROUTE_ADD,
				    now);
			else if (!(want & bit) && (p->srcrt & bit))
				srcroute(e, ifc, k, r,
				    IPIFC_SLAAC_ROUTE_REMOVE, now);
		}
	}
}

/* RFC 4191 3.1: a route information option from router src */
static void
rio(struct ipifc_slaac *e, struct slaac_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_nd_route *ri, uint64_t now)
{
	struct slaac_route *rt;
	int	 i, prf = ipifc_nd_prf(ri->prf), slot = -1;

	for (i = 0; i < IPIFC_SLAAC_MAXROUTES; i++) {
		rt = &ifc->route[i];
		if (!rt->used) {
			if (slot < 0)
				slot = i;
			continue;
		}
		if (rt->plen == ri->plen && ipifc_ip_eq(&rt->prefix,
		    &ri->prefix) && ipifc_ip_eq(&rt->gw, src))
			break;
	}
	if (i < IPIFC_SLAAC_MAXROUTES) {
		rt = &ifc->route[i];
		if (ri->lifetime == 0) {
			route_act(e, ifc, IPIFC_SLAAC_ROUTE_REMOVE,
			    IPIFC_SLAAC_RT_MORESPEC, &rt->prefix, rt->plen,
			    &rt->gw, rt->prf, now, NULL, 0, now);
			rt->used = 0;
			return;
		}
		rt->end = ipifc_slaac_end(now, ri->lifetime);
		if (rt->prf != prf) {
			rt->prf = prf;
			route_act(e, ifc, IPIFC_SLAAC_ROUTE_ADD,
			    IPIFC_SLAAC_RT_MORESPEC, &rt->prefix, rt->plen,
			    &rt->gw, rt->prf, rt->end, NULL, 0, now);
		}
		return;
	}
	if (ri->lifetime == 0)
		return;
	if (slot < 0) {
		e->st.routes_full++;
		return;
	}
	rt = &ifc->route[slot];
	rt->used = 1;
	rt->prefix = ri->prefix;
	rt->plen = ri->plen;
	rt->gw = *src;
	rt->prf = prf;
	rt->end = ipifc_slaac_end(now, ri->lifetime);
	route_act(e, ifc, IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC,
	    &rt->prefix, rt->plen, &rt->gw, rt->prf, rt->end, NULL, 0, now);
}

void
ipifc_slaac_router_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_ip *src, const struct ipifc_nd *ra, uint64_t now)
{
	struct slaac_router *rt;
	int	 r, i, k, prf;

	prf = ipifc_nd_prf((uint8_t)((ra->flags & IPIFC_ND_RA_PRFMASK) >>
	    IPIFC_ND_RA_PRFSHIFT));
	r = ipifc_slaac_router_find(ifc, src);
	if (ra->rtrlife == 0) {
		/* 6.3.4: time the default route out now */
		if (r >= 0)
			rtr_transition(e, ifc, r, RTR_FREE, now);
	} else if (r >= 0) {
		rt = &ifc->rtr[r];
		rt->slla |= (ra->has & IPIFC_ND_HAS_SLLA) != 0;
		rt->deadline = ipifc_slaac_end(now, ra->rtrlife);
		if (rt->prf != prf) {
			rt->prf = prf;
			route_act(e, ifc, IPIFC_SLAAC_ROUTE_ADD,
			    IPIFC_SLAAC_RT_DEFAULT, &ipifc_ip_unspec6, 0,
			    &rt->addr, prf, rt->deadline, NULL, 0, now);
			for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
				if (ifc->pfx[k].srcrt & (1u << r))
					srcroute(e, ifc, k, r,
					    IPIFC_SLAAC_ROUTE_ADD, now);
		}
	} else {
		for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
			if (ifc->rtr[r].state == RTR_FREE)
				break;
		if (r == IPIFC_SLAAC_MAXROUTERS)
			e->st.routers_full++;
		else {
			rt = &ifc->rtr[r];
			rt->addr = *src;
			rt->prf = prf;
			rt->slla = (ra->has & IPIFC_ND_HAS_SLLA) != 0;
			rt->deadline = ipifc_slaac_end(now, ra->rtrlife);
			for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++) {
				ifc->pfx[k].advby &= ~(1u << r);
				ifc->pfx[k].srcrt &= ~(1u << r);
			}
			rtr_transition(e, ifc, r, RTR_DEFAULT, now);
		}
	}
	for (i = 0; i < ra->nroute; i++)
		rio(e, ifc, src, &ra->route[i], now);
}

void
ipifc_slaac_router_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	struct slaac_route *rt;
	int	 r, i;

	for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
		if (ifc->rtr[r].state != RTR_FREE &&
		    ifc->rtr[r].deadline <= now)
			rtr_transition(e, ifc, r, RTR_FREE, now);
	for (i = 0; i < IPIFC_SLAAC_MAXROUTES; i++) {
		rt = &ifc->route[i];
		if (rt->used && rt->end <= now) {
			route_act(e, ifc, IPIFC_SLAAC_ROUTE_REMOVE,
			    IPIFC_SLAAC_RT_MORESPEC, &rt->prefix, rt->plen,
			    &rt->gw, rt->prf, now, NULL, 0, now);
			rt->used = 0;
		}
	}
}

void
ipifc_slaac_router_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	int	 r, i;

	for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
		if (ifc->rtr[r].state != RTR_FREE)
			rtr_transition(e, ifc, r, RTR_FREE, now);
	for (i = 0; i < IPIFC_SLAAC_MAXROUTES; i++)
		ifc->route[i].end = now;
	ipifc_slaac_router_tick(e, ifc, now);
}

uint64_t
ipifc_slaac_router_deadline(const struct slaac_ifc *ifc)
{
	uint64_t d = NEVER;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXROUTERS; i++)
		if (ifc->rtr[i].state != RTR_FREE)
			d = ipifc_slaac_min(d, ifc->rtr[i].deadline);
	for (i = 0; i < IPIFC_SLAAC_MAXROUTES; i++)
		if (ifc->route[i].used)
			d = ipifc_slaac_min(d, ifc->route[i].end);
	return d;
}
