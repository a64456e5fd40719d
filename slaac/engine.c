/*
 * The SLAAC engine's frame: interfaces, the action queue, the RS schedule
 * (RFC 4861 6.3.7, RFC 7559 2), and the dispatch of events to routers
 * (router.c), prefixes and addresses (prefix.c) and the other options
 * (dns.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slaac_int.h"

static const char *const ifc_names[] = {
	[IFC_DOWN] = "down",
	[IFC_DELAY] = "delay",
	[IFC_SOLICIT] = "solicit",
	[IFC_IDLE] = "idle",
};

void
ipifc_slaac_config_default(struct ipifc_slaac_config *c)
{
	memset(c, 0, sizeof(*c));
	c->iid = IPIFC_SLAAC_IID_STABLE;
	c->twohour = 1;
	c->form_addrs = 1;
	c->temp_valid = TEMP_VALID_LIFETIME;
	c->temp_preferred = TEMP_PREFERRED_LIFETIME;
	c->dad_transmits = 1;
}

struct ipifc_slaac *
ipifc_slaac_new(uint32_t (*random)(void *), void *rarg,
    void (*log)(void *, const char *), void *larg)
{
	struct ipifc_slaac *e;

	if (random == NULL || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->random = random;
	e->rarg = rarg;
	e->log = log;
	e->larg = larg;
	return e;
}

void
ipifc_slaac_free(struct ipifc_slaac *e)
{
	int	 i;

	if (e == NULL)
		return;
	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		free(e->ifc[i]);
	ipifc_dindex_free(&e->dx);
	free(e);
}

/* ---- helpers for the other files ---- */

void
ipifc_slaac_logf(struct ipifc_slaac *e, const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;

	if (e->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e->log(e->larg, buf);
}

struct ipifc_slaac_act *
ipifc_slaac_push(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    enum ipifc_slaac_act_type type)
{
	struct ipifc_slaac_act *a;

	/* a full queue still gets written, into a slot nobody reads */
	if (e->qlen == IPIFC_SLAAC_ACTQ) {
		e->st.actq_full++;
		a = &e->lost;
	} else {
		a = &e->q[(e->qhead + e->qlen) % IPIFC_SLAAC_ACTQ];
		e->qlen++;
	}
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->ifc = ifc->id;
	return a;
}

int
ipifc_slaac_action(struct ipifc_slaac *e, struct ipifc_slaac_act *a)
{
	if (e->qlen == 0)
		return 0;
	*a = e->q[e->qhead];
	e->qhead = (e->qhead + 1) % IPIFC_SLAAC_ACTQ;
	e->qlen--;
	return 1;
}

const struct ipifc_slaac_stats *
ipifc_slaac_stats(const struct ipifc_slaac *e)
{
	return &e->st;
}

uint32_t
ipifc_slaac_remain(uint64_t end, uint64_t now)
{
	uint64_t s;

	if (end == NEVER)
		return IPIFC_SLAAC_INFINITE;
	if (end <= now)
		return 0;
	s = (end - now + 999) / 1000;
	return s >= IPIFC_SLAAC_INFINITE ? IPIFC_SLAAC_INFINITE - 1 :
	    (uint32_t)s;
}

uint64_t
ipifc_slaac_end(uint64_t now, uint32_t s)
{
	if (s == IPIFC_SLAAC_INFINITE)
		return NEVER;
	return now + (uint64_t)s * 1000;
}

uint64_t
ipifc_slaac_rand(struct ipifc_slaac *e, uint64_t n)
{
	uint64_t r;

	if (n == 0)
		return 0;
	r = (uint64_t)e->random(e->rarg) << 32 | e->random(e->rarg);
	return r % n;
}

uint64_t
ipifc_slaac_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static struct slaac_ifc *
findifc(const struct ipifc_slaac *e, unsigned id)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		if (e->ifc[i] != NULL && e->ifc[i]->id == id)
			return e->ifc[i];
	return NULL;
}

/* ---- the deadline index: interfaces by their earliest deadline ---- */

/* ifc's earliest deadline, from a walk of its timers. */
static uint64_t
ifc_deadline(const struct slaac_ifc *ifc)
{
	uint64_t d = ifc->deadline;

	d = ipifc_slaac_min(d, ipifc_slaac_router_deadline(ifc));
	d = ipifc_slaac_min(d, ipifc_slaac_prefix_deadline(ifc));
	return ipifc_slaac_min(d, ipifc_slaac_dns_deadline(ifc));
}

/* File ifc again after an event reached it (room reserved at its add). */
static void
refile(struct ipifc_slaac *e, struct slaac_ifc *ifc)
{
	ipifc_dindex_file(&e->dx, &ifc->dl, ifc_deadline(ifc));
}

static void
refile_id(struct ipifc_slaac *e, unsigned id)
{
	struct slaac_ifc *ifc;

	if ((ifc = findifc(e, id)) != NULL)
		refile(e, ifc);
}

/* The order of the walk a pass replaces: by slot. */
static int
cmp_slot(const void *x, const void *y)
{
	const struct slaac_ifc *a = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)x, struct slaac_ifc, dl);
	const struct slaac_ifc *b = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)y, struct slaac_ifc, dl);

	return (a->slot > b->slot) - (a->slot < b->slot);
}

/* ---- the interface state machine: the RS schedule ---- */

/*
 * The one place that writes ifc->state.  DELAY waits a random time up to
 * MAX_RTR_SOLICITATION_DELAY; SOLICIT waits ifc->rt for the next RS.
 */
static void
ifc_transition(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    enum ifc_state new, uint64_t now)
{
	enum ifc_state old = ifc->state;

	ifc->state = new;
	switch (new) {
	case IFC_DOWN:
	case IFC_IDLE:
		ifc->deadline = NEVER;
		break;
	case IFC_DELAY:
		/* RFC 4861 6.3.7 */
		ifc->nrs = 0;
		ifc->rt = 0;
		ifc->deadline = now +
		    ipifc_slaac_rand(e, MAX_RTR_SOLICITATION_DELAY + 1);
		break;
	case IFC_SOLICIT:
		ifc->deadline = now + ifc->rt;
		break;
	}
	if (old != new)
		ipifc_slaac_logf(e, "ifc %u: %s -> %s", ifc->id,
		    ifc_names[old], ifc_names[new]);
}

/*
 * The interval before the next RS: RTR_SOLICITATION_INTERVAL until
 * MAX_RTR_SOLICITATIONS were sent, then RFC 7559 2 (the RFC 3315 14
 * algorithm): RT = 2 RTprev + RAND RTprev, and past MRT, RT = MRT +
 * RAND MRT, RAND uniform in [-0.1, 0.1].  It never gives up (MRC 0).
 */
static uint64_t
next_rt(struct ipifc_slaac *e, struct slaac_ifc *ifc)
{
	uint64_t rt = ifc->rt, tenth;

	if (ifc->nrs < MAX_RTR_SOLICITATIONS)
		return RTR_SOLICITATION_INTERVAL;
	tenth = rt / 10;
	rt = 2 * rt + ipifc_slaac_rand(e, 2 * tenth + 1) - tenth;
	if (rt > MAX_RTR_SOLICITATION_INTERVAL) {
		tenth = MAX_RTR_SOLICITATION_INTERVAL / 10;
		rt = MAX_RTR_SOLICITATION_INTERVAL +
		    ipifc_slaac_rand(e, 2 * tenth + 1) - tenth;
	}
	return rt;
}

static void
send_rs(struct ipifc_slaac *e, struct slaac_ifc *ifc, uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_SEND_RS);
	/* RFC 4861 4.1: from :: there is no SLLA; nor without a MAC */
	a->unspec = !ifc->llusable;
	if (ifc->llusable && ifc->hasmac) {
		a->slla = 1;
		memcpy(a->mac, ifc->mac, 6);
	}
	ifc->nrs++;
	ifc->rt = next_rt(e, ifc);
	ifc_transition(e, ifc, IFC_SOLICIT, now);
}

/* ---- events ---- */

int
ipifc_slaac_ifc_add(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_slaac_config *c)
{
	struct slaac_ifc *ifc;
	int	 i, slot = -1, k;

	if (c->secretlen > IPIFC_SLAAC_SECRETMAX ||
	    c->network_idlen > IPIFC_SLAAC_SECRETMAX ||
	    (c->iid != IPIFC_SLAAC_IID_STABLE &&
	    c->iid != IPIFC_SLAAC_IID_EUI64))
		return -EINVAL;
	if (findifc(e, id) != NULL)
		return -EEXIST;
	for (i = 0; i < IPIFC_SLAAC_MAXIFC && slot < 0; i++)
		if (e->ifc[i] == NULL)
			slot = i;
	if (slot < 0)
		return -ENOSPC;
	if (ipifc_dindex_reserve(&e->dx) < 0 ||
	    (ifc = calloc(1, sizeof(*ifc))) == NULL)
		return -ENOMEM;
	ifc->used = 1;
	ifc->id = id;
	ifc->slot = slot;
	ifc->c = *c;
	ifc->c.net_iface[sizeof(ifc->c.net_iface) - 1] = '\0';
	if (ifc->c.temp_valid == 0)
		ifc->c.temp_valid = TEMP_VALID_LIFETIME;
	if (ifc->c.temp_preferred == 0 ||
	    ifc->c.temp_preferred > ifc->c.temp_valid)
		ifc->c.temp_preferred = ifc->c.temp_valid;
	ifc->deadline = NEVER;	/* and IFC_DOWN, from calloc */
	for (k = 0; k < IPIFC_SLAAC_MAXPREFIXES; k++)
		ifc->pfx[k].deadline = NEVER;
	e->ifc[slot] = ifc;
	refile(e, ifc);
	return 0;
}

int
ipifc_slaac_ifc_remove(struct ipifc_slaac *e, unsigned id, uint64_t now)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		if (e->ifc[i] != NULL && e->ifc[i]->id == id)
			break;
	if (i == IPIFC_SLAAC_MAXIFC)
		return -ENOENT;
	ifc_transition(e, e->ifc[i], IFC_DOWN, now);
	ipifc_slaac_prefix_flush(e, e->ifc[i], now);
	ipifc_slaac_router_flush(e, e->ifc[i], now);
	ipifc_slaac_dns_flush(e, e->ifc[i]);
	ipifc_dindex_unfile(&e->dx, &e->ifc[i]->dl);
	free(e->ifc[i]);
	e->ifc[i] = NULL;
	return 0;
}

static int
ev_link(struct ipifc_slaac *e, unsigned id, int up,
    const uint8_t *mac, uint64_t now)
{
	struct slaac_ifc *ifc;
	int	 newmac;

	if ((ifc = findifc(e, id)) == NULL)
		return -ENOENT;
	newmac = mac != NULL && (!ifc->hasmac || memcmp(mac, ifc->mac, 6));
	if (mac != NULL)
		memcpy(ifc->mac, mac, 6);
	else
		newmac = ifc->hasmac;
	ifc->hasmac = mac != NULL;
	if (newmac) {
		ipifc_slaac_prefix_newmac(e, ifc, now);
		ipifc_slaac_srcroutes(e, ifc, now);	/* RFC 8028 */
	}
	if (!up) {
		ifc->up = 0;
		ifc_transition(e, ifc, IFC_DOWN, now);
		return 0;
	}
	/* RFC 4861 6.3.7: solicit when the link comes up or changes */
	if (!ifc->up || newmac)
		ifc_transition(e, ifc, IFC_DELAY, now);
	ifc->up = 1;
	return 0;
}

static int
ev_linklocal(struct ipifc_slaac *e, unsigned id, int usable,
    uint64_t now)
{
	struct slaac_ifc *ifc;

	if ((ifc = findifc(e, id)) == NULL)
		return -ENOENT;
	ifc->llusable = usable != 0;
	return 0;
}

/* RFC 4861 6.3.4: the RA's parameters for the interface */
static void
ra_params(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd *ra, const struct ipifc_ip *src)
{
	struct ipifc_slaac_act *a;

	if (ra->curhlim != 0 && ra->curhlim != ifc->hoplimit) {
		ifc->hoplimit = ra->curhlim;
		a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_SET_HOPLIMIT);
		a->value = ra->curhlim;
	}
	if (ra->reachable != 0 && ra->reachable != ifc->reachable) {
		ifc->reachable = ra->reachable;
		a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_SET_REACHABLE);
		a->value = ra->reachable;
	}
	if (ra->retrans != 0 && ra->retrans != ifc->retrans) {
		ifc->retrans = ra->retrans;
		a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_SET_RETRANS);
		a->value = ra->retrans;
	}
	if (ra->has & IPIFC_ND_HAS_MTU) {
		/* 6.3.4: an MTU under the minimum or over the link's
		 * maximum is not used */
		if (ra->mtu < IPIFC_IP6_MINMTU ||
		    (ifc->c.maxmtu != 0 && ra->mtu > ifc->c.maxmtu))
			e->st.mtu_bad++;
		else if (ra->mtu != ifc->mtu) {
			ifc->mtu = ra->mtu;
			a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_SET_MTU);
			a->value = ra->mtu;
		}
	}
	if (ra->has & IPIFC_ND_HAS_SLLA) {
		/* 6.3.4: into the neighbor cache, STALE when new or changed */
		a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_NBR_STALE);
		a->addr = *src;
		memcpy(a->mac, ra->slla, 6);
	}
}

static int
ev_ra(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *src, const struct ipifc_ip *dst, uint8_t hlim,
    const uint8_t *bytes, size_t len, uint64_t now)
{
	struct slaac_ifc *ifc;
	struct ipifc_ip6 h;
	struct ipifc_nd *ra = &e->nd;
	int	 i, rtr;

	if ((ifc = findifc(e, id)) == NULL) {
		e->st.ra_unknownifc++;
		return -ENOENT;
	}
	memset(&h, 0, sizeof(h));
	h.src = *src;
	h.dst = *dst;
	h.hlim = hlim;
	/* 6.1.2: every check of a valid RA is the parser's */
	if (ipifc_nd_parse(&h, bytes, len, ra) != 0) {
		e->st.ra_bad++;
		return 0;
	}
	if (ra->type != IPIFC_ND_RA) {
		e->st.ra_notra++;
		return 0;
	}
	e->st.opts_ignored += (uint64_t)ra->ignored;
	/* RFC 4861 6.3.7: a valid RA with a non-zero router lifetime
	 * ends the solicitation; one of 0 gives no default router */
	if (ra->rtrlife != 0 &&
	    (ifc->state == IFC_DELAY || ifc->state == IFC_SOLICIT))
		ifc_transition(e, ifc, IFC_IDLE, now);
	ra_params(e, ifc, ra, src);
	ipifc_slaac_router_ra(e, ifc, src, ra, now);
	rtr = ipifc_slaac_router_find(ifc, src);
	for (i = 0; i < ra->nprefix; i++)
		ipifc_slaac_prefix_ra(e, ifc, rtr, &ra->prefix[i], now);
	ipifc_slaac_dns_ra(e, ifc, ra, now);
	ipifc_slaac_srcroutes(e, ifc, now);
	return 0;
}

static int
ev_user_addr(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *addr, int present, uint64_t now)
{
	struct slaac_ifc *ifc;
	int	 r;

	if ((ifc = findifc(e, id)) == NULL)
		return -ENOENT;
	r = ipifc_slaac_prefix_user(e, ifc, addr, present, now);
	ipifc_slaac_srcroutes(e, ifc, now);
	return r;
}

static int
ev_prefix_temporary(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *prefix, int plen, int on, uint64_t now)
{
	struct slaac_ifc *ifc;

	if ((ifc = findifc(e, id)) == NULL)
		return -ENOENT;
	if (plen < 0 || plen > 128)
		return -EINVAL;
	return ipifc_slaac_prefix_temp(e, ifc, prefix, plen, on, now);
}

static int
ev_dad(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *addr, int ok, uint64_t now)
{
	struct slaac_ifc *ifc;
	int	 r;

	if ((ifc = findifc(e, id)) == NULL)
		return -ENOENT;
	r = ipifc_slaac_prefix_dad(e, ifc, addr, ok, now);
	ipifc_slaac_srcroutes(e, ifc, now);
	return r;
}

/*
 * The events: each files the interface it reached again, so that the
 * index holds every interface's earliest deadline.
 */
int
ipifc_slaac_link(struct ipifc_slaac *e, unsigned id, int up,
    const uint8_t *mac, uint64_t now)
{
	int	 r = ev_link(e, id, up, mac, now);

	refile_id(e, id);
	return r;
}

int
ipifc_slaac_linklocal(struct ipifc_slaac *e, unsigned id, int usable,
    uint64_t now)
{
	int	 r = ev_linklocal(e, id, usable, now);

	refile_id(e, id);
	return r;
}

int
ipifc_slaac_ra(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *src, const struct ipifc_ip *dst, uint8_t hlim,
    const uint8_t *bytes, size_t len, uint64_t now)
{
	int	 r = ev_ra(e, id, src, dst, hlim, bytes, len, now);

	refile_id(e, id);
	return r;
}

int
ipifc_slaac_user_addr(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *addr, int present, uint64_t now)
{
	int	 r = ev_user_addr(e, id, addr, present, now);

	refile_id(e, id);
	return r;
}

int
ipifc_slaac_prefix_temporary(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *prefix, int plen, int on, uint64_t now)
{
	int	 r = ev_prefix_temporary(e, id, prefix, plen, on, now);

	refile_id(e, id);
	return r;
}

int
ipifc_slaac_dad(struct ipifc_slaac *e, unsigned id,
    const struct ipifc_ip *addr, int ok, uint64_t now)
{
	int	 r = ev_dad(e, id, addr, ok, now);

	refile_id(e, id);
	return r;
}

/* The interfaces due, in slot order: a wakeup costs what is due. */
void
ipifc_slaac_tick(struct ipifc_slaac *e, uint64_t now)
{
	struct slaac_ifc *ifc;
	struct ipifc_dnode *d;
	int	 i, n;

	n = ipifc_dindex_due(&e->dx, now, cmp_slot);
	for (i = 0; i < n; i++) {
		if ((d = e->dx.due[i]) == NULL)
			continue;
		ifc = IPIFC_DNODE_OWNER(d, struct slaac_ifc, dl);
		if (ifc->deadline <= now &&
		    (ifc->state == IFC_DELAY || ifc->state == IFC_SOLICIT))
			send_rs(e, ifc, now);
		ipifc_slaac_router_tick(e, ifc, now);
		ipifc_slaac_prefix_tick(e, ifc, now);
		ipifc_slaac_dns_tick(e, ifc, now);
		ipifc_slaac_srcroutes(e, ifc, now);
		refile(e, ifc);
	}
	ipifc_dindex_done(&e->dx);
}

uint64_t
ipifc_slaac_next_deadline(const struct ipifc_slaac *e)
{
	return ipifc_dindex_next(&e->dx);
}

uint64_t
ipifc_slaac_walk_deadline(const struct ipifc_slaac *e)
{
	uint64_t d = NEVER;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		if (e->ifc[i] != NULL)
			d = ipifc_slaac_min(d, ifc_deadline(e->ifc[i]));
	return d;
}
