/*
 * The self table (plan9's ipforme): every address the stack answers to,
 * with its type and a reference-counted link to each local address that
 * caused it.  What an interface holds by itself (a listener's group, a
 * proxied neighbor's solicited-node group) hangs on one link with no
 * address, which the count column does not count.  An entry goes when
 * its last link goes.
 *
 * Every step is O(1): the tables double and halve with the entries,
 * links come off both lists without a walk, and an entry's type is the
 * set of bits some link holds, counted per bit.
 *
 * Lookups are what every packet makes, twice (its source and its
 * destination), so the tables are laid out for the cache.  Each family
 * has its own, open addressing with linear probing, whose probed array
 * holds the keys alone: 4 bytes an IPv4 slot, 16 an IPv6 one.  Each
 * slot's type is in an array of 16-bit words beside it, asked for as soon
 * as the hash says where, so its line comes in with the key's, and the
 * keyed hash is not kept (what moves a key, a resize or a removal,
 * computes it again).  At 100k addresses of each family that is 512 KiB
 * and 2 MiB of keys and 256 KiB of types each, where 24-byte IPv6 slots
 * (address, hash, type) made 3 MiB and one 32-byte slot for both 16 MiB.
 * A hit reads one line of keys, sometimes two, and one of types, never
 * the entry.  The entries sit in an array beside the slots, by the same
 * index, which only what changes the table reads.  Tables from 512 KiB up
 * are mapped on their own, 2 MiB aligned and asked for 2 MiB pages, so a
 * random probe does not also miss the TLB.
 *
 * The hash is keyed (SipHash-1-3, core/core.h: an IPv4 address in one
 * word, an IPv6 address in two), so strangers cannot aim at a run of
 * slots.  A filter
 * in front (a Bloom filter of one 64-bit word per address, two bits set
 * in it, by a cheap unkeyed hash) answers most misses (a packet's source,
 * someone else's address) without the keyed hash, from a few hundred KB
 * at 100k addresses.  A stranger who aims at set bits only gets the keyed
 * probe.  The filter is sized with its table (8 bits a slot) and rebuilt
 * with it; a removed address's bits stay until the next rebuild, which
 * also comes once removals reach a quarter of the slots, so every step
 * stays O(1) amortised.
 *
 * Tables of up to 4096 slots are kept at most an eighth full
 * (IPIFC_SELFHASH slots at least), larger ones up to 13 in 16: in a
 * sparse table a hit finds its key at once and the probe loop's branch
 * is guessed right, where the runs of one table for both families, 20
 * addresses in 32 slots, made IPv6 hits 60% slower at 10 addresses.  In
 * a large one the memory is what costs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core.h"

/* Tables from this size are mapped on their own, in 2 MiB pages. */
#define SELF_HUGE	(2u << 20)
#define SELF_MAPPED	(512u << 10)
/* Up to this many slots a table is kept at most an eighth full. */
#define SELF_SMALL	4096u

/* A slot's key: an IPv4 address (ipifc_ip_v4val) or an IPv6 one. */
#define KEYSIZE(v6)	((v6) ? 16u : 4u)

static inline const uint32_t *
key4(const struct ipifc_selftab *t)
{
	return t->key;
}

static inline const uint8_t *
key6(const struct ipifc_selftab *t, unsigned i)
{
	return (const uint8_t *)t->key + (size_t)i * 16;
}

/*
 * An IPv6 address's keyed hash here: SipHash-1-3 of its two words without
 * the length block, which says nothing when every key is 16 bytes, so two
 * compression rounds like an IPv4 address's (ipifc_ip_hash4), not three.
 */
static inline uint32_t
hash6(const struct ipifc_stack *s, const uint8_t *a)
{
	uint64_t m[2];

	m[0] = ipifc_le64(a);
	m[1] = ipifc_le64(a + 8);
	return (uint32_t)ipifc_siphash(s->hashkey, m, 2, 1, 3);
}

/* The filter's word, and the two bits in it, for an address. */
static inline uint64_t
filterhash4(uint32_t v)
{
	uint64_t w = v * 0x9e3779b97f4a7c15ull;

	w ^= w >> 32;
	return w * 0xd6e8feb86659fd93ull;
}

static inline uint64_t
filterhash6(const uint8_t *a)
{
	uint64_t w, w1;

	memcpy(&w, a, 8);
	memcpy(&w1, a + 8, 8);
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
filtered(const struct ipifc_selftab *t, uint64_t h)
{
	/* the word from the middle bits, apart from the two positions */
	uint64_t w = t->filter[(h >> 20) & t->fmask];

	return (w & filterbits(h)) != filterbits(h);
}

static inline int
isv6tab(const struct ipifc_stack *s, const struct ipifc_selftab *t)
{
	(void)s;
	return t->v6;	/* not t == &s->self6: resize reads a copy */
}

/* Slot i's filter hash and keyed hash (where it belongs). */
static uint64_t
slot_fhash(const struct ipifc_stack *s, const struct ipifc_selftab *t,
    unsigned i)
{
	if (isv6tab(s, t))
		return filterhash6(key6(t, i));
	return filterhash4(key4(t)[i]);
}

static uint32_t
slot_hash(const struct ipifc_stack *s, const struct ipifc_selftab *t,
    unsigned i)
{
	if (isv6tab(s, t))
		return hash6(s, key6(t, i));
	return ipifc_ip_hash4(s->hashkey, key4(t)[i]);
}

static int
slot_keyzero(const struct ipifc_stack *s, const struct ipifc_selftab *t,
    unsigned i)
{
	static const uint8_t zero[16];

	if (isv6tab(s, t))
		return memcmp(key6(t, i), zero, 16) == 0;
	return key4(t)[i] == 0;
}

static void
filter_build(struct ipifc_stack *s, struct ipifc_selftab *t)
{
	unsigned i;
	uint64_t h;

	memset(t->filter, 0, ((size_t)t->fmask + 1) * 8);
	for (i = 0; i < t->size; i++)
		if (t->ent[i] != NULL) {
			h = slot_fhash(s, t, i);
			t->filter[(h >> 20) & t->fmask] |= filterbits(h);
		}
	t->stale = 0;
}

/*
 * The probes.  Never full: a free slot ends every run.  A free slot's key
 * is zero, so a key that is not zero is found by its key alone, and the
 * loops read the keys only; a zero key ends a run unless its slot is the
 * one that holds 0.0.0.0 or :: (zslot, kept by what moves keys), which
 * is where that address is found.  The first two slots of a key's
 * run are tried together, without a branch on the first: in a sparse
 * table nearly every key is in one of them, and the loop's exit is then
 * always guessed right, which a loop that ends on the first slot here
 * and on the second there is not.
 */
static inline long
find4(const struct ipifc_stack *s, const struct ipifc_selftab *t,
    uint32_t v, uint32_t h)
{
	const uint32_t *k = key4(t);
	unsigned i, j, mask = t->size - 1;
	int m0, m1;

	(void)s;
	if (v == 0)
		return t->zslot;
	i = h & mask;
	j = (i + 1) & mask;
	m0 = k[i] == v;
	m1 = k[j] == v;
	if (m0 | m1)
		return (i + !m0) & mask;	/* no branch on which */
	for (;; i = (i + 1) & mask) {
		if (k[i] == v)
			return i;
		if (k[i] == 0 && (long)i != t->zslot)
			return -1;
	}
}

static inline int
same6(const uint8_t *k, uint64_t a0, uint64_t a1)
{
	uint64_t b0, b1;

	memcpy(&b0, k, 8);
	memcpy(&b1, k + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static inline long
find6(const struct ipifc_stack *s, const struct ipifc_selftab *t,
    const uint8_t *a, uint32_t h)
{
	unsigned i, j, mask = t->size - 1;
	uint64_t a0, a1;
	int m0, m1;

	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	(void)s;
	if ((a0 | a1) == 0)
		return t->zslot;
	i = h & mask;
	j = (i + 1) & mask;
	m0 = same6(key6(t, i), a0, a1);
	m1 = same6(key6(t, j), a0, a1);
	if (m0 | m1)
		return (i + !m0) & mask;	/* no branch on which */
	for (;; i = (i + 1) & mask) {
		if (same6(key6(t, i), a0, a1))
			return i;
		if (same6(key6(t, i), 0, 0) && (long)i != t->zslot)
			return -1;
	}
}

/* a's table, and its slot there (-1: none); past the filter if filter. */
static inline long
locate(const struct ipifc_stack *s, const struct ipifc_ip *a,
    const struct ipifc_selftab **tp, int filter)
{
	const struct ipifc_selftab *t;
	uint32_t v;

	if (ipifc_ip_isv4(a)) {
		*tp = t = &s->self4;
		v = ipifc_ip_v4val(a);
		if (t->key == NULL || (filter && filtered(t, filterhash4(v))))
			return -1;
		return find4(s, t, v, ipifc_ip_hash4(s->hashkey, v));
	}
	*tp = t = &s->self6;
	if (t->key == NULL || (filter && filtered(t, filterhash6(a->a))))
		return -1;
	return find6(s, t, a->a, hash6(s, a->a));
}

struct ipifc_self *
ipifc_self_find(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_selftab *t;
	long i;

	return (i = locate(s, a, &t, 1)) >= 0 ? t->ent[i] : NULL;
}

long
ipifc_self_slot(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_selftab *t;

	return locate(s, a, &t, 0);
}

/*
 * The last address found, kept with its type: asked again, it costs no
 * line of the table.  A hint, not state: the stack itself is never const.
 */
int
ipifc_self_lookup(const struct ipifc_stack *s, const struct ipifc_ip *a,
    unsigned *type)
{
	struct ipifc_stack *w = (struct ipifc_stack *)s;
	const struct ipifc_selftab *t;
	uint32_t v, h;
	long i;

	if (s->selflastok && ipifc_ip_same(&s->selflast, a)) {
		*type = s->selflasttype;
		return 1;
	}
	/*
	 * locate's steps, each family's written out for the hot path.  The
	 * type's line is asked for as soon as the hash says where, so that
	 * it comes beside the key's, not after it.
	 */
	if (ipifc_ip_isv4(a)) {
		t = &s->self4;
		v = ipifc_ip_v4val(a);
		if (t->key == NULL || filtered(t, filterhash4(v)))
			return 0;
		h = ipifc_ip_hash4(s->hashkey, v);
		__builtin_prefetch(&t->type[h & (t->size - 1)]);
		if ((i = find4(s, t, v, h)) < 0)
			return 0;
	} else {
		t = &s->self6;
		if (t->key == NULL || filtered(t, filterhash6(a->a)))
			return 0;
		h = hash6(s, a->a);
		__builtin_prefetch(&t->type[h & (t->size - 1)]);
		if ((i = find6(s, t, a->a, h)) < 0)
			return 0;
	}
	*type = t->type[i];
	w->selflast = *a;
	w->selflasttype = *type;
	w->selflastok = 1;
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
	struct ipifc_selftab *t;
	unsigned i;

	for (t = &s->self4; t != NULL; t = t == &s->self4 ? &s->self6 : NULL)
		for (i = 0; i < t->size; i++)
			if (t->ent[i] != NULL)
				f(t->ent[i], arg);
}

int
ipifc_self_consistent(const struct ipifc_stack *s)
{
	const struct ipifc_selftab *t, *u;
	const struct ipifc_self *p;
	unsigned i, n = 0, m = 0;
	uint64_t h;

	for (t = &s->self4; t != NULL; t = t == &s->self4 ? &s->self6 : NULL) {
		for (m = 0, i = 0; i < t->size; i++) {
			if ((p = t->ent[i]) == NULL) {
				if (!slot_keyzero(s, t, i) || t->type[i] != 0)
					return 0;
				continue;
			}
			h = slot_fhash(s, t, i);
			if (t->type[i] != (p->type & 0xffffu) ||
			    filtered(t, h) ||
			    locate(s, &p->a, &u, 1) != (long)i || u != t ||
			    memcmp((const char *)t->key +
			    (size_t)i * KEYSIZE(t->v6), isv6tab(s, t) ?
			    (const void *)p->a.a : (const void *)&(uint32_t){
			    ipifc_ip_v4val(&p->a) }, KEYSIZE(t->v6)) != 0)
				return 0;
			m++;
		}
		if (m != t->n || (t->size > 0 && t->zslot >= 0 &&
		    (t->ent[t->zslot] == NULL ||
		    !slot_keyzero(s, t, (unsigned)t->zslot))))
			return 0;
		n += m;
	}
	return n == s->nself;
}

/* Put a key (its entry p, its keyed hash h) where it belongs in t. */
static void
place(const struct ipifc_stack *s, struct ipifc_selftab *t, uint32_t h,
    const void *key, struct ipifc_self *p)
{
	unsigned i, mask = t->size - 1;
	size_t sz = KEYSIZE(isv6tab(s, t));

	for (i = h & mask; t->ent[i] != NULL; i = (i + 1) & mask)
		;
	memcpy((char *)t->key + i * sz, key, sz);
	t->type[i] = (uint16_t)p->type;
	t->ent[i] = p;
	if (slot_keyzero(s, t, i))
		t->zslot = i;
}

static void
tabmem_free(struct ipifc_selftab *t)
{
	if (t->maplen > 0)
		(void)munmap(t->key, t->maplen);
	else
		free(t->key);
	free(t->ent);
}

/* Move t to size slots (0: free all), the filter with them. */
static int
resize(struct ipifc_stack *s, struct ipifc_selftab *t, unsigned size)
{
	struct ipifc_selftab o;
	size_t bytes = 0, fwords = 0, sz, maplen = 0;
	char *m = NULL, *al;
	unsigned i;

	t->v6 = t == &s->self6;
	o = *t;
	sz = KEYSIZE(t->v6);

	if (size > 0) {
		/* 8 filter bits a slot, one line at least */
		fwords = size / 8 > 8 ? size / 8 : 8;
		bytes = (size_t)size * (sz + sizeof(*t->type)) + fwords * 8;
		if (bytes >= SELF_MAPPED) {
			/* 2 MiB aligned: map one page more and trim */
			maplen = (bytes + SELF_HUGE - 1) & ~(size_t)(SELF_HUGE - 1);
			m = mmap(NULL, maplen + SELF_HUGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				return -ENOMEM;
			al = (char *)(((uintptr_t)m + SELF_HUGE - 1) &
			    ~(uintptr_t)(SELF_HUGE - 1));
			if (al > m)
				(void)munmap(m, (size_t)(al - m));
			(void)munmap(al + maplen, (size_t)(m + SELF_HUGE - al));
			m = al;
#ifdef MADV_HUGEPAGE
			(void)madvise(m, maplen, MADV_HUGEPAGE);	/* or not */
#endif
		} else if ((m = calloc(1, bytes)) == NULL)
			return -ENOMEM;
		if ((t->ent = calloc(size, sizeof(*t->ent))) == NULL) {
			if (maplen > 0)
				(void)munmap(m, maplen);
			else
				free(m);
			*t = o;
			return -ENOMEM;
		}
	} else
		t->ent = NULL;
	t->key = m;
	t->zslot = -1;		/* place sets it again */
	t->type = m != NULL ? (uint16_t *)(m + (size_t)size * sz) : NULL;
	t->size = size;
	t->maplen = maplen;
	t->filter = m != NULL ? (uint64_t *)(m + (size_t)size *
	    (sz + sizeof(*t->type))) : NULL;
	t->fmask = fwords > 0 ? (unsigned)fwords - 1 : 0;
	for (i = 0; size > 0 && i < o.size; i++)
		if (o.ent[i] != NULL)
			place(s, t, slot_hash(s, &o, i), (char *)o.key + i * sz,
			    o.ent[i]);
	tabmem_free(&o);
	if (m != NULL)
		filter_build(s, t);
	return 0;
}

/* The most entries a table of size slots holds: an eighth of them while
 * small, 13 in 16 once large. */
static unsigned
maxn(unsigned size)
{
	return size <= SELF_SMALL ? size / 8 : size / 16 * 13;
}

/* Can t take one more entry (growing if it must)? */
static int
room(struct ipifc_stack *s, struct ipifc_selftab *t)
{
	if (t->size == 0)
		return resize(s, t, IPIFC_SELFHASH);
	if (t->n + 1 <= maxn(t->size))
		return 0;
	if (resize(s, t, t->size * 2) < 0 && t->n + 1 >= t->size)
		return -ENOMEM;
	return 0;
}

/* The entries left when the addresses are gone: those no address links
 * (ipifc_self_add with none); they and their links go with the stack. */
static void
drop_left(struct ipifc_selftab *t)
{
	struct ipifc_selflink *k;
	unsigned i;

	for (i = 0; i < t->size; i++) {
		if (t->ent[i] == NULL)
			continue;
		while ((k = LIST_FIRST(&t->ent[i]->links)) != NULL) {
			LIST_REMOVE(k, selflink);
			free(k);
		}
		free(t->ent[i]);
	}
}

void
ipifc_self_free(struct ipifc_stack *s)
{
	drop_left(&s->self4);
	drop_left(&s->self6);
	(void)resize(s, &s->self4, 0);
	(void)resize(s, &s->self6, 0);
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
	const struct ipifc_selftab *t;
	long i;

	if ((i = locate(s, &p->a, &t, 0)) >= 0)
		((struct ipifc_selftab *)t)->type[i] = (uint16_t)p->type;
	if (s->selflastok && ipifc_ip_same(&s->selflast, &p->a))
		s->selflasttype = p->type;
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
	const struct ipifc_selftab *ct;
	struct ipifc_selftab *t;
	struct ipifc_ip a = p->a;
	unsigned i, j, home, mask;
	size_t sz;
	char *sl;

	i = (unsigned)locate(s, &p->a, &ct, 0);
	t = (struct ipifc_selftab *)ct;
	if (t->zslot == (long)i)
		t->zslot = -1;
	mask = t->size - 1;
	sz = KEYSIZE(isv6tab(s, t));
	sl = t->key;
	/*
	 * Take it out and close the gap: each later slot of the run that
	 * may sit in the gap (its home not cyclically in (gap, slot]) moves
	 * back into it, so every run stays unbroken.
	 */
	for (j = (i + 1) & mask; t->ent[j] != NULL; j = (j + 1) & mask) {
		home = slot_hash(s, t, j) & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			memcpy(sl + i * sz, sl + j * sz, sz);
			t->type[i] = t->type[j];
			t->ent[i] = t->ent[j];
			if (t->zslot == (long)j)
				t->zslot = i;
			i = j;
		}
	}
	memset(sl + i * sz, 0, sz);
	t->type[i] = 0;
	t->ent[i] = NULL;
	if (s->selflastok && ipifc_ip_same(&s->selflast, &a))
		s->selflastok = 0;
	free(p);
	s->nself--;
	t->n--;
	t->stale++;
	if (t->n == 0)
		(void)resize(s, t, 0);
	else if (t->size > IPIFC_SELFHASH && t->n < maxn(t->size / 2) / 2)
		(void)resize(s, t, t->size / 2);	/* else stays as it is */
	else if (t->stale >= t->size / 4)
		filter_build(s, t);
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
	struct ipifc_selftab *t;
	uint32_t v;
	uint64_t fh;

	if ((p = ipifc_self_find(s, a)) == NULL) {
		t = ipifc_ip_isv4(a) ? &s->self4 : &s->self6;
		if (room(s, t) < 0)
			return -ENOMEM;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return -ENOMEM;
		p->a = *a;
		LIST_INIT(&p->links);
		if (t == &s->self4) {
			v = ipifc_ip_v4val(a);
			fh = filterhash4(v);
			place(s, t, ipifc_ip_hash4(s->hashkey, v), &v, p);
		} else {
			fh = filterhash6(a->a);
			place(s, t, hash6(s, a->a), a->a, p);
		}
		t->filter[(fh >> 20) & t->fmask] |= filterbits(fh);
		t->n++;
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
