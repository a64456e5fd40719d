/*
 * Prefixes and the addresses proposed from them: the on-link prefix list
 * (RFC 4861 6.3.4), the processing of a prefix information option (RFC
 * 4862 5.5.3, the two-hour rule of (e) included), the lifetimes of each
 * address counting down to deprecation and removal, DAD results with the
 * RFC 7217 6 retries, and temporary addresses with their regeneration
 * (RFC 8981 3.4 to 3.6).
 */
#include <errno.h>
#include <string.h>

#include "slaac_int.h"

static const char *const pfx_names[] = {
	[PFX_FREE] = "free",
	[PFX_VALID] = "valid",
};

static const char *const addr_names[] = {
	[ADDR_FREE] = "free",
	[ADDR_TENTATIVE] = "tentative",
	[ADDR_OPTIMISTIC] = "optimistic",
	[ADDR_PREFERRED] = "preferred",
	[ADDR_DEPRECATED] = "deprecated",
	[ADDR_DUPLICATE] = "duplicate",
};

static int
islinklocal(const struct ipifc_ip *a)
{
	return a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80;
}

/* RFC 8981 3.8: REGEN_ADVANCE, ms */
static uint64_t
regen_advance(const struct slaac_ifc *ifc)
{
	uint64_t retrans = ifc->retrans != 0 ? ifc->retrans : RETRANS_TIMER;

	return 2000 + IPIFC_SLAAC_IDGEN_RETRIES * ifc->c.dad_transmits *
	    retrans;
}

/* ---- the address proposal state machine ---- */

/*
 * The one place that writes an address's state.  Its deadline: the end
 * of its valid lifetime, and while preferred also the end of its
 * preferred lifetime and (temporary) the time to make its successor.
 */
static void
addr_transition(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    struct slaac_addr *a, enum addr_state new, uint64_t now)
{
	enum addr_state old = a->state;
	char	 b[64];

	a->state = new;
	switch (new) {
	case ADDR_FREE:
		a->deadline = NEVER;
		break;
	case ADDR_PREFERRED:
		a->deadline = ipifc_slaac_min(a->valid_end,
		    ipifc_slaac_min(a->pref_end, a->regen));
		break;
	default:
		a->deadline = a->valid_end;
		break;
	}
	if (old != new)
		ipifc_slaac_logf(e, "ifc %u addr %s: %s -> %s", ifc->id,
		    ipifc_ip_fmt(&a->addr, b, sizeof(b)), addr_names[old],
		    addr_names[new]);
}

static void
prefix_transition(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    struct slaac_prefix *p, enum pfx_state new)
{
	enum pfx_state old = p->state;
	char	 b[64];

	p->state = new;
	p->deadline = new == PFX_VALID && p->onlink ? p->onlink_end : NEVER;
	if (old != new)
		ipifc_slaac_logf(e, "ifc %u prefix %s/%d: %s -> %s", ifc->id,
		    ipifc_ip_fmt(&p->prefix, b, sizeof(b)), p->plen,
		    pfx_names[old], pfx_names[new]);
}

static void
addr_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_addr *a, enum ipifc_slaac_act_type type,
    uint64_t now)
{
	struct ipifc_slaac_act *x;

	x = ipifc_slaac_push(e, ifc, type);
	x->addr = a->addr;
	x->plen = ifc->pfx[a->pfx].plen;
	x->how = a->how;
	if (type != IPIFC_SLAAC_ADDR_REMOVE) {
		x->valid = ipifc_slaac_remain(a->valid_end, now);
		x->preferred = ipifc_slaac_remain(a->pref_end, now);
	}
	x->optimistic = a->state == ADDR_OPTIMISTIC;
}

/* Whether an address is held by the caller: added and not removed. */
static int
addr_live(const struct slaac_addr *a)
{
	return a->state != ADDR_FREE && a->state != ADDR_DUPLICATE;
}

int
ipifc_slaac_prefix_hasaddr(const struct slaac_ifc *ifc, int pfx)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (addr_live(&ifc->addr[i]) && ifc->addr[i].pfx == pfx)
			return 1;
	return 0;
}

/* Any proposal (a duplicate too) from prefix pfx, formed as how. */
static int
prefix_has(const struct slaac_ifc *ifc, int pfx, int temporary)
{
	const struct slaac_addr *a;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (a->state != ADDR_FREE && a->pfx == pfx &&
		    (a->how == IPIFC_SLAAC_TEMPORARY) == temporary)
			return 1;
	}
	return 0;
}

/* Whether the operator holds ip. */
static int
user_has(const struct slaac_ifc *ifc, const struct ipifc_ip *ip)
{
	int	 i;

	for (i = 0; i < ifc->nuser; i++)
		if (ipifc_ip_eq(&ifc->user[i], ip))
			return 1;
	return 0;
}

/* Whether the operator or another proposal than self holds its address. */
static int
addr_inuse(const struct slaac_ifc *ifc, const struct slaac_addr *self)
{
	int	 i;

	if (user_has(ifc, &self->addr))
		return 1;
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (&ifc->addr[i] != self && ifc->addr[i].state != ADDR_FREE &&
		    ipifc_ip_eq(&ifc->addr[i].addr, &self->addr))
			return 1;
	return 0;
}

/*
 * The address for a proposal: prefix + an identifier of its kind.  A
 * reserved (RFC 5453) or taken identifier moves a stable address to the
 * next DAD_Counter (RFC 7217 5) and draws a temporary one again.  0, or
 * -1 when none can be made.
 */
static int
make_addr(struct ipifc_slaac *e, struct slaac_ifc *ifc, struct slaac_addr *a)
{
	const struct slaac_prefix *p = &ifc->pfx[a->pfx];
	int	 tries;

	for (tries = 0; tries <= IPIFC_SLAAC_IDGEN_RETRIES; tries++) {
		a->addr = p->prefix;
		switch (a->how) {
		case IPIFC_SLAAC_EUI64:
			if (!ifc->hasmac)
				return -1;
			if (ipifc_slaac_iid_eui64(&a->addr, ifc->mac) != 0) {
				e->st.iid_reserved++;
				return -1;
			}
			return addr_inuse(ifc, a) ? -1 : 0;
		case IPIFC_SLAAC_STABLE:
			ipifc_slaac_iid_stable(&a->addr, p->plen, &ifc->c,
			    a->dadcount);
			break;
		default:
			ipifc_slaac_iid_random(e, &a->addr);
			break;
		}
		if (ipifc_slaac_iid_reserved(a->addr.a + 8))
			e->st.iid_reserved++;
		else if (!addr_inuse(ifc, a))
			return 0;
		if (a->how == IPIFC_SLAAC_STABLE)
			a->dadcount++;
	}
	return -1;
}

/* RFC 4429 3.1: optimistic only when the link-layer address of a
 * router that advertises the prefix is known (from its RA's SLLA). */
static int
may_be_optimistic(const struct slaac_ifc *ifc, int pfx)
{
	int	 r;

	if (!ifc->c.optimistic)
		return 0;
	for (r = 0; r < IPIFC_SLAAC_MAXROUTERS; r++)
		if (ifc->rtr[r].state != RTR_FREE && ifc->rtr[r].slla &&
		    (ifc->pfx[pfx].advby & (1u << r)))
			return 1;
	return 0;
}

/* Start DAD on a fresh proposal: tentative, or optimistic (RFC 4429). */
static void
addr_start(struct ipifc_slaac *e, struct slaac_ifc *ifc, struct slaac_addr *a,
    uint64_t now)
{
	addr_transition(e, ifc, a, may_be_optimistic(ifc, a->pfx) ?
	    ADDR_OPTIMISTIC : ADDR_TENTATIVE, now);
	addr_act(e, ifc, a, IPIFC_SLAAC_ADDR_ADD, now);
}

static struct slaac_addr *
addr_alloc(struct ipifc_slaac *e, struct slaac_ifc *ifc)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (ifc->addr[i].state == ADDR_FREE) {
			memset(&ifc->addr[i], 0, sizeof(ifc->addr[i]));
			ifc->addr[i].regen = NEVER;
			return &ifc->addr[i];
		}
	e->st.addrs_full++;
	return NULL;
}

/*
 * RFC 8981 3.4: a temporary address beside the public one pub, with a
 * fresh DESYNC_FACTOR (3.8); none when its preferred lifetime would not
 * exceed REGEN_ADVANCE.
 */
static void
temp_create(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_addr *pub, uint64_t now)
{
	struct slaac_addr *a;
	uint64_t maxdesync, desync, pref_end, valid_end, tpref, ra;

	/* MAX_DESYNC_FACTOR, and below TEMP_PREFERRED_LIFETIME -
	 * REGEN_ADVANCE (3.8) */
	maxdesync = (uint64_t)ifc->c.temp_preferred * 2 / 5;
	ra = (regen_advance(ifc) + 999) / 1000;
	if (ifc->c.temp_preferred <= ra)
		maxdesync = 0;
	else if (maxdesync >= ifc->c.temp_preferred - ra)
		maxdesync = ifc->c.temp_preferred - ra - 1;
	desync = ipifc_slaac_rand(e, maxdesync + 1);
	tpref = (uint64_t)ifc->c.temp_preferred - desync;
	valid_end = ipifc_slaac_min(pub->valid_end,
	    now + (uint64_t)ifc->c.temp_valid * 1000);
	pref_end = ipifc_slaac_min(pub->pref_end, now + tpref * 1000);
	pref_end = ipifc_slaac_min(pref_end, valid_end);
	if (pref_end <= now + regen_advance(ifc))
		return;
	if ((a = addr_alloc(e, ifc)) == NULL)
		return;
	a->pfx = pub->pfx;
	a->how = IPIFC_SLAAC_TEMPORARY;
	a->created = now;
	a->desync = (uint32_t)desync;
	a->valid_end = valid_end;
	a->pref_end = pref_end;
	a->regen = pref_end - regen_advance(ifc);
	if (make_addr(e, ifc, a) != 0)
		return;		/* the slot is still free */
	addr_start(e, ifc, a, now);
}

/* RFC 4862 5.5.3 (d): the public address of a new prefix. */
static void
form(struct ipifc_slaac *e, struct slaac_ifc *ifc, int k,
    const struct ipifc_nd_prefix *pi, uint64_t now)
{
	struct slaac_addr *a;

	if ((a = addr_alloc(e, ifc)) == NULL)
		return;
	a->pfx = k;
	a->how = ifc->c.iid == IPIFC_SLAAC_IID_EUI64 ? IPIFC_SLAAC_EUI64 :
	    IPIFC_SLAAC_STABLE;
	a->created = now;
	a->valid_end = ipifc_slaac_end(now, pi->valid);
	a->pref_end = ipifc_slaac_end(now, pi->preferred);
	if (make_addr(e, ifc, a) != 0)
		return;		/* the slot is still free */
	addr_start(e, ifc, a, now);
	if (ifc->c.temporary && ifc->pfx[k].temporary)
		temp_create(e, ifc, a, now);
}

/*
 * RFC 4862 5.5.3 (e) on a public address: the preferred lifetime is
 * taken as is; the valid one by the two-hour rule (unless turned off).
 */
static void
refresh_public(struct slaac_ifc *ifc, struct slaac_addr *a,
    const struct ipifc_nd_prefix *pi, uint64_t now)
{
	uint64_t newend = ipifc_slaac_end(now, pi->valid);

	if (!ifc->c.twohour || newend > now + TWO_HOURS ||
	    newend > a->valid_end)
		a->valid_end = newend;				/* 1 */
	else if (a->valid_end <= now + TWO_HOURS)
		;						/* 2 */
	else
		a->valid_end = now + TWO_HOURS;			/* 3 */
	a->pref_end = ipifc_slaac_min(ipifc_slaac_end(now, pi->preferred),
	    a->valid_end);
}

/*
 * RFC 8981 3.5: a temporary address follows its prefix's lifetimes, but
 * never past its creation plus TEMP_VALID_LIFETIME, and TEMP_PREFERRED_
 * LIFETIME less its DESYNC_FACTOR.
 */
static void
refresh_temp(struct slaac_ifc *ifc, struct slaac_addr *a,
    const struct slaac_addr *pub, const struct ipifc_nd_prefix *pi,
    uint64_t now)
{
	uint64_t vmax, pmax;

	vmax = a->created + (uint64_t)ifc->c.temp_valid * 1000;
	pmax = a->created + ((uint64_t)ifc->c.temp_preferred - a->desync) *
	    1000;
	a->valid_end = ipifc_slaac_min(vmax, pub != NULL ? pub->valid_end :
	    ipifc_slaac_end(now, pi->valid));
	a->pref_end = ipifc_slaac_min(pmax, ipifc_slaac_min(a->valid_end,
	    ipifc_slaac_end(now, pi->preferred)));
	if (!a->regenerated)
		a->regen = a->pref_end > regen_advance(ifc) ?
		    a->pref_end - regen_advance(ifc) : 0;
}

/* After new lifetimes: deprecate or prefer again, and tell the caller. */
static void
addr_relife(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    struct slaac_addr *a, uint64_t oldv, uint64_t oldp, uint64_t now)
{
	enum addr_state st = a->state;

	if (st == ADDR_PREFERRED && a->pref_end <= now)
		st = ADDR_DEPRECATED;
	else if (st == ADDR_DEPRECATED && a->pref_end > now)
		st = ADDR_PREFERRED;
	addr_transition(e, ifc, a, st, now);
	if (addr_live(a) && (a->valid_end != oldv || a->pref_end != oldp))
		addr_act(e, ifc, a, IPIFC_SLAAC_ADDR_UPDATE, now);
}

static int
prefix_find(const struct slaac_ifc *ifc, const struct ipifc_ip *pfx,
    int plen)
{
	int	 k;

	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
		if (ifc->pfx[k].state != PFX_FREE && ifc->pfx[k].plen == plen &&
		    ipifc_ip_eq(&ifc->pfx[k].prefix, pfx))
			return k;
	return -1;
}

/* Whether the operator turned temporary addresses off for p. */
static int
notemp(const struct slaac_ifc *ifc, const struct ipifc_ip *prefix, int plen)
{
	int	 i;

	for (i = 0; i < ifc->nnotemp; i++)
		if (ifc->notemp[i].plen == plen &&
		    ipifc_ip_eq(&ifc->notemp[i].prefix, prefix))
			return 1;
	return 0;
}

static int
prefix_alloc(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd_prefix *pi)
{
	struct slaac_prefix *p;
	int	 k;

	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
		if (ifc->pfx[k].state == PFX_FREE)
			break;
	if (k == IPIFC_SLAAC_MAXPREFIXES) {
		e->st.prefixes_full++;
		return -1;
	}
	p = &ifc->pfx[k];
	memset(p, 0, sizeof(*p));
	p->prefix = pi->prefix;
	p->plen = pi->plen;
	p->temporary = !notemp(ifc, &pi->prefix, pi->plen);
	prefix_transition(e, ifc, p, PFX_VALID);
	return k;
}

static void
onlink_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_prefix *p, enum ipifc_slaac_act_type type,
    uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, type);
	a->kind = IPIFC_SLAAC_RT_ONLINK;
	a->addr = p->prefix;
	a->plen = p->plen;
	if (type == IPIFC_SLAAC_ROUTE_ADD)
		a->lifetime = ipifc_slaac_remain(p->onlink_end, now);
}

/* A prefix with no on-link route and no address left is forgotten. */
static void
prefix_gc(struct ipifc_slaac *e, struct slaac_ifc *ifc, int k, uint64_t now)
{
	struct slaac_prefix *p = &ifc->pfx[k];
	int	 i;

	if (p->state == PFX_FREE || p->onlink)
		return;
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (ifc->addr[i].state != ADDR_FREE && ifc->addr[i].pfx == k)
			return;
	ipifc_slaac_srcroutes(e, ifc, now);	/* before the prefix is gone */
	prefix_transition(e, ifc, p, PFX_FREE);
	p->advby = 0;
	p->srcrt = 0;
}

/* RFC 4861 6.3.4: the on-link flag */
static void
onlink(struct ipifc_slaac *e, struct slaac_ifc *ifc, int k,
    const struct ipifc_nd_prefix *pi, uint64_t now)
{
	struct slaac_prefix *p = &ifc->pfx[k];

	if (pi->valid == 0) {
		if (p->onlink) {
			p->onlink = 0;
			onlink_act(e, ifc, p, IPIFC_SLAAC_ROUTE_REMOVE, now);
		}
	} else {
		p->onlink_end = ipifc_slaac_end(now, pi->valid);
		if (!p->onlink) {
			p->onlink = 1;
			onlink_act(e, ifc, p, IPIFC_SLAAC_ROUTE_ADD, now);
		}
	}
	prefix_transition(e, ifc, p, p->state);
}

void
ipifc_slaac_prefix_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    int rtr, const struct ipifc_nd_prefix *pi, uint64_t now)
{
	struct slaac_addr *a, *pub = NULL;
	uint64_t oldv, oldp;
	int	 k, i, autoconf, ol;

	/* 6.3.4 and 5.5.3 (b): never the link-local prefix */
	if (islinklocal(&pi->prefix)) {
		e->st.prefix_ignored++;
		return;
	}
	ol = (pi->flags & IPIFC_ND_PI_ONLINK) != 0;
	/* (a) */
	autoconf = (pi->flags & IPIFC_ND_PI_AUTO) && ifc->c.form_addrs;
	if (autoconf && pi->preferred > pi->valid) {		/* (c) */
		e->st.prefix_ignored++;
		autoconf = 0;
	}
	if (autoconf && pi->plen != 128 - IID_PLEN) {
		/* 5.5.3 (d): the prefix and the identifier must make 128 */
		e->st.prefix_badlen++;
		autoconf = 0;
	}
	k = prefix_find(ifc, &pi->prefix, pi->plen);
	if (k < 0) {
		/* (d): nothing new from a valid lifetime of 0 */
		if (pi->valid == 0 || (!ol && !autoconf))
			return;
		if ((k = prefix_alloc(e, ifc, pi)) < 0)
			return;
	}
	if (ol)
		onlink(e, ifc, k, pi, now);
	if (autoconf) {
		if (rtr >= 0)
			ifc->pfx[k].advby |= 1u << rtr;
		if (!prefix_has(ifc, k, 0)) {
			if (pi->valid != 0)
				form(e, ifc, k, pi, now);	/* (d) */
		} else {
			/* (e): the public address first, then the
			 * temporary ones, which follow it */
			for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
				a = &ifc->addr[i];
				if (a->state == ADDR_FREE || a->pfx != k ||
				    a->how == IPIFC_SLAAC_TEMPORARY)
					continue;
				oldv = a->valid_end;
				oldp = a->pref_end;
				refresh_public(ifc, a, pi, now);
				addr_relife(e, ifc, a, oldv, oldp, now);
				if (addr_live(a))
					pub = a;
			}
			for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
				a = &ifc->addr[i];
				if (a->state == ADDR_FREE || a->pfx != k ||
				    a->how != IPIFC_SLAAC_TEMPORARY)
					continue;
				oldv = a->valid_end;
				oldp = a->pref_end;
				refresh_temp(ifc, a, pub, pi, now);
				addr_relife(e, ifc, a, oldv, oldp, now);
			}
			/* RFC 8981 3.4: a prefix without a temporary
			 * address gets one */
			if (pub != NULL && ifc->c.temporary &&
			    ifc->pfx[k].temporary && !prefix_has(ifc, k, 1))
				temp_create(e, ifc, pub, now);
		}
	}
	prefix_gc(e, ifc, k, now);
}

/* The proposal for addr, in the caller's hands (added, not removed). */
static struct slaac_addr *
addr_find(struct slaac_ifc *ifc, const struct ipifc_ip *ip)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (addr_live(&ifc->addr[i]) &&
		    ipifc_ip_eq(&ifc->addr[i].addr, ip))
			return &ifc->addr[i];
	return NULL;
}

int
ipifc_slaac_prefix_dad(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_ip *ip, int ok, uint64_t now)
{
	struct slaac_addr *a;

	if ((a = addr_find(ifc, ip)) == NULL ||
	    (a->state != ADDR_TENTATIVE && a->state != ADDR_OPTIMISTIC))
		return -ENOENT;
	if (ok) {
		addr_transition(e, ifc, a, a->pref_end > now ?
		    ADDR_PREFERRED : ADDR_DEPRECATED, now);
		return 0;
	}
	e->st.dad_failed++;
	addr_act(e, ifc, a, IPIFC_SLAAC_ADDR_REMOVE, now);
	addr_transition(e, ifc, a, ADDR_DUPLICATE, now);
	/* RFC 7217 6: the next DAD_Counter; RFC 8981 3.4: a new random
	 * identifier; an EUI-64 one stays a duplicate (RFC 4862 5.4.5) */
	if (a->how == IPIFC_SLAAC_EUI64)
		return 0;
	if (a->dadcount >= IPIFC_SLAAC_IDGEN_RETRIES) {
		e->st.dad_giveup++;
		return 0;
	}
	a->dadcount++;
	if (make_addr(e, ifc, a) != 0) {
		e->st.dad_giveup++;
		return 0;
	}
	addr_start(e, ifc, a, now);
	return 0;
}

/* A duplicate is kept (so that the next RA does not try it again) until
 * its valid lifetime ends; the others are removed then. */
static void
addr_expire(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    struct slaac_addr *a, uint64_t now)
{
	int	 k = a->pfx;

	if (addr_live(a))
		addr_act(e, ifc, a, IPIFC_SLAAC_ADDR_REMOVE, now);
	addr_transition(e, ifc, a, ADDR_FREE, now);
	prefix_gc(e, ifc, k, now);
}

/* RFC 8981 3.5: the public address of a's prefix, if still preferred. */
static const struct slaac_addr *
preferred_public(const struct slaac_ifc *ifc, int k, uint64_t now)
{
	const struct slaac_addr *a;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (addr_live(a) && a->pfx == k &&
		    a->how != IPIFC_SLAAC_TEMPORARY && a->pref_end > now)
			return a;
	}
	return NULL;
}

void
ipifc_slaac_prefix_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	struct slaac_addr *a;
	const struct slaac_addr *pub;
	struct slaac_prefix *p;
	int	 i, k;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (a->state == ADDR_FREE || a->deadline > now)
			continue;
		if (a->valid_end <= now) {
			addr_expire(e, ifc, a, now);
			continue;
		}
		if (a->state == ADDR_PREFERRED && a->regen <= now) {
			/* RFC 8981 3.5: the successor, REGEN_ADVANCE early */
			a->regenerated = 1;
			a->regen = NEVER;
			if (ifc->c.temporary && ifc->pfx[a->pfx].temporary &&
			    (pub = preferred_public(ifc, a->pfx, now)) != NULL)
				temp_create(e, ifc, pub, now);
			addr_transition(e, ifc, a, a->state, now);
		}
		if (a->state == ADDR_PREFERRED && a->pref_end <= now) {
			addr_transition(e, ifc, a, ADDR_DEPRECATED, now);
			addr_act(e, ifc, a, IPIFC_SLAAC_ADDR_UPDATE, now);
		}
	}
	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++) {
		p = &ifc->pfx[k];
		if (p->state == PFX_FREE || !p->onlink || p->onlink_end > now)
			continue;
		p->onlink = 0;
		onlink_act(e, ifc, p, IPIFC_SLAAC_ROUTE_REMOVE, now);
		prefix_transition(e, ifc, p, p->state);
		prefix_gc(e, ifc, k, now);
	}
}

void
ipifc_slaac_prefix_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	int	 i, k;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (ifc->addr[i].state != ADDR_FREE)
			addr_expire(e, ifc, &ifc->addr[i], now);
	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
		if (ifc->pfx[k].state != PFX_FREE) {
			ifc->pfx[k].onlink_end = now;
			ifc->pfx[k].deadline = now;
		}
	ipifc_slaac_prefix_tick(e, ifc, now);
}

int
ipifc_slaac_prefix_user(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_ip *ip, int present, uint64_t now)
{
	struct slaac_addr *a;
	int	 i, k;

	for (i = 0; i < ifc->nuser; i++)
		if (ipifc_ip_eq(&ifc->user[i], ip))
			break;
	if (!present) {
		if (i < ifc->nuser)
			ifc->user[i] = ifc->user[--ifc->nuser];
		return 0;
	}
	if (i < ifc->nuser)
		return 0;
	if (ifc->nuser == IPIFC_SLAAC_MAXUSER)
		return -ENOSPC;
	ifc->user[ifc->nuser++] = *ip;
	/* a proposal of ours that it equals is the operator's now */
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (a->state != ADDR_FREE && ipifc_ip_eq(&a->addr, ip)) {
			k = a->pfx;
			addr_transition(e, ifc, a, ADDR_FREE, now);
			prefix_gc(e, ifc, k, now);
		}
	}
	return 0;
}

int
ipifc_slaac_prefix_temp(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_ip *prefix, int plen, int on, uint64_t now)
{
	struct ipifc_ip pfx;
	struct slaac_addr *a;
	int	 i, k;

	ipifc_ip_mask(&pfx, prefix, plen);
	for (i = 0; i < ifc->nnotemp; i++)
		if (ifc->notemp[i].plen == plen &&
		    ipifc_ip_eq(&ifc->notemp[i].prefix, &pfx))
			break;
	if (on && i < ifc->nnotemp)
		ifc->notemp[i] = ifc->notemp[--ifc->nnotemp];
	else if (!on && i == ifc->nnotemp) {
		if (ifc->nnotemp == IPIFC_SLAAC_MAXNOTEMP)
			return -ENOSPC;
		ifc->notemp[ifc->nnotemp].prefix = pfx;
		ifc->notemp[ifc->nnotemp++].plen = plen;
	}
	if ((k = prefix_find(ifc, &pfx, plen)) < 0)
		return 0;
	ifc->pfx[k].temporary = on != 0;
	if (on)
		return 0;
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (a->state != ADDR_FREE && a->pfx == k &&
		    a->how == IPIFC_SLAAC_TEMPORARY)
			addr_expire(e, ifc, a, now);
	}
	return 0;
}

/* The link-layer address changed: EUI-64 addresses were made from the
 * old one.  The next RA forms the new ones. */
void
ipifc_slaac_prefix_newmac(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (ifc->addr[i].state != ADDR_FREE &&
		    ifc->addr[i].how == IPIFC_SLAAC_EUI64)
			addr_expire(e, ifc, &ifc->addr[i], now);
}

uint64_t
ipifc_slaac_prefix_deadline(const struct slaac_ifc *ifc)
{
	uint64_t d = NEVER;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++)
		if (ifc->addr[i].state != ADDR_FREE)
			d = ipifc_slaac_min(d, ifc->addr[i].deadline);
	for (i = 0; i < IPIFC_SLAAC_MAXPREFIXES; i++)
		if (ifc->pfx[i].state != PFX_FREE)
			d = ipifc_slaac_min(d, ifc->pfx[i].deadline);
	return d;
}
