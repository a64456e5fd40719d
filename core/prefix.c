/*
 * The routes addresses imply, and who owns the shared ones.
 *
 * Each address adds, limited to itself as source, its connected route and
 * the link-scope multicast route (so traffic from it leaves by its own
 * interface).  The same routes for any source, and the host routes of its
 * self-table entries, may be implied by several addresses on one or several
 * interfaces: exactly one of them owns each such route, as FreeBSD's
 * in_addprefix/in_scrubprefix arrange.  ipifc_prefix_reconcile decides the
 * owner from scratch whenever an address or an interface changes: the
 * current owner while its interface is up, else the first candidate on an
 * interface that is up (interface order, then order of addition), else the
 * first candidate; no candidate, no route.
 */
#include <errno.h>
#include <string.h>

#include "core.h"

static void
anysrc(const struct ipifc_ip *dst, struct ipifc_ip *src, int *splen)
{
	if (ipifc_ip_isv4(dst)) {
		*src = ipifc_ip_unspec4;
		*splen = 96;
	} else {
		*src = ipifc_ip_unspec6;
		*splen = 0;
	}
}

static unsigned
family(const struct ipifc_lifc *l)
{
	return ipifc_lifc_isv4(l) ? IPIFC_RT_V4 : 0;
}

/* The connected route: the prefix, or the peer of a point-to-point address. */
static int
connected(const struct ipifc_lifc *l, struct ipifc_implied *r)
{
	if (ipifc_ip_isunspec(&l->local))
		return 0;
	if (l->ptp) {
		r->dst = l->remote;
		r->plen = 128;
		r->type = family(l) | IPIFC_RT_IFC | IPIFC_RT_PTP |
		    (l->proxy ? IPIFC_RT_PROXY : 0);
		return 1;
	}
	if (!l->onlink || l->plen == 128)
		return 0;	/* RFC 4861 6.3.4: off-link; a /128 has no prefix */
	r->dst = l->net;
	r->plen = l->plen;
	r->type = family(l) | IPIFC_RT_IFC;
	return 1;
}

/* Link-scope multicast: 224.0.0.0/24 (RFC 5771 4), ff02::/16 (RFC 4291 2.7). */
static int
linkmulti(const struct ipifc_lifc *l, struct ipifc_implied *r)
{
	static const struct ipifc_ip ff02 = { { 0xff, 0x02 } };
	static const struct ipifc_ip mc4 = {
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 224, 0, 0, 0 } };

	if (l->ptp || ipifc_ip_isunspec(&l->local) ||
	    ipifc_ip_isloopback(&l->local) ||
	    (l->ifc->flags & IPIFC_F_MULTICAST) == 0)
		return 0;
	if (ipifc_lifc_isv4(l)) {
		r->dst = mc4;
		r->plen = 96 + 24;
	} else {
		r->dst = ff02;
		r->plen = 16;
	}
	r->type = family(l) | IPIFC_RT_MULTI;
	return 1;
}

/* An IPv6 link-local address implies no any-source routes: its zone is its link. */
static int
scoped(const struct ipifc_lifc *l)
{
	return !ipifc_lifc_isv4(l) && ipifc_ip_islinklocal(&l->local);
}

int
ipifc_lifc_implied(const struct ipifc_lifc *l, struct ipifc_implied *out,
    int max)
{
	const struct ipifc_selflink *k;
	unsigned t;
	int n = 0;

	if (max < 2)
		return 0;
	if (!scoped(l)) {
		n += connected(l, &out[n]);
		n += linkmulti(l, &out[n]);
	}
	for (k = l->self; k != NULL && n < max; k = k->lifcnext) {
		t = k->type & (IPIFC_RT_UNI | IPIFC_RT_BCAST | IPIFC_RT_ANY);
		if (t == 0)
			continue;
		out[n].dst = k->self->a;
		out[n].plen = 128;
		out[n].type = family(l) | t;
		n++;
	}
	return n;
}

static int
implies(const struct ipifc_lifc *l, const struct ipifc_ip *dst, int plen,
    unsigned *type)
{
	struct ipifc_implied r[IPIFC_MAXIMPLIED];
	int i, n;

	n = ipifc_lifc_implied(l, r, IPIFC_MAXIMPLIED);
	for (i = 0; i < n; i++) {
		if (r[i].plen == plen && ipifc_ip_eq(&r[i].dst, dst)) {
			*type = r[i].type;
			return 1;
		}
	}
	return 0;
}

static void
install(struct ipifc_stack *s, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen, unsigned type,
    struct ipifc_lifc *owner)
{
	struct ipifc_route r;

	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.plen = plen;
	r.src = *src;
	r.splen = splen;
	r.type = type;
	r.ifc = owner->ifc;
	r.owner = owner;
	strcpy(r.tag, "ifc");
	if (ipifc_route_add(s, &r) == -ENOSPC)
		s->drops_route++;	/* IPIFC_MAXROUTES: counted, not fatal */
}

void
ipifc_prefix_reconcile(struct ipifc_stack *s, const struct ipifc_ip *dst,
    int plen)
{
	struct ipifc_lifc *l, *first = NULL, *firstup = NULL, *choice;
	struct ipifc_route *cur;
	struct ipifc_ip src;
	unsigned type, ftype = 0, futype = 0, ctype;
	int i, splen, keep = 0;

	anysrc(dst, &src, &splen);
	cur = ipifc_rtab_get(s->rtab, dst, plen, &src, splen);
	if (cur != NULL && cur->owner == NULL)
		return;		/* a user route holds the key */
	for (i = 0; i < IPIFC_MAXIFC; i++) {
		if (s->ifc[i] == NULL)
			continue;
		TAILQ_FOREACH(l, &s->ifc[i]->lifcs, link) {
			if (!implies(l, dst, plen, &type))
				continue;
			if (cur != NULL && cur->owner == l &&
			    cur->type == type && ipifc_ifc_up(l->ifc))
				keep = 1;
			if (first == NULL) {
				first = l;
				ftype = type;
			}
			if (firstup == NULL && ipifc_ifc_up(l->ifc)) {
				firstup = l;
				futype = type;
			}
		}
	}
	if (keep)
		return;
	choice = firstup != NULL ? firstup : first;
	ctype = firstup != NULL ? futype : ftype;
	if (cur != NULL) {
		if (choice != NULL && cur->ifc == choice->ifc &&
		    cur->type == ctype) {
			cur->owner = choice;	/* same route, nothing to say */
			return;
		}
		ipifc_route_del(s, dst, plen, &src, splen);
	}
	if (choice != NULL)
		install(s, dst, plen, &src, splen, ctype, choice);
}

void
ipifc_prefix_reconcile_ifc(struct ipifc_ifc *ifc)
{
	struct ipifc_implied r[IPIFC_MAXIMPLIED];
	struct ipifc_lifc *l;
	int i, n;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		n = ipifc_lifc_implied(l, r, IPIFC_MAXIMPLIED);
		for (i = 0; i < n; i++)
			ipifc_prefix_reconcile(ifc->stack, &r[i].dst,
			    r[i].plen);
	}
}

void
ipifc_prefix_add_own(struct ipifc_lifc *l)
{
	struct ipifc_implied r;

	if (connected(l, &r))
		install(l->ifc->stack, &r.dst, r.plen, &l->local, 128, r.type,
		    l);
	if (linkmulti(l, &r))
		install(l->ifc->stack, &r.dst, r.plen, &l->local, 128, r.type,
		    l);
}
