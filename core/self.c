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
 * has its own, of buckets of one 64-byte line: an IPv4 bucket holds 10
 * keys (4 bytes each) and their 16-bit types, an IPv6 one 3 keys (16
 * bytes) and theirs, and each a count of the keys whose home it is that
 * went further on because it was full.  A key goes in its home bucket, or
 * the first one after it with room (every bucket passed counts it), so a
 * lookup compares the keys of one bucket at once, without a branch on
 * which, and goes on to the next only while the count says a key of this
 * home is there.  A hit reads one line, keys and type together; where the
 * keys alone were probed (4 keys a line) and the types beside them, it
 * read two, and a run of linear probing that went past the first two
 * slots, a third of the keys in a table 13 in 16 full, cost a branch
 * guessed wrong.  A removal takes the key out and counts it off the
 * buckets it passed: nothing moves.  The entries sit in an array beside
 * the buckets, by slot, which only what changes the table reads.
 * Tables from 512 KiB up are mapped on their own, 2 MiB aligned and asked
 * for 2 MiB pages, so a random probe does not also miss the TLB.
 *
 * The hash is keyed, so strangers cannot aim at one bucket: multilinear
 * hashing (Lemire and Kaser, 2014: the key's 64-bit words times the
 * address's 32-bit ones, summed, the high half kept) with a key drawn
 * from the stack's SipHash key.  For a key nobody else knows it is
 * strongly universal: any two addresses land in any two buckets alike,
 * so no choice of addresses crowds one bucket more than chance.  Unlike
 * SipHash it is linear, so a stranger who could watch enough collisions
 * could solve for the key; here that would buy little: the addresses in
 * the table are ours (configured, or formed by us from an advertised
 * prefix), so a stranger cannot make a bucket's chain longer, only ask
 * about the longest one there is, which is as short as the load makes
 * it.  It costs one multiply for IPv4 and four for IPv6, where
 * SipHash-1-3's four and five rounds were a third of a hit's time.
 *
 * A filter in front (a Bloom filter of one 64-bit word per address, two
 * bits set in it, by a cheap unkeyed hash) answers most misses (a
 * packet's source, someone else's address) without the keyed lookup,
 * from a few hundred KB at 100k addresses.  A stranger who aims at set
 * bits only gets the keyed probe.  The filter is sized with its table
 * (8 bits a slot or somewhat fewer, a power of 2 of words) and rebuilt
 * with it; a removed address's bits stay until the next rebuild, which
 * also comes once removals reach a quarter of the slots, so every step
 * stays O(1) amortised.
 *
 * Tables of up to 4096 slots are kept at most an eighth full (room for
 * IPIFC_SELFHASH keys at least) and double, larger ones up to 13 in 16
 * and grow by a quarter: in a sparse table a key is in its home bucket
 * and the lookup's one branch is guessed right.  In a large one the
 * memory is what costs: at 100k IPv6 addresses 4 MiB of buckets half
 * full made hits slower than 2.8 MiB 72% full, though one key in seven
 * is then past its home bucket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core.h"

/* Tables from this size are mapped on their own, in 2 MiB pages. */
#define SELF_HUGE	(2u << 20)
#define SELF_MAPPED	(512u << 10)
/* Up to this many slots a table is kept at most an eighth full. */
#define SELF_SMALL	4096u
/* An over count that reached this stays: it only makes lookups go on. */
#define OVER_MAX	0xffffu

#define K4		IPIFC_SELF4_KEYS
#define K6		IPIFC_SELF6_KEYS
#define KEYS(v6)	((v6) ? (unsigned)K6 : (unsigned)K4)

_Static_assert(sizeof(struct ipifc_selfbkt4) == 64, "an IPv4 bucket a line");
_Static_assert(sizeof(struct ipifc_selfbkt6) == 64, "an IPv6 bucket a line");
_Static_assert(sizeof(struct ipifc_selftab) == 128, "see its pad");

static inline struct ipifc_selfbkt4 *
bkt4(const struct ipifc_selftab *t, unsigned b)
{
	return (struct ipifc_selfbkt4 *)t->bkt + b;
}

static inline struct ipifc_selfbkt6 *
bkt6(const struct ipifc_selftab *t, unsigned b)
{
	return (struct ipifc_selfbkt6 *)t->bkt + b;
}

/*
 * A hash's home bucket: its high bits times the buckets (Lemire's
 * reduction), so the count need not be a power of 2 and large tables
 * grow by a quarter, not double: at 100k IPv6 addresses 2.5 MiB of
 * buckets, not 4.
 */
static inline unsigned
home(const struct ipifc_selftab *t, uint32_t h)
{
	return (unsigned)(((uint64_t)h * t->nb) >> 32);
}

static inline unsigned
next(const struct ipifc_selftab *t, unsigned b)
{
	return b + 1 == t->nb ? 0 : b + 1;
}

/* The keyed hashes: multilinear, the key's words by the address's. */
static inline uint32_t
hash4(const struct ipifc_selftab *t, uint32_t v)
{
	return (uint32_t)((t->mk[0] + t->mk[1] * v) >> 32);
}

static inline uint32_t
hash6(const struct ipifc_selftab *t, const uint8_t *a)
{
	uint64_t w0 = ipifc_le64(a), w1 = ipifc_le64(a + 8);

	return (uint32_t)((t->mk[0] + t->mk[1] * (uint32_t)w0 +
	    t->mk[2] * (w0 >> 32) + t->mk[3] * (uint32_t)w1 +
	    t->mk[4] * (w1 >> 32)) >> 32);
}

/* The multilinear key of t, drawn from the stack's SipHash key. */
static void
mkey(const struct ipifc_stack *s, struct ipifc_selftab *t)
{
	uint64_t m;
	unsigned i;

	for (i = 0; i < 5; i++) {
		m = 0x73656c66ull << 32 | (uint64_t)t->v6 << 8 | i;
		t->mk[i] = ipifc_siphash(s->hashkey, &m, 1, 2, 4);
	}
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

/* Slot i (bucket i / keys, place i % keys): its key, type, hashes. */
static const void *
slot_key(const struct ipifc_selftab *t, unsigned i)
{
	if (t->v6)
		return bkt6(t, i / K6)->key[i % K6];
	return &bkt4(t, i / K4)->key[i % K4];
}

static uint16_t *
slot_type(const struct ipifc_selftab *t, unsigned i)
{
	if (t->v6)
		return &bkt6(t, i / K6)->type[i % K6];
	return &bkt4(t, i / K4)->type[i % K4];
}

static uint16_t *
bkt_over(const struct ipifc_selftab *t, unsigned b)
{
	return t->v6 ? &bkt6(t, b)->over : &bkt4(t, b)->over;
}

static uint32_t
key_hash(const struct ipifc_selftab *t, const void *key)
{
	uint32_t v;

	if (t->v6)
		return hash6(t, key);
	memcpy(&v, key, 4);
	return hash4(t, v);
}

static uint64_t
key_fhash(const struct ipifc_selftab *t, const void *key)
{
	uint32_t v;

	if (t->v6)
		return filterhash6(key);
	memcpy(&v, key, 4);
	return filterhash4(v);
}

static int
key_zero(const struct ipifc_selftab *t, const void *key)
{
	static const uint8_t zero[16];

	return memcmp(key, zero, t->v6 ? 16 : 4) == 0;
}

static void
filter_build(struct ipifc_selftab *t)
{
	unsigned i;
	uint64_t h;

	memset(t->filter, 0, ((size_t)t->fmask + 1) * 8);
	for (i = 0; i < t->size; i++)
		if (t->ent[i] != NULL) {
			h = key_fhash(t, slot_key(t, i));
			t->filter[(h >> 20) & t->fmask] |= filterbits(h);
		}
	t->stale = 0;
}

/*
 * The lookups: a's slot (-1: none) and where its type is.  A free slot's
 * key is zero, so a key that is not zero is found by its key alone, and
 * the loops read the keys only; 0.0.0.0 or :: is found at the slot kept
 * for it (zslot).  All keys of a bucket are compared at once; the next
 * bucket is read only while this one's over count says some key of this
 * home went on.
 */
/* The bits of the keys of bucket k that are v. */
static inline unsigned
match4(const struct ipifc_selfbkt4 *k, uint32_t v)
{
#ifdef __SSE2__
	/* twelve words a compare of three (the last two are types) */
	__m128i x = _mm_set1_epi32((int)v);
	const __m128i *q = (const __m128i *)k;

	return ((unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
	    _mm_loadu_si128(q), x))) |
	    (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
	    _mm_loadu_si128(q + 1), x))) << 4 |
	    (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
	    _mm_loadu_si128(q + 2), x))) << 8) & ((1u << K4) - 1);
#else
	unsigned j, m = 0;

	for (j = 0; j < K4; j++)
		m |= (unsigned)(k->key[j] == v) << j;
	return m;
#endif
}

static inline const uint16_t *
find4(const struct ipifc_selftab *t, uint32_t v, uint32_t h, long *slot)
{
	const struct ipifc_selfbkt4 *k;
	unsigned b = home(t, h), m, j;

	if (v == 0) {
		*slot = t->zslot;
		return t->zslot >= 0 ? slot_type(t, (unsigned)t->zslot) : NULL;
	}
	for (;;) {
		k = bkt4(t, b);
		m = match4(k, v);
		if (m != 0) {
			j = (unsigned)__builtin_ctz(m);
			*slot = (long)b * K4 + j;
			return &k->type[j];
		}
		if (k->over == 0) {
			*slot = -1;
			return NULL;
		}
		b = next(t, b);
	}
}

static inline unsigned
same6(const uint8_t *k, uint64_t a0, uint64_t a1)
{
	uint64_t b0, b1;

	memcpy(&b0, k, 8);
	memcpy(&b1, k + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static inline const uint16_t *
find6(const struct ipifc_selftab *t, const uint8_t *a, uint32_t h,
    long *slot)
{
	const struct ipifc_selfbkt6 *k;
	unsigned b = home(t, h), m, j;
	uint64_t a0, a1;

	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	if ((a0 | a1) == 0) {
		*slot = t->zslot;
		return t->zslot >= 0 ? slot_type(t, (unsigned)t->zslot) : NULL;
	}
	for (;;) {
		k = bkt6(t, b);
		m = same6(k->key[0], a0, a1) | same6(k->key[1], a0, a1) << 1 |
		    same6(k->key[2], a0, a1) << 2;
		if (m != 0) {
			j = (unsigned)__builtin_ctz(m);
			*slot = (long)b * K6 + j;
			return &k->type[j];
		}
		if (k->over == 0) {
			*slot = -1;
			return NULL;
		}
		b = next(t, b);
	}
}

/* a's table, and its slot there (-1: none); past the filter if filter. */
static inline long
locate(const struct ipifc_stack *s, const struct ipifc_ip *a,
    const struct ipifc_selftab **tp, int filter)
{
	const struct ipifc_selftab *t;
	uint32_t v;
	long i;

	if (ipifc_ip_isv4(a)) {
		*tp = t = &s->self4;
		v = ipifc_ip_v4val(a);
		if (t->bkt == NULL || (filter && filtered(t, filterhash4(v))))
			return -1;
		(void)find4(t, v, hash4(t, v), &i);
		return i;
	}
	*tp = t = &s->self6;
	if (t->bkt == NULL || (filter && filtered(t, filterhash6(a->a))))
		return -1;
	(void)find6(t, a->a, hash6(t, a->a), &i);
	return i;
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
	const uint16_t *tp;
	uint32_t v;
	long i;

	if (s->selflastok && ipifc_ip_same(&s->selflast, a)) {
		*type = s->selflasttype;
		return 1;
	}
	/* locate's steps, each family's written out for the hot path */
	if (ipifc_ip_isv4(a)) {
		t = &s->self4;
		v = ipifc_ip_v4val(a);
		if (t->bkt == NULL || filtered(t, filterhash4(v)) ||
		    (tp = find4(t, v, hash4(t, v), &i)) == NULL)
			return 0;
	} else {
		t = &s->self6;
		if (t->bkt == NULL || filtered(t, filterhash6(a->a)) ||
		    (tp = find6(t, a->a, hash6(t, a->a), &i)) == NULL)
			return 0;
	}
	*type = *tp;
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

/* The buckets slot i's key passes before its own (its over counts). */
static void
count_passed(const struct ipifc_selftab *t, unsigned i, uint32_t *over)
{
	unsigned b;

	for (b = home(t, key_hash(t, slot_key(t, i))); b != i / KEYS(t->v6);
	    b = next(t, b))
		over[b]++;
}

static int
tab_consistent(const struct ipifc_stack *s, const struct ipifc_selftab *t)
{
	const struct ipifc_selftab *u;
	const struct ipifc_self *p;
	uint32_t *over, v;
	unsigned i, m = 0;
	int ok = 1;

	if (t->size == 0)
		return t->n == 0;
	if ((over = calloc(t->nb, sizeof(*over))) == NULL)
		return 0;
	for (i = 0; ok && i < t->size; i++) {
		if ((p = t->ent[i]) == NULL) {
			ok = key_zero(t, slot_key(t, i)) && *slot_type(t, i) == 0;
			continue;
		}
		v = ipifc_ip_v4val(&p->a);
		count_passed(t, i, over);
		ok = *slot_type(t, i) == (p->type & 0xffffu) &&
		    !filtered(t, key_fhash(t, slot_key(t, i))) &&
		    locate(s, &p->a, &u, 1) == (long)i && u == t &&
		    memcmp(slot_key(t, i), t->v6 ? (const void *)p->a.a :
		    (const void *)&v, t->v6 ? 16 : 4) == 0;
		m++;
	}
	for (i = 0; ok && i < t->nb; i++)
		ok = *bkt_over(t, i) == over[i] || (*bkt_over(t, i) ==
		    OVER_MAX && over[i] >= OVER_MAX);
	free(over);
	return ok && m == t->n && (t->zslot < 0 ||
	    (t->ent[t->zslot] != NULL && key_zero(t, slot_key(t,
	    (unsigned)t->zslot))));
}

int
ipifc_self_consistent(const struct ipifc_stack *s)
{
	return tab_consistent(s, &s->self4) && tab_consistent(s, &s->self6) &&
	    s->self4.n + s->self6.n == s->nself;
}

/* Put a key (its entry p) in the first slot free from its home on. */
static void
place(struct ipifc_selftab *t, const void *key, struct ipifc_self *p)
{
	unsigned b, j, i, k = KEYS(t->v6);
	uint16_t *over;

	for (b = home(t, key_hash(t, key));; b = next(t, b)) {
		for (j = 0; j < k && t->ent[b * k + j] != NULL; j++)
			;
		if (j < k)
			break;
		over = bkt_over(t, b);
		if (*over != OVER_MAX)
			(*over)++;
	}
	i = b * k + j;
	memcpy((void *)slot_key(t, i), key, t->v6 ? 16 : 4);
	*slot_type(t, i) = (uint16_t)p->type;
	t->ent[i] = p;
	if (key_zero(t, key))
		t->zslot = i;
}

static void
tabmem_free(struct ipifc_selftab *t)
{
	if (t->maplen > 0)
		(void)munmap(t->bkt, t->maplen);
	else
		free(t->bkt);
	free(t->ent);
}

/* The fewest buckets a table has: room for IPIFC_SELFHASH keys. */
static unsigned
minnb(int v6)
{
	unsigned nb = 1;

	while (nb * KEYS(v6) < IPIFC_SELFHASH)
		nb *= 2;
	return nb;
}

/* Move t to nb buckets (0: free all), the filter with them. */
static int
resize(struct ipifc_stack *s, struct ipifc_selftab *t, unsigned nb)
{
	struct ipifc_selftab o;
	size_t bytes = 0, fwords = 8, maplen = 0;
	char *m = NULL, *al;
	unsigned i, size;

	t->v6 = t == &s->self6;
	o = *t;
	size = nb * KEYS(t->v6);
	if (nb > 0) {
		/* 8 filter bits a slot or fewer, a power of 2 of words */
		while (fwords * 2 <= size / 8)
			fwords *= 2;
		bytes = (size_t)nb * 64 + fwords * 8;
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
		} else if ((m = aligned_alloc(64, bytes)) == NULL)
			return -ENOMEM;
		else
			memset(m, 0, bytes);
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
	t->bkt = m;
	t->zslot = -1;		/* place sets it again */
	t->nb = nb;
	t->size = size;
	t->maplen = maplen;
	t->filter = m != NULL ? (uint64_t *)(m + (size_t)nb * 64) : NULL;
	t->fmask = nb > 0 ? (unsigned)fwords - 1 : 0;
	mkey(s, t);
	for (i = 0; nb > 0 && i < o.size; i++)
		if (o.ent[i] != NULL)
			place(t, slot_key(&o, i), o.ent[i]);
	tabmem_free(&o);
	if (m != NULL)
		filter_build(t);
	return 0;
}

/* The most entries a table of nb buckets holds: an eighth of its slots
 * while small, 13 in 16 once large. */
static unsigned
maxn(const struct ipifc_selftab *t, unsigned nb)
{
	unsigned size = nb * KEYS(t->v6);

	return size <= SELF_SMALL ? size / 8 : size / 16 * 13;
}

/* The buckets t grows to: twice as many while small, a quarter more
 * once large; and shrinks to, the fewest minnb. */
static unsigned
grown(const struct ipifc_selftab *t)
{
	return t->size <= SELF_SMALL ? t->nb * 2 : t->nb + t->nb / 4;
}

static unsigned
shrunk(const struct ipifc_selftab *t)
{
	unsigned nb = t->size <= 2 * SELF_SMALL ? t->nb / 2 : t->nb / 5 * 4;

	return nb > minnb(t->v6) ? nb : minnb(t->v6);
}

unsigned
ipifc_self_full(const struct ipifc_stack *s, int v6)
{
	const struct ipifc_selftab *t = v6 ? &s->self6 : &s->self4;

	return t->nb > 0 ? maxn(t, t->nb) : 0;
}

/* Can t take one more entry (growing if it must)? */
static int
room(struct ipifc_stack *s, struct ipifc_selftab *t)
{
	t->v6 = t == &s->self6;
	if (t->nb == 0)
		return resize(s, t, minnb(t->v6));
	if (t->n + 1 <= maxn(t, t->nb))
		return 0;
	if (resize(s, t, grown(t)) < 0 && t->n + 1 >= t->size)
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
		*slot_type(t, (unsigned)i) = (uint16_t)p->type;
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
	unsigned i, b;
	uint16_t *over;

	i = (unsigned)locate(s, &p->a, &ct, 0);
	t = (struct ipifc_selftab *)ct;
	if (t->zslot == (long)i)
		t->zslot = -1;
	/* off the over counts of the buckets it passed; nothing moves */
	for (b = home(t, key_hash(t, slot_key(t, i))); b != i / KEYS(t->v6);
	    b = next(t, b)) {
		over = bkt_over(t, b);
		if (*over != OVER_MAX)
			(*over)--;
	}
	memset((void *)slot_key(t, i), 0, t->v6 ? 16 : 4);
	*slot_type(t, i) = 0;
	t->ent[i] = NULL;
	if (s->selflastok && ipifc_ip_same(&s->selflast, &a))
		s->selflastok = 0;
	free(p);
	s->nself--;
	t->n--;
	t->stale++;
	if (t->n == 0)
		(void)resize(s, t, 0);
	else if (shrunk(t) < t->nb && t->n < maxn(t, shrunk(t)) / 2)
		(void)resize(s, t, shrunk(t));	/* else stays as it is */
	else if (t->stale >= t->size / 4)
		filter_build(t);
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

/* k off its address's list of links (k->lifc NULL: the no-address one). */
static void
link_detach(struct ipifc_selflink *k)
{
	struct ipifc_self *p = k->self;

	if (k->lifc == NULL) {
		p->nolink = NULL;
		return;
	}
	ipifc_prefix_dirty(k->lifc);
	*k->lifcprev = k->lifcnext;
	if (k->lifcnext != NULL)
		k->lifcnext->lifcprev = k->lifcprev;
	p->nlinks--;
}

/* k onto l's list of links (NULL: the no-address link). */
static void
link_attach(struct ipifc_selflink *k, struct ipifc_lifc *l)
{
	struct ipifc_self *p = k->self;

	k->lifc = l;
	if (l == NULL) {
		p->nolink = k;
		return;
	}
	k->lifcnext = l->self;
	if (l->self != NULL)
		l->self->lifcprev = &k->lifcnext;
	k->lifcprev = &l->self;
	l->self = k;
	p->nlinks++;
	ipifc_prefix_dirty(l);
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
			place(t, &v, p);
		} else {
			fh = filterhash6(a->a);
			place(t, a->a, p);
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
	link_attach(k, l);
	changed(s, p);
	return 0;
}

static void
unlink_one(struct ipifc_stack *s, struct ipifc_selflink *k)
{
	struct ipifc_self *p = k->self;

	LIST_REMOVE(k, selflink);
	link_detach(k);
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

/*
 * A membership moving (multi.c) takes one more reference of l's link,
 * or, when l has none and only it held from's, from's link itself: no
 * allocation.  Off an address that goes (going) it must land even when
 * memory has run out, or it would hang on freed memory: from's link
 * moves to l then with what else from held of a, which
 * ipifc_self_remove_all would drop a moment later anyway.
 */
int
ipifc_self_move(struct ipifc_stack *s, const struct ipifc_ip *a,
    unsigned type, struct ipifc_lifc *from, struct ipifc_lifc *l, int going)
{
	struct ipifc_self *p;
	struct ipifc_selflink *kf, *kt;

	if (from == l)
		return 0;
	if ((p = ipifc_self_find(s, a)) == NULL ||
	    (kf = link_of(p, from)) == NULL)
		return ipifc_self_add(s, a, type, l);
	if ((kt = link_of(p, l)) != NULL) {
		settype(p, kt, kt->type | type);
		kt->ref++;
		if (l != NULL)
			ipifc_prefix_dirty(l);
	} else if (kf->ref == 1 || going) {
		link_detach(kf);
		link_attach(kf, l);
		kf->ref = 1;
		settype(p, kf, type);
		changed(s, p);
		return 0;
	} else if (ipifc_self_add(s, a, type, l) < 0)
		return -ENOMEM;
	if (--kf->ref == 0)
		unlink_one(s, kf);
	else
		changed(s, p);
	return 0;
}

void
ipifc_self_remove_all(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	while (l->self != NULL)
		unlink_one(s, l->self);
}
