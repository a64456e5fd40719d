/*
 * The route table.  One table holds both families (IPv4 v4-mapped), keyed
 * by destination prefix and source prefix: the source-specific routes that
 * plan9 adds with each address.
 *
 * Routes with the same destination prefix hang off one destination node,
 * longest source prefix first.  Destination nodes sit in one hash keyed by
 * (prefix, length), and the table keeps the list of destination lengths in
 * use, longest first.  A lookup masks the destination once per length in
 * use and probes the hash: its cost follows the number of distinct lengths,
 * not the number of routes.  A sorted array of the routes gives the display
 * order.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define RT_HASHBITS	10
#define RT_NHASH	(1 << RT_HASHBITS)	/* destination buckets */

struct rtent {
	struct ipifc_route r;
	struct rtent	*snext;		/* same destination, longest source first */
};

struct rtdst {
	struct rtdst	*hnext;
	struct ipifc_ip	 dst;
	int		 plen;
	struct rtent	*routes;
};

struct ipifc_rtab {
	struct rtdst	*hash[RT_NHASH];
	int		 nplen[129];	/* destination nodes of each length */
	uint8_t		 lens[129];	/* lengths in use, longest first */
	int		 nlens;
	struct rtent	**sorted;	/* display order */
	int		 n, cap;
};

static const char tag_ifc[] = "ifc";
static const char tag_none[] = "none";

/*
 * Prefix helpers of our own rather than ipaddr.c's: these run for every
 * length probed on the per-packet path and want to be inlined.
 */
static inline void
rt_mask(struct ipifc_ip *out, const struct ipifc_ip *in, int plen)
{
	int n = plen >> 3;

	memcpy(out->a, in->a, n);
	if (n < 16) {
		out->a[n] = in->a[n] & (uint8_t)(0xff00 >> (plen & 7));
		memset(out->a + n + 1, 0, 15 - n);
	}
}

/* Is a inside p/plen?  p is already masked. */
static inline int
rt_inprefix(const struct ipifc_ip *a, const struct ipifc_ip *p, int plen)
{
	int n = plen >> 3;

	if (memcmp(a->a, p->a, n) != 0)
		return 0;
	if (plen & 7)
		return ((a->a[n] ^ p->a[n]) &
		    (uint8_t)(0xff00 >> (plen & 7))) == 0;
	return 1;
}

static inline int
rt_isv4(const struct ipifc_ip *a)
{
	return memcmp(a->a, ipifc_ip_unspec4.a, 12) == 0;
}

static inline unsigned
rt_hash(const struct ipifc_ip *a, int plen)
{
	uint64_t w0, w1, h;

	memcpy(&w0, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	h = (w0 * 0x9e3779b97f4a7c15ULL) ^ w1 ^ (uint64_t)plen;
	h *= 0xff51afd7ed558ccdULL;
	return (unsigned)(h >> (64 - RT_HASHBITS));
}

/* Display order: dst bytes, plen, src bytes, splen. */
static int
rt_cmp(const struct ipifc_ip *dst, int plen, const struct ipifc_ip *src,
    int splen, const struct ipifc_route *r)
{
	int c;

	if ((c = memcmp(dst->a, r->dst.a, 16)) != 0)
		return c;
	if (plen != r->plen)
		return plen < r->plen ? -1 : 1;
	if ((c = memcmp(src->a, r->src.a, 16)) != 0)
		return c;
	if (splen != r->splen)
		return splen < r->splen ? -1 : 1;
	return 0;
}

/* Index of the key in the sorted array, or where it would go. */
static int
rt_bsearch(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen, int *found)
{
	int lo = 0, hi = t->n, mid, c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = rt_cmp(dst, plen, src, splen, &t->sorted[mid]->r);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static struct rtdst *
rt_dstfind(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen)
{
	struct rtdst *d;

	for (d = t->hash[rt_hash(dst, plen)]; d != NULL; d = d->hnext)
		if (d->plen == plen && memcmp(d->dst.a, dst->a, 16) == 0)
			return d;
	return NULL;
}

static void
rt_lenref(struct ipifc_rtab *t, int plen)
{
	int i;

	if (t->nplen[plen]++ > 0)
		return;
	for (i = 0; i < t->nlens && t->lens[i] > plen; i++)
		;
	memmove(&t->lens[i + 1], &t->lens[i], t->nlens - i);
	t->lens[i] = plen;
	t->nlens++;
}

static void
rt_lenunref(struct ipifc_rtab *t, int plen)
{
	int i;

	if (--t->nplen[plen] > 0)
		return;
	for (i = 0; t->lens[i] != plen; i++)
		;
	memmove(&t->lens[i], &t->lens[i + 1], t->nlens - i - 1);
	t->nlens--;
}

struct ipifc_rtab *
ipifc_rtab_new(void)
{
	return calloc(1, sizeof(struct ipifc_rtab));
}

void
ipifc_rtab_free(struct ipifc_rtab *t)
{
	struct rtdst *d, *next;
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->sorted[i]);
	for (i = 0; i < RT_NHASH; i++)
		for (d = t->hash[i]; d != NULL; d = next) {
			next = d->hnext;
			free(d);
		}
	free(t->sorted);
	free(t);
}

static int
rt_insert(struct ipifc_rtab *t, const struct ipifc_route *r,
    struct rtent **out)
{
	struct ipifc_ip dst, src;
	struct rtdst *d;
	struct rtent *e, **pp, **ns;
	int i, found, ncap;

	if (r->plen < 0 || r->plen > 128 || r->splen < 0 || r->splen > 128)
		return -EINVAL;
	rt_mask(&dst, &r->dst, r->plen);
	rt_mask(&src, &r->src, r->splen);
	i = rt_bsearch(t, &dst, r->plen, &src, r->splen, &found);
	if (found)
		return -EEXIST;
	if (t->n >= IPIFC_MAXROUTES)
		return -ENOSPC;
	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 32;
		if (ncap > IPIFC_MAXROUTES)
			ncap = IPIFC_MAXROUTES;
		if ((ns = realloc(t->sorted, ncap * sizeof(*ns))) == NULL)
			return -ENOMEM;
		t->sorted = ns;
		t->cap = ncap;
	}
	if ((e = malloc(sizeof(*e))) == NULL)
		return -ENOMEM;
	if ((d = rt_dstfind(t, &dst, r->plen)) == NULL) {
		if ((d = calloc(1, sizeof(*d))) == NULL) {
			free(e);
			return -ENOMEM;
		}
		d->dst = dst;
		d->plen = r->plen;
		d->hnext = t->hash[rt_hash(&dst, r->plen)];
		t->hash[rt_hash(&dst, r->plen)] = d;
		rt_lenref(t, r->plen);
	}
	e->r = *r;
	e->r.dst = dst;
	e->r.src = src;
	e->r.tag[IPIFC_TAGLEN - 1] = '\0';

	/*
	 * Longest source first: two source prefixes of one length are equal
	 * or disjoint, so the first that contains a source is the best.
	 */
	for (pp = &d->routes; *pp != NULL; pp = &(*pp)->snext)
		if ((*pp)->r.splen < r->splen)
			break;
	e->snext = *pp;
	*pp = e;

	memmove(&t->sorted[i + 1], &t->sorted[i],
	    (t->n - i) * sizeof(*t->sorted));
	t->sorted[i] = e;
	t->n++;
	if (out != NULL)
		*out = e;
	return 0;
}

int
ipifc_rtab_add(struct ipifc_rtab *t, const struct ipifc_route *r)
{
	return rt_insert(t, r, NULL);
}

/* Remove the route at index i of the sorted array and free it. */
static void
rt_remove(struct ipifc_rtab *t, int i)
{
	struct rtent *e = t->sorted[i], **pp;
	struct rtdst *d, **dp;

	d = rt_dstfind(t, &e->r.dst, e->r.plen);
	for (pp = &d->routes; *pp != e; pp = &(*pp)->snext)
		;
	*pp = e->snext;
	if (d->routes == NULL) {
		for (dp = &t->hash[rt_hash(&d->dst, d->plen)]; *dp != d;
		    dp = &(*dp)->hnext)
			;
		*dp = d->hnext;
		rt_lenunref(t, d->plen);
		free(d);
	}
	memmove(&t->sorted[i], &t->sorted[i + 1],
	    (t->n - i - 1) * sizeof(*t->sorted));
	t->n--;
	free(e);
}

static int
rt_index(struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct ipifc_ip d, s;
	int i, found;

	if (plen < 0 || plen > 128 || splen < 0 || splen > 128)
		return -1;
	rt_mask(&d, dst, plen);
	rt_mask(&s, src, splen);
	i = rt_bsearch(t, &d, plen, &s, splen, &found);
	return found ? i : -1;
}

struct ipifc_route *
ipifc_rtab_get(struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	int i;

	if ((i = rt_index(t, dst, plen, src, splen)) < 0)
		return NULL;
	return &t->sorted[i]->r;
}

int
ipifc_rtab_del(struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	int i;

	if ((i = rt_index(t, dst, plen, src, splen)) < 0)
		return -ENOENT;
	rt_remove(t, i);
	return 0;
}

/*
 * The best route to dst: longest destination prefix, then longest source
 * prefix containing src (NULL: ignore the source).  With need set, only
 * routes through an interface with one of those type bits.
 */
static struct rtent *
rt_match(const struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src, unsigned need)
{
	struct ipifc_ip key;
	struct rtdst *d;
	struct rtent *e;
	int i, plen, v4;

	v4 = rt_isv4(dst);
	for (i = 0; i < t->nlens; i++) {
		plen = t->lens[i];
		/* A v6 prefix shorter than 96 may cover ::ffff:0:0/96. */
		if (v4 && plen < 96)
			break;
		rt_mask(&key, dst, plen);
		if ((d = rt_dstfind(t, &key, plen)) == NULL)
			continue;
		for (e = d->routes; e != NULL; e = e->snext) {
			if (src != NULL &&
			    !rt_inprefix(src, &e->r.src, e->r.splen))
				continue;
			if (need != 0 &&
			    ((e->r.type & need) == 0 || e->r.ifc == NULL))
				continue;
			if (e->r.ifc != NULL && !ipifc_ifc_up(e->r.ifc))
				continue;
			return e;
		}
	}
	return NULL;
}

struct ipifc_route *
ipifc_rtab_lookup(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	struct rtent *e;

	/* Any source: routes whose source prefix holds the unspecified address. */
	if (src == NULL)
		src = rt_isv4(dst) ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6;
	if ((e = rt_match(t, dst, src, 0)) == NULL)
		return NULL;
	return &e->r;
}

void
ipifc_rtab_walk(struct ipifc_rtab *t,
    void (*fn)(void *arg, struct ipifc_route *r), void *arg)
{
	int i;

	for (i = 0; i < t->n; i++)
		fn(arg, &t->sorted[i]->r);
}

int
ipifc_rtab_count(const struct ipifc_rtab *t)
{
	return t->n;
}

/* ---- stack-level operations: these announce what they change ---- */

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
	snprintf(ev.tag, sizeof(ev.tag), "%s", r->tag);
	ipifc_announce(s, &ev);
}

int
ipifc_route_add(struct ipifc_stack *s, const struct ipifc_route *r)
{
	struct rtent *e;
	int error;

	if ((error = rt_insert(s->rtab, r, &e)) != 0)
		return error;
	rt_announce(s, IPIFC_EV_ROUTE_ADD, &e->r);
	return 0;
}

/* Remove the route at index i and announce it. */
static void
rt_delete(struct ipifc_stack *s, int i)
{
	struct ipifc_route r;

	r = s->rtab->sorted[i]->r;
	rt_remove(s->rtab, i);
	rt_announce(s, IPIFC_EV_ROUTE_DEL, &r);
}

int
ipifc_route_del(struct ipifc_stack *s, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	int i;

	if ((i = rt_index(s->rtab, dst, plen, src, splen)) < 0)
		return -ENOENT;
	rt_delete(s, i);
	return 0;
}

/* Delete, in display order, every route match() accepts. */
static void
rt_purge(struct ipifc_stack *s,
    int (*match)(const struct ipifc_route *, const void *), const void *arg)
{
	struct ipifc_rtab *t = s->rtab;
	int i = 0;

	/* Indexed, not walked: a subscriber may change the table. */
	while (i < t->n) {
		if (match(&t->sorted[i]->r, arg))
			rt_delete(s, i);
		else
			i++;
	}
}

static int
rt_byifc(const struct ipifc_route *r, const void *arg)
{
	return r->ifc == arg;
}

static int
rt_byowner(const struct ipifc_route *r, const void *arg)
{
	return r->owner == arg;
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

void
ipifc_route_del_ifc(struct ipifc_stack *s, struct ipifc_ifc *ifc)
{
	if (ifc != NULL)
		rt_purge(s, rt_byifc, ifc);
}

void
ipifc_route_del_owner(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	if (l != NULL)
		rt_purge(s, rt_byowner, l);
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
	struct ipifc_route r;
	struct rtent *e;
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
		if (n >= IPIFC_MAXIFC || (r.ifc = ipifc_ifc_bynum(s, n)) == NULL)
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
		e = rt_match(s->rtab, &r.gate,
		    v4 ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6,
		    IPIFC_RT_IFC | IPIFC_RT_PTP);
		if (e == NULL)
			e = rt_match(s->rtab, &r.gate, NULL,
			    IPIFC_RT_IFC | IPIFC_RT_PTP);
		if (e == NULL)
			return ipifc_errf(s,
			    "gateway %s is not on a connected network",
			    ipifc_ip_fmt(&r.gate, buf, sizeof(buf)));
		r.ifc = e->r.ifc;
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
	const char *err;
	int plen, splen, v4, i;

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
	if ((i = rt_index(s->rtab, &dst, plen, &src, splen)) < 0)
		return "no such route";
	if (strcmp(s->rtab->sorted[i]->r.tag, tag_ifc) == 0)
		return "route belongs to an address";
	rt_delete(s, i);
	/* an address may imply this route: it owns it again */
	ipifc_prefix_reconcile(s, &dst, plen);
	return NULL;
}

/* User routes went: the addresses take back the keys they held. */
static void
reconcile_all(struct ipifc_stack *s)
{
	int i;

	for (i = 0; i < IPIFC_MAXIFC; i++)
		if (s->ifc[i] != NULL)
			ipifc_prefix_reconcile_ifc(s->ifc[i]);
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

char *
ipifc_type_fmt(unsigned type, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		char	 c;
	} letters[] = {
		{ IPIFC_RT_IFC, 'i' },
		{ IPIFC_RT_UNI, 'u' },
		{ IPIFC_RT_BCAST, 'b' },
		{ IPIFC_RT_MULTI, 'm' },
		{ IPIFC_RT_PTP, 'p' },
		{ IPIFC_RT_PROXY, 'y' },
		{ IPIFC_RT_ANY, 'a' },
	};
	char tmp[16];
	size_t i, n = 0;

	tmp[n++] = (type & IPIFC_RT_V4) ? '4' : '6';
	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (type & letters[i].bit)
			tmp[n++] = letters[i].c;
	tmp[n] = '\0';
	if (len > 0)
		snprintf(buf, len, "%s", tmp);
	return buf;
}

void
ipifc_route_fmt(struct ipifc_stack *s, struct ipifc_buf *b)
{
	struct ipifc_rtab *t = s->rtab;
	struct ipifc_route *r;
	char dst[IPIFC_IPSTRLEN], src[IPIFC_IPSTRLEN], gate[IPIFC_IPSTRLEN];
	char plen[8], splen[8], type[8], ifc[16];
	int i;

	for (i = 0; i < t->n; i++) {
		r = &t->sorted[i]->r;
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
