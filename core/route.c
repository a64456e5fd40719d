/*
 * Route operations: adding and removing routes with the events they
 * announce, purges by interface, owner and tag, and the iproute file.  The
 * table itself (longest-prefix match for both families) is core/lpm.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static const char tag_ifc[] = "ifc";
static const char tag_none[] = "none";

/* ---- stack-level operations: these announce what they change ---- */

_Static_assert(sizeof(((struct ipifc_event *)0)->tag) == IPIFC_TAGLEN,
    "a route's tag fits the event's");

static void
rt_announce(struct ipifc_stack *s, enum ipifc_event_type type,
    const struct ipifc_route *r)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ifc = r->ifc != NULL ? r->ifc->num : -1;
	ev.addr = r->dst;
	ev.plen = r->plen;
	ev.src = r->src;
	ev.splen = r->splen;
	ev.gate = r->gate;
	ev.flags = r->type;
	/* both IPIFC_TAGLEN bytes with a NUL (not snprintf: every route
	 * an address implies comes this way) */
	memcpy(ev.tag, r->tag, sizeof(ev.tag));
	ev.tag[sizeof(ev.tag) - 1] = '\0';
	ipifc_announce(s, &ev);
}

/*
 * Each address keeps the keys of the routes it owns, so that its routes go
 * without a walk of the table when it goes.
 */
static int
own_reserve(struct ipifc_lifc *l)
{
	struct ipifc_rtkey *v;
	int cap;

	if (l->nrtown < l->caprtown)
		return 0;
	cap = l->caprtown ? 2 * l->caprtown : 4;
	if ((v = realloc(l->rtown, (size_t)cap * sizeof(*v))) == NULL)
		return -ENOMEM;
	l->rtown = v;
	l->caprtown = cap;
	return 0;
}

/* Note the route r in its owner's keys (room reserved). */
static void
own_link(const struct ipifc_route *r)
{
	struct ipifc_rtkey *k;

	if (r->owner == NULL)
		return;
	k = &r->owner->rtown[r->owner->nrtown++];
	k->dst = r->dst;
	k->plen = r->plen;
	k->src = r->src;
	k->splen = r->splen;
}

static void
own_unlink(struct ipifc_route *r)
{
	struct ipifc_lifc *l = r->owner;
	int i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nrtown; i++)
		if (l->rtown[i].plen == r->plen &&
		    l->rtown[i].splen == r->splen &&
		    ipifc_ip_eq(&l->rtown[i].dst, &r->dst) &&
		    ipifc_ip_eq(&l->rtown[i].src, &r->src)) {
			l->rtown[i] = l->rtown[--l->nrtown];
			return;
		}
}

int
ipifc_route_setowner(struct ipifc_route *r, struct ipifc_lifc *l)
{
	if (r->owner == l)
		return 0;
	if (l != NULL && own_reserve(l) < 0)
		return -ENOMEM;
	own_unlink(r);
	r->owner = l;
	own_link(r);
	return 0;
}

int
ipifc_route_add(struct ipifc_stack *s, const struct ipifc_route *r)
{
	struct ipifc_route e;
	int error;

	if (r->owner != NULL && own_reserve(r->owner) < 0)
		return -ENOMEM;
	s->rtgen++;
	if ((error = ipifc_rtab_add(s->rtab, r)) != 0)
		return error;
	/* as stored (prefixes masked), without a second search for it */
	e = *r;
	ipifc_ip_mask(&e.dst, &r->dst, r->plen);
	ipifc_ip_mask(&e.src, &r->src, r->splen);
	own_link(&e);
	if (e.ifc != NULL)
		e.ifc->nroutes++;
	rt_announce(s, IPIFC_EV_ROUTE_ADD, &e);
	return 0;
}

/* Remove the stored route r and announce it. */
void
ipifc_route_delete(struct ipifc_stack *s, struct ipifc_route *r)
{
	struct ipifc_route copy = *r;

	own_unlink(r);
	if (r->ifc != NULL)
		r->ifc->nroutes--;
	s->rtgen++;
	ipifc_rtab_del(s->rtab, &copy.dst, copy.plen, &copy.src, copy.splen);
	rt_announce(s, IPIFC_EV_ROUTE_DEL, &copy);
}

int
ipifc_route_del(struct ipifc_stack *s, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct ipifc_route *r;

	if ((r = ipifc_rtab_get(s->rtab, dst, plen, src, splen)) == NULL)
		return -ENOENT;
	ipifc_route_delete(s, r);
	return 0;
}

struct rtfirst {
	int	(*match)(const struct ipifc_route *, const void *);
	const void *arg;
	struct ipifc_route *r;
};

static void
rt_firstfn(void *arg, struct ipifc_route *r)
{
	struct rtfirst *f = arg;

	if (f->r == NULL && f->match(r, f->arg))
		f->r = r;
}

/* Delete, in display order, every route match() accepts. */
static void
rt_purge(struct ipifc_stack *s,
    int (*match)(const struct ipifc_route *, const void *), const void *arg)
{
	struct ipifc_route **v, *r;
	struct ipifc_rtkey *keys;
	int i, n;

	/*
	 * The keys first, then one delete each: a subscriber told of one
	 * delete may change the table.
	 */
	v = ipifc_rtab_select(s->rtab, match, arg, &n);
	keys = v != NULL ? malloc((n + 1) * sizeof(*keys)) : NULL;
	if (keys == NULL) {
		free(v);
		/* No memory to sort: one at a time, in table order. */
		for (;;) {
			struct rtfirst f = { match, arg, NULL };

			ipifc_rtab_walk(s->rtab, rt_firstfn, &f);
			if (f.r == NULL)
				return;
			ipifc_route_delete(s, f.r);
		}
	}
	for (i = 0; i < n; i++) {
		keys[i].dst = v[i]->dst;
		keys[i].plen = v[i]->plen;
		keys[i].src = v[i]->src;
		keys[i].splen = v[i]->splen;
	}
	free(v);
	for (i = 0; i < n; i++) {
		r = ipifc_rtab_get(s->rtab, &keys[i].dst, keys[i].plen,
		    &keys[i].src, keys[i].splen);
		if (r != NULL && match(r, arg))
			ipifc_route_delete(s, r);
	}
	free(keys);
}

static int
rt_byifc(const struct ipifc_route *r, const void *arg)
{
	return r->ifc == arg;
}

static int
rt_bytag(const struct ipifc_route *r, const void *arg)
{
	return strcmp(r->tag, arg) == 0;
}

static int
rt_notifc(const struct ipifc_route *r, const void *arg)
{
	return strcmp(r->tag, tag_ifc) != 0;
}

/*
 * Only when routes through ifc remain (routes added through it, not by
 * its addresses, which took theirs with them): a walk of the whole table
 * for each interface unbound made taking down N interfaces quadratic.
 */
void
ipifc_route_del_ifc(struct ipifc_stack *s, struct ipifc_ifc *ifc)
{
	if (ifc != NULL && ifc->nroutes > 0)
		rt_purge(s, rt_byifc, ifc);
}

static int
rtkey_cmp(const void *x, const void *y)
{
	return ipifc_rtkey_cmp(x, y);
}

/* Delete l's routes in display order: only l's keys, not the table. */
void
ipifc_route_del_owner(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_route *r;
	struct ipifc_rtkey k;

	if (l == NULL)
		return;
	/* a subscriber told of one delete may change the table: re-sort */
	while (l->nrtown > 0) {
		qsort(l->rtown, (size_t)l->nrtown, sizeof(*l->rtown),
		    rtkey_cmp);
		k = l->rtown[0];
		r = ipifc_rtab_get(s->rtab, &k.dst, k.plen, &k.src, k.splen);
		if (r != NULL && r->owner == l)
			ipifc_route_delete(s, r);
		else
			l->rtown[0] = l->rtown[--l->nrtown];
	}
	free(l->rtown);
	l->rtown = NULL;
	l->caprtown = 0;
}

/* ---- the iproute file ---- */

static int
rt_tagok(const char *p)
{
	size_t n = strlen(p), i;

	if (n == 0 || n >= IPIFC_TAGLEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '-'))
			return 0;
	return 1;
}

static int
rt_parsenum(const char *p)
{
	char *end;
	long v;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtol(p, &end, 10);
	if (*end != '\0' || errno != 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

/* Parse ADDR MASK; the family must be v4 when v4 >= 0. */
static const char *
rt_parseprefix(struct ipifc_stack *s, char *addr, char *mask, int v4,
    struct ipifc_ip *ip, int *plen)
{
	if (ipifc_ip_parse(addr, ip) != 0)
		return ipifc_errf(s, "bad address %s", addr);
	if (v4 >= 0 && ipifc_ip_isv4(ip) != v4)
		return ipifc_errf(s, "address %s is not IPv%d", addr,
		    v4 ? 4 : 6);
	if (ipifc_mask_parse(mask, ipifc_ip_isv4(ip), plen) != 0)
		return ipifc_errf(s, "bad mask %s", mask);
	return NULL;
}

static const char *
rt_ctl_add(struct ipifc_stack *s, struct ipifc_client *c, int argc,
    char **argv)
{
	static const char usage[] =
	    "usage: add DST MASK GATE [SRC SMASK] [IFC]";
	struct ipifc_route r, *e;
	const char *err;
	char *ifcarg = NULL;
	char buf[IPIFC_IPSTRLEN];
	int v4, n, error;

	if (argc < 4 || argc > 7)
		return usage;
	if (argc == 5 || argc == 7)
		ifcarg = argv[argc - 1];
	memset(&r, 0, sizeof(r));
	if ((err = rt_parseprefix(s, argv[1], argv[2], -1, &r.dst,
	    &r.plen)) != NULL)
		return err;
	v4 = ipifc_ip_isv4(&r.dst);
	if (ipifc_ip_parse(argv[3], &r.gate) != 0)
		return ipifc_errf(s, "bad address %s", argv[3]);
	/* An unspecified gateway of either family means a direct route. */
	if (ipifc_ip_isunspec(&r.gate))
		r.gate = v4 ? ipifc_ip_unspec4 : ipifc_ip_unspec6;
	if (ipifc_ip_isv4(&r.gate) != v4)
		return ipifc_errf(s, "gateway %s is not IPv%d", argv[3],
		    v4 ? 4 : 6);
	if (argc >= 6) {
		if ((err = rt_parseprefix(s, argv[4], argv[5], v4, &r.src,
		    &r.splen)) != NULL)
			return err;
	} else {
		r.src = v4 ? ipifc_ip_unspec4 : ipifc_ip_unspec6;
		r.splen = v4 ? 96 : 0;
	}
	r.type = v4 ? IPIFC_RT_V4 : 0;
	if (ifcarg != NULL) {
		if ((n = rt_parsenum(ifcarg)) < 0)
			return ipifc_errf(s, "bad interface %s", ifcarg);
		if (n >= s->nslot || (r.ifc = ipifc_ifc_bynum(s, n)) == NULL)
			return ipifc_errf(s, "no interface %s", ifcarg);
	}
	if (ipifc_ip_isunspec(&r.gate)) {
		if (r.ifc == NULL)
			return "a route without a gateway needs an interface";
		r.type |= IPIFC_RT_IFC;
	} else if (r.ifc == NULL) {
		/*
		 * The gateway must be on a connected network: prefer an
		 * any-source interface route, else one limited to a source.
		 */
		e = ipifc_rtab_match(s->rtab, &r.gate,
		    v4 ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6,
		    IPIFC_RT_IFC | IPIFC_RT_PTP);
		if (e == NULL)
			e = ipifc_rtab_match(s->rtab, &r.gate, NULL,
			    IPIFC_RT_IFC | IPIFC_RT_PTP);
		if (e == NULL)
			return ipifc_errf(s,
			    "gateway %s is not on a connected network",
			    ipifc_ip_fmt(&r.gate, buf, sizeof(buf)));
		r.ifc = e->ifc;
	}
	if (c != NULL && c->tag[0] != '\0')
		snprintf(r.tag, sizeof(r.tag), "%s", c->tag);
	else
		snprintf(r.tag, sizeof(r.tag), "%s", tag_none);

	switch ((error = ipifc_route_add(s, &r))) {
	case 0:
		return NULL;
	case -EEXIST:
		return "route exists";
	case -ENOSPC:
		return "route table full";
	default:
		return ipifc_errf(s, "cannot add route: %s", strerror(-error));
	}
}

static const char *
rt_ctl_remove(struct ipifc_stack *s, int argc, char **argv)
{
	struct ipifc_ip dst, src;
	struct ipifc_route *r;
	const char *err;
	int plen, splen, v4;

	if (argc != 3 && argc != 5)
		return "usage: remove DST MASK [SRC SMASK]";
	if ((err = rt_parseprefix(s, argv[1], argv[2], -1, &dst,
	    &plen)) != NULL)
		return err;
	v4 = ipifc_ip_isv4(&dst);
	if (argc == 5) {
		if ((err = rt_parseprefix(s, argv[3], argv[4], v4, &src,
		    &splen)) != NULL)
			return err;
	} else {
		src = v4 ? ipifc_ip_unspec4 : ipifc_ip_unspec6;
		splen = v4 ? 96 : 0;
	}
	if ((r = ipifc_rtab_get(s->rtab, &dst, plen, &src, splen)) == NULL)
		return "no such route";
	if (strcmp(r->tag, tag_ifc) == 0)
		return "route belongs to an address";
	ipifc_route_delete(s, r);
	/* an address may imply this route: it owns it again */
	ipifc_prefix_reconcile(s, &dst, plen);
	return NULL;
}

/* User routes went: the addresses take back the keys they held. */
static void
reconcile_all(struct ipifc_stack *s)
{
	struct ipifc_ifc *ifc;

	IPIFC_FOREACH_IFC(ifc, s)
		ipifc_prefix_reconcile_ifc(ifc);
}

static const char *
rt_ctl_flush(struct ipifc_stack *s, int argc, char **argv)
{
	if (argc > 2)
		return "usage: flush [TAG]";
	if (argc == 1) {
		rt_purge(s, rt_notifc, NULL);
		reconcile_all(s);
		return NULL;
	}
	if (!rt_tagok(argv[1]))
		return ipifc_errf(s, "bad tag %s", argv[1]);
	if (strcmp(argv[1], tag_ifc) == 0)
		return "ifc routes follow their addresses";
	rt_purge(s, rt_bytag, argv[1]);
	reconcile_all(s);
	return NULL;
}

static const char *
rt_ctl_tag(struct ipifc_stack *s, struct ipifc_client *c, int argc,
    char **argv)
{
	if (argc != 2)
		return "usage: tag NAME";
	if (c == NULL)
		return "tag needs a client";
	if (!rt_tagok(argv[1]))
		return ipifc_errf(s, "bad tag %s", argv[1]);
	/* Routes tagged ifc are the addresses' own; no client may add one. */
	if (strcmp(argv[1], tag_ifc) == 0)
		return "tag ifc is reserved";
	snprintf(c->tag, sizeof(c->tag), "%s", argv[1]);
	return NULL;
}

const char *
ipifc_route_ctl(struct ipifc_stack *s, struct ipifc_client *c, int argc,
    char **argv)
{
	if (argc < 1)
		return "usage: add|remove|flush|tag ...";
	if (strcmp(argv[0], "add") == 0)
		return rt_ctl_add(s, c, argc, argv);
	if (strcmp(argv[0], "remove") == 0)
		return rt_ctl_remove(s, argc, argv);
	if (strcmp(argv[0], "flush") == 0)
		return rt_ctl_flush(s, argc, argv);
	if (strcmp(argv[0], "tag") == 0)
		return rt_ctl_tag(s, c, argc, argv);
	return ipifc_errf(s, "unknown iproute message %s", argv[0]);
}

static void
rt_fmtone(void *arg, struct ipifc_route *r)
{
	struct ipifc_buf *b = arg;
	char dst[IPIFC_IPSTRLEN], src[IPIFC_IPSTRLEN], gate[IPIFC_IPSTRLEN];
	char plen[8], splen[8], type[8], ifc[16];

	ipifc_ip_fmt(&r->dst, dst, sizeof(dst));
	ipifc_mask_fmt(&r->dst, r->plen, plen, sizeof(plen));
	ipifc_ip_fmt(&r->src, src, sizeof(src));
	ipifc_mask_fmt(&r->src, r->splen, splen, sizeof(splen));
	if (ipifc_ip_isunspec(&r->gate))
		snprintf(gate, sizeof(gate), "-");
	else
		ipifc_ip_fmt(&r->gate, gate, sizeof(gate));
	ipifc_type_fmt(r->type, type, sizeof(type));
	if (r->ifc != NULL)
		snprintf(ifc, sizeof(ifc), "%d", r->ifc->num);
	else
		snprintf(ifc, sizeof(ifc), "-");
	ipifc_buf_printf(b, "%s %s %s %s %s %s %s %s\n", dst, plen,
	    src, splen, gate, type, r->tag, ifc);
}

void
ipifc_route_fmt(struct ipifc_stack *s, struct ipifc_buf *b)
{
	ipifc_rtab_walk(s->rtab, rt_fmtone, b);
}

int
ipifc_route_lookup(struct ipifc_stack *s, const struct ipifc_ip *dst,
    const struct ipifc_ip *src, struct ipifc_route_info *out)
{
	struct ipifc_route *r;

	if ((r = ipifc_rtab_lookup(s->rtab, dst, src)) == NULL)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->dst = r->dst;
	out->src = r->src;
	out->gate = r->gate;
	out->plen = r->plen;
	out->splen = r->splen;
	out->type = r->type;
	out->ifc = r->ifc != NULL ? r->ifc->num : -1;
	snprintf(out->tag, sizeof(out->tag), "%s", r->tag);
	return 0;
}
