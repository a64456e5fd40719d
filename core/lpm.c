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
 *   root of 2^18 slots of 32 bits (1 MB, made with the family's first
 *   route; pages untouched cost nothing), then nodes of 64 slots (6
 *   bits).  A slot holds a 32-bit number: a destination entry's (entries
 *   are numbered, in pages of their own) or, with LPM_NODE set, a node's
 *   offset in the table's one pool of nodes.  A node holds its children
 *   and then its leaves, both indexed by the popcount of a bitmap, the
 *   leaves compressed into runs of equal values.  Leaves hold the best
 *   destination entry covering their slot (pushed down from shorter
 *   prefixes), so a lookup reads the root, one node per 6 bits past the
 *   18th (its leaf most often in the node's first cache lines), and the
 *   destination entry.  A leaf (or root slot) of an entry whose first
 *   route serves every source holds, with LPM_NHLEAF, that route's next
 *   hop's number beside the entry's (both when they fit: entries below
 *   2^20, next hops below 2^10), so a next-hop lookup ends at the leaf;
 *   a change of the entry's first route rewrites its leaves.  Bursts walk
 *   their lookups side by side, prefetching each one's next read.
 *
 * The IPv6 trie is path-compressed: where nodes would form a chain of
 * one child each (under a /32, the nodes at bits 18 and 24, and the one
 * at 30 that holds the /32 and the /33 to /36 on its path), the node at
 * the chain's end takes its place and carries the bits the chain held
 * (up to 60), the chain's own prefixes on its path (up to three inner
 * prefixes) and what a lookup that leaves the bits before them takes
 * (the cover).  A /48 under a /32 is then the root, the node at bit 36
 * (skipping 18 to 35) and its leaf in the node at 42: three reads where
 * there were six.  IPv4 nodes never skip: its lookup takes no test for
 * it.
 *
 * Updates are incremental: a prefix changes the slots of the one node its
 * length falls in, which is built anew (in place when its size stays),
 * and the values of the nodes below that inherited the value it replaces
 * (in place: their shape stays); the nodes it only passes through are
 * not touched.  A prefix under a slot with no child brings its node (in
 * IPv4, its chain of nodes, each built once at its size), and the parent
 * takes the new child by moving its words up by one.  Nodes come and go
 * with the prefixes longer than their depth.  In IPv6 a prefix that
 * lands in a node's skipped bits, or leaves them, splits the node there
 * (or becomes an inner prefix), and a node left with one child and only
 * prefixes over it merges into the child.
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
#define LPM_NODE	0x80000000u	/* a slot holds a node's offset */
#define LPM_NHLEAF	0x40000000u	/* a leaf holds a next hop as well */
#define LPM_SKIP	0x40000000u	/* with LPM_NODE: the node skips bits */
#define LPM_OFFMASK	0x3fffffffu	/* a node's offset in a slot */
#define LPM_SKIPMAX	60		/* bits a node skips at most (IPv6) */
#define LPM_LEAFDBITS	20		/* ... and its entry's number below */
#define LPM_LEAFDMAX	(1u << LPM_LEAFDBITS)
#define LPM_LEAFNHMAX	(1u << (30 - LPM_LEAFDBITS))
#define LPM_ALLSRC	0x80000000u	/* dsts.nh: good for any source */

struct rtdst;

/*
 * A route.  Its destination's routes are a list, longest source first,
 * with links both ways so one leaves in O(1); every route but the one in
 * its entry's place is also in the table's hash of (destination entry,
 * source prefix), so finding one under a destination with many
 * source-specific routes (an address each, all in one subnet) does not
 * walk them.
 */
struct rtent {
	struct ipifc_route r;
	struct rtent	*snext;		/* same destination, longest source first */
	struct rtent	*sprev;
	struct rtent	*hnext;		/* the (destination, source) hash */
	struct rtdst	*d;
	uint32_t	 nh;		/* its next hop's number */
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
	int16_t		 plen;
	uint8_t		 inlused;	/* inl is on the routes list */
	uint32_t	 idx;		/* its number in the trie */
	struct ipifc_ip	 dst;
};

/* Destination entries start on a cache line (see above). */
#define RTDST_SIZE	((sizeof(struct rtdst) + 63) & ~(size_t)63)

/*
 * Where destination entries live: pages of LPM_NPER entries carved from
 * chunks.  Chunks start at 64 KB (one page); once an arena holds 2 MB they
 * are 2 MB each, aligned and offered to the kernel as huge pages, so a
 * lookup's read of the entry at a million routes rarely misses the TLB.
 * Freed entries are kept on a list by number.  All chunks go back when
 * the last entry does.
 */
/* Under ASan, entries not handed out are poisoned, as malloc's would be. */
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
#define LPM_NPER	((LPM_SMALLCHUNK - 64) / RTDST_SIZE)
#define LPM_PAGE	(LPM_NPER * RTDST_SIZE)

struct lpm_chunk {
	struct lpm_chunk *next;
	size_t		 size;
};

struct lpm_arena {
	char		**pages;
	uint32_t	 npages, pcap;
	uint32_t	 next;		/* entries numbered so far */
	uint32_t	 freel;		/* freed entries, by number; 0: none */
	char		*cur, *end;
	struct lpm_chunk *chunks;
	size_t		 bytes;		/* chunks held */
	long		 live;		/* entries out */
	uint32_t	*nh;		/* by number: what dst_nhset says */
	uint32_t	 nhcap;
};

/*
 * The trie's nodes: one array of 32-bit words, grown by half, with freed
 * nodes on a list per size (in pairs of words).
 */
#define LPM_NPOOLCL	73		/* nodes up to 134 words, 144 skipping */

struct lpm_pool {
	uint32_t	*w;
	uint32_t	 cap, top, live;	/* words */
	uint32_t	 freel[LPM_NPOOLCL];
};

/* A root slot: a destination entry's number, or a node's (LPM_NODE). */
struct lpm_fib {
	uint32_t	*root;		/* LPM_NROOT slots, made on first use */
	uint32_t	 def;		/* the family's default route entry */
	int		 base;		/* 96 for IPv4, 0 for IPv6 */
	int		 zmax;		/* bits a node may skip (IPv6 only) */
};

/*
 * The next hops: routes with the same interface, gateway and type share
 * one, numbered densely from 1 and counted, found again through a hash
 * of numbers.  A real table has a few hundred, so the array stays in the
 * cache; a free number is on a list through hnext.
 */
struct lpm_nhent {
	struct ipifc_nexthop nh;
	uint32_t	 ref;		/* routes through it; 0: free */
	uint32_t	 hnext;		/* the hash's chain, or the free list */
};

struct lpm_nhtab {
	struct lpm_nhent *e;
	uint32_t	 n, cap;	/* numbers handed out so far, room */
	uint32_t	 freel, live;
	uint32_t	*hash;
	unsigned	 hbits;
};

struct ipifc_rtab {
	struct rtdst	**hash;
	unsigned	 hbits;
	int		 ndst;
	struct rtent	**ehash;	/* routes by (destination entry, source) */
	int		 nhashed;	/* routes in it (not in their entry's place) */
	unsigned	 ehbits;
	int		 nplen[129];	/* destination entries of each length */
	uint8_t		 lens[129];	/* lengths in use, longest first */
	int		 nlens;
	struct lpm_fib	 fib4, fib6;
	struct lpm_arena dsts;
	struct lpm_pool	 pool;
	struct lpm_nhtab nhs;
	int		 fibok;		/* 0: an allocation failed, hash only */
	size_t		 fibbytes, ribbytes;
	size_t		 nhbytes;	/* the words by entry number (dsts.nh) */
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

/* 64 bits of k from bit off (< 128), from the top; past the end reads zeros. */
static inline uint64_t
kword(const uint64_t k[2], int off)
{
	if (off == 0)
		return k[0];
	if (off < 64)
		return k[0] << off | k[1] >> (64 - off);
	return k[1] << (off - 64);
}

/* n (<= 16) bits of k from bit off. */
static inline unsigned
kbits(const uint64_t k[2], int off, int n)
{
	return (unsigned)(kword(k, off) >> (64 - n));
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

/* ---- the destination entries ---- */

/*
 * Destination entries are numbered: the trie's slots hold a 32-bit
 * number, not a pointer, and the number finds the entry through a table of
 * pages (LPM_NPER entries each).  0 is no entry.
 */
static inline struct rtdst *
dst_at(const struct ipifc_rtab *t, uint32_t i)
{
	return (struct rtdst *)(t->dsts.pages[i / LPM_NPER] +
	    (size_t)(i % LPM_NPER) * RTDST_SIZE);
}

/*
 * What the trie holds for entry i: its number, or, when its word in
 * dsts.nh serves every source and both numbers fit, LPM_NHLEAF with the
 * next hop's number above the entry's, so that a next-hop lookup ends
 * at the leaf.  The value follows the word: dst_nhset rewrites the
 * entry's slots when it changes.
 */
static inline uint32_t
dst_slot(const struct ipifc_rtab *t, uint32_t i)
{
	uint32_t w;

	if (i == 0 || i >= LPM_LEAFDMAX)
		return i;
	w = t->dsts.nh[i];
	if (!(w & LPM_ALLSRC) || (w & ~LPM_ALLSRC) >= LPM_LEAFNHMAX)
		return i;
	return LPM_NHLEAF | (w & ~LPM_ALLSRC) << LPM_LEAFDBITS | i;
}

/* The entry's number in a leaf. */
static inline uint32_t
leaf_dst(uint32_t v)
{
	return v & LPM_NHLEAF ? v & (LPM_LEAFDMAX - 1) : v;
}

/* The dsts.nh word of the entry in leaf v (not 0), from the leaf when it can. */
static inline uint32_t
leaf_word(const struct ipifc_rtab *t, uint32_t v)
{
	return v & LPM_NHLEAF ? LPM_ALLSRC |
	    ((v >> LPM_LEAFDBITS) & (LPM_LEAFNHMAX - 1)) : t->dsts.nh[v];
}

/* A page for LPM_NPER entries, carved from the arena's current chunk. */
static char *
arena_page(struct lpm_arena *a, size_t *held)
{
	struct lpm_chunk *c;
	size_t csize;
	char *p;

	if ((size_t)(a->end - a->cur) < LPM_PAGE) {
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
	a->cur += LPM_PAGE;
	return p;
}

/* Room in dsts.nh for the entry numbered a->next. */
static int
dst_nhgrow(struct ipifc_rtab *t)
{
	struct lpm_arena *a = &t->dsts;
	uint32_t ncap, *nw;

	ncap = a->nhcap < 1024 ? 1024 : a->nhcap + a->nhcap / 2;
	if ((nw = realloc(a->nh, (size_t)ncap * sizeof(*nw))) == NULL)
		return -ENOMEM;
	t->nhbytes += (size_t)(ncap - a->nhcap) * sizeof(*nw);
	a->nh = nw;
	a->nhcap = ncap;
	return 0;
}

/* A new destination entry, zeroed, and its number; NULL without memory. */
static struct rtdst *
dst_get(struct ipifc_rtab *t, uint32_t *idx)
{
	struct lpm_arena *a = &t->dsts;
	struct rtdst *d;
	char **np, *pg;
	uint32_t i;

	if (a->freel != 0) {
		i = a->freel;
		d = dst_at(t, i);
		ARENA_UNPOISON(d, RTDST_SIZE);
		memcpy(&a->freel, d, sizeof(a->freel));
	} else {
		if (a->next == 0)
			a->next = 1;		/* 0 is no entry */
		if (a->next >= LPM_NHLEAF)
			return NULL;
		if (a->next / LPM_NPER >= a->npages) {
			if (a->npages == a->pcap) {
				if ((np = realloc(a->pages, (a->pcap * 2 +
				    8) * sizeof(*np))) == NULL)
					return NULL;
				t->ribbytes += (a->pcap + 8) *
				    sizeof(*np);
				a->pages = np;
				a->pcap = a->pcap * 2 + 8;
			}
			if ((pg = arena_page(a, &t->ribbytes)) == NULL)
				return NULL;
			a->pages[a->npages++] = pg;
		}
		if (a->next >= a->nhcap && dst_nhgrow(t) != 0)
			return NULL;
		i = a->next++;
		d = dst_at(t, i);
		ARENA_UNPOISON(d, RTDST_SIZE);
	}
	a->live++;
	memset(d, 0, sizeof(*d));
	a->nh[i] = 0;
	*idx = i;
	return d;
}

/* Give back entry i; all the memory goes back with the last one. */
static void
dst_put(struct ipifc_rtab *t, uint32_t i)
{
	struct lpm_arena *a = &t->dsts;
	struct rtdst *d = dst_at(t, i);
	struct lpm_chunk *c;

	memcpy(d, &a->freel, sizeof(a->freel));
	a->freel = i;
	ARENA_POISON(d, RTDST_SIZE);
	if (--a->live > 0)
		return;
	while ((c = a->chunks) != NULL) {
		a->chunks = c->next;
		ARENA_UNPOISON(c, c->size);
		free(c);
	}
	t->ribbytes -= a->bytes + a->pcap * sizeof(*a->pages);
	free(a->pages);
	free(a->nh);
	t->nhbytes = 0;
	memset(a, 0, sizeof(*a));
}

/* ---- the hash of destination entries ---- */

/* The entry of dst/plen in bucket h of the hash, or NULL. */
static inline struct rtdst *
rt_dstfindh(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen,
    unsigned h)
{
	struct rtdst *d;

	for (d = t->hash[h]; d != NULL; d = d->hnext)
		if (d->plen == plen && memcmp(d->dst.a, dst->a, 16) == 0)
			return d;
	return NULL;
}

static struct rtdst *
rt_dstfind(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int plen)
{
	return rt_dstfindh(t, dst, plen, rt_hash(dst, plen, t->hbits));
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

/*
 * ---- the hash of routes by (destination entry, source prefix) ----
 *
 * The route in an entry's place (inl) is found through the entry, so only
 * the routes beside it (a destination's second and later) are hashed.
 */

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

	if (d->inlused && d->inl.r.splen == splen &&
	    memcmp(d->inl.r.src.a, src->a, 16) == 0)
		return (struct rtent *)&d->inl;
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

	if ((unsigned)t->nhashed < nb || t->ehbits >= 28)
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

/* ---- the next hops ---- */

static inline unsigned
nh_hash(const struct ipifc_ifc *ifc, const struct ipifc_ip *gate,
    unsigned type, unsigned bits)
{
	return rt_hash(gate, (int)(type ^ (unsigned)((uintptr_t)ifc >> 4)),
	    bits);
}

/* Double the buckets when next hops outnumber them; failure is harmless. */
static void
nh_grow(struct ipifc_rtab *t)
{
	struct lpm_nhtab *h = &t->nhs;
	struct lpm_nhent *x;
	uint32_t *nb, i;
	unsigned b;

	if (h->live < 1u << h->hbits || h->hbits >= 28)
		return;
	if ((nb = calloc((size_t)2 << h->hbits, sizeof(*nb))) == NULL)
		return;
	for (i = 1; i < h->n; i++) {
		x = &h->e[i];
		if (x->ref == 0)
			continue;
		b = nh_hash(x->nh.ifc, &x->nh.gate, x->nh.type, h->hbits + 1);
		x->hnext = nb[b];
		nb[b] = i;
	}
	free(h->hash);
	h->hash = nb;
	t->ribbytes += sizeof(*nb) << h->hbits;
	h->hbits++;
}

/* The number of r's next hop, counted once more; 0 without memory. */
static uint32_t
nh_get(struct ipifc_rtab *t, const struct ipifc_route *r)
{
	struct lpm_nhtab *h = &t->nhs;
	struct lpm_nhent *ne, *x;
	uint32_t i, ncap;
	unsigned b = nh_hash(r->ifc, &r->gate, r->type, h->hbits);

	for (i = h->hash[b]; i != 0; i = x->hnext) {
		x = &h->e[i];
		if (x->nh.ifc == r->ifc && x->nh.type == r->type &&
		    memcmp(x->nh.gate.a, r->gate.a, 16) == 0) {
			x->ref++;
			return i;
		}
	}
	if ((i = h->freel) != 0)
		h->freel = h->e[i].hnext;
	else {
		if (h->n == 0)
			h->n = 1;		/* 0 is no next hop */
		if (h->n >= LPM_NODE)
			return 0;
		if (h->n >= h->cap) {
			ncap = h->cap < 16 ? 16 : h->cap * 2;
			if ((ne = realloc(h->e, (size_t)ncap *
			    sizeof(*ne))) == NULL)
				return 0;
			t->ribbytes += (size_t)(ncap - h->cap) * sizeof(*ne);
			h->e = ne;
			h->cap = ncap;
		}
		i = h->n++;
	}
	x = &h->e[i];
	memset(x, 0, sizeof(*x));
	x->nh.ifc = r->ifc;
	x->nh.type = r->type;
	x->nh.gate = r->gate;
	x->nh.id = i;
	x->ref = 1;
	x->hnext = h->hash[b];
	h->hash[b] = i;
	h->live++;
	nh_grow(t);
	return i;
}

/* One route fewer through next hop i; the last frees its number. */
static void
nh_put(struct ipifc_rtab *t, uint32_t i)
{
	struct lpm_nhtab *h = &t->nhs;
	struct lpm_nhent *x = &h->e[i];
	uint32_t *pp;

	if (--x->ref > 0)
		return;
	for (pp = &h->hash[nh_hash(x->nh.ifc, &x->nh.gate, x->nh.type,
	    h->hbits)]; *pp != i; pp = &h->e[*pp].hnext)
		;
	*pp = x->hnext;
	x->hnext = h->freel;
	h->freel = i;
	h->live--;
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
 * A node lives in the table's pool of 32-bit words, at an even offset:
 * its header, then its children (by popcount of vec), then its leaves (by
 * popcount of leafvec).  A child is its offset with LPM_NODE set, a leaf a
 * destination entry's number (with its next hop: dst_slot), so a lookup
 * takes the slot either way and goes on while it holds a node.  A change
 * builds the node anew, in place when its size stays.
 */
#define LPM_HDRW	6		/* header words */

struct lpm_node {
	uint64_t	 vec;		/* slots with a child */
	uint64_t	 leafvec;	/* slots where a run of leaves starts */
	uint32_t	 def;		/* best prefix over the whole node */
	uint32_t	 norig;		/* prefixes whose length falls here */
	uint32_t	 p[];		/* children, then leaves */
};

/*
 * Path compression (IPv6 only): a node that a chain of nodes with one
 * child each led to takes their place, and carries the bits they held
 * in the words before its header.  Its slot says so (LPM_SKIP beside
 * LPM_NODE).  The chain may have held prefixes of its own on its path (a
 * /32 and a /34 above the /48s): up to LPM_NINNER inner prefixes, by
 * their lengths in the skipped bits, shortest first, and their values.
 * The node inherits the longest (its def); a lookup whose bits differ
 * from the skipped ones takes the longest that holds its bits up to the
 * first that differs, or the cover (what the chain inherits).  An insert
 * that leaves the skipped bits, or lands in them (but as an inner prefix,
 * when there is room), splits the node there (node_enter); an update that
 * leaves a node with one child and only prefixes over it merges it into
 * the child (node_merge).
 */
#define LPM_NINNER	3
#define LPM_SKIPW	10		/* words before a skipping node */

struct lpm_skip {
	uint64_t	 key;		/* the bits skipped, from the top */
	uint64_t	 mask;		/* len bits from the top */
	uint8_t		 len;		/* how many (whole strides) */
	uint8_t		 nin;		/* inner prefixes */
	uint8_t		 ilen[LPM_NINNER];	/* their lengths, ascending */
	uint8_t		 pad[3];
	uint32_t	 cover;		/* what the node's slot inherits */
	uint32_t	 ival[LPM_NINNER];	/* the inner prefixes' values */
};

static inline struct lpm_node *
node_at(const struct ipifc_rtab *t, uint32_t off)
{
	return (struct lpm_node *)(t->pool.w + (off & LPM_OFFMASK));
}

static inline struct lpm_skip *
skip_at(const struct ipifc_rtab *t, uint32_t off)
{
	return (struct lpm_skip *)(t->pool.w + (off & LPM_OFFMASK) -
	    LPM_SKIPW);
}

static inline unsigned
node_cidx(const struct lpm_node *n, unsigned i)
{
	return pop64(n->vec & ((1ULL << i) - 1));
}

/* Words a node of nc children and runs leaves takes (even). */
static inline uint32_t
node_words(unsigned nc, unsigned runs)
{
	return (LPM_HDRW + nc + runs + 1) & ~1u;
}

static inline uint32_t
node_size(const struct lpm_node *n)
{
	return node_words(pop64(n->vec), pop64(n->leafvec));
}

/* size words from the pool: an offset, 0 without memory. */
static uint32_t
pool_get(struct ipifc_rtab *t, uint32_t size)
{
	struct lpm_pool *pl = &t->pool;
	uint32_t off, ncap, *nw;

	if ((off = pl->freel[size / 2]) != 0) {
		pl->freel[size / 2] = pl->w[off];
		pl->live += size;
		return off;
	}
	if (pl->cap - pl->top < size) {
		ncap = pl->cap < 8192 ? 8192 : pl->cap + pl->cap / 2;
		if (ncap > LPM_OFFMASK || (nw = realloc(pl->w,
		    (size_t)ncap * sizeof(*nw))) == NULL)
			return 0;
		t->fibbytes += (size_t)(ncap - pl->cap) * sizeof(*nw);
		pl->w = nw;
		pl->cap = ncap;
		if (pl->top == 0)
			pl->top = 2;		/* 0 is no node */
	}
	off = pl->top;
	pl->top += size;
	pl->live += size;
	return off;
}

/* The pool goes back whole once its last node does. */
static void
pool_put(struct ipifc_rtab *t, uint32_t off, uint32_t size)
{
	struct lpm_pool *pl = &t->pool;

	pl->w[off] = pl->freel[size / 2];
	pl->freel[size / 2] = off;
	if ((pl->live -= size) > 0)
		return;
	t->fibbytes -= (size_t)pl->cap * sizeof(*pl->w);
	free(pl->w);
	memset(pl, 0, sizeof(*pl));
}

/*
 * A node of size words, skipping sk when it is given and skips bits; its
 * slot value, 0 without memory.
 */
static uint32_t
node_alloc(struct ipifc_rtab *t, uint32_t size, const struct lpm_skip *sk)
{
	uint32_t off;

	if (sk == NULL || sk->len == 0) {
		if ((off = pool_get(t, size)) == 0)
			return 0;
		return off | LPM_NODE;
	}
	if ((off = pool_get(t, size + LPM_SKIPW)) == 0)
		return 0;
	off = (off + LPM_SKIPW) | LPM_NODE | LPM_SKIP;
	*skip_at(t, off) = *sk;
	return off;
}

/* What node off skips, copied to *sk (NULL: nothing). */
static const struct lpm_skip *
node_skipof(const struct ipifc_rtab *t, uint32_t off, struct lpm_skip *sk)
{
	if (!(off & LPM_SKIP))
		return NULL;
	*sk = *skip_at(t, off);
	return sk;
}

/* The destination entry a slot value stands for (a node: its default). */
static inline uint32_t
slotval(const struct ipifc_rtab *t, uint32_t v)
{
	if (!(v & LPM_NODE))
		return v;
	if (v & LPM_SKIP)
		return skip_at(t, v)->cover;
	return node_at(t, v)->def;
}

static inline int
dst_plen(const struct ipifc_rtab *t, uint32_t i)
{
	return dst_at(t, leaf_dst(i))->plen;
}

/* The leaf values of all 64 slots (a child's slot: what it inherits). */
static void
node_expand(const struct lpm_node *n, uint32_t *v)
{
	const uint32_t *leaf = n->p + pop64(n->vec);
	uint64_t lv = n->leafvec & (n->leafvec - 1);	/* bit 0 is set */
	unsigned s = 0, e;

	/* A run at a time, to where the next starts. */
	for (;;) {
		e = lv != 0 ? (unsigned)__builtin_ctzll(lv) : 64;
		while (s < e)
			v[s++] = *leaf;
		if (e == 64)
			return;
		leaf++;
		lv &= lv - 1;
	}
}

/* The children of n by slot (0: none). */
static void
node_children(const struct lpm_node *n, uint32_t *c)
{
	uint64_t vec = n->vec;
	int j = 0;

	memset(c, 0, 64 * sizeof(*c));
	for (; vec != 0; vec &= vec - 1)
		c[__builtin_ctzll(vec)] = n->p[j++];
}

/*
 * The node over slots v with children c: at off when it is given and the
 * size stays, else at a new offset; 0 without memory.
 */
static uint32_t
node_buildsk(struct ipifc_rtab *t, uint32_t off, const struct lpm_skip *sk,
    const uint32_t *v, const uint32_t *c, uint32_t def, uint32_t norig)
{
	struct lpm_node *n;
	uint64_t vec = 0, lv = 1, b;
	uint32_t size;
	int i, j;

	/* Without branches: which slot holds a child or starts a run. */
	for (i = 0; i < 64; i++)
		vec |= (uint64_t)(c[i] != 0) << i;
	for (i = 1; i < 64; i++)
		lv |= (uint64_t)(v[i] != v[i - 1]) << i;
	size = node_words(pop64(vec), pop64(lv));
	if (off == 0 || node_size(node_at(t, off)) != size) {
		if ((off = node_alloc(t, size, sk)) == 0)
			return 0;
	}
	n = node_at(t, off);
	n->vec = vec;
	n->leafvec = lv;
	n->def = def;
	n->norig = norig;
	j = 0;
	for (b = vec; b != 0; b &= b - 1)
		n->p[j++] = c[__builtin_ctzll(b)];
	for (b = lv; b != 0; b &= b - 1)
		n->p[j++] = v[__builtin_ctzll(b)];
	return off;
}

/* As node_buildsk, skipping what the node at off skips. */
static uint32_t
node_build(struct ipifc_rtab *t, uint32_t off, const uint32_t *v,
    const uint32_t *c, uint32_t def, uint32_t norig)
{
	struct lpm_skip sk;

	return node_buildsk(t, off, node_skipof(t, off, &sk), v, c, def,
	    norig);
}

static void
node_free1(struct ipifc_rtab *t, uint32_t off)
{
	if (off & LPM_SKIP)
		pool_put(t, (off & LPM_OFFMASK) - LPM_SKIPW,
		    node_size(node_at(t, off)) + LPM_SKIPW);
	else
		pool_put(t, off & LPM_OFFMASK, node_size(node_at(t, off)));
}

/* Rebuild *np with slots v, in place when its size stays. */
static int
node_rebuild(struct ipifc_rtab *t, uint32_t *np, const uint32_t *v,
    const uint32_t *c, uint32_t def, uint32_t norig)
{
	uint32_t nn;

	if ((nn = node_build(t, *np, v, c, def, norig)) == 0)
		return -ENOMEM;
	if (nn != *np) {
		node_free1(t, *np);
		*np = nn;
	}
	return 0;
}

/* The leaf value of slot i of n (a child's slot: what it inherits). */
static inline uint32_t
node_leaf(const struct lpm_node *n, unsigned i)
{
	return n->p[pop64(n->vec) + pop64(n->leafvec &
	    ((2ULL << i) - 1)) - 1];
}

static void node_push(struct ipifc_rtab *, uint32_t, uint32_t, uint32_t);

/*
 * Node off inherited old over its whole range: it inherits new now, and
 * so do its children that inherited old.  Only values change, in place:
 * new (a shorter or longer prefix than old, or old's entry retagged) is
 * in no leaf of the node yet, so the runs stay as they are.  (node_push
 * is this for what the node's slot inherits, which under an inner prefix
 * is only its cover.)
 */
static void
node_pushin(struct ipifc_rtab *t, uint32_t off, uint32_t old, uint32_t new)
{
	struct lpm_node *n = node_at(t, off);
	uint32_t *leaf = n->p + pop64(n->vec);
	uint64_t b;
	unsigned j = 0, runs = pop64(n->leafvec);

	for (b = n->vec; b != 0; b &= b - 1, j++)
		if (node_leaf(n, (unsigned)__builtin_ctzll(b)) == old)
			node_push(t, n->p[j], old, new);
	for (j = 0; j < runs; j++)
		if (leaf[j] == old)
			leaf[j] = new;
	n->def = new;
}

/* The cover changes; under an inner prefix, nothing else. */
static void
node_push(struct ipifc_rtab *t, uint32_t off, uint32_t old, uint32_t new)
{
	struct lpm_skip *sk;

	if (off & LPM_SKIP) {
		sk = skip_at(t, off);
		sk->cover = new;
		if (sk->nin != 0)
			return;
	}
	node_pushin(t, off, old, new);
}

/*
 * Slots [first, first + count) of a node's values v and children c that
 * hold old hold new, and so do the children below them.
 */
static void
node_swap(struct ipifc_rtab *t, uint32_t *v, const uint32_t *c,
    unsigned first, unsigned count, uint32_t old, uint32_t new)
{
	unsigned i;

	for (i = first; i < first + count; i++) {
		if (v[i] != old)
			continue;
		if (c[i] != 0)
			node_push(t, c[i], old, new);
		v[i] = new;
	}
}

/* Root slots [first, first + count): where better is better, put d. */
static int
root_set(struct ipifc_rtab *t, struct lpm_fib *f, unsigned first,
    unsigned count, uint32_t old, uint32_t d, int insert)
{
	uint32_t v, cur;
	unsigned s;
	int plen = d != 0 ? dst_plen(t, d) : 0;

	for (s = first; s < first + count; s++) {
		v = f->root[s];
		cur = slotval(t, v);
		if (insert ? (cur != 0 && dst_plen(t, cur) >= plen) :
		    cur != old)
			continue;
		if (!(v & LPM_NODE)) {
			f->root[s] = d;
			continue;
		}
		node_push(t, v, cur, d);
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

/* The first of the slots of a node at bit L that a prefix of length l covers. */
static inline unsigned
node_first(const uint64_t *k, int L, int l)
{
	return kbits(k, L, LPM_STRIDE) & ~((1u << (L + LPM_STRIDE - l)) - 1);
}

/*
 * The nodes a new prefix d (trie length l, key k) needs from bit L down,
 * under a slot that inherits def: the node d's length falls in, skipping
 * the bits down to it (at most zmax at a time: more takes a chain of
 * nodes of one child each), each built once at its size, the deepest
 * first.  The slot value of the top one; 0 without memory (what was
 * built stays in the pool, which the caller drops).
 */
static uint32_t
node_chain(struct ipifc_rtab *t, const uint64_t *k, int L, int l,
    uint32_t d, uint32_t def, int zmax)
{
	struct lpm_node *n;
	struct lpm_skip sk;
	uint32_t child = 0, off;
	unsigned first, end;
	int j = 0, z;

	z = (l - 1 - L) / LPM_STRIDE * LPM_STRIDE;
	if (z > zmax)
		z = zmax;
	memset(&sk, 0, sizeof(sk));
	sk.len = (uint8_t)z;
	sk.mask = rt_topmask(z);
	sk.key = kword(k, L) & sk.mask;
	sk.cover = def;
	L += z;
	if (l > L + LPM_STRIDE && (child = node_chain(t, k, L + LPM_STRIDE,
	    l, d, def, zmax)) == 0)
		return 0;
	if (child != 0) {
		if ((off = node_alloc(t, node_words(1, 1), &sk)) == 0)
			return 0;
		n = node_at(t, off);
		n->vec = 1ULL << kbits(k, L, LPM_STRIDE);
		n->leafvec = 1;
		n->def = def;
		n->norig = 0;
		n->p[0] = child;
		n->p[1] = def;
		return off;
	}
	first = node_first(k, L, l);
	end = first + (1u << (L + LPM_STRIDE - l));
	if ((off = node_alloc(t, node_words(0, 1 + (first > 0) +
	    (end < 64)), &sk)) == 0)
		return 0;
	n = node_at(t, off);
	n->vec = 0;
	n->leafvec = 1ULL << first;
	n->def = def;
	n->norig = 1;
	if (first > 0) {
		n->leafvec |= 1;
		n->p[j++] = def;
	}
	n->p[j++] = d;
	if (end < 64) {
		n->leafvec |= 1ULL << end;
		n->p[j++] = def;
	}
	return off;
}

/* What a lookup whose first bit off the skipped ones is m takes. */
static inline uint32_t
skip_val(const struct lpm_skip *sk, unsigned m)
{
	uint32_t v = sk->cover;
	unsigned i;

	for (i = 0; i < sk->nin && sk->ilen[i] <= m; i++)
		v = sk->ival[i];
	return v;
}

/* Add an inner prefix, of length il in the skipped bits, value v. */
static void
skip_addin(struct lpm_skip *sk, unsigned il, uint32_t v)
{
	unsigned i;

	for (i = sk->nin; i > 0 && sk->ilen[i - 1] > il; i--) {
		sk->ilen[i] = sk->ilen[i - 1];
		sk->ival[i] = sk->ival[i - 1];
	}
	sk->ilen[i] = (uint8_t)il;
	sk->ival[i] = v;
	sk->nin++;
}

/*
 * *cp is a node whose parent's slot leads to bit L.  The bit its node
 * starts at for an insert of d (trie length l, key k); 0 when d went in
 * as an inner prefix (it lands in the skipped bits, on their path, and
 * there is room).  When d lands in the skipped bits or leaves them, the
 * node is split there first: the part above becomes a node of one
 * child, which skips the bits above it, and each inner prefix goes where
 * it falls: in those bits, in the new node's stride (a prefix of its
 * own) or below, in the child's.  -ENOMEM without memory.
 */
static int
node_enter(struct ipifc_rtab *t, uint32_t *cp, const uint64_t *k, int L,
    int l, uint32_t d)
{
	struct lpm_skip old, up, *sk;
	uint32_t c = *cp, def, v[64], ch[64], off, norig = 0;
	uint64_t x;
	unsigned s, first, count, i, j;
	int m, Lv, cut;

	if (!(c & LPM_SKIP))
		return L;
	old = *skip_at(t, c);
	if ((x = (kword(k, L) ^ old.key) & old.mask) == 0)
		m = old.len;
	else
		m = __builtin_clzll(x);
	if (l <= L + old.len && m >= l - L && old.nin < LPM_NINNER) {
		sk = skip_at(t, c);
		/* The longest inner prefix is what the node inherits. */
		if (sk->nin == 0 || sk->ilen[sk->nin - 1] < l - L)
			node_pushin(t, c, node_at(t, c)->def, d);
		skip_addin(sk, (unsigned)(l - L), d);
		return 0;
	}
	/* Whole strides that match and lie above l. */
	Lv = L + m / LPM_STRIDE * LPM_STRIDE;
	if (Lv > L + (l - 1 - L) / LPM_STRIDE * LPM_STRIDE)
		Lv = L + (l - 1 - L) / LPM_STRIDE * LPM_STRIDE;
	if (Lv >= L + old.len)
		return L + old.len;
	cut = Lv - L + LPM_STRIDE;
	s = (unsigned)((old.key << (Lv - L)) >> (64 - LPM_STRIDE));
	memset(&up, 0, sizeof(up));
	up.len = (uint8_t)(Lv - L);
	up.mask = rt_topmask(Lv - L);
	up.key = old.key & up.mask;
	up.cover = old.cover;
	def = old.cover;
	for (i = 0; i < old.nin && old.ilen[i] <= up.len; i++) {
		skip_addin(&up, old.ilen[i], old.ival[i]);
		def = old.ival[i];
	}
	for (j = 0; j < 64; j++) {
		v[j] = def;
		ch[j] = 0;
	}
	ch[s] = c;
	for (; i < old.nin && old.ilen[i] <= cut; i++) {
		count = 1u << (cut - old.ilen[i]);
		first = s & ~(count - 1);
		for (j = first; j < first + count; j++)
			v[j] = old.ival[i];
		norig++;
	}
	if ((off = node_buildsk(t, 0, &up, v, ch, def, norig)) == 0)
		return -ENOMEM;
	/* The node below skips what is left past the new one's stride. */
	sk = skip_at(t, c);
	sk->len = (uint8_t)(old.len - cut);
	sk->key = sk->len > 0 ? old.key << cut : 0;
	sk->mask = rt_topmask(sk->len);
	sk->cover = v[s];
	sk->nin = 0;
	for (; i < old.nin; i++)
		skip_addin(sk, old.ilen[i] - (unsigned)cut, old.ival[i]);
	*cp = off;
	return Lv;
}

/*
 * *np (its node at bit L) has one child: the child takes its place, and
 * skips its bits and its stride too, when they fit in zmax, and the
 * node's own prefixes all hold the child's slot (they become inner
 * prefixes, with the node's and the child's, LPM_NINNER at most).
 */
static int
node_merge(struct ipifc_rtab *t, uint32_t *np, int L, int zmax)
{
	struct lpm_node *n = node_at(t, *np);
	struct lpm_skip a, b, m;
	uint32_t c = n->p[0], nc, size, v[64], w, prev;
	unsigned s = (unsigned)__builtin_ctzll(n->vec), cnt, i, j, q;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	(void)node_skipof(t, *np, &a);
	(void)node_skipof(t, c, &b);
	if (a.len + b.len + LPM_STRIDE > zmax)
		return 0;
	memset(&m, 0, sizeof(m));
	m.len = (uint8_t)(a.len + LPM_STRIDE + b.len);
	m.mask = rt_topmask(m.len);
	m.key = a.key | (uint64_t)s << (64 - LPM_STRIDE - a.len) |
	    (b.len > 0 ? b.key >> (a.len + LPM_STRIDE) : 0);
	m.cover = *np & LPM_SKIP ? a.cover : n->def;
	for (i = 0; i < a.nin; i++)
		skip_addin(&m, a.ilen[i], a.ival[i]);
	/*
	 * The node's prefixes, from the leaves: the value of the half of
	 * each block around s that does not hold s, shortest first; the
	 * leaves must be those prefixes' and nothing else.
	 */
	node_expand(n, v);
	prev = n->def;
	q = 0;
	for (i = 1; i <= LPM_STRIDE; i++) {
		cnt = 1u << (LPM_STRIDE - i);
		w = i < LPM_STRIDE ? v[s ^ (cnt >> 1)] : v[s];
		if (w == prev)
			continue;
		/* A prefix of that length (not a longer one beside s). */
		if (m.nin == LPM_NINNER || dst_plen(t, w) != L + (int)i)
			return 0;
		skip_addin(&m, a.len + i, w);
		prev = w;
		q++;
	}
	if (q != n->norig)
		return 0;
	/* Every leaf is the longest of those prefixes that holds it. */
	for (j = 0; j < 64; j++) {
		w = n->def;
		for (i = a.nin; i < m.nin; i++)
			if ((j >> (LPM_STRIDE - (m.ilen[i] - a.len))) ==
			    (s >> (LPM_STRIDE - (m.ilen[i] - a.len))))
				w = m.ival[i];
		if (v[j] != w)
			return 0;
	}
	if (m.nin + b.nin > LPM_NINNER)
		return 0;
	for (i = 0; i < b.nin; i++)
		skip_addin(&m, a.len + LPM_STRIDE + b.ilen[i], b.ival[i]);
	if (c & LPM_SKIP)
		*skip_at(t, c) = m;
	else {
		size = node_size(node_at(t, c));
		/* A merge only saves lookups a read: without memory the
		 * chain stays as it is, still right (a failure here would
		 * drop the whole trie, on a delete) */
		if ((nc = node_alloc(t, size, &m)) == 0)
			return 0;
		memcpy(node_at(t, nc), node_at(t, c), size * sizeof(uint32_t));
		node_free1(t, c);
		c = nc;
	}
	node_free1(t, *np);
	*np = c;
	return 0;
}

/* A node (at bit L) left with one child merges into it when it can. */
static int
node_tidy(struct ipifc_rtab *t, uint32_t *np, int L, int zmax)
{
	const struct lpm_node *n = node_at(t, *np);

	if (zmax == 0 || n->norig > LPM_NINNER || pop64(n->vec) != 1)
		return 0;
	return node_merge(t, np, L, zmax);
}

/*
 * The bit node c starts at, its parent's slot leading to bit L, for the
 * prefix of trie length l and key k in it or below; -1 when the prefix
 * cannot be there (k leaves the bits it skips, or l falls in them).
 */
static inline int
node_level(const struct ipifc_rtab *t, uint32_t c, const uint64_t *k, int L,
    int l)
{
	const struct lpm_skip *sk;

	if (!(c & LPM_SKIP))
		return L;
	sk = skip_at(t, c);
	if (l <= L + sk->len || ((kword(k, L) ^ sk->key) & sk->mask))
		return -1;
	return L + sk->len;
}

/* Which inner prefix of node c the prefix of length l and key k is; -1. */
static inline int
node_inner(const struct ipifc_rtab *t, uint32_t c, const uint64_t *k,
    int L, int l)
{
	const struct lpm_skip *sk;
	unsigned i;

	if (!(c & LPM_SKIP))
		return -1;
	sk = skip_at(t, c);
	for (i = 0; i < sk->nin; i++)
		if (L + sk->ilen[i] == l && ((kword(k, L) ^ sk->key) &
		    rt_topmask(sk->ilen[i])) == 0)
			return (int)i;
	return -1;
}

/*
 * Give *np child c at slot i (which has none): the words move up by one
 * from the child's place, in place when the node's size stays.
 */
static int
node_addchild(struct ipifc_rtab *t, uint32_t *np, unsigned i, uint32_t c)
{
	struct lpm_node *n = node_at(t, *np), *m;
	struct lpm_skip sk;
	unsigned ci = node_cidx(n, i), nw;
	uint32_t size = node_words(pop64(n->vec) + 1, pop64(n->leafvec)), off;

	nw = pop64(n->vec) + pop64(n->leafvec);
	if (size == node_size(n)) {
		memmove(&n->p[ci + 1], &n->p[ci], (nw - ci) * sizeof(*n->p));
		n->p[ci] = c;
		n->vec |= 1ULL << i;
		return 0;
	}
	if ((off = node_alloc(t, size, node_skipof(t, *np, &sk))) == 0)
		return -ENOMEM;
	n = node_at(t, *np);
	m = node_at(t, off);
	m->vec = n->vec | 1ULL << i;
	m->leafvec = n->leafvec;
	m->def = n->def;
	m->norig = n->norig;
	memcpy(m->p, n->p, ci * sizeof(*n->p));
	m->p[ci] = c;
	memcpy(&m->p[ci + 1], &n->p[ci], (nw - ci) * sizeof(*n->p));
	node_free1(t, *np);
	*np = off;
	return 0;
}

/*
 * Put d (trie length l, key k) into *np, which covers bits [L, L + 6);
 * nodes below skip at most zmax bits.
 */
static int
node_insert(struct ipifc_rtab *t, uint32_t *np, const uint64_t *k,
    int L, int l, uint32_t d, int zmax)
{
	struct lpm_node *n = node_at(t, *np);
	uint32_t v[64], c[64], nc, def = n->def, norig = n->norig;
	unsigned i, first, count;
	int error, plen, Lc;

	if (l > L + LPM_STRIDE) {
		/* Passing through: the node changes only for a new child. */
		i = kbits(k, L, LPM_STRIDE);
		if (n->vec & (1ULL << i)) {
			nc = n->p[node_cidx(n, i)];
			Lc = node_enter(t, &nc, k, L + LPM_STRIDE, l, d);
			if (Lc < 0 || (Lc > 0 && (error = node_insert(t, &nc,
			    k, Lc, l, d, zmax)) != 0))
				return -ENOMEM;
			n = node_at(t, *np);
			n->p[node_cidx(n, i)] = nc;
			return 0;
		}
		if ((nc = node_chain(t, k, L + LPM_STRIDE, l, d,
		    node_leaf(n, i), zmax)) == 0 ||
		    node_addchild(t, np, i, nc) != 0)
			return -ENOMEM;
		return node_tidy(t, np, L, zmax);
	}
	plen = dst_plen(t, d);
	node_expand(n, v);
	node_children(n, c);
	first = node_first(k, L, l);
	count = 1u << (L + LPM_STRIDE - l);
	for (i = first; i < first + count; i++) {
		/* What the node inherits is shorter, its entry unread. */
		if (v[i] != 0 && v[i] != def && dst_plen(t, v[i]) >= plen)
			continue;
		if (c[i] != 0)
			node_push(t, c[i], v[i], d);
		v[i] = d;
	}
	if ((error = node_rebuild(t, np, v, c, def, norig + 1)) != 0)
		return error;
	return node_tidy(t, np, L, zmax);
}

/* Fetch the root slot of dst, which an insert of dst reads. */
static inline void
fib_rootpf(const struct ipifc_rtab *t, const struct ipifc_ip *dst)
{
	const struct lpm_fib *f;
	uint64_t k[2];

	f = rt_key(t, dst, k);
	if (f->root != NULL)
		__builtin_prefetch(&f->root[k[0] >> (64 - LPM_ROOTBITS)]);
}

/* Put destination entry d into its family's trie. */
static int
fib_insert(struct ipifc_rtab *t, struct rtdst *d)
{
	struct lpm_fib *f;
	uint64_t k[2];
	uint32_t n;
	unsigned s, first;
	int l, L, error;

	f = (struct lpm_fib *)rt_key(t, &d->dst, k);
	l = d->plen - f->base;
	if ((error = fib_root(t, f)) != 0)
		return error;
	if (l == 0) {
		f->def = d->idx;
		return root_set(t, f, 0, LPM_NROOT, 0, dst_slot(t, d->idx),
		    1);
	}
	if (l <= LPM_ROOTBITS) {
		first = kbits(k, 0, LPM_ROOTBITS) &
		    ~((1u << (LPM_ROOTBITS - l)) - 1);
		return root_set(t, f, first, 1u << (LPM_ROOTBITS - l), 0,
		    dst_slot(t, d->idx), 1);
	}
	s = kbits(k, 0, LPM_ROOTBITS);
	if (!(f->root[s] & LPM_NODE)) {
		if ((n = node_chain(t, k, LPM_ROOTBITS, l, dst_slot(t,
		    d->idx), f->root[s], f->zmax)) == 0)
			return -ENOMEM;
		f->root[s] = n;
		return 0;
	}
	n = f->root[s];
	if ((L = node_enter(t, &n, k, LPM_ROOTBITS, l,
	    dst_slot(t, d->idx))) < 0)
		return L;
	error = L > 0 ? node_insert(t, &n, k, L, l, dst_slot(t, d->idx),
	    f->zmax) : 0;
	f->root[s] = n;
	return error;
}

/* Does node off hold inner prefixes? */
static inline int
node_hasinner(const struct ipifc_rtab *t, uint32_t off)
{
	return (off & LPM_SKIP) && skip_at(t, off)->nin != 0;
}

static int node_remove(struct ipifc_rtab *, uint32_t *, const uint64_t *,
    int, int, struct rtdst *, int *, int);

/*
 * Take d (trie length l, key k) out of node *cp, whose parent's slot
 * leads to bit L: an inner prefix of it, or a prefix in its node or
 * below.  A node left with nothing is freed (*gone).
 */
static int
node_down_remove(struct ipifc_rtab *t, uint32_t *cp, const uint64_t *k,
    int L, int l, struct rtdst *d, int *gone, int zmax)
{
	struct lpm_skip *sk;
	const struct lpm_node *n;
	uint32_t dv, nv;
	int i, Lc, last;

	*gone = 0;
	if ((i = node_inner(t, *cp, k, L, l)) >= 0) {
		sk = skip_at(t, *cp);
		dv = sk->ival[i];
		nv = i > 0 ? sk->ival[i - 1] : sk->cover;
		last = i == sk->nin - 1;
		for (; i + 1 < sk->nin; i++) {
			sk->ilen[i] = sk->ilen[i + 1];
			sk->ival[i] = sk->ival[i + 1];
		}
		sk->nin--;
		/* The longest one gone, the node inherits the next. */
		if (last)
			node_pushin(t, *cp, dv, nv);
		n = node_at(t, *cp);
		if (sk->nin == 0 && n->norig == 0 && n->vec == 0) {
			node_free1(t, *cp);
			*gone = 1;
		}
		return 0;
	}
	if ((Lc = node_level(t, *cp, k, L, l)) < 0)
		return 0;
	return node_remove(t, cp, k, Lc, l, d, gone, zmax);
}

/*
 * Take d (trie length l, key k) out of *np, which covers bits [L, L + 6).
 * *gone: the node had no prefix and no child left, and is freed; its
 * parent drops the slot.
 */
static int
node_remove(struct ipifc_rtab *t, uint32_t *np, const uint64_t *k,
    int L, int l, struct rtdst *d, int *gone, int zmax)
{
	struct lpm_node *n = node_at(t, *np);
	struct rtdst *rd;
	uint32_t v[64], c[64], repl, cn, norig = n->norig, def = n->def;
	uint32_t dv = dst_slot(t, d->idx);
	unsigned i, first, count;
	int error, cgone = 0;

	*gone = 0;
	if (l > L + LPM_STRIDE) {
		i = kbits(k, L, LPM_STRIDE);
		if (!(n->vec & (1ULL << i)))
			return 0;
		cn = n->p[node_cidx(n, i)];
		if ((error = node_down_remove(t, &cn, k, L + LPM_STRIDE, l,
		    d, &cgone, zmax)) != 0)
			return error;
		if (!cgone) {
			n = node_at(t, *np);
			n->p[node_cidx(n, i)] = cn;
			return node_tidy(t, np, L, zmax);
		}
		/* The child freed itself; inner prefixes keep a node. */
		if (norig == 0 && node_at(t, *np)->vec == 1ULL << i &&
		    !node_hasinner(t, *np)) {
			node_free1(t, *np);
			*gone = 1;
			return 0;
		}
		n = node_at(t, *np);
		node_expand(n, v);
		node_children(n, c);
		c[i] = 0;
		if ((error = node_rebuild(t, np, v, c, def, norig)) != 0)
			return error;
		return node_tidy(t, np, L, zmax);
	}
	node_expand(n, v);
	node_children(n, c);
	rd = rt_shorter(t, &d->dst, d->plen - l + L + 1, d->plen);
	repl = rd != NULL ? dst_slot(t, rd->idx) : def;
	first = node_first(k, L, l);
	count = 1u << (L + LPM_STRIDE - l);
	node_swap(t, v, c, first, count, dv, repl);
	if (norig == 1 && node_at(t, *np)->vec == 0 &&
	    !node_hasinner(t, *np)) {
		node_free1(t, *np);
		*gone = 1;
		return 0;
	}
	if ((error = node_rebuild(t, np, v, c, def, norig - 1)) != 0)
		return error;
	return node_tidy(t, np, L, zmax);
}

/* Take destination entry d out of its family's trie. */
static int
fib_remove(struct ipifc_rtab *t, struct rtdst *d)
{
	struct lpm_fib *f;
	struct rtdst *rd;
	uint32_t n, repl, def;
	unsigned s, first;
	uint64_t k[2];
	int l, error, gone;

	f = (struct lpm_fib *)rt_key(t, &d->dst, k);
	l = d->plen - f->base;
	if (f->root == NULL)
		return 0;
	if (l == 0) {
		f->def = 0;
		return root_set(t, f, 0, LPM_NROOT, dst_slot(t, d->idx), 0,
		    0);
	}
	if (l <= LPM_ROOTBITS) {
		rd = rt_shorter(t, &d->dst, f->base + 1, d->plen);
		repl = dst_slot(t, rd != NULL ? rd->idx : f->def);
		first = kbits(k, 0, LPM_ROOTBITS) &
		    ~((1u << (LPM_ROOTBITS - l)) - 1);
		return root_set(t, f, first, 1u << (LPM_ROOTBITS - l),
		    dst_slot(t, d->idx), repl, 0);
	}
	s = kbits(k, 0, LPM_ROOTBITS);
	if (!(f->root[s] & LPM_NODE))
		return 0;
	n = f->root[s];
	def = slotval(t, n);
	error = node_down_remove(t, &n, k, LPM_ROOTBITS, l, d, &gone,
	    f->zmax);
	f->root[s] = error == 0 && gone ? def : n;
	return error;
}

static int node_retag(struct ipifc_rtab *, uint32_t *, const uint64_t *,
    int, int, uint32_t, uint32_t);

/* As node_down_remove, for node_retag. */
static int
node_down_retag(struct ipifc_rtab *t, uint32_t *cp, const uint64_t *k,
    int L, int l, uint32_t old, uint32_t new)
{
	struct lpm_skip *sk;
	int i, Lc;

	if ((i = node_inner(t, *cp, k, L, l)) >= 0) {
		sk = skip_at(t, *cp);
		sk->ival[i] = new;
		if (i == sk->nin - 1)
			node_pushin(t, *cp, old, new);
		return 0;
	}
	if ((Lc = node_level(t, *cp, k, L, l)) < 0)
		return 0;
	return node_retag(t, cp, k, Lc, l, old, new);
}

/*
 * Where *np (bits [L, L + 6)) or a node below it holds old for the prefix
 * of trie length l and key k, put new: the same entry, its leaf value
 * changed (dst_slot).  The nodes keep their shape.
 */
static int
node_retag(struct ipifc_rtab *t, uint32_t *np, const uint64_t *k,
    int L, int l, uint32_t old, uint32_t new)
{
	struct lpm_node *n = node_at(t, *np);
	uint32_t v[64], c[64], cn, norig = n->norig, def = n->def;
	unsigned i, first, count;
	int error;

	if (l > L + LPM_STRIDE) {
		i = kbits(k, L, LPM_STRIDE);
		if (!(n->vec & (1ULL << i)))
			return 0;
		cn = n->p[node_cidx(n, i)];
		error = node_down_retag(t, &cn, k, L + LPM_STRIDE, l, old,
		    new);
		n = node_at(t, *np);
		n->p[node_cidx(n, i)] = cn;
		return error;
	}
	node_expand(n, v);
	node_children(n, c);
	first = node_first(k, L, l);
	count = 1u << (L + LPM_STRIDE - l);
	node_swap(t, v, c, first, count, old, new);
	return node_rebuild(t, np, v, c, def, norig);
}

/* d's leaves held old: they hold new (see dst_slot). */
static int
fib_retag(struct ipifc_rtab *t, const struct rtdst *d, uint32_t old,
    uint32_t new)
{
	struct lpm_fib *f;
	uint32_t n;
	unsigned s, first;
	uint64_t k[2];
	int l, error;

	f = (struct lpm_fib *)rt_key(t, &d->dst, k);
	l = d->plen - f->base;
	if (f->root == NULL)
		return 0;
	if (l <= LPM_ROOTBITS) {
		first = kbits(k, 0, LPM_ROOTBITS) &
		    ~((1u << (LPM_ROOTBITS - l)) - 1);
		return root_set(t, f, first, 1u << (LPM_ROOTBITS - l), old,
		    new, 0);
	}
	s = kbits(k, 0, LPM_ROOTBITS);
	if (!(f->root[s] & LPM_NODE))
		return 0;
	n = f->root[s];
	error = node_down_retag(t, &n, k, LPM_ROOTBITS, l, old, new);
	f->root[s] = n;
	return error;
}

static void
fib_free(struct ipifc_rtab *t, struct lpm_fib *f)
{
	if (f->root == NULL)
		return;
	free(f->root);
	t->fibbytes -= LPM_NROOT * sizeof(*f->root);
	f->root = NULL;
	f->def = 0;
}

/* An allocation failed mid-change: lookups go by the hash from now on. */
static void
fib_drop(struct ipifc_rtab *t)
{
	fib_free(t, &t->fib4);
	fib_free(t, &t->fib6);
	free(t->pool.w);
	memset(&t->pool, 0, sizeof(t->pool));
	t->fibok = 0;
	t->fibbytes = 0;
}

/*
 * Slot i of node n: its child or its leaf, both from p[] (a branch on
 * which index, as most steps of a walk end at a leaf: cheaper than
 * computing both and picking one).
 */
static inline uint32_t
node_slot(const struct lpm_node *n, unsigned i)
{
	uint64_t bit = 1ULL << i, vec = n->vec;

	return n->p[vec & bit ? lpop64(vec & (bit - 1)) :
	    lpop64(vec) + lpop64(n->leafvec & ((bit << 1) - 1)) - 1];
}

/*
 * An IPv4 lookup's walk from slot v of a node at bit L: k holds the
 * address in its top 32 bits, so a step's 6 bits are one shift of one
 * word (a node at bit 30 reads zeros past the address).
 */
static inline uint32_t
fib_walk4at(const struct ipifc_rtab *t, uint32_t v, uint64_t k, int L)
{
	for (; v & LPM_NODE; L += LPM_STRIDE)
		v = node_slot(node_at(t, v),
		    (unsigned)((k << L) >> (64 - LPM_STRIDE)));
	return v;
}

/*
 * The walk below IPv4 root slot v.  Its first step, the node at bit 18
 * where a /19 to /24 ends (most of a real table), is taken apart at a
 * shift the compiler knows, without the loop's counter.
 */
static inline uint32_t
fib_walk4(const struct ipifc_rtab *t, uint32_t v, uint64_t k)
{
	if (!(v & LPM_NODE))
		return v;
	v = node_slot(node_at(t, v),
	    (unsigned)((k << LPM_ROOTBITS) >> (64 - LPM_STRIDE)));
	return fib_walk4at(t, v, k, LPM_ROOTBITS + LPM_STRIDE);
}

/* The address of an IPv4-mapped dst in the top 32 bits of a word. */
static inline uint64_t
rt_key4(const struct ipifc_ip *dst)
{
	uint32_t a;

	memcpy(&a, dst->a + 12, 4);
	return (uint64_t)ntohl(a) << 32;
}

/*
 * The number of the best destination entry holding dst (0: none), from
 * the trie.
 */
static inline uint32_t
fib_lookup(const struct ipifc_rtab *t, const struct ipifc_ip *dst)
{
	const struct lpm_fib *f;
	const struct lpm_node *n;
	const struct lpm_skip *sk;
	uint64_t k[2], k4, x;
	uint32_t v;
	int L;

	if (rt_isv4(dst)) {
		if (t->fib4.root == NULL)
			return 0;
		k4 = rt_key4(dst);
		return fib_walk4(t, t->fib4.root[k4 >> (64 - LPM_ROOTBITS)],
		    k4);
	}
	f = rt_key(t, dst, k);
	if (f->root == NULL)
		return 0;
	v = f->root[k[0] >> (64 - LPM_ROOTBITS)];
	for (L = LPM_ROOTBITS; v & LPM_NODE; L += LPM_STRIDE) {
		n = node_at(t, v);
		__builtin_prefetch((const char *)n + 64);
		__builtin_prefetch((const char *)n + 128);
		/* The bits a node skips, read beside its header. */
		if (v & LPM_SKIP) {
			sk = skip_at(t, v);
			if ((x = (kword(k, L) ^ sk->key) & sk->mask) != 0)
				return skip_val(sk,
				    (unsigned)__builtin_clzll(x));
			L += sk->len;
		}
		v = node_slot(n, kbits(k, L, LPM_STRIDE));
	}
	return v;
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
	t->nhs.hbits = 6;
	if ((t->nhs.hash = calloc(1u << t->nhs.hbits,
	    sizeof(*t->nhs.hash))) == NULL) {
		free(t->ehash);
		free(t->hash);
		free(t);
		return NULL;
	}
	t->ribbytes = sizeof(*t) + (sizeof(*t->hash) << t->hbits) +
	    (sizeof(*t->ehash) << t->ehbits) +
	    (sizeof(*t->nhs.hash) << t->nhs.hbits);
	t->fib4.base = 96;
	t->fib6.zmax = LPM_SKIPMAX;
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
	fib_drop(t);
	for (i = 0; i < 1u << t->hbits; i++)
		for (d = t->hash[i]; d != NULL; d = next) {
			next = d->hnext;
			for (e = d->routes; e != NULL; e = enext) {
				enext = e->snext;
				if (e != &d->inl)
					free(e);
			}
			dst_put(t, d->idx);
		}
	free(t->hash);
	free(t->ehash);
	free(t->nhs.hash);
	free(t->nhs.e);
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
		*fib = t->fibbytes + t->nhbytes;
	return t->fibbytes + t->nhbytes + t->ribbytes;
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

/*
 * What a next-hop lookup finds for d without reading it: fast's next
 * hop (0: none, the lookup goes through the entry), with LPM_ALLSRC when
 * fast is d's first route and its source prefix holds every source of
 * d's family, so that a lookup from a source takes it too.
 */
static void
dst_nhset(struct ipifc_rtab *t, const struct rtdst *d, int intrie)
{
	const struct rtent *e = (const struct rtent *)d->fast;
	uint32_t v = 0, old = dst_slot(t, d->idx), new;

	if (e != NULL) {
		v = e->nh;
		if (e == d->routes && (e->r.splen == 0 || (rt_isv4(&d->dst) &&
		    e->r.splen <= 96 && rt_anysrc(d, e))))
			v |= LPM_ALLSRC;
	}
	t->dsts.nh[d->idx] = v;
	/* The trie's leaves follow (a new entry goes in with the word set). */
	if (intrie && t->fibok && (new = dst_slot(t, d->idx)) != old &&
	    fib_retag(t, d, old, new) != 0)
		fib_drop(t);
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
	uint32_t idx, nh;
	unsigned h;
	int newd = 0;

	if (r->plen < 0 || r->plen > 128 || r->splen < 0 || r->splen > 128)
		return -EINVAL;
	rt_mask(&dst, &r->dst, r->plen);
	rt_mask(&src, &r->src, r->splen);
	h = rt_hash(&dst, r->plen, t->hbits);
	/* The trie's root slot comes in while the hash is searched. */
	if (t->fibok)
		fib_rootpf(t, &dst);
	if ((d = rt_dstfindh(t, &dst, r->plen, h)) != NULL &&
	    rt_efind(t, d, &src, r->splen) != NULL)
		return -EEXIST;
	if (t->n >= t->max)
		return -ENOSPC;
	if ((nh = nh_get(t, r)) == 0)
		return -ENOMEM;
	if (d != NULL && d->inlused) {
		if ((e = malloc(sizeof(*e))) == NULL) {
			nh_put(t, nh);
			return -ENOMEM;
		}
		t->ribbytes += sizeof(*e);
	} else if (d != NULL) {
		e = &d->inl;
		d->inlused = 1;
	} else {
		if ((d = dst_get(t, &idx)) == NULL) {
			nh_put(t, nh);
			return -ENOMEM;
		}
		d->idx = idx;
		newd = 1;
		e = &d->inl;
		d->inlused = 1;
		d->dst = dst;
		d->plen = r->plen;
		d->hnext = t->hash[h];
		t->hash[h] = d;
		t->ndst++;
		rt_lenref(t, r->plen);
		rt_grow(t);
	}
	e->r = *r;
	e->r.dst = dst;
	e->r.src = src;
	e->r.tag[IPIFC_TAGLEN - 1] = '\0';
	e->d = d;
	e->nh = nh;
	rt_slink(d, e);
	dst_nhset(t, d, !newd);
	if (newd && t->fibok && fib_insert(t, d) != 0)
		fib_drop(t);
	t->n++;
	if (e != &d->inl) {
		h = rt_ehash(d, &src, r->splen, t->ehbits);
		e->hnext = t->ehash[h];
		t->ehash[h] = e;
		t->nhashed++;
		rt_egrow(t);
	}
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
	nh_put(t, e->nh);
	if (e == &d->inl)
		d->inlused = 0;
	else {
		rt_eunhash(t, e);
		t->nhashed--;
		free(e);
		t->ribbytes -= sizeof(*e);
	}
	t->n--;
	if (d->routes != NULL) {
		dst_nhset(t, d, 1);
		return 0;
	}
	/* Out of the hash first: the trie asks it for the next best. */
	for (dp = &t->hash[rt_hash(&d->dst, d->plen, t->hbits)]; *dp != d;
	    dp = &(*dp)->hnext)
		;
	*dp = d->hnext;
	t->ndst--;
	rt_lenunref(t, d->plen);
	if (t->fibok && fib_remove(t, d) != 0)
		fib_drop(t);
	dst_put(t, d->idx);
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
	uint32_t di;
	int i, plen, v4, below = 129;

	if (t->fibok) {
		if ((di = fib_lookup(t, dst)) == 0)
			return NULL;
		d = dst_at(t, leaf_dst(di));
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

/* ipifc_rtab_lookup's answer, as the stored route. */
static inline struct rtent *
rt_lookup(const struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	struct ipifc_route *r;
	struct rtdst *d;
	uint32_t di;

	/*
	 * The fast route, when it is the first of its destination for a
	 * source (no longer source prefix before it) and its interface is up.
	 */
	if (t->fibok) {
		if ((di = fib_lookup(t, dst)) == 0)
			return NULL;
		d = dst_at(t, leaf_dst(di));
		r = d->fast;
		if (r != NULL && (src == NULL || (r == &d->routes->r &&
		    rt_inprefix(src, &r->src, r->splen))) &&
		    (r->ifc == NULL || (r->ifc->flags & IPIFC_F_UP)))
			return (struct rtent *)r;
	}
	/* Any source: routes whose source prefix holds the unspecified address. */
	if (src == NULL)
		src = rt_isv4(dst) ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6;
	return rt_match(t, dst, src, 0);
}

LPM_LOOKUP struct ipifc_route *
ipifc_rtab_lookup(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	struct rtent *e;

	if ((e = rt_lookup(t, dst, src)) == NULL)
		return NULL;
	return &e->r;
}

/*
 * The next hop of dst's route, read from dsts.nh without the route when
 * the best destination's first route will do; else through the route.
 */
LPM_LOOKUP __attribute__((noinline)) static const struct ipifc_nexthop *
rt_nexthop(const struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	const struct ipifc_nexthop *nh;
	struct rtent *e;
	uint32_t di, v;

	if (t->fibok) {
		if ((di = fib_lookup(t, dst)) == 0)
			return NULL;
		v = leaf_word(t, di);
		if (v != 0 && (src == NULL || ((v & LPM_ALLSRC) &&
		    rt_isv4(src) == rt_isv4(dst)))) {
			nh = &t->nhs.e[v & ~LPM_ALLSRC].nh;
			if (nh->ifc == NULL || (nh->ifc->flags & IPIFC_F_UP))
				return nh;
		}
	}
	if ((e = rt_lookup(t, dst, src)) == NULL)
		return NULL;
	return &t->nhs.e[e->nh].nh;
}

/* The next hop in leaf v (LPM_NHLEAF set) when its interface is up. */
static inline const struct ipifc_nexthop *
leaf_nh(const struct ipifc_rtab *t, uint32_t v)
{
	const struct ipifc_nexthop *nh;

	nh = &t->nhs.e[(v >> LPM_LEAFDBITS) & (LPM_LEAFNHMAX - 1)].nh;
	if (nh->ifc == NULL || (nh->ifc->flags & IPIFC_F_UP))
		return nh;
	return NULL;
}

/*
 * The common lookup, an IPv4 destination from any source whose leaf
 * holds its next hop, takes a short path of its own: the rest (IPv6, a
 * source, a leaf without the next hop, an interface down) goes to
 * rt_nexthop, out of line, so this one saves and restores few registers.
 * (A root is there only while the trie is: fib_drop frees it.)
 */
LPM_LOOKUP const struct ipifc_nexthop *
ipifc_rtab_nexthop(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	const struct ipifc_nexthop *nh;
	uint64_t k;
	uint32_t v;

	if (src == NULL && t->fib4.root != NULL && rt_isv4(dst)) {
		k = rt_key4(dst);
		v = fib_walk4(t, t->fib4.root[k >> (64 - LPM_ROOTBITS)], k);
		if (v == 0)
			return NULL;
		if ((v & LPM_NHLEAF) && (nh = leaf_nh(t, v)) != NULL)
			return nh;
	}
	return rt_nexthop(t, dst, src);
}

#define LPM_BURST	64

/*
 * A burst's lane at skipping node *v, its key k read from bit L: when k
 * leaves the bits the node skips, *v becomes the node's def (1);
 * otherwise k moves up past them, so the lane reads its next stride at L
 * as the others do (0).
 */
static inline int
fib_skip(const struct ipifc_rtab *t, uint64_t *k, int L, uint32_t *v)
{
	const struct lpm_skip *sk = skip_at(t, *v);
	unsigned len = sk->len;
	uint64_t x;

	if ((x = (kword(k, L) ^ sk->key) & sk->mask) != 0) {
		*v = skip_val(sk, (unsigned)__builtin_clzll(x));
		return 1;
	}
	if (len > 0) {
		k[0] = k[0] << len | k[1] >> (64 - len);
		k[1] <<= len;
	}
	return 0;
}

/* Prefetch what the caller reads after leaf v: none for a next hop in it. */
static inline void
fib_leafpf(const struct ipifc_rtab *t, uint32_t v, int nh)
{
	if (!nh)
		__builtin_prefetch(dst_at(t, leaf_dst(v)));
	else if (!(v & LPM_NHLEAF))
		__builtin_prefetch(&t->dsts.nh[v]);
}

/*
 * The best destination entries of m (<= LPM_BURST) destinations, in v,
 * as a pipeline: every lane's key and root slot (prefetched), then every
 * lane's root slot read and its node prefetched, then node steps
 * for the lanes still in a node, each prefetching that lane's next read.
 * The last prefetch is of what the caller reads next (the entry, or its
 * word in dsts.nh).
 */
static inline void
fib_burst(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int m,
    uint32_t *v, int nh)
{
	const struct lpm_fib *f;
	const uint32_t *rs[LPM_BURST];
	uint64_t k[LPM_BURST][2];
	int L, j, left;

	for (j = 0; j < m; j++) {
		if (rt_isv4(&dst[j])) {
			f = &t->fib4;
			k[j][0] = rt_key4(&dst[j]);
			k[j][1] = 0;
		} else
			f = rt_key(t, &dst[j], k[j]);
		rs[j] = f->root != NULL ?
		    &f->root[k[j][0] >> (64 - LPM_ROOTBITS)] : NULL;
		if (rs[j] != NULL)
			__builtin_prefetch(rs[j]);
	}
	left = 0;
	for (j = 0; j < m; j++) {
		v[j] = rs[j] != NULL ? *rs[j] : 0;
		if (v[j] & LPM_NODE) {
			__builtin_prefetch(node_at(t, v[j]));
			left++;
		} else if (v[j] != 0)
			fib_leafpf(t, v[j], nh);
	}
	for (L = LPM_ROOTBITS; left > 0; L += LPM_STRIDE) {
		left = 0;
		for (j = 0; j < m; j++) {
			if (!(v[j] & LPM_NODE))
				continue;
			/* Past bits a node skips, the lane's key moves up. */
			if ((v[j] & LPM_SKIP) && fib_skip(t, k[j], L, &v[j])) {
				if (v[j] != 0)
					fib_leafpf(t, v[j], nh);
				continue;
			}
			v[j] = node_slot(node_at(t, v[j]),
			    kbits(k[j], L, LPM_STRIDE));
			if (v[j] & LPM_NODE) {
				__builtin_prefetch(node_at(t, v[j]));
				left++;
			} else if (v[j] != 0)
				fib_leafpf(t, v[j], nh);
		}
	}
}

/*
 * fib_burst for m IPv4 destinations, the root there (0: a destination is
 * not IPv4, and nothing is done): a key of one word each, and the first
 * step below the root at a constant shift; the few walks that go on (a
 * prefix longer than /24 under their slot) finish one at a time.
 */
static inline int
fib_burst4(const struct ipifc_rtab *t, const struct ipifc_ip *dst, int m,
    uint32_t *v, int nh)
{
	const uint32_t *root = t->fib4.root;
	uint64_t k[LPM_BURST];
	int j, deep = 0;

	for (j = 0; j < m; j++) {
		if (!rt_isv4(&dst[j]))
			return 0;
		k[j] = rt_key4(&dst[j]);
		__builtin_prefetch(&root[k[j] >> (64 - LPM_ROOTBITS)]);
	}
	for (j = 0; j < m; j++) {
		v[j] = root[k[j] >> (64 - LPM_ROOTBITS)];
		if (v[j] & LPM_NODE)
			__builtin_prefetch(node_at(t, v[j]));
		else if (v[j] != 0)
			fib_leafpf(t, v[j], nh);
	}
	for (j = 0; j < m; j++) {
		if (!(v[j] & LPM_NODE))
			continue;
		v[j] = node_slot(node_at(t, v[j]),
		    (unsigned)((k[j] << LPM_ROOTBITS) >> (64 - LPM_STRIDE)));
		if (v[j] & LPM_NODE) {
			__builtin_prefetch(node_at(t, v[j]));
			deep = 1;
		} else if (v[j] != 0)
			fib_leafpf(t, v[j], nh);
	}
	for (j = 0; deep && j < m; j++)
		v[j] = fib_walk4at(t, v[j], k[j], LPM_ROOTBITS + LPM_STRIDE);
	return 1;
}

LPM_LOOKUP void
ipifc_rtab_lookup_burst(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    int n, struct ipifc_route **out)
{
	struct ipifc_route *r;
	uint32_t v[LPM_BURST];
	int i, j, m;

	if (!t->fibok) {
		for (j = 0; j < n; j++)
			out[j] = ipifc_rtab_lookup(t, &dst[j], NULL);
		return;
	}
	for (i = 0; i < n; i += m) {
		m = n - i < LPM_BURST ? n - i : LPM_BURST;
		if (t->fib4.root == NULL || !fib_burst4(t, dst + i, m, v, 0))
			fib_burst(t, dst + i, m, v, 0);
		for (j = 0; j < m; j++) {
			if (v[j] == 0) {
				out[i + j] = NULL;
				continue;
			}
			r = dst_at(t, leaf_dst(v[j]))->fast;
			if (r != NULL && (r->ifc == NULL ||
			    (r->ifc->flags & IPIFC_F_UP)))
				out[i + j] = r;
			else
				out[i + j] = ipifc_rtab_lookup(t, &dst[i + j],
				    NULL);
		}
	}
}

LPM_LOOKUP void
ipifc_rtab_nexthop_burst(struct ipifc_rtab *t, const struct ipifc_ip *dst,
    int n, const struct ipifc_nexthop **out)
{
	const struct ipifc_nexthop *nh;
	uint32_t v[LPM_BURST], w;
	int i, j, m;

	if (!t->fibok) {
		for (j = 0; j < n; j++)
			out[j] = ipifc_rtab_nexthop(t, &dst[j], NULL);
		return;
	}
	for (i = 0; i < n; i += m) {
		m = n - i < LPM_BURST ? n - i : LPM_BURST;
		if (t->fib4.root == NULL || !fib_burst4(t, dst + i, m, v, 1))
			fib_burst(t, dst + i, m, v, 1);
		for (j = 0; j < m; j++) {
			if (v[j] == 0) {
				out[i + j] = NULL;
				continue;
			}
			if ((w = leaf_word(t, v[j])) != 0) {
				nh = &t->nhs.e[w & ~LPM_ALLSRC].nh;
				if (nh->ifc == NULL ||
				    (nh->ifc->flags & IPIFC_F_UP)) {
					out[i + j] = nh;
					continue;
				}
			}
			out[i + j] = ipifc_rtab_nexthop(t, &dst[i + j], NULL);
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
