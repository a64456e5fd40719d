/*
 * The self table (plan9's ipforme): every address the stack answers to,
 * with its type and a reference-counted link to each local address that
 * caused it.  What an interface holds by itself (a listener's group, a
 * proxied neighbor's solicited-node group) hangs on one link with no
 * address, which the count column does not count.  An entry goes when
 * its last link goes.
 *
 * Every step is O(1): the table doubles and halves with the entries,
 * links come off both lists without a walk, and an entry's type is the
 * set of bits some link holds, counted per bit.
 *
 * Lookups are what every packet makes, twice (its source and its
 * destination), so the table is laid out for the cache.  It is open
 * addressing with linear probing: each slot holds the address, its keyed
 * hash and the entry's type inline, two slots to a cache line, so a hit
 * reads one line, or two, and never the entry.  The hash is keyed
 * (SipHash, core/ipaddr.c), so strangers cannot aim at a run of slots;
 * that costs more than the probe itself.  A filter in front (a Bloom
 * filter of one 64-bit word per address, two bits set in it, by a cheap
 * unkeyed hash) answers most misses (a packet's source, someone else's
 * address) without it, from a few hundred KB at 100k addresses, which
 * stay in the L2 cache.  A stranger who aims at set bits only gets the
 * keyed probe every lookup used to make.  The filter is sized with the
 * table (8 bits a slot, 10 to 43 an address) and rebuilt with it; a
 * removed address's bits stay until the next rebuild, which also comes
 * once removals reach a quarter of the slots, so every step stays O(1)
 * amortised.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core.h"

/* Slot arrays past this go in 2 MB pages: a lookup's line rarely misses
 * the TLB. */
#define SELF_HUGE	(2u << 20)

/* The filter's word, and the two bits in it, for a. */
static inline uint64_t
filterhash(const struct ipifc_ip *a)
{
	uint64_t w, w1;

	memcpy(&w, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	/* not w ^ w1: a byte of one half would cancel its twin's */
	w = w * 0x9e3779b97f4a7c15ull ^ w1;
	w ^= w >> 32;		/* every byte into the bits the product keeps */
	return w * 0xd6e8feb86659fd93ull;
}

static inline uint64_t
filterbits(uint64_t h)
{
	return 1ull << (h >> 58) | 1ull << ((h >> 52) & 63);
}

static inline int
filtered(const struct ipifc_stack *s, uint64_t h)
{
	/* the word from the middle bits, apart from the two positions */
	uint64_t w = s->selffilter[(h >> 20) & s->selffmask];

	return (w & filterbits(h)) != filterbits(h);
}

static void
filter_set(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	uint64_t h = filterhash(a);

	s->selffilter[(h >> 20) & s->selffmask] |= filterbits(h);
}

static void
filter_build(struct ipifc_stack *s)
{
	unsigned i;

	memset(s->selffilter, 0, ((size_t)s->selffmask + 1) * 8);
	for (i = 0; i < s->selfsize; i++)
		if (s->selfslot[i].p != NULL)
			filter_set(s, &s->selfslot[i].a);
	s->selfstale = 0;
}

static struct ipifc_selfslot *
slot_find(const struct ipifc_stack *s, const struct ipifc_ip *a, uint32_t h)
{
	struct ipifc_selfslot *t;
	unsigned i, mask = s->selfsize - 1;

	/* never full: a free slot ends every run */
	for (i = h & mask;; i = (i + 1) & mask) {
		t = &s->selfslot[i];
		if (t->p == NULL)
			return NULL;
		if (t->hash == h && ipifc_ip_same(&t->a, a))
			return t;
	}
}

static struct ipifc_selfslot *
lookup(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	if (s->selfslot == NULL || filtered(s, filterhash(a)))
		return NULL;
	return slot_find(s, a, ipifc_ip_hash(s->hashkey, a));
}

/* The last slot found, kept by copy: asked again, it costs no line of
 * the table nor of the entry.  A hint, not state: the stack itself is
 * never const. */
static inline const struct ipifc_selfslot *
hinted(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_selfslot *t;

	if (s->selflast.p != NULL && ipifc_ip_same(&s->selflast.a, a))
		return &s->selflast;
	if ((t = lookup(s, a)) != NULL)
		((struct ipifc_stack *)s)->selflast = *t;
	return t;
}

struct ipifc_self *
ipifc_self_find(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_selfslot *t;

	return (t = hinted(s, a)) != NULL ? t->p : NULL;
}

int
ipifc_self_lookup(const struct ipifc_stack *s, const struct ipifc_ip *a,
    unsigned *type)
{
	const struct ipifc_selfslot *t;

	if ((t = hinted(s, a)) == NULL)
		return 0;
	*type = t->type;
	return 1;
}

unsigned
ipifc_self_type(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	unsigned type;

	return ipifc_self_lookup(s, a, &type) ? type : 0;
}

void
ipifc_self_foreach(struct ipifc_stack *s,
    void (*f)(struct ipifc_self *, void *), void *arg)
{
	unsigned i;

	for (i = 0; i < s->selfsize; i++)
		if (s->selfslot[i].p != NULL)
			f(s->selfslot[i].p, arg);
}

static void
place(struct ipifc_selfslot *slots, unsigned size,
    const struct ipifc_selfslot *t)
{
	unsigned i;

	for (i = t->hash & (size - 1); slots[i].p != NULL;
	    i = (i + 1) & (size - 1))
		;
	slots[i] = *t;
}

/* Move to size slots (0: free all), the filter with them. */
static int
resize(struct ipifc_stack *s, unsigned size)
{
	struct ipifc_selfslot *slots = NULL;
	size_t bytes, fwords = 0;
	unsigned i;

	if (size > 0) {
		/* 8 filter bits a slot, one line at least */
		fwords = size / 8 > 8 ? size / 8 : 8;
		bytes = (size_t)size * sizeof(*slots) + fwords * 8;
		if (bytes >= SELF_HUGE) {
			bytes = (bytes + SELF_HUGE - 1) & ~(size_t)(SELF_HUGE - 1);
			if ((slots = aligned_alloc(SELF_HUGE, bytes)) == NULL)
				return -ENOMEM;
#ifdef MADV_HUGEPAGE
			(void)madvise(slots, bytes, MADV_HUGEPAGE);
#endif
			memset(slots, 0, bytes);
		} else if ((slots = calloc(1, bytes)) == NULL)
			return -ENOMEM;
		for (i = 0; i < s->selfsize; i++)
			if (s->selfslot[i].p != NULL)
				place(slots, size, &s->selfslot[i]);
	}
	free(s->selfslot);
	s->selfslot = slots;
	s->selfsize = size;
	s->selffilter = slots != NULL ? (uint64_t *)(slots + size) : NULL;
	s->selffmask = fwords > 0 ? (unsigned)fwords - 1 : 0;
	if (slots != NULL)
		filter_build(s);
	return 0;
}

void
ipifc_self_free(struct ipifc_stack *s)
{
	(void)resize(s, 0);
}

/* Is 0.0.0.0 or :: configured as a local address (not a broadcast)? */
static int
acceptall(const struct ipifc_stack *s)
{
	return (ipifc_self_type(s, &ipifc_ip_unspec4) & IPIFC_RT_UNI) ||
	    (ipifc_self_type(s, &ipifc_ip_unspec6) & IPIFC_RT_UNI);
}

/* p's type may have changed: its slot's copy follows, and the answer to a
 * miss stays at hand. */
static void
changed(struct ipifc_stack *s, const struct ipifc_self *p)
{
	struct ipifc_selfslot *t;

	if ((t = slot_find(s, &p->a, ipifc_ip_hash(s->hashkey, &p->a))) !=
	    NULL)
		t->type = p->type;
	if (s->selflast.p == p)
		s->selflast.type = p->type;
	if (ipifc_ip_isunspec(&p->a))
		s->selfall = acceptall(s);
}

unsigned
ipifc_ipforme(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	unsigned type;

	if (ipifc_self_lookup(s, a, &type))
		return type & IPIFC_SELF_SHOWN;
	/* plan9: while the unspecified address is ours, accept anything */
	return s->selfall ? IPIFC_RT_UNI : 0;
}

static void
self_unhash(struct ipifc_stack *s, struct ipifc_self *p)
{
	struct ipifc_selfslot *t;
	struct ipifc_ip a = p->a;
	unsigned i, j, home, mask = s->selfsize - 1;

	t = slot_find(s, &p->a, ipifc_ip_hash(s->hashkey, &p->a));
	/*
	 * Take it out and close the gap: each later slot of the run that
	 * may sit in the gap (its home not cyclically in (gap, slot]) moves
	 * back into it, so every run stays unbroken.
	 */
	i = (unsigned)(t - s->selfslot);
	for (j = (i + 1) & mask; s->selfslot[j].p != NULL;
	    j = (j + 1) & mask) {
		home = s->selfslot[j].hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			s->selfslot[i] = s->selfslot[j];
			i = j;
		}
	}
	memset(&s->selfslot[i], 0, sizeof(s->selfslot[i]));
	if (s->selflast.p == p)
		s->selflast.p = NULL;
	free(p);
	s->nself--;
	s->selfstale++;
	if (s->nself == 0)
		(void)resize(s, 0);
	else if (s->selfsize > IPIFC_SELFHASH && s->nself < s->selfsize / 8)
		(void)resize(s, s->selfsize / 2);	/* else stays as it is */
	else if (s->selfstale >= s->selfsize / 4)
		filter_build(s);
	if (ipifc_ip_isunspec(&a))
		s->selfall = acceptall(s);
}

/* Count the bits of a link's type in and out of its entry's. */
static void
settype(struct ipifc_self *p, struct ipifc_selflink *k, unsigned type)
{
	unsigned i, diff = (k->type ^ type) & 0xffffu;

	for (i = 0; diff != 0; i++, diff >>= 1) {
		if ((diff & 1) == 0)
			continue;
		if (type & (1u << i)) {
			if (p->nbit[i]++ == 0)
				p->type |= 1u << i;
		} else if (--p->nbit[i] == 0)
			p->type &= ~(1u << i);
	}
	k->type = type & 0xffffu;
}

/* l's link to p (l NULL: the link of no address), or NULL. */
static struct ipifc_selflink *
link_of(const struct ipifc_self *p, const struct ipifc_lifc *l)
{
	struct ipifc_selflink *k;

	if (l == NULL)
		return p->nolink;
	for (k = l->self; k != NULL; k = k->lifcnext)
		if (k->self == p)
			return k;
	return NULL;
}

int
ipifc_self_onifc(const struct ipifc_stack *s, const struct ipifc_ip *a,
    const struct ipifc_ifc *ifc, unsigned type)
{
	const struct ipifc_self *p;
	const struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL || (p->type & type) == 0)
		return 0;
	LIST_FOREACH(k, &p->links, selflink)
		if (k->lifc != NULL && k->lifc->ifc == ifc && (k->type & type))
			return 1;
	return 0;
}

int
ipifc_self_tentative(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	return (ipifc_self_type(s, a) & IPIFC_SELF_TENTATIVE) != 0;
}

void
ipifc_self_retype(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l, unsigned type)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL ||
	    (k = link_of(p, l)) == NULL)
		return;
	settype(p, k, type);
	changed(s, p);
	if (l != NULL)
		ipifc_prefix_dirty(l);
}

/* Link a to l (NULL: to the interface alone) with type, or one more reference. */
int
ipifc_self_add(struct ipifc_stack *s, const struct ipifc_ip *a,
    unsigned type, struct ipifc_lifc *l)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;
	struct ipifc_selfslot t;

	if ((p = ipifc_self_find(s, a)) == NULL) {
		/* at most three slots in four taken, so runs stay short */
		if (s->nself + 1 > s->selfsize / 4 * 3 &&
		    resize(s, s->selfsize ? s->selfsize * 2 :
		    IPIFC_SELFHASH) < 0 &&
		    (s->selfslot == NULL || s->nself + 1 >= s->selfsize))
			return -ENOMEM;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return -ENOMEM;
		p->a = *a;
		LIST_INIT(&p->links);
		memset(&t, 0, sizeof(t));
		t.a = *a;
		t.hash = ipifc_ip_hash(s->hashkey, a);
		t.p = p;
		place(s->selfslot, s->selfsize, &t);
		filter_set(s, a);
		s->nself++;
	}
	if ((k = link_of(p, l)) != NULL) {
		settype(p, k, k->type | type);
		k->ref++;
		changed(s, p);
		if (l != NULL)
			ipifc_prefix_dirty(l);
		return 0;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		if (LIST_EMPTY(&p->links))
			self_unhash(s, p);
		return -ENOMEM;
	}
	k->self = p;
	k->lifc = l;
	k->ref = 1;
	settype(p, k, type);
	LIST_INSERT_HEAD(&p->links, k, selflink);
	if (l != NULL) {
		k->lifcnext = l->self;
		if (l->self != NULL)
			l->self->lifcprev = &k->lifcnext;
		k->lifcprev = &l->self;
		l->self = k;
		p->nlinks++;
		ipifc_prefix_dirty(l);
	} else
		p->nolink = k;
	changed(s, p);
	return 0;
}

static void
unlink_one(struct ipifc_stack *s, struct ipifc_selflink *k)
{
	struct ipifc_self *p = k->self;

	LIST_REMOVE(k, selflink);
	if (k->lifc != NULL) {
		ipifc_prefix_dirty(k->lifc);
		*k->lifcprev = k->lifcnext;
		if (k->lifcnext != NULL)
			k->lifcnext->lifcprev = k->lifcprev;
		p->nlinks--;
	} else
		p->nolink = NULL;
	settype(p, k, 0);
	free(k);
	if (LIST_EMPTY(&p->links)) {
		self_unhash(s, p);
		return;
	}
	changed(s, p);
}

/* Drop one reference from l (NULL: the link of no address) to a. */
void
ipifc_self_remove(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL ||
	    (k = link_of(p, l)) == NULL)
		return;
	if (--k->ref == 0)
		unlink_one(s, k);
}

void
ipifc_self_remove_all(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	while (l->self != NULL)
		unlink_one(s, l->self);
}
