/*
 * The route table: a longest-prefix-match structure for both families.
 *
 * Routes with the same destination prefix hang off one destination entry
 * (struct rtdst), longest source prefix first: the source-specific routes
 * are a short second level under the few destinations that have them.
 *
 * Destination entries are kept twice:
 *
 * - in a hash keyed by (prefix, length) that grows with the table: exact
 *   gets and deletes, and the slow path of a lookup (probe each length in
 *   use, longest first) when the best destination has no usable route
 *   (its interfaces down, or no source prefix holds the source);
 * - in a multibit trie per family (IPv4: the 32 bits after ::ffff:0:0/96,
 *   routes of length 96 and more; IPv6: the rest), poptrie-like: a direct
 *   root of 2^18 slots (2 MB, made with the family's first route; pages
 *   untouched cost nothing), then nodes of 64 slots (6 bits), each one
 *   allocation holding its children and then its leaves, both indexed by
 *   the popcount of a bitmap, the leaves compressed into runs of equal
 *   values.  Leaves hold the best destination entry covering their slot
 *   (pushed down from shorter prefixes), so a lookup reads the root, one
 *   node per 6 bits past the 18th (its leaf most often in the node's
 *   first cache lines), and the destination entry.  Bursts walk their
 *   lookups side by side, prefetching each one's next read.
 *
 * Updates are incremental: a prefix changes the slots of the one node its
 * length falls in, and the nodes below that inherited the value it
 * replaces; each node changed is built anew.  Nodes come and go with the
 * prefixes longer than their depth.
 * Memory grows with what is stored; the bound on routes is a per-table
 * setting (IPIFC_MAXROUTES by default).
 *
 * Should an allocation fail while the trie changes, the trie is dropped
 * and lookups use the hash alone: slower, still exact.
 */
#include <sys/mman.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define LPM_ROOTBITS	18
#define LPM_NROOT	(1u << LPM_ROOTBITS)
#define LPM_STRIDE	6
#define LPM_MAXDEPTH	20		/* (128 - 18) / 6 rounded up, and one */

struct rtdst;

/*
 * A route.  Its destination's routes are a list, longest source first,
 * with links both ways so one leaves in O(1); every route is also in the
 * table's hash of (destination entry, source prefix), so finding one
 * under a destination with many source-specific routes (an address each,
 * all in one subnet) does not walk them.
 */
struct rtent {
	struct ipifc_route r;
	struct rtent	*snext;		/* same destination, longest source first */
	struct rtent	*sprev;
	struct rtent	*hnext;		/* the (destination, source) hash */
	struct rtdst	*d;
};

/*
 * A destination entry holds one route in place, so the common lookup (one
 * route per destination) reads one object after the trie, not two.  fast
 * is what a lookup from any source takes at once when its interface is
 * up (or it has none), and what a lookup from a source takes when it is
 * the first route and its source prefix holds the source; otherwise
 * (NULL: only source-specific routes; its interface down) the lookup
 * falls back to rt_match's walk.
 */
struct rtdst {
	struct ipifc_route *fast;	/* first route open to any source */
	struct rtent	 inl;		/* its first line shared with fast */
	struct rtent	*routes, *last;
	struct rtdst	*hnext;
	int		 plen;
	int		 inlused;	/* inl is on the routes list */
	struct ipifc_ip	 dst;
};

/* Destination entries start on a cache line (see above). */
#define RTDST_SIZE	((sizeof(struct rtdst) + 63) & ~(size_t)63)

struct lpm_node;

/*
 * Where destination entries live: chunks carved into blocks, the freed
 * ones kept on a list per size (8-byte steps).  Chunks start at 64 KB;
 * once an arena holds 2 MB they are 2 MB each, aligned and offered to the
 * kernel as huge pages, so a lookup's read of the entry at a million
 * routes rarely misses the TLB.  All chunks go back when the last block
 * does.  (Trie nodes stay with malloc: they change size with every
 * update, and free lists by size held a quarter more memory than they.)
 */
/* Under ASan, blocks not handed out are poisoned, as malloc's would be. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n)	((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#define LPM_SMALLCHUNK	(64u << 10)
#define LPM_HUGECHUNK	(2u << 20)
#define LPM_NCLASS	160		/* blocks up to 1272 bytes */

struct lpm_chunk {
	struct lpm_chunk *next;
	size_t		 size;
};

struct lpm_arena {
	char		*cur, *end;
	void		*freel[LPM_NCLASS];
	struct lpm_chunk *chunks;
	size_t		 bytes;		/* chunks held */
	long		 live;		/* blocks out */
};

/* A root slot: a destination entry, or a node with the low bit set. */
struct lpm_fib {
	uintptr_t	*root;		/* LPM_NROOT slots, made on first use */
	struct rtdst	*def;		/* the family's default route entry */
	int		 base;		/* 96 for IPv4, 0 for IPv6 */
};

struct ipifc_rtab {
	struct rtdst	**hash;
	unsigned	 hbits;
	int		 ndst;
	struct rtent	**ehash;	/* routes by (destination entry, source) */
	unsigned	 ehbits;
	int		 nplen[129];	/* destination entries of each length */
	uint8_t		 lens[129];	/* lengths in use, longest first */
	int		 nlens;
	struct lpm_fib	 fib4, fib6;
	struct lpm_arena dsts;
	int		 fibok;		/* 0: an allocation failed, hash only */
	size_t		 fibbytes, ribbytes;
	int		 n, max;
};

/* ---- prefix helpers ---- */

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

/* Without the popcnt instruction, a few operations inline beat a call. */
static inline unsigned
pop64(uint64_t x)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcountll(x);
#else
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
#endif
}

/*
 * The lookups count bits at every step.  Built for a generic x86-64 (no
 * popcnt instruction assumed), they come in two clones picked when the
 * program loads: one with the instruction, one without.  GCC only: clang
 * (the fuzzers' build) does not resolve the clones of these static
 * functions, and takes the portable count.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__linux__) && !defined(__POPCNT__)
#define LPM_LOOKUP	__attribute__((target_clones("popcnt", "default")))
#define lpop64(x)	((unsigned)__builtin_popcountll(x))
#else
#define LPM_LOOKUP
#define lpop64(x)	pop64(x)
#endif

static inline uint64_t
rt_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The top plen (0-64) bits of a 64-bit word. */
static inline uint64_t
rt_topmask(int plen)
{
	return plen <= 0 ? 0 : plen >= 64 ? ~0ULL : ~0ULL << (64 - plen);
}

/* Is a inside p/plen?  p is already masked.  Whole words: the lookup's
 * per-route check. */
static inline int
rt_inprefix(const struct ipifc_ip *a, const struct ipifc_ip *p, int plen)
{
	uint64_t x0 = rt_be64(a->a) ^ rt_be64(p->a);
	uint64_t x1 = rt_be64(a->a + 8) ^ rt_be64(p->a + 8);

	return ((x0 & rt_topmask(plen)) | (x1 & rt_topmask(plen - 64))) == 0;
}

static inline int
rt_isv4(const struct ipifc_ip *a)
{
	uint64_t w0;
	uint32_t w1;

	memcpy(&w0, a->a, 8);
	memcpy(&w1, a->a + 8, 4);
	return w0 == 0 && w1 == htonl(0xffff);
}

/* The trie key of a: the family's bits from the top of k[0]. */
static inline const struct lpm_fib *
rt_key(const struct ipifc_rtab *t, const struct ipifc_ip *a, uint64_t k[2])
{
	if (rt_isv4(a)) {
		k[0] = rt_be64(a->a + 8) << 32;
		k[1] = 0;
		return &t->fib4;
	}
	k[0] = rt_be64(a->a);
	k[1] = rt_be64(a->a + 8);
	return &t->fib6;
}

/* n (<= 16) bits of k from bit off; past the end reads zeros. */
static inline unsigned
kbits(const uint64_t k[2], int off, int n)
{
	uint64_t v;

	if (off == 0)
		v = k[0];
	else if (off < 64)
		v = k[0] << off | k[1] >> (64 - off);
	else
		v = k[1] << (off - 64);
	return (unsigned)(v >> (64 - n));
}

static inline unsigned
rt_hash(const struct ipifc_ip *a, int plen, unsigned bits)
{
	uint64_t w0, w1, h;

	memcpy(&w0, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	/*
	 * w0 mixed down before w1 meets it: a multiply carries bits only
	 * upwards, and the top bytes of both words (an IPv6 prefix's last
	 * hextet, a host's last byte) folded into one byte (256 buckets).
	 */
	w0 ^= w0 >> 32;
	w0 *= 0x9e3779b97f4a7c15ULL;
	w0 ^= w0 >> 29;
	h = w0 ^ w1 ^ (uint64_t)plen;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return (unsigned)(h >> (64 - bits));
}

/* ---- the arenas ---- */

/* A block of size bytes (a multiple of 8, 64 for destination entries). */
static void *
arena_get(struct lpm_arena *a, size_t size, size_t *held)
{
	struct lpm_chunk *c;
	size_t csize;
	void *p;

	if ((p = a->freel[size / 8]) != NULL) {
		ARENA_UNPOISON(p, size);
		a->freel[size / 8] = *(void **)p;
		a->live++;
		return p;
	}
	if ((size_t)(a->end - a->cur) < size) {
		csize = a->bytes < LPM_HUGECHUNK ? LPM_SMALLCHUNK :
		    LPM_HUGECHUNK;
		if ((c = aligned_alloc(csize, csize)) == NULL)
			return NULL;
#ifdef MADV_HUGEPAGE
		if (csize == LPM_HUGECHUNK)
			(void)madvise(c, csize, MADV_HUGEPAGE);
#endif
		c->next = a->chunks;
		c->size = csize;
		a->chunks = c;
		a->bytes += csize;
		*held += csize;
		a->cur = (char *)c + 64;
		a->end = (char *)c + csize;
		ARENA_POISON(a->cur, csize - 64);
	}
	p = a->cur;
	ARENA_UNPOISON(p, size);
	a->cur += size;
	a->live++;
	return p;
}

static void
arena_put(struct lpm_arena *a, void *p, size_t size, size_t *held)
{
	struct lpm_chunk *c;

	*(void **)p = a->freel[size / 8];
	a->freel[size / 8] = p;
	ARENA_POISON(p, size);
	if (--a->live > 0)
		return;
	while ((c = a->chunks) != NULL) {
		a->chunks = c->next;
		ARENA_UNPOISON(c, c->size);
		free(c);
	}
	*held -= a->bytes;
	memset(a, 0, sizeof(*a));
}

/* ---- the hash of destination entries ---- */

static struct rtdst *
rt_dstfind(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen)
{
	struct rtdst *d;

	for (d = t->hash[rt_hash(dst, plen, t->hbits)]; d != NULL;
	    d = d->hnext)
		if (d->plen == plen && memcmp(d->dst.a, dst->a, 16) == 0)
			return d;
	return NULL;
}

/* Double the buckets when entries outnumber them; failure is harmless. */
static void
rt_grow(struct ipifc_rtab *t)
{
	struct rtdst **nh, *d, *next;
	unsigned nb = 1u << t->hbits, i, h;

	if ((unsigned)t->ndst < nb || t->hbits >= 28)
		return;
	if ((nh = calloc((size_t)nb * 2, sizeof(*nh))) == NULL)
		return;
	for (i = 0; i < nb; i++)
		for (d = t->hash[i]; d != NULL; d = next) {
			next = d->hnext;
			h = rt_hash(&d->dst, d->plen, t->hbits + 1);
			d->hnext = nh[h];
			nh[h] = d;
		}
	free(t->hash);
	t->hash = nh;
	t->hbits++;
	t->ribbytes += (size_t)nb * sizeof(*nh);
}

/* ---- the hash of routes by (destination entry, source prefix) ---- */

static inline unsigned
rt_ehash(const struct rtdst *d, const struct ipifc_ip *src, int splen,
    unsigned bits)
{
	return rt_hash(src, splen ^ (int)((uintptr_t)d >> 4), bits);
}

static struct rtent *
rt_efind(const struct ipifc_rtab *t, const struct rtdst *d,
    const struct ipifc_ip *src, int splen)
{
	struct rtent *e;

	for (e = t->ehash[rt_ehash(d, src, splen, t->ehbits)]; e != NULL;
	    e = e->hnext)
		if (e->d == d && e->r.splen == splen &&
		    memcmp(e->r.src.a, src->a, 16) == 0)
			return e;
	return NULL;
}

/* As rt_grow, for the routes' hash. */
static void
rt_egrow(struct ipifc_rtab *t)
{
	struct rtent **nh, *e, *next;
	unsigned nb = 1u << t->ehbits, i, h;

	if ((unsigned)t->n < nb || t->ehbits >= 28)
		return;
	if ((nh = calloc((size_t)nb * 2, sizeof(*nh))) == NULL)
		return;
	for (i = 0; i < nb; i++)
		for (e = t->ehash[i]; e != NULL; e = next) {
			next = e->hnext;
			h = rt_ehash(e->d, &e->r.src, e->r.splen,
			    t->ehbits + 1);
			e->hnext = nh[h];
			nh[h] = e;
		}
	free(t->ehash);
	t->ehash = nh;
	t->ehbits++;
	t->ribbytes += (size_t)nb * sizeof(*nh);
}

static void
rt_eunhash(struct ipifc_rtab *t, struct rtent *e)
{
	struct rtent **pp;

	for (pp = &t->ehash[rt_ehash(e->d, &e->r.src, e->r.splen,
	    t->ehbits)]; *pp != e; pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
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

/*
 * The longest destination entry of length in [lo, hi) that holds dst,
 * or NULL: the next best below a prefix being removed.
 */
static struct rtdst *
rt_shorter(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int lo,
    int hi)
{
	struct ipifc_ip key;
	struct rtdst *d;
	int plen;

	for (plen = hi - 1; plen >= lo; plen--) {
		if (t->nplen[plen] == 0)
			continue;
		rt_mask(&key, dst, plen);
		if ((d = rt_dstfind(t, &key, plen)) != NULL)
			return d;
	}
	return NULL;
}

/* ---- the trie ---- */

/*
 * A node is one allocation: its header, then its children (by popcount of
 * vec), then its leaves (by popcount of leafvec).  A lookup that ends in
 * a node reads its header and one leaf a few words further on, most often
 * the same cache line or the next.  A change builds the node anew, in
 * place when its size stays.
 */
union lpm_slot {
	struct lpm_node	*c;
	struct rtdst	*l;
};

struct lpm_node {
	uint64_t	 vec;		/* slots with a child */
	uint64_t	 leafvec;	/* slots where a run of leaves starts */
	struct rtdst	*def;		/* best prefix over the whole node */
	uint32_t	 norig;		/* prefixes whose length falls here */
	uint32_t	 size;		/* bytes of this allocation */
	union lpm_slot	 p[];		/* children, then leaves */
};

static inline struct rtdst *
slotval(uintptr_t v)
{
	if (v & 1)
		return ((struct lpm_node *)(v - 1))->def;
	return (struct rtdst *)v;
}

static inline unsigned
node_cidx(const struct lpm_node *n, unsigned i)
{
	return pop64(n->vec & ((1ULL << i) - 1));
}

/* The leaf values of all 64 slots (a child's slot: what it inherits). */
static void
node_expand(const struct lpm_node *n, struct rtdst **v)
{
	const union lpm_slot *leaf = n->p + pop64(n->vec);
	int i, j = -1;

	for (i = 0; i < 64; i++) {
		if (n->leafvec & (1ULL << i))
			j++;
		v[i] = leaf[j].l;
	}
}

/*
 * Node n over slots v with children c (NULL: none): n itself when it is
 * given and the new node has its size, else a new allocation (NULL
 * without memory).
 */
static struct lpm_node *
node_build(struct ipifc_rtab *t, struct lpm_node *n, struct rtdst *const *v,
    struct lpm_node *const *c, struct rtdst *def, uint32_t norig)
{
	uint64_t vec = 0, lv = 1;
	size_t size;
	int i, nc = 0, runs = 1;

	for (i = 0; i < 64; i++) {
		if (c[i] != NULL) {
			vec |= 1ULL << i;
			nc++;
		}
		if (i > 0 && v[i] != v[i - 1]) {
			lv |= 1ULL << i;
			runs++;
		}
	}
	size = sizeof(*n) + (size_t)(nc + runs) * sizeof(n->p[0]);
	if (n == NULL || n->size != size) {
		if ((n = malloc(size)) == NULL)
			return NULL;
		t->fibbytes += size;
	}
	n->vec = vec;
	n->leafvec = lv;
	n->def = def;
	n->norig = norig;
	n->size = (uint32_t)size;
	for (i = 0, nc = 0; i < 64; i++)
		if (c[i] != NULL)
			n->p[nc++].c = c[i];
	for (i = 0; i < 64; i++)
		if (lv & (1ULL << i))
			n->p[nc++].l = v[i];
	return n;
}

/* The children of n by slot. */
static void
node_children(const struct lpm_node *n, struct lpm_node **c)
{
	int i, j = 0;

	for (i = 0; i < 64; i++)
		c[i] = n->vec & (1ULL << i) ? n->p[j++].c : NULL;
}

static void
node_free1(struct ipifc_rtab *t, struct lpm_node *n)
{
	t->fibbytes -= n->size;
	free(n);
}

static void
node_fini(struct ipifc_rtab *t, struct lpm_node *n)
{
	int i, nc = pop64(n->vec);

	for (i = 0; i < nc; i++)
		node_fini(t, n->p[i].c);
	node_free1(t, n);
}

/* A node with no children, every slot def. */
static struct lpm_node *
node_new(struct ipifc_rtab *t, struct rtdst *def)
{
	struct rtdst *v[64];
	struct lpm_node *c[64];
	int i;

	for (i = 0; i < 64; i++) {
		v[i] = def;
		c[i] = NULL;
	}
	return node_build(t, NULL, v, c, def, 0);
}

/*
 * Rebuild *np with slots v, in place when its size stays; *np stays as it
 * was without memory.
 */
static int
node_rebuild(struct ipifc_rtab *t, struct lpm_node **np,
    struct rtdst *const *v, struct lpm_node *const *c, struct rtdst *def,
    uint32_t norig)
{
	struct lpm_node *nn;

	if ((nn = node_build(t, *np, v, c, def, norig)) == NULL)
		return -ENOMEM;
	if (nn != *np) {
		node_free1(t, *np);
		*np = nn;
	}
	return 0;
}

/*
 * *np inherited old over its whole range: it inherits new now.  Children
 * are replaced in place in their parent, so every node stays whole should
 * memory run out half way.
 */
static int
node_push(struct ipifc_rtab *t, struct lpm_node **np, struct rtdst *old,
    struct rtdst *new)
{
	struct lpm_node *n = *np, *c[64];
	struct rtdst *v[64];
	int i, error;

	node_expand(n, v);
	for (i = 0; i < 64; i++) {
		if (v[i] != old)
			continue;
		if ((n->vec & (1ULL << i)) && (error = node_push(t,
		    &n->p[node_cidx(n, i)].c, old, new)) != 0)
			return error;
		v[i] = new;
	}
	node_children(n, c);
	return node_rebuild(t, np, v, c, new, n->norig);
}

/* The root slot s as a node (pushes through a root slot use this). */
static int
root_push(struct ipifc_rtab *t, uintptr_t *slot, struct rtdst *old,
    struct rtdst *new)
{
	struct lpm_node *n = (struct lpm_node *)(*slot - 1);
	int error;

	error = node_push(t, &n, old, new);
	*slot = (uintptr_t)n | 1;
	return error;
}

/* Root slots [first, first + count): where better is better, put d. */
static int
root_set(struct ipifc_rtab *t, struct lpm_fib *f, unsigned first,
    unsigned count, struct rtdst *old, struct rtdst *d, int insert)
{
	struct rtdst *cur;
	uintptr_t v;
	unsigned s;
	int error;

	for (s = first; s < first + count; s++) {
		v = f->root[s];
		cur = slotval(v);
		if (insert ? (cur != NULL && cur->plen >= d->plen) : cur != old)
			continue;
		if (!(v & 1)) {
			f->root[s] = (uintptr_t)d;
			continue;
		}
		if ((error = root_push(t, &f->root[s], cur, d)) != 0)
			return error;
	}
	return 0;
}

static int
fib_root(struct ipifc_rtab *t, struct lpm_fib *f)
{
	if (f->root != NULL)
		return 0;
	if ((f->root = calloc(LPM_NROOT, sizeof(*f->root))) == NULL)
		return -ENOMEM;
	t->fibbytes += LPM_NROOT * sizeof(*f->root);
	return 0;
}

/* Put d (trie length l, key k) into *np, which covers bits [L, L + 6). */
static int
node_insert(struct ipifc_rtab *t, struct lpm_node **np, const uint64_t *k,
    int L, int l, struct rtdst *d)
{
	struct lpm_node *n = *np, *c[64], *nc;
	struct rtdst *v[64];
	unsigned i, first, count;
	int error;

	if (l > L + LPM_STRIDE) {
		i = kbits(k, L, LPM_STRIDE);
		if (n->vec & (1ULL << i))
			return node_insert(t, &n->p[node_cidx(n, i)].c, k,
			    L + LPM_STRIDE, l, d);
		node_expand(n, v);
		node_children(n, c);
		if ((nc = node_new(t, v[i])) == NULL)
			return -ENOMEM;
		if ((error = node_insert(t, &nc, k, L + LPM_STRIDE, l,
		    d)) != 0 ||
		    (c[i] = nc, error = node_rebuild(t, np, v, c, n->def,
		    n->norig)) != 0) {
			node_fini(t, nc);
			return error;
		}
		return 0;
	}
	node_expand(n, v);
	first = kbits(k, L, LPM_STRIDE) & ~((1u << (L + LPM_STRIDE - l)) - 1);
	count = 1u << (L + LPM_STRIDE - l);
	for (i = first; i < first + count; i++) {
		if (v[i] != NULL && v[i]->plen >= d->plen)
			continue;
		if ((n->vec & (1ULL << i)) && (error = node_push(t,
		    &n->p[node_cidx(n, i)].c, v[i], d)) != 0)
			return error;
		v[i] = d;
	}
	node_children(n, c);
	return node_rebuild(t, np, v, c, n->def, n->norig + 1);
}

/* Put destination entry d into its family's trie. */
static int
fib_insert(struct ipifc_rtab *t, struct rtdst *d)
{
	struct lpm_fib *f;
	struct lpm_node *n;
	uint64_t k[2];
	unsigned s, first;
	int l, error;

	f = (struct lpm_fib *)rt_key(t, &d->dst, k);
	l = d->plen - f->base;
	if ((error = fib_root(t, f)) != 0)
		return error;
	if (l == 0) {
		f->def = d;
		return root_set(t, f, 0, LPM_NROOT, NULL, d, 1);
	}
	if (l <= LPM_ROOTBITS) {
		first = kbits(k, 0, LPM_ROOTBITS) &
		    ~((1u << (LPM_ROOTBITS - l)) - 1);
		return root_set(t, f, first, 1u << (LPM_ROOTBITS - l), NULL,
		    d, 1);
	}
	s = kbits(k, 0, LPM_ROOTBITS);
	if (!(f->root[s] & 1)) {
		if ((n = node_new(t, (struct rtdst *)f->root[s])) == NULL)
			return -ENOMEM;
		f->root[s] = (uintptr_t)n | 1;
	}
	n = (struct lpm_node *)(f->root[s] - 1);
	error = node_insert(t, &n, k, LPM_ROOTBITS, l, d);
	f->root[s] = (uintptr_t)n | 1;
	return error;
}

/*
 * Take d (trie length l, key k) out of *np, which covers bits [L, L + 6).
 * *gone: the node has no prefix and no child left; the caller drops it.
 */
static int
node_remove(struct ipifc_rtab *t, struct lpm_node **np, const uint64_t *k,
    int L, int l, struct rtdst *d, int *gone)
{
	struct lpm_node *n = *np, *c[64], *cn;
	struct rtdst *v[64], *repl;
	unsigned i, first, count, ci;
	int error, cgone = 0;

	*gone = 0;
	if (l > L + LPM_STRIDE) {
		i = kbits(k, L, LPM_STRIDE);
		if (!(n->vec & (1ULL << i)))
			return 0;
		ci = node_cidx(n, i);
		if ((error = node_remove(t, &n->p[ci].c, k, L + LPM_STRIDE,
		    l, d, &cgone)) != 0 || !cgone)
			return error;
		node_expand(n, v);
		node_children(n, c);
		c[i] = NULL;
		if (n->norig == 0 && n->vec == 1ULL << i) {
			node_fini(t, n->p[ci].c);
			n->vec = 0;
			*gone = 1;
			return 0;
		}
		cn = n->p[ci].c;
		if ((error = node_rebuild(t, np, v, c, n->def,
		    n->norig)) != 0)
			return error;
		node_fini(t, cn);
		return 0;
	}
	repl = rt_shorter(t, &d->dst, d->plen - l + L + 1, d->plen);
	if (repl == NULL)
		repl = n->def;
	node_expand(n, v);
	first = kbits(k, L, LPM_STRIDE) & ~((1u << (L + LPM_STRIDE - l)) - 1);
	count = 1u << (L + LPM_STRIDE - l);
	for (i = first; i < first + count; i++) {
		if (v[i] != d)
			continue;
		if ((n->vec & (1ULL << i)) && (error = node_push(t,
		    &n->p[node_cidx(n, i)].c, d, repl)) != 0)
			return error;
		v[i] = repl;
	}
	if (n->norig == 1 && n->vec == 0) {
		n->norig = 0;
		*gone = 1;
		return 0;
	}
	node_children(n, c);
	return node_rebuild(t, np, v, c, n->def, n->norig - 1);
}

/* Take destination entry d out of its family's trie. */
static int
fib_remove(struct ipifc_rtab *t, struct rtdst *d)
{
	struct lpm_fib *f;
	struct lpm_node *n;
	struct rtdst *repl;
	unsigned s, first;
	uint64_t k[2];
	int l, error, gone;

	f = (struct lpm_fib *)rt_key(t, &d->dst, k);
	l = d->plen - f->base;
	if (f->root == NULL)
		return 0;
	if (l == 0) {
		f->def = NULL;
		return root_set(t, f, 0, LPM_NROOT, d, NULL, 0);
	}
	if (l <= LPM_ROOTBITS) {
		repl = rt_shorter(t, &d->dst, f->base + 1, d->plen);
		if (repl == NULL)
			repl = f->def;
		first = kbits(k, 0, LPM_ROOTBITS) &
		    ~((1u << (LPM_ROOTBITS - l)) - 1);
		return root_set(t, f, first, 1u << (LPM_ROOTBITS - l), d,
		    repl, 0);
	}
	s = kbits(k, 0, LPM_ROOTBITS);
	if (!(f->root[s] & 1))
		return 0;
	n = (struct lpm_node *)(f->root[s] - 1);
	error = node_remove(t, &n, k, LPM_ROOTBITS, l, d, &gone);
	if (error == 0 && gone) {
		f->root[s] = (uintptr_t)n->def;
		node_fini(t, n);
	} else
		f->root[s] = (uintptr_t)n | 1;
	return error;
}

static void
fib_free(struct ipifc_rtab *t, struct lpm_fib *f)
{
	unsigned s;

	if (f->root == NULL)
		return;
	for (s = 0; s < LPM_NROOT; s++)
		if (f->root[s] & 1)
			node_fini(t, (struct lpm_node *)(f->root[s] - 1));
	free(f->root);
	f->root = NULL;
	f->def = NULL;
}

/* An allocation failed mid-change: lookups go by the hash from now on. */
static void
fib_drop(struct ipifc_rtab *t)
{
	fib_free(t, &t->fib4);
	fib_free(t, &t->fib6);
	t->fibok = 0;
	t->fibbytes = 0;
}

/* One step down from node n for slot bits i: a child, or NULL and *leaf. */
static inline const struct lpm_node *
node_step(const struct lpm_node *n, unsigned i, struct rtdst **leaf)
{
	uint64_t bit = 1ULL << i;

	if (n->vec & bit)
		return n->p[lpop64(n->vec & (bit - 1))].c;
	*leaf = n->p[lpop64(n->vec) + lpop64(n->leafvec & ((bit << 1) - 1)) -
	    1].l;
	return NULL;
}

/* The best destination entry holding dst, from the trie. */
static inline struct rtdst *
fib_lookup(const struct ipifc_rtab *t, const struct ipifc_ip *dst)
{
	const struct lpm_fib *f;
	const struct lpm_node *n;
	struct rtdst *leaf = NULL;
	uint64_t k[2];
	uintptr_t v;
	int L;

	f = rt_key(t, dst, k);
	if (f->root == NULL)
		return NULL;
	v = f->root[k[0] >> (64 - LPM_ROOTBITS)];
	if (!(v & 1))
		return (struct rtdst *)v;
	n = (const struct lpm_node *)(v - 1);
	for (L = LPM_ROOTBITS; n != NULL; L += LPM_STRIDE)
		n = node_step(n, kbits(k, L, LPM_STRIDE), &leaf);
	return leaf;
}

/* ---- the table ---- */

struct ipifc_rtab *
ipifc_rtab_new(void)
{
	struct ipifc_rtab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->hbits = 6;
	if ((t->hash = calloc(1u << t->hbits, sizeof(*t->hash))) == NULL) {
		free(t);
		return NULL;
	}
	t->ehbits = 6;
	if ((t->ehash = calloc(1u << t->ehbits, sizeof(*t->ehash))) == NULL) {
		free(t->hash);
		free(t);
		return NULL;
	}
	t->ribbytes = sizeof(*t) + (sizeof(*t->hash) << t->hbits) +
	    (sizeof(*t->ehash) << t->ehbits);
	t->fib4.base = 96;
	t->fibok = 1;
	t->max = IPIFC_MAXROUTES;
	return t;
}

void
ipifc_rtab_free(struct ipifc_rtab *t)
{
	struct rtdst *d, *next;
	struct rtent *e, *enext;
	unsigned i;

	if (t == NULL)
		return;
	fib_free(t, &t->fib4);
	fib_free(t, &t->fib6);
	for (i = 0; i < 1u << t->hbits; i++)
		for (d = t->hash[i]; d != NULL; d = next) {
			next = d->hnext;
			for (e = d->routes; e != NULL; e = enext) {
				enext = e->snext;
				if (e != &d->inl)
					free(e);
			}
			arena_put(&t->dsts, d, RTDST_SIZE, &t->ribbytes);
		}
	free(t->hash);
	free(t->ehash);
	free(t);
}

void
ipifc_rtab_setmax(struct ipifc_rtab *t, int max)
{
	t->max = max;
}

size_t
ipifc_rtab_memory(const struct ipifc_rtab *t, size_t *fib)
{
	if (fib != NULL)
		*fib = t->fibbytes;
	return t->fibbytes + t->ribbytes;
}

/* Does e's source prefix hold the unspecified address (any source)? */
static inline int
rt_anysrc(const struct rtdst *d, const struct rtent *e)
{
	return rt_inprefix(rt_isv4(&d->dst) ? &ipifc_ip_unspec4 :
	    &ipifc_ip_unspec6, &e->r.src, e->r.splen);
}

/*
 * Put e on d's list after the last route with a source prefix as long.
 * The walk comes in from both ends at once, so a route with the longest
 * or the shortest source (an address's own route, the any-source one)
 * takes a step or two however many routes the destination has.  Two
 * routes with sources of one length hold disjoint sources (or the same
 * key), so the first route whose source prefix holds a source is the
 * best, and fast is the longest source prefix that holds any source.
 */
static void
rt_slink(struct rtdst *d, struct rtent *e)
{
	struct rtent *a = d->routes, *b = d->last;
	int sl = e->r.splen;

	e->snext = e->sprev = NULL;
	while (a != NULL) {
		if (a->r.splen < sl) {
			e->snext = a;
			e->sprev = a->sprev;
			break;
		}
		if (b->r.splen >= sl) {
			e->sprev = b;
			e->snext = b->snext;
			break;
		}
		a = a->snext;
		b = b->sprev;
	}
	if (e->sprev != NULL)
		e->sprev->snext = e;
	else
		d->routes = e;
	if (e->snext != NULL)
		e->snext->sprev = e;
	else
		d->last = e;
	if (rt_anysrc(d, e) && (d->fast == NULL || sl > d->fast->splen))
		d->fast = &e->r;
}

/* Take e off d's list; the next route open to any source becomes fast. */
static void
rt_sunlink(struct rtdst *d, struct rtent *e)
{
	struct rtent *f;

	if (d->fast == &e->r) {
		d->fast = NULL;
		for (f = e->snext; f != NULL; f = f->snext)
			if (rt_anysrc(d, f)) {
				d->fast = &f->r;
				break;
			}
	}
	if (e->sprev != NULL)
		e->sprev->snext = e->snext;
	else
		d->routes = e->snext;
	if (e->snext != NULL)
		e->snext->sprev = e->sprev;
	else
		d->last = e->sprev;
}

int
ipifc_rtab_add(struct ipifc_rtab *t, const struct ipifc_route *r)
{
	struct ipifc_ip dst, src;
	struct rtdst *d;
	struct rtent *e;
	unsigned h;

	if (r->plen < 0 || r->plen > 128 || r->splen < 0 || r->splen > 128)
		return -EINVAL;
	rt_mask(&dst, &r->dst, r->plen);
	rt_mask(&src, &r->src, r->splen);
	if ((d = rt_dstfind(t, &dst, r->plen)) != NULL &&
	    rt_efind(t, d, &src, r->splen) != NULL)
		return -EEXIST;
	if (t->n >= t->max)
		return -ENOSPC;
	if (d != NULL && d->inlused) {
		if ((e = malloc(sizeof(*e))) == NULL)
			return -ENOMEM;
		t->ribbytes += sizeof(*e);
	} else if (d != NULL) {
		e = &d->inl;
		d->inlused = 1;
	} else {
		if ((d = arena_get(&t->dsts, RTDST_SIZE, &t->ribbytes)) ==
		    NULL)
			return -ENOMEM;
		memset(d, 0, sizeof(*d));
		e = &d->inl;
		d->inlused = 1;
		d->dst = dst;
		d->plen = r->plen;
		d->hnext = t->hash[rt_hash(&dst, r->plen, t->hbits)];
		t->hash[rt_hash(&dst, r->plen, t->hbits)] = d;
		t->ndst++;
		rt_lenref(t, r->plen);
		if (t->fibok && fib_insert(t, d) != 0)
			fib_drop(t);
		rt_grow(t);
	}
	e->r = *r;
	e->r.dst = dst;
	e->r.src = src;
	e->r.tag[IPIFC_TAGLEN - 1] = '\0';
	e->d = d;
	rt_slink(d, e);
	h = rt_ehash(d, &src, r->splen, t->ehbits);
	e->hnext = t->ehash[h];
	t->ehash[h] = e;
	t->n++;
	rt_egrow(t);
	return 0;
}

static struct rtent *
rt_entfind(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct ipifc_ip dm, sm;
	struct rtdst *d;

	if (plen < 0 || plen > 128 || splen < 0 || splen > 128)
		return NULL;
	rt_mask(&dm, dst, plen);
	rt_mask(&sm, src, splen);
	if ((d = rt_dstfind(t, &dm, plen)) == NULL)
		return NULL;
	return rt_efind(t, d, &sm, splen);
}

struct ipifc_route *
ipifc_rtab_get(struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct rtent *e;

	if ((e = rt_entfind(t, dst, plen, src, splen)) == NULL)
		return NULL;
	return &e->r;
}

int
ipifc_rtab_del(struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen)
{
	struct rtent *e;
	struct rtdst *d, **dp;

	if ((e = rt_entfind(t, dst, plen, src, splen)) == NULL)
		return -ENOENT;
	d = e->d;
	rt_sunlink(d, e);
	rt_eunhash(t, e);
	if (e == &d->inl)
		d->inlused = 0;
	else {
		free(e);
		t->ribbytes -= sizeof(*e);
	}
	t->n--;
	if (d->routes != NULL)
		return 0;
	/* Out of the hash first: the trie asks it for the next best. */
	for (dp = &t->hash[rt_hash(&d->dst, d->plen, t->hbits)]; *dp != d;
	    dp = &(*dp)->hnext)
		;
	*dp = d->hnext;
	t->ndst--;
	rt_lenunref(t, d->plen);
	if (t->fibok && fib_remove(t, d) != 0)
		fib_drop(t);
	arena_put(&t->dsts, d, RTDST_SIZE, &t->ribbytes);
	return 0;
}

/* The first route of d that src and need accept, through an up interface. */
static inline struct rtent *
rt_pick(const struct rtdst *d, const struct ipifc_ip *src, unsigned need)
{
	struct rtent *e;

	for (e = d->routes; e != NULL; e = e->snext) {
		if (src != NULL && !rt_inprefix(src, &e->r.src, e->r.splen))
			continue;
		if (need != 0 && ((e->r.type & need) == 0 || e->r.ifc == NULL))
			continue;
		/* ipifc_ifc_up, inline: this runs for every lookup. */
		if (e->r.ifc != NULL && !(e->r.ifc->flags & IPIFC_F_UP))
			continue;
		return e;
	}
	return NULL;
}

/*
 * The best route to dst: longest destination prefix, then longest source
 * prefix containing src (NULL: ignore the source).  With need set, only
 * routes through an interface with one of those type bits.  The trie
 * gives the longest destination; when none of its routes will do, the
 * hash gives the shorter ones.
 */
LPM_LOOKUP static struct rtent *
rt_match(const struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src, unsigned need)
{
	struct ipifc_ip key;
	struct rtdst *d;
	struct rtent *e;
	int i, plen, v4, below = 129;

	if (t->fibok) {
		if ((d = fib_lookup(t, dst)) == NULL)
			return NULL;
		if ((e = rt_pick(d, src, need)) != NULL)
			return e;
		below = d->plen;
	}
	v4 = rt_isv4(dst);
	for (i = 0; i < t->nlens; i++) {
		plen = t->lens[i];
		if (plen >= below)
			continue;
		/* A v6 prefix shorter than 96 may cover ::ffff:0:0/96. */
		if (v4 && plen < 96)
			break;
		rt_mask(&key, dst, plen);
		if ((d = rt_dstfind(t, &key, plen)) == NULL)
			continue;
		if ((e = rt_pick(d, src, need)) != NULL)
			return e;
	}
	return NULL;
}

struct ipifc_route *
ipifc_rtab_match(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src, unsigned need)
{
	struct rtent *e;

	if ((e = rt_match(t, dst, src, need)) == NULL)
		return NULL;
	return &e->r;
}

LPM_LOOKUP struct ipifc_route *
ipifc_rtab_lookup(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	struct ipifc_route *r;
	struct rtdst *d;
	struct rtent *e;

	/*
	 * The fast route, when it is the first of its destination for a
	 * source (no longer source prefix before it) and its interface is up.
	 */
	if (t->fibok) {
		if ((d = fib_lookup(t, dst)) == NULL)
			return NULL;
		r = d->fast;
		if (r != NULL && (src == NULL || (r == &d->routes->r &&
		    rt_inprefix(src, &r->src, r->splen))) &&
		    (r->ifc == NULL || (r->ifc->flags & IPIFC_F_UP)))
			return r;
	}
	/* Any source: routes whose source prefix holds the unspecified address. */
	if (src == NULL)
		src = rt_isv4(dst) ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6;
	if ((e = rt_match(t, dst, src, 0)) == NULL)
		return NULL;
	return &e->r;
}

#define LPM_BURST	16

LPM_LOOKUP void
ipifc_rtab_lookup_burst(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    int n, struct ipifc_route **out)
{
	const struct lpm_fib *f[LPM_BURST];
	const struct lpm_node *nd[LPM_BURST];
	struct rtdst *d[LPM_BURST];
	struct ipifc_route *r;
	uint64_t k[LPM_BURST][2];
	uintptr_t v;
	int L[LPM_BURST], i, j, m, left;

	if (!t->fibok) {
		for (j = 0; j < n; j++)
			out[j] = ipifc_rtab_lookup(t, &dst[j], NULL);
		return;
	}
	for (i = 0; i < n; i += m) {
		m = n - i < LPM_BURST ? n - i : LPM_BURST;
		/* Lanes side by side: each step prefetches every lane's next. */
		for (j = 0; j < m; j++) {
			f[j] = rt_key(t, &dst[i + j], k[j]);
			if (f[j]->root != NULL)
				__builtin_prefetch(&f[j]->root[k[j][0] >>
				    (64 - LPM_ROOTBITS)]);
		}
		left = 0;
		for (j = 0; j < m; j++) {
			nd[j] = NULL;
			d[j] = NULL;
			if (f[j]->root == NULL)
				continue;
			v = f[j]->root[k[j][0] >> (64 - LPM_ROOTBITS)];
			if (!(v & 1)) {
				d[j] = (struct rtdst *)v;
				if (d[j] != NULL)
					__builtin_prefetch(d[j]);
				continue;
			}
			nd[j] = (const struct lpm_node *)(v - 1);
			__builtin_prefetch(nd[j]);
			__builtin_prefetch((const char *)nd[j] + 64);
			L[j] = LPM_ROOTBITS;
			left++;
		}
		while (left > 0)
			for (j = 0; j < m; j++) {
				if (nd[j] == NULL)
					continue;
				nd[j] = node_step(nd[j], kbits(k[j], L[j],
				    LPM_STRIDE), &d[j]);
				if (nd[j] != NULL) {
					__builtin_prefetch(nd[j]);
					__builtin_prefetch(
					    (const char *)nd[j] + 64);
					L[j] += LPM_STRIDE;
					continue;
				}
				if (d[j] != NULL)
					__builtin_prefetch(d[j]);
				left--;
			}
		for (j = 0; j < m; j++) {
			r = d[j] != NULL ? d[j]->fast : NULL;
			if (d[j] == NULL)
				out[i + j] = NULL;
			else if (r != NULL && (r->ifc == NULL ||
			    (r->ifc->flags & IPIFC_F_UP)))
				out[i + j] = r;
			else
				out[i + j] = ipifc_rtab_lookup(t, &dst[i + j],
				    NULL);
		}
	}
}

/* Display order, as the table walks: dst, plen, src, splen. */
int
ipifc_rtkey_cmp(const struct ipifc_rtkey *a, const struct ipifc_rtkey *b)
{
	int c;

	if ((c = memcmp(a->dst.a, b->dst.a, 16)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if ((c = memcmp(a->src.a, b->src.a, 16)) != 0)
		return c;
	if (a->splen != b->splen)
		return a->splen < b->splen ? -1 : 1;
	return 0;
}

/* The routes' keys in display order (ipifc_rtkey_cmp). */
static int
rt_cmp(const void *x, const void *y)
{
	const struct ipifc_route *a = *(struct ipifc_route *const *)x;
	const struct ipifc_route *b = *(struct ipifc_route *const *)y;
	struct ipifc_rtkey ka = { a->dst, a->src, a->plen, a->splen };
	struct ipifc_rtkey kb = { b->dst, b->src, b->plen, b->splen };

	return ipifc_rtkey_cmp(&ka, &kb);
}

struct ipifc_route **
ipifc_rtab_select(struct ipifc_rtab *t,
    int (*match)(const struct ipifc_route *, const void *), const void *arg,
    int *np)
{
	struct ipifc_route **v;
	struct rtdst *d;
	struct rtent *e;
	unsigned i;
	int n = 0;

	*np = 0;
	/* Counted first: a purge of a few routes allocates for a few. */
	if (match != NULL) {
		for (i = 0; i < 1u << t->hbits; i++)
			for (d = t->hash[i]; d != NULL; d = d->hnext)
				for (e = d->routes; e != NULL; e = e->snext)
					n += match(&e->r, arg) != 0;
	} else
		n = t->n;
	if ((v = malloc((n + 1) * sizeof(*v))) == NULL)
		return NULL;
	n = 0;
	for (i = 0; i < 1u << t->hbits; i++)
		for (d = t->hash[i]; d != NULL; d = d->hnext)
			for (e = d->routes; e != NULL; e = e->snext)
				if (match == NULL || match(&e->r, arg))
					v[n++] = &e->r;
	qsort(v, n, sizeof(*v), rt_cmp);
	*np = n;
	return v;
}

void
ipifc_rtab_walk(struct ipifc_rtab *t,
    void (*fn)(void *arg, struct ipifc_route *r), void *arg)
{
	struct ipifc_route **v;
	struct rtdst *d;
	struct rtent *e;
	unsigned i;
	int j, n;

	if ((v = ipifc_rtab_select(t, NULL, NULL, &n)) != NULL) {
		for (j = 0; j < n; j++)
			fn(arg, v[j]);
		free(v);
		return;
	}
	/* No memory to sort: every route still, in hash order. */
	for (i = 0; i < 1u << t->hbits; i++)
		for (d = t->hash[i]; d != NULL; d = d->hnext)
			for (e = d->routes; e != NULL; e = e->snext)
				fn(arg, &e->r);
}

int
ipifc_rtab_count(const struct ipifc_rtab *t)
{
	return t->n;
}
