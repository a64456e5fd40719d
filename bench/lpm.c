/*
 * Benchmark: the route table (core/lpm.c) against DPDK rte_lpm and rte_fib
 * (IPv4: DIR-24-8 both) and rte_lpm6 and rte_fib6 (IPv6: rte_fib6 as
 * RTE_FIB6_TRIE) in the same run: lookups, inserts, deletes and memory.
 *
 *   build/bench_lpm [V4PREFIXES [V6PREFIXES]]    (default 1000000 200000)
 *
 * Built only with -Dbench=true (it needs libdpdk-dev); run as root, since
 * DPDK's EAL starts here with --no-huge --no-pci --no-shconf -l 0.
 *
 * IPv4 prefixes have a BGP-like mix of lengths (most /24, a spread from
 * /8 to /32) over 1.0.0.0-223.255.255.255; IPv6 prefixes (/32 to /64,
 * most /48) cluster under 4000 /32s of 2000::/3.  Lookups are 1M
 * addresses either uniform (IPv4: all 32 bits; IPv6: 2000::/3) or inside
 * installed prefixes, one at a time and in bursts of 64 (the DPDK tables'
 * bulk lookups, ipifc_rtab_nexthop_burst; rte_fib has only a bulk lookup,
 * so one at a time is a bulk lookup of one).  As in a real table, the
 * prefixes share NHOP next hops (prefix i the (i % NHOP)th, a gateway),
 * and every table is given the same next-hop numbers: ipifc's lookups of
 * a next hop (ipifc_rtab_nexthop) return its number as DPDK's do; its
 * lookups of the route (ipifc_rtab_lookup) are a second row.  Each
 * figure is the median of 5 rounds, the rounds alternating between the
 * tables.  Inserts and deletes: all prefixes into an empty table, then
 * all out, in a shuffled order, once (rte_lpm takes minutes at 1M).
 * Memory: what the table allocated once full (DPDK: its heap's bytes;
 * ipifc: what a next-hop lookup reads, the trie and a word per
 * destination, and all with the route entries and hash).  Every lookup
 * of the first round, of the route and of the next hop, one at a time
 * and in bursts, is checked against both DPDK tables' answers.  Times
 * are the thread's CPU time, so that other programs on the machine weigh
 * less (they still share its caches).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>

#include "core.h"
#include "util.h"

#define NLOOKUP	(1 << 20)
#define BURST	64
#define ROUNDS	5
#define CROUNDS	1
#define NWAY	8
#define NHOP	256	/* next hops the prefixes share */
#define NOHOP	0xffffffu	/* rte_fib's answer for no route */

static size_t
heapbytes(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(0, &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

struct pfx {
	uint8_t	a[16];		/* IPv4: the first 4 bytes */
	int	len;
};

static int
pfxcmp(const void *x, const void *y)
{
	const struct pfx *a = x, *b = y;
	int c;

	if ((c = memcmp(a->a, b->a, 16)) != 0)
		return c;
	return a->len - b->len;
}

static void
maskbytes(uint8_t *a, int len, int n)
{
	int i;

	for (i = len; i < n * 8; i++)
		a[i / 8] &= ~(0x80 >> (i % 8));
}

/* Sort, drop duplicates, shuffle: n distinct prefixes in random order. */
static int
uniq(struct pfx *p, int n)
{
	struct pfx tmp;
	int i, j, m = 0;

	qsort(p, n, sizeof(*p), pfxcmp);
	for (i = 0; i < n; i++)
		if (m == 0 || pfxcmp(&p[m - 1], &p[i]) != 0)
			p[m++] = p[i];
	for (i = m - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		tmp = p[i];
		p[i] = p[j];
		p[j] = tmp;
	}
	return m;
}

static int
gen_v4len(void)
{
	unsigned k = rnd() % 1000;

	if (k < 600)
		return 24;
	if (k < 690)
		return 23;
	if (k < 790)
		return 22;
	if (k < 830)
		return 21;
	if (k < 870)
		return 20;
	if (k < 900)
		return 19;
	if (k < 940)
		return 16 + rnd() % 3;
	if (k < 960)
		return 8 + rnd() % 8;
	return 25 + rnd() % 8;
}

static int
gen_v4(struct pfx *p, int want)
{
	uint32_t v;
	int i, n = want + want / 8;

	for (i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		v = (1 + rnd() % 223) << 24 | (rnd() & 0xffffff);
		p[i].a[0] = v >> 24;
		p[i].a[1] = v >> 16;
		p[i].a[2] = v >> 8;
		p[i].a[3] = v;
		p[i].len = gen_v4len();
		maskbytes(p[i].a, p[i].len, 4);
	}
	n = uniq(p, n);
	return n < want ? n : want;
}

static int
gen_v6len(void)
{
	unsigned k = rnd() % 100;

	if (k < 3)
		return 32;
	if (k < 20)
		return 33 + rnd() % 15;
	if (k < 80)
		return 48;
	if (k < 90)
		return 49 + rnd() % 15;
	return 64;
}

static int
gen_v6(struct pfx *p, int want)
{
	static uint32_t isp[4000];
	uint32_t v;
	int i, n = want + want / 8;

	for (i = 0; i < 4000; i++)
		isp[i] = 0x20000000u | (rnd() & 0x1fffffff);
	for (i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		v = isp[rnd() % 4000];
		p[i].a[0] = v >> 24;
		p[i].a[1] = v >> 16;
		p[i].a[2] = v >> 8;
		p[i].a[3] = v;
		/* Sites of an ISP close together: 12 random bits of the /48. */
		v = rnd() % 4096;
		p[i].a[4] = v >> 8;
		p[i].a[5] = v;
		v = rnd();
		p[i].a[6] = v >> 8;
		p[i].a[7] = v;
		p[i].len = gen_v6len();
		maskbytes(p[i].a, p[i].len, 16);
	}
	n = uniq(p, n);
	return n < want ? n : want;
}

/* tbl8 groups rte_lpm/rte_lpm6 need: distinct (prefix at d, d) below len. */
static unsigned
tbl8need(const struct pfx *p, int n, int v4)
{
	struct pfx *t;
	int i, d, m = 0, u = 0;

	t = malloc((size_t)n * (v4 ? 1 : 13) * sizeof(*t));
	for (i = 0; i < n; i++)
		for (d = 24; d < p[i].len; d += 8) {
			t[m] = p[i];
			maskbytes(t[m].a, d, 16);
			t[m++].len = d;
			if (v4)
				break;
		}
	qsort(t, m, sizeof(*t), pfxcmp);
	for (i = 0; i < m; i++)
		if (i == 0 || pfxcmp(&t[i - 1], &t[i]) != 0)
			u++;
	free(t);
	return u + u / 8 + 64;
}

static void
toip(struct ipifc_ip *ip, const uint8_t *a, int v4)
{
	if (v4) {
		memset(ip->a, 0, 10);
		ip->a[10] = ip->a[11] = 0xff;
		memcpy(ip->a + 12, a, 4);
	} else
		memcpy(ip->a, a, 16);
}

/* Prefix i's next hop: its gateway, and its number in the DPDK tables. */
static uint32_t
hop(int i)
{
	return (uint32_t)i % NHOP;
}

static void
mkroute(struct ipifc_route *r, const struct pfx *p, int v4, uint32_t id)
{
	memset(r, 0, sizeof(*r));
	toip(&r->dst, p->a, v4);
	r->plen = p->len + (v4 ? 96 : 0);
	r->src = v4 ? ipifc_ip_unspec4 : ipifc_ip_unspec6;
	r->splen = v4 ? 96 : 0;
	r->type = v4 ? IPIFC_RT_V4 : 0;
	if (v4)
		r->gate = ipifc_ip_unspec4;
	r->gate.a[14] = 10;
	r->gate.a[15] = (uint8_t)id;
	snprintf(r->tag, sizeof(r->tag), "bench");
}

/* The next hop's number, from the gateway mkroute gave it. */
static uint32_t
gate_id(const struct ipifc_ip *gate)
{
	return gate->a[15];
}

struct fam {
	const char *name;
	int	v4, n;
	struct pfx *p;
	unsigned tbl8s;
	struct ipifc_rtab *t;
	struct rte_lpm *lpm;
	struct rte_lpm6 *lpm6;
	struct rte_fib *fib;
	struct rte_fib6 *fib6;
	size_t	lpmmem, fibmem;
	/* lookups: [0] uniform, [1] inside */
	struct ipifc_ip *ip[2];
	uint32_t *a4[2];
	uint8_t (*a6[2])[16];
};

static int
ipifc_fill(struct fam *f)
{
	struct ipifc_route r;
	int i, e;

	for (i = 0; i < f->n; i++) {
		mkroute(&r, &f->p[i], f->v4, hop(i));
		if ((e = ipifc_rtab_add(f->t, &r)) != 0) {
			fprintf(stderr, "ipifc add: %s\n", strerror(-e));
			return -1;
		}
	}
	return 0;
}

static void
ipifc_empty(struct fam *f)
{
	struct ipifc_ip d;
	const struct ipifc_ip *s = f->v4 ? &ipifc_ip_unspec4 :
	    &ipifc_ip_unspec6;
	int i;

	for (i = 0; i < f->n; i++) {
		toip(&d, f->p[i].a, f->v4);
		ipifc_rtab_del(f->t, &d, f->p[i].len + (f->v4 ? 96 : 0), s,
		    f->v4 ? 96 : 0);
	}
}

static int
lpm_create(struct fam *f)
{
	if (f->v4) {
		struct rte_lpm_config c = { f->n, f->tbl8s, 0 };

		f->lpm = rte_lpm_create("b4", 0, &c);
	} else {
		struct rte_lpm6_config c = { f->n, f->tbl8s, 0 };

		f->lpm6 = rte_lpm6_create("b6", 0, &c);
	}
	if (f->lpm == NULL && f->lpm6 == NULL) {
		fprintf(stderr, "rte_lpm create: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
fib_create(struct fam *f)
{
	if (f->v4) {
		struct rte_fib_conf c = {
			.type = RTE_FIB_DIR24_8, .default_nh = NOHOP,
			.max_routes = 2 * f->n,
			.dir24_8 = { RTE_FIB_DIR24_8_4B, f->tbl8s },
		};

		f->fib = rte_fib_create("f4", 0, &c);
	} else {
		struct rte_fib6_conf c = {
			.type = RTE_FIB6_TRIE, .default_nh = NOHOP,
			/* The RIB's nodes: the prefixes and their forks. */
			.max_routes = 2 * f->n,
			.trie = { RTE_FIB6_TRIE_4B, 4 * f->tbl8s },
		};

		f->fib6 = rte_fib6_create("f6", 0, &c);
	}
	if (f->fib == NULL && f->fib6 == NULL) {
		fprintf(stderr, "rte_fib create: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static uint32_t
v4addr(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
}

static int
lpm_fill(struct fam *f)
{
	int i, e;

	for (i = 0; i < f->n; i++) {
		if (f->v4)
			e = rte_lpm_add(f->lpm, v4addr(f->p[i].a),
			    f->p[i].len, hop(i));
		else
			e = rte_lpm6_add(f->lpm6, f->p[i].a, f->p[i].len,
			    hop(i));
		if (e != 0) {
			fprintf(stderr, "rte_lpm add: %d\n", e);
			return -1;
		}
	}
	return 0;
}

static void
lpm_empty(struct fam *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->v4)
			rte_lpm_delete(f->lpm, v4addr(f->p[i].a),
			    f->p[i].len);
		else
			rte_lpm6_delete(f->lpm6, f->p[i].a, f->p[i].len);
}

static int
fib_fill(struct fam *f)
{
	int i, e;

	for (i = 0; i < f->n; i++) {
		if (f->v4)
			e = rte_fib_add(f->fib, v4addr(f->p[i].a),
			    f->p[i].len, hop(i));
		else
			e = rte_fib6_add(f->fib6, f->p[i].a, f->p[i].len,
			    hop(i));
		if (e != 0) {
			fprintf(stderr, "rte_fib add: %d\n", e);
			return -1;
		}
	}
	return 0;
}

static void
fib_empty(struct fam *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->v4)
			rte_fib_delete(f->fib, v4addr(f->p[i].a), f->p[i].len);
		else
			rte_fib6_delete(f->fib6, f->p[i].a, f->p[i].len);
}

static void
gen_lookups(struct fam *f)
{
	uint8_t a[16];
	uint32_t v;
	int k, i, j;

	for (k = 0; k < 2; k++) {
		f->ip[k] = malloc(NLOOKUP * sizeof(struct ipifc_ip));
		f->a4[k] = malloc(NLOOKUP * sizeof(uint32_t));
		f->a6[k] = malloc(NLOOKUP * 16);
		for (i = 0; i < NLOOKUP; i++) {
			for (j = 0; j < 16; j += 4) {
				v = rnd() ^ rnd() << 16;
				memcpy(a + j, &v, 4);
			}
			if (k == 0 && !f->v4)
				a[0] = 0x20 | (a[0] & 0x1f);
			if (k == 1) {
				const struct pfx *p = &f->p[rnd() % f->n];

				/* The prefix's bits, random host bits. */
				for (j = 0; j < p->len; j++)
					a[j / 8] = (a[j / 8] &
					    ~(0x80 >> (j % 8))) |
					    (p->a[j / 8] & (0x80 >> (j % 8)));
			}
			toip(&f->ip[k][i], a, f->v4);
			f->a4[k][i] = v4addr(a);
			memcpy(f->a6[k][i], a, 16);
		}
	}
}

/* What rte_lpm and rte_fib answer for lookup i of set k (~0u: none). */
static void
dpdk_answer(struct fam *f, int k, int i, uint32_t *lpm, uint32_t *fib)
{
	uint64_t nh;

	if (f->v4) {
		if (rte_lpm_lookup(f->lpm, f->a4[k][i], lpm) != 0)
			*lpm = ~0u;
		rte_fib_lookup_bulk(f->fib, &f->a4[k][i], &nh, 1);
	} else {
		if (rte_lpm6_lookup(f->lpm6, f->a6[k][i], lpm) != 0)
			*lpm = ~0u;
		rte_fib6_lookup_bulk(f->fib6, &f->a6[k][i], &nh, 1);
	}
	*fib = nh == NOHOP ? ~0u : (uint32_t)nh;
}

/* Lookups per second (M) of one way on set k; check counts mismatches. */
static double
run(struct fam *f, int way, int k, long *bad)
{
	struct ipifc_route *out[BURST], *r;
	const struct ipifc_nexthop *hops[BURST], *h;
	uint32_t nh, nhs[BURST], want, got, goth;
	int32_t nh6[BURST];
	uint64_t nh64[BURST], sum = 0;
	double t0;
	int i, j;

	t0 = now();
	switch (way) {
	case 0:
		for (i = 0; i < NLOOKUP; i++) {
			r = ipifc_rtab_lookup(f->t, &f->ip[k][i], NULL);
			sum += r != NULL ? gate_id(&r->gate) : 0;
		}
		break;
	case 1:
		for (i = 0; i < NLOOKUP; i += BURST) {
			ipifc_rtab_lookup_burst(f->t, &f->ip[k][i], BURST, out);
			for (j = 0; j < BURST; j++)
				sum += out[j] != NULL ?
				    gate_id(&out[j]->gate) : 0;
		}
		break;
	case 6:
		for (i = 0; i < NLOOKUP; i++) {
			h = ipifc_rtab_nexthop(f->t, &f->ip[k][i], NULL);
			sum += h != NULL ? h->id : 0;
		}
		break;
	case 7:
		for (i = 0; i < NLOOKUP; i += BURST) {
			ipifc_rtab_nexthop_burst(f->t, &f->ip[k][i], BURST,
			    hops);
			for (j = 0; j < BURST; j++)
				sum += hops[j] != NULL ? hops[j]->id : 0;
		}
		break;
	case 2:
		for (i = 0; i < NLOOKUP; i++) {
			if (f->v4) {
				if (rte_lpm_lookup(f->lpm, f->a4[k][i],
				    &nh) == 0)
					sum += nh;
			} else if (rte_lpm6_lookup(f->lpm6, f->a6[k][i],
			    &nh) == 0)
				sum += nh;
		}
		break;
	case 3:
		for (i = 0; i < NLOOKUP; i += BURST) {
			if (f->v4) {
				rte_lpm_lookup_bulk(f->lpm, &f->a4[k][i], nhs,
				    BURST);
				for (j = 0; j < BURST; j++)
					if (nhs[j] & RTE_LPM_LOOKUP_SUCCESS)
						sum += nhs[j] & 0xffffff;
			} else {
				rte_lpm6_lookup_bulk_func(f->lpm6,
				    &f->a6[k][i], nh6, BURST);
				for (j = 0; j < BURST; j++)
					if (nh6[j] >= 0)
						sum += nh6[j];
			}
		}
		break;
	case 4:
		for (i = 0; i < NLOOKUP; i++) {
			if (f->v4)
				rte_fib_lookup_bulk(f->fib, &f->a4[k][i],
				    nh64, 1);
			else
				rte_fib6_lookup_bulk(f->fib6, &f->a6[k][i],
				    nh64, 1);
			if (nh64[0] != NOHOP)
				sum += nh64[0];
		}
		break;
	case 5:
		for (i = 0; i < NLOOKUP; i += BURST) {
			if (f->v4)
				rte_fib_lookup_bulk(f->fib, &f->a4[k][i],
				    nh64, BURST);
			else
				rte_fib6_lookup_bulk(f->fib6, &f->a6[k][i],
				    nh64, BURST);
			for (j = 0; j < BURST; j++)
				if (nh64[j] != NOHOP)
					sum += nh64[j];
		}
		break;
	}
	t0 = now() - t0;
	if (bad != NULL)
		for (i = 0; i < NLOOKUP; i += BURST) {
			ipifc_rtab_lookup_burst(f->t, &f->ip[k][i], BURST, out);
			ipifc_rtab_nexthop_burst(f->t, &f->ip[k][i], BURST,
			    hops);
			for (j = 0; j < BURST; j++) {
				r = ipifc_rtab_lookup(f->t, &f->ip[k][i + j],
				    NULL);
				got = r != NULL ? gate_id(&r->gate) : ~0u;
				h = ipifc_rtab_nexthop(f->t, &f->ip[k][i + j],
				    NULL);
				goth = h != NULL ? gate_id(&h->gate) : ~0u;
				dpdk_answer(f, k, i + j, &nh, &want);
				if (got != want || got != nh || goth != want ||
				    out[j] != r || hops[j] != h)
					(*bad)++;
			}
		}
	if (sum == 42)
		putchar(' ');
	return NLOOKUP / t0 / 1e6;
}

/* The better of two rates (the best DPDK peer). */
static double
best(double a, double b)
{
	return a > b ? a : b;
}

static void
bench(struct fam *f)
{
	static const char *const set[2] = { "uniform", "inside" };
	double res[2][NWAY][ROUNDS], ins[3][CROUNDS], del[3][CROUNDS], t0;
	double m[NWAY], mi[3], md[3];
	size_t total, fib, before;
	long bad = 0;
	int r, k, w;

	f->t = ipifc_rtab_new();
	/* Churn, alternating: all in, all out. */
	for (r = 0; r < CROUNDS; r++) {
		t0 = now();
		if (ipifc_fill(f) != 0)
			exit(1);
		ins[0][r] = f->n / (now() - t0) / 1e6;
		before = heapbytes();
		t0 = now();
		if (lpm_create(f) != 0 || lpm_fill(f) != 0)
			exit(1);
		ins[1][r] = f->n / (now() - t0) / 1e6;
		f->lpmmem = heapbytes() - before;
		before = heapbytes();
		t0 = now();
		if (fib_create(f) != 0 || fib_fill(f) != 0)
			exit(1);
		ins[2][r] = f->n / (now() - t0) / 1e6;
		f->fibmem = heapbytes() - before;
		if (r == CROUNDS - 1)
			break;
		t0 = now();
		ipifc_empty(f);
		del[0][r] = f->n / (now() - t0) / 1e6;
		t0 = now();
		lpm_empty(f);
		del[1][r] = f->n / (now() - t0) / 1e6;
		t0 = now();
		fib_empty(f);
		del[2][r] = f->n / (now() - t0) / 1e6;
	}
	total = ipifc_rtab_memory(f->t, &fib);
	gen_lookups(f);
	for (r = 0; r < ROUNDS; r++)
		for (k = 0; k < 2; k++)
			for (w = 0; w < NWAY; w++)
				res[k][w][r] = run(f, w, k,
				    r == 0 && w == 0 ? &bad : NULL);
	t0 = now();
	ipifc_empty(f);
	del[0][CROUNDS - 1] = f->n / (now() - t0) / 1e6;
	t0 = now();
	lpm_empty(f);
	del[1][CROUNDS - 1] = f->n / (now() - t0) / 1e6;
	t0 = now();
	fib_empty(f);
	del[2][CROUNDS - 1] = f->n / (now() - t0) / 1e6;

	printf("\n%s: %d prefixes, %d lookups a round, median of %d rounds"
	    "\n", f->name, f->n, NLOOKUP, ROUNDS);
	printf("%-10s %6s %7s %7s %7s %7s %7s %6s %6s %6s %6s\n",
	    "lookups", "ipifc", "burst", "lpm", "bulk", "fib", "bulk",
	    "/lpm", "/fib", "b/lpm", "b/fib");
	for (k = 0; k < 2; k++) {
		for (w = 0; w < NWAY; w++)
			m[w] = median(res[k][w], ROUNDS);
		/* The next-hop lookups, then the route lookups. */
		for (w = 6; w >= 0; w -= 6)
			printf("%-7s %-2s %6.1f %7.1f %7.1f %7.1f %7.1f %7.1f "
			    "%5.2fx %5.2fx %5.2fx %5.2fx\n", set[k],
			    w == 6 ? "nh" : "rt", m[w], m[w + 1], m[2], m[3],
			    m[4], m[5], m[w] / m[2], m[w] / m[4],
			    m[w + 1] / m[3], m[w + 1] / m[5]);
	}
	for (w = 0; w < 3; w++) {
		mi[w] = median(ins[w], CROUNDS);
		md[w] = median(del[w], CROUNDS);
	}
	printf("%-9s %7s %7s %7s %7s %7s %7s %6s\n", "updates", "ipifc",
	    "", "lpm", "", "fib", "", "/best");
	printf("%-9s %7.2f %7s %7.2f %7s %7.2f %7s %5.2fx\n", "insert",
	    mi[0], "", mi[1], "", mi[2], "", mi[0] / best(mi[1], mi[2]));
	printf("%-9s %7.2f %7s %7.2f %7s %7.2f %7s %5.2fx\n", "delete",
	    md[0], "", md[1], "", md[2], "", md[0] / best(md[1], md[2]));
	printf("%-9s %7s %7s %7s %7s %7s %7s %6s %6s\n", "memory", "trie",
	    "all", "lpm", "", "fib", "", "t/lpm", "t/fib");
	printf("%-9s %7.1f %7.1f %7.1f %7s %7.1f %7s %5.2fx %5.2fx\n", "(MB)",
	    fib / 1e6, total / 1e6, f->lpmmem / 1e6, "", f->fibmem / 1e6, "",
	    (double)fib / f->lpmmem, (double)fib / f->fibmem);
	printf("lookups (route and next hop) checked against rte_lpm and "
	    "rte_fib: %ld differ\n", bad);
	if (f->v4) {
		rte_lpm_free(f->lpm);
		rte_fib_free(f->fib);
	} else {
		rte_lpm6_free(f->lpm6);
		rte_fib6_free(f->fib6);
	}
	ipifc_rtab_free(f->t);
	for (k = 0; k < 2; k++) {
		free(f->ip[k]);
		free(f->a4[k]);
		free(f->a6[k]);
	}
}

int
main(int argc, char **argv)
{
	char *eal[] = {
		argv[0], "--no-huge", "--no-pci", "--no-shconf", "-l", "0",
		"-m", "3072", "--log-level=error", "--no-telemetry", NULL
	};
	struct fam f4 = { .name = "IPv4", .v4 = 1 };
	struct fam f6 = { .name = "IPv6", .v4 = 0 };
	int n4 = argc > 1 ? atoi(argv[1]) : 1000000;
	int n6 = argc > 2 ? atoi(argv[2]) : 200000;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(10, eal) < 0) {
		fprintf(stderr, "bench_lpm: DPDK's EAL does not start: %s\n",
		    rte_strerror(rte_errno));
		return 1;
	}
	f4.p = malloc((n4 + n4 / 8 + 1) * sizeof(*f4.p));
	f6.p = malloc((n6 + n6 / 8 + 1) * sizeof(*f6.p));
	f4.n = gen_v4(f4.p, n4);
	f6.n = gen_v6(f6.p, n6);
	f4.tbl8s = tbl8need(f4.p, f4.n, 1);
	f6.tbl8s = tbl8need(f6.p, f6.n, 0);
	bench(&f4);
	bench(&f6);
	free(f4.p);
	free(f6.p);
	rte_eal_cleanup();
	return 0;
}
