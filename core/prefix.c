/*
 * The routes addresses imply, and who owns the shared ones.
 *
 * Each address adds, limited to itself as source, its connected route and
 * the link-scope multicast route (so traffic from it leaves by its own
 * interface).  The same routes for any source, and the host routes of its
 * self-table entries, may be implied by several addresses on one or several
 * interfaces: exactly one of them owns each such route, as FreeBSD's
 * in_addprefix/in_scrubprefix arrange.  ipifc_prefix_reconcile decides the
 * owner whenever an address or an interface changes: the current owner
 * while its interface is up, else the first candidate on an interface that
 * is up (interface order, then order of addition), else the first
 * candidate; no candidate, no route.
 *
 * The candidates of each route key are indexed (a hash of keys, each with
 * its candidates in that order), so a change touches only the keys of the
 * address that changed.  An address whose implied set may have changed
 * (a self link came, went or changed type; its flags changed) is marked
 * dirty and synced before the next reconcile.
 */
#include <errno.h>
#include <stdlib.h>
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

TAILQ_HEAD(ipifc_pcandq, ipifc_pcand);

/* The candidates of one interface, together in a key's list: the last. */
struct ipifc_prun {
	int	num;
	struct ipifc_pcand *last;
};

struct ipifc_pkey {
	uint32_t hash;			/* pkhash's of (dst, plen) */
	struct ipifc_ip dst;
	int	plen;
	struct ipifc_pcandq cands;
	/* by interface number, so that a candidate finds its place without
	 * walking the other interfaces' (one inline: most keys have one) */
	struct ipifc_prun *runs, run1;
	int	nruns, capruns;
	int	fresh;			/* not reconciled since it was made */
};

/*
 * The keys' table: open addressing, linear probing, at most half full,
 * each slot the key and its hash, so that a search reads the line of
 * slots and the one key that matches, not a chain of keys (at 100k
 * addresses each key read is a miss of the cache).
 */
struct ipifc_pkslot {
	struct ipifc_pkey *k;		/* NULL: empty */
	uint32_t hash;
};

#define PK_MINSIZE	64

/* The key's hash, kept in it: a rehash or a removal does not hash again. */
static uint32_t
pkhash(const struct ipifc_stack *s, const struct ipifc_ip *dst, int plen)
{
	return ipifc_ip_hash(s->hashkey, dst) ^ ((uint32_t)plen * 0x9e3779b9u);
}

static struct ipifc_pkey *
pkey_findh(const struct ipifc_stack *s, const struct ipifc_ip *dst, int plen,
    uint32_t h)
{
	const struct ipifc_pkslot *t = s->pkhash;
	unsigned i, mask = s->pkhsize - 1;

	if (t == NULL)
		return NULL;
	for (i = h & mask; t[i].k != NULL; i = (i + 1) & mask)
		if (t[i].hash == h && t[i].k->plen == plen &&
		    ipifc_ip_eq(&t[i].k->dst, dst))
			return t[i].k;
	return NULL;
}

static struct ipifc_pkey *
pkey_find(const struct ipifc_stack *s, const struct ipifc_ip *dst, int plen)
{
	return s->pkhash == NULL ? NULL :
	    pkey_findh(s, dst, plen, pkhash(s, dst, plen));
}

static void
pk_place(struct ipifc_pkslot *t, unsigned mask, struct ipifc_pkey *k)
{
	unsigned i;

	for (i = k->hash & mask; t[i].k != NULL; i = (i + 1) & mask)
		;
	t[i].k = k;
	t[i].hash = k->hash;
}

/* Move the keys to a table of size slots (0: none). */
static int
pk_rehash(struct ipifc_stack *s, unsigned size)
{
	struct ipifc_pkslot *t = NULL;
	unsigned i;

	if (size > 0 && (t = calloc(size, sizeof(*t))) == NULL)
		return -ENOMEM;
	for (i = 0; i < s->pkhsize; i++)
		if (s->pkhash[i].k != NULL)
			pk_place(t, size - 1, s->pkhash[i].k);
	free(s->pkhash);
	s->pkhash = t;
	s->pkhsize = size;
	return 0;
}

static struct ipifc_pkey *
pkey_get(struct ipifc_stack *s, const struct ipifc_ip *dst, int plen)
{
	struct ipifc_pkey *k;
	uint32_t h = pkhash(s, dst, plen);

	if ((k = pkey_findh(s, dst, plen, h)) != NULL)
		return k;
	/* at most half full; a failed growth is fine while one slot stays */
	if (2 * (s->npkey + 1) > s->pkhsize && pk_rehash(s, s->pkhsize ?
	    s->pkhsize * 2 : PK_MINSIZE) < 0 && s->npkey + 2 > s->pkhsize)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->hash = h;
	k->dst = *dst;
	k->plen = plen;
	TAILQ_INIT(&k->cands);
	k->fresh = 1;
	k->runs = &k->run1;
	k->capruns = 1;
	pk_place(s->pkhash, s->pkhsize - 1, k);
	s->npkey++;
	return k;
}

/* Take slot i out, moving up the keys after it that probed past it. */
static void
pk_unslot(struct ipifc_stack *s, unsigned i)
{
	struct ipifc_pkslot *t = s->pkhash;
	unsigned mask = s->pkhsize - 1, j = i, home;

	for (;;) {
		t[i].k = NULL;
		for (;;) {
			j = (j + 1) & mask;
			if (t[j].k == NULL)
				return;
			home = t[j].hash & mask;
			/* it stays when its home is cyclically in (i, j] */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		t[i] = t[j];
		i = j;
	}
}

static void
pkey_put(struct ipifc_stack *s, struct ipifc_pkey *k)
{
	unsigned i, mask = s->pkhsize - 1;

	if (!TAILQ_EMPTY(&k->cands))
		return;
	for (i = k->hash & mask; s->pkhash[i].k != k; i = (i + 1) & mask)
		;
	pk_unslot(s, i);
	if (k->runs != &k->run1)
		free(k->runs);
	free(k);
	if (--s->npkey == 0)
		(void)pk_rehash(s, 0);
	else if (s->pkhsize > PK_MINSIZE && s->npkey < s->pkhsize / 8)
		(void)pk_rehash(s, s->pkhsize / 2);
}

/* Does a come before b in handover order (interface, then addition)? */
static int
before(const struct ipifc_lifc *a, const struct ipifc_lifc *b)
{
	return a->ifc->num < b->ifc->num ||
	    (a->ifc->num == b->ifc->num && a->seq < b->seq);
}

/* 1 when interface num has a run in k; *at: its place, or where it goes. */
static int
run_find(const struct ipifc_pkey *k, int num, int *at)
{
	int lo = 0, hi = k->nruns, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k->runs[mid].num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < k->nruns && k->runs[lo].num == num;
}

static int
run_insert(struct ipifc_pkey *k, int at, int num)
{
	struct ipifc_prun *v;
	int cap;

	if (k->nruns == k->capruns) {
		cap = 2 * k->capruns;
		if ((v = malloc((size_t)cap * sizeof(*v))) == NULL)
			return -ENOMEM;
		memcpy(v, k->runs, (size_t)k->nruns * sizeof(*v));
		if (k->runs != &k->run1)
			free(k->runs);
		k->runs = v;
		k->capruns = cap;
	}
	memmove(&k->runs[at + 1], &k->runs[at],
	    (size_t)(k->nruns - at) * sizeof(*k->runs));
	k->runs[at].num = num;
	k->runs[at].last = NULL;
	k->nruns++;
	return 0;
}

/* The first candidate of run i. */
static struct ipifc_pcand *
run_first(const struct ipifc_pkey *k, int i)
{
	return i == 0 ? TAILQ_FIRST(&k->cands) :
	    TAILQ_NEXT(k->runs[i - 1].last, link);
}

/* Drop the candidacy c (its slot in its address frees). */
static void
cand_drop(struct ipifc_stack *s, struct ipifc_pcand *c)
{
	struct ipifc_lifc *l = c->l;
	struct ipifc_pkey *k = c->key;
	struct ipifc_pcand *o;
	int r;

	if (run_find(k, l->ifc->num, &r) && k->runs[r].last == c) {
		o = TAILQ_PREV(c, ipifc_pcandq, link);
		if (o != NULL && o->l->ifc->num == k->runs[r].num)
			k->runs[r].last = o;
		else {
			k->nruns--;
			memmove(&k->runs[r], &k->runs[r + 1],
			    (size_t)(k->nruns - r) * sizeof(*k->runs));
		}
	}
	TAILQ_REMOVE(&k->cands, c, link);
	c->key = NULL;
	l->ncands--;
	pkey_put(s, k);
}

static int
cand_add(struct ipifc_stack *s, struct ipifc_lifc *l,
    const struct ipifc_implied *r)
{
	struct ipifc_pcand *c, *o;
	struct ipifc_pkey *k;
	int i, at;

	for (i = 0; i < IPIFC_MAXIMPLIED && l->cands[i].key != NULL; i++)
		;
	if (i == IPIFC_MAXIMPLIED)
		return -ENOSPC;		/* not reached: one key a slot */
	if ((k = pkey_get(s, &r->dst, r->plen)) == NULL)
		return -ENOMEM;
	c = &l->cands[i];
	c->key = k;
	c->l = l;
	c->type = r->type;
	if (run_find(k, l->ifc->num, &at)) {
		/* usually its interface's last: a new address comes after
		 * the others */
		for (o = k->runs[at].last; o != NULL && before(l, o->l);
		    o = TAILQ_PREV(o, ipifc_pcandq, link))
			;
		if (o == k->runs[at].last)
			k->runs[at].last = c;
	} else {
		if (run_insert(k, at, l->ifc->num) < 0) {
			c->key = NULL;
			pkey_put(s, k);
			return -ENOMEM;
		}
		o = at > 0 ? k->runs[at - 1].last : NULL;
		k->runs[at].last = c;
	}
	if (o == NULL)
		TAILQ_INSERT_HEAD(&k->cands, c, link);
	else
		TAILQ_INSERT_AFTER(&k->cands, o, c, link);
	l->ncands++;
	return 0;
}

/* Make l's candidacies what it implies now (the first of a key wins). */
static void
sync_one(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_implied r[IPIFC_MAXIMPLIED];
	struct ipifc_pcand *c;
	int i, j, n, m;

	n = ipifc_lifc_implied(l, r, IPIFC_MAXIMPLIED);
	/* drop the repeats of a key */
	for (i = 0, m = 0; i < n; i++) {
		for (j = 0; j < m; j++)
			if (r[j].plen == r[i].plen &&
			    ipifc_ip_eq(&r[j].dst, &r[i].dst))
				break;
		if (j == m)
			r[m++] = r[i];
	}
	n = m;
	for (i = 0; i < IPIFC_MAXIMPLIED; i++) {
		if ((c = &l->cands[i])->key == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (r[j].plen == c->key->plen &&
			    ipifc_ip_eq(&r[j].dst, &c->key->dst))
				break;
		if (j == n) {
			cand_drop(s, c);
			continue;
		}
		c->type = r[j].type;
		r[j].plen = -1;		/* held already */
	}
	for (j = 0; j < n; j++)
		if (r[j].plen >= 0 && cand_add(s, l, &r[j]) < 0)
			s->drops_route++;	/* no memory: counted */
}

void
ipifc_prefix_dirty(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;

	if (!l->plive || l->pdirty)
		return;
	l->pdirty = 1;
	TAILQ_INSERT_TAIL(&s->pdirty, l, dirtylink);
}

static void
sync_dirty(struct ipifc_stack *s)
{
	struct ipifc_lifc *l;

	while ((l = TAILQ_FIRST(&s->pdirty)) != NULL) {
		TAILQ_REMOVE(&s->pdirty, l, dirtylink);
		l->pdirty = 0;
		sync_one(s, l);
	}
}

/* l goes: it is no longer a candidate for anything. */
static void
prefix_forget(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;
	int i;

	if (l->pdirty)
		TAILQ_REMOVE(&s->pdirty, l, dirtylink);
	l->pdirty = 0;
	l->plive = 0;
	for (i = IPIFC_MAXIMPLIED - 1; i >= 0 && l->ncands > 0; i--)
		if (l->cands[i].key != NULL)
			cand_drop(s, &l->cands[i]);
}

void
ipifc_prefix_free(struct ipifc_stack *s)
{
	free(s->pkhash);	/* empty once every address went */
	s->pkhash = NULL;
	free(s->pnhash);
	s->pnhash = NULL;
}

/* l's candidacy for key, or NULL. */
static const struct ipifc_pcand *
cand_of(const struct ipifc_lifc *l, const struct ipifc_pkey *k)
{
	int i;

	for (i = 0; i < IPIFC_MAXIMPLIED; i++)
		if (l->cands[i].key == k)
			return &l->cands[i];
	return NULL;
}

static int
install(struct ipifc_stack *s, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen, unsigned type,
    struct ipifc_lifc *owner)
{
	struct ipifc_route r;
	int error;

	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.plen = plen;
	r.src = *src;
	r.splen = splen;
	r.type = type;
	r.ifc = owner->ifc;
	r.owner = owner;
	strcpy(r.tag, "ifc");
	error = ipifc_route_add(s, &r);
	if (error == -ENOSPC || error == -ENOMEM)
		s->drops_route++;	/* IPIFC_MAXROUTES: counted, not fatal */
	return error;
}

/* Decide the owner of key dst/plen, whose candidates are k's (NULL: none). */
static void
reconcile_key(struct ipifc_stack *s, struct ipifc_pkey *k,
    const struct ipifc_ip *dst, int plen)
{
	const struct ipifc_pcand *c, *first = NULL, *firstup = NULL, *choice;
	struct ipifc_route *cur;
	struct ipifc_ip src;
	int splen, i;

	anysrc(dst, &src, &splen);
	if (k != NULL && k->fresh) {
		/*
		 * A key new since its last reconcile with one candidate: no
		 * route of an address holds it, so no search before the add
		 * (a user's route that does makes it -EEXIST: as below).
		 */
		k->fresh = 0;
		c = TAILQ_FIRST(&k->cands);
		if (TAILQ_NEXT(c, link) == NULL && install(s, dst, plen, &src,
		    splen, c->type, c->l) != -EEXIST)
			return;
	}
	cur = ipifc_rtab_get(s->rtab, dst, plen, &src, splen);
	if (cur != NULL && cur->owner == NULL)
		return;		/* a user route holds the key */
	if (k != NULL) {
		if (cur != NULL && (c = cand_of(cur->owner, k)) != NULL &&
		    cur->type == c->type && ipifc_ifc_up(c->l->ifc))
			return;		/* the owner keeps it */
		first = TAILQ_FIRST(&k->cands);
		/* an interface's candidates are up or down together */
		for (i = 0; i < k->nruns; i++)
			if (ipifc_ifc_up(k->runs[i].last->l->ifc)) {
				firstup = run_first(k, i);
				break;
			}
	}
	choice = firstup != NULL ? firstup : first;
	if (cur != NULL) {
		/* same route, nothing to say */
		if (choice != NULL && cur->ifc == choice->l->ifc &&
		    cur->type == choice->type &&
		    ipifc_route_setowner(cur, choice->l) == 0)
			return;
		ipifc_route_delete(s, cur);
	}
	if (choice != NULL)
		(void)install(s, dst, plen, &src, splen, choice->type,
		    choice->l);
}

void
ipifc_prefix_reconcile(struct ipifc_stack *s, const struct ipifc_ip *dst,
    int plen)
{
	sync_dirty(s);
	reconcile_key(s, pkey_find(s, dst, plen), dst, plen);
}

/* l's candidacy for dst/plen, or NULL: a look at its slots, no hash. */
static struct ipifc_pcand *
cand_for(struct ipifc_lifc *l, const struct ipifc_ip *dst, int plen)
{
	struct ipifc_pcand *c;
	int i;

	for (i = 0; i < IPIFC_MAXIMPLIED; i++)
		if ((c = &l->cands[i])->key != NULL && c->key->plen == plen &&
		    ipifc_ip_eq(&c->key->dst, dst))
			return c;
	return NULL;
}

void
ipifc_prefix_reconcile_of(struct ipifc_lifc *l, const struct ipifc_implied *r,
    int n)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_pcand *c;
	int i;

	for (i = 0; i < n; i++) {
		sync_dirty(s);
		c = cand_for(l, &r[i].dst, r[i].plen);
		reconcile_key(s, c != NULL ? c->key :
		    pkey_find(s, &r[i].dst, r[i].plen), &r[i].dst, r[i].plen);
	}
}

void
ipifc_prefix_forget_of(struct ipifc_lifc *l, const struct ipifc_implied *r,
    int n)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_pcand *c;
	struct ipifc_pkey *k;
	int i, last;

	if (l->pdirty)
		TAILQ_REMOVE(&s->pdirty, l, dirtylink);
	l->pdirty = 0;
	l->plive = 0;
	for (i = 0; i < n; i++) {
		sync_dirty(s);
		if ((c = cand_for(l, &r[i].dst, r[i].plen)) != NULL) {
			k = c->key;
			last = TAILQ_FIRST(&k->cands) == c &&
			    TAILQ_NEXT(c, link) == NULL;
			cand_drop(s, c);	/* frees k when it was the last */
			if (last)
				k = NULL;
		} else
			k = pkey_find(s, &r[i].dst, r[i].plen);
		reconcile_key(s, k, &r[i].dst, r[i].plen);
	}
	prefix_forget(l);	/* what it implied no more */
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

	l->plive = 1;
	ipifc_prefix_dirty(l);
	if (connected(l, &r))
		install(l->ifc->stack, &r.dst, r.plen, &l->local, 128, r.type,
		    l);
	if (linkmulti(l, &r))
		install(l->ifc->stack, &r.dst, r.plen, &l->local, 128, r.type,
		    l);
}

/*
 * The addresses of each prefix on each interface (point-to-point ones
 * aside), counted by (interface, prefix), so that removing an address
 * asks whether its prefix stays without walking the interface's addresses.
 */
struct ipifc_pnet {
	struct ipifc_pnet *next;	/* hash chain */
	const struct ipifc_ifc *ifc;
	struct ipifc_ip net;
	int	plen;
	int	n;
};

static unsigned
pnbucket(const struct ipifc_stack *s, const struct ipifc_ifc *ifc,
    const struct ipifc_ip *net, int plen)
{
	return (ipifc_ip_hash(s->hashkey, net) ^ ((uint32_t)plen * 0x9e3779b9u) ^
	    ((uint32_t)ifc->num * 0x85ebca6bu)) & (s->pnhsize - 1);
}

static struct ipifc_pnet **
pnet_find(struct ipifc_stack *s, const struct ipifc_ifc *ifc,
    const struct ipifc_ip *net, int plen)
{
	struct ipifc_pnet **pp;

	if (s->pnhash == NULL)
		return NULL;
	for (pp = &s->pnhash[pnbucket(s, ifc, net, plen)]; *pp != NULL;
	    pp = &(*pp)->next)
		if ((*pp)->ifc == ifc && (*pp)->plen == plen &&
		    ipifc_ip_eq(&(*pp)->net, net))
			return pp;
	return NULL;
}

static int
pn_rehash(struct ipifc_stack *s, unsigned size)
{
	struct ipifc_pnet **h = NULL, *k, *next;
	unsigned i, oldsize = s->pnhsize, b;

	if (size > 0 && (h = calloc(size, sizeof(*h))) == NULL)
		return -ENOMEM;
	s->pnhsize = size;
	for (i = 0; i < oldsize; i++)
		for (k = s->pnhash[i]; k != NULL; k = next) {
			next = k->next;
			b = pnbucket(s, k->ifc, &k->net, k->plen);
			k->next = h[b];
			h[b] = k;
		}
	free(s->pnhash);
	s->pnhash = h;
	return 0;
}

int
ipifc_prefix_netref(struct ipifc_ifc *ifc, const struct ipifc_ip *net,
    int plen)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_pnet **pp, *k;
	unsigned b;

	if ((pp = pnet_find(s, ifc, net, plen)) != NULL) {
		(*pp)->n++;
		return 0;
	}
	if (s->npnet >= s->pnhsize && pn_rehash(s, s->pnhsize ?
	    s->pnhsize * 2 : 16) < 0 && s->pnhash == NULL)
		return -ENOMEM;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return -ENOMEM;
	k->ifc = ifc;
	k->net = *net;
	k->plen = plen;
	k->n = 1;
	b = pnbucket(s, ifc, net, plen);
	k->next = s->pnhash[b];
	s->pnhash[b] = k;
	s->npnet++;
	return 0;
}

void
ipifc_prefix_netunref(struct ipifc_ifc *ifc, const struct ipifc_ip *net,
    int plen)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_pnet **pp, *k;

	if ((pp = pnet_find(s, ifc, net, plen)) == NULL || --(*pp)->n > 0)
		return;
	k = *pp;
	*pp = k->next;
	free(k);
	if (--s->npnet == 0)
		(void)pn_rehash(s, 0);
	else if (s->pnhsize > 16 && s->npnet < s->pnhsize / 4)
		(void)pn_rehash(s, s->pnhsize / 2);
}

int
ipifc_prefix_netcount(struct ipifc_ifc *ifc, const struct ipifc_ip *net,
    int plen)
{
	struct ipifc_pnet **pp = pnet_find(ifc->stack, ifc, net, plen);

	return pp != NULL ? (*pp)->n : 0;
}
